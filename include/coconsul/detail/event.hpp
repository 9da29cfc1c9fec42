#pragma once
// Internal: the compiled bodies behind event_api (src/client/event.cpp).

#include <coconsul/detail/async.hpp>
#include <coconsul/model/event.hpp>
#include <coconsul/query.hpp>

#include <string>
#include <vector>

namespace coconsul {

struct event_filter;

namespace detail {
struct client_state;

void event_fire(client_state&, std::string, std::string, event_filter, write_options, completion_handler<user_event>);
void event_list(client_state&, std::string, query_options, completion_handler<query_result<std::vector<user_event>>>);

}  // namespace detail
}  // namespace coconsul
