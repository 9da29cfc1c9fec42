#pragma once
// Internal: the compiled bodies behind session_api (src/client/session.cpp).

#include <coconsul/detail/async.hpp>
#include <coconsul/model/session.hpp>
#include <coconsul/query.hpp>

#include <optional>
#include <string>
#include <vector>

namespace coconsul::detail {

struct client_state;

void session_create(client_state&, session_create_request, write_options, completion_handler<std::string>);
void session_destroy(client_state&, std::string, write_options, completion_handler<void>);
void session_renew(client_state&, std::string, write_options, completion_handler<session>);
void session_info(client_state&, std::string, query_options, completion_handler<query_result<std::optional<session>>>);
void session_node(client_state&, std::string, query_options, completion_handler<query_result<std::vector<session>>>);
void session_list(client_state&, query_options, completion_handler<query_result<std::vector<session>>>);

}  // namespace coconsul::detail
