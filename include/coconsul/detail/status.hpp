#pragma once
// Internal: the compiled bodies behind status_api (src/client/status.cpp).

#include <coconsul/detail/async.hpp>
#include <coconsul/query.hpp>

#include <string>
#include <vector>

namespace coconsul::detail {

struct client_state;

void status_leader(client_state&, query_options, completion_handler<std::string>);
void status_peers(client_state&, query_options, completion_handler<std::vector<std::string>>);

}  // namespace coconsul::detail
