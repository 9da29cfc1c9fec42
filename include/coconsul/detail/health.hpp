#pragma once
// Internal: the compiled bodies behind health_api (src/client/health.cpp).

#include <coconsul/detail/async.hpp>
#include <coconsul/model/check.hpp>
#include <coconsul/model/health.hpp>
#include <coconsul/query.hpp>

#include <string>
#include <vector>

namespace coconsul::detail {

struct client_state;

// Which list of checks health_checks reads; src/client/health.cpp maps it to the endpoint.
enum class health_list { service, node, state };

void health_service(client_state&, std::string, query_options, completion_handler<query_result<std::vector<service_entry>>>);
void health_connect_service(client_state&, std::string, query_options,
                            completion_handler<query_result<std::vector<service_entry>>>);
void health_checks(client_state&, health_list, std::string, query_options,
                   completion_handler<query_result<std::vector<health_check>>>);

}  // namespace coconsul::detail
