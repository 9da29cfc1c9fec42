#pragma once
// Internal: the compiled body behind config_api::discovery_chain (src/client/discovery_chain.cpp).

#include <coconsul/detail/async.hpp>
#include <coconsul/model/discovery_chain.hpp>
#include <coconsul/query.hpp>

#include <string>

namespace coconsul::detail {

struct client_state;

void discovery_chain_get(client_state&, std::string service, discovery_chain_options, query_options,
                         completion_handler<query_result<compiled_discovery_chain>>);

}  // namespace coconsul::detail
