#pragma once
// Internal: the compiled bodies behind connect_api (src/client/connect.cpp).

#include <coconsul/detail/async.hpp>
#include <coconsul/model/connect.hpp>
#include <coconsul/query.hpp>

#include <string>

namespace coconsul::detail {

struct client_state;

// Which roots endpoint: the servers' (/v1/connect/ca/roots) or the agent's cached copy
// (/v1/agent/connect/ca/roots).
enum class roots_source { servers, agent };

void connect_ca_roots(client_state&, roots_source, query_options, completion_handler<query_result<ca_roots>>);
void connect_ca_roots_pem(client_state&, query_options, completion_handler<query_result<std::string>>);
void connect_ca_configuration(client_state&, query_options, completion_handler<ca_configuration>);
void connect_set_ca_configuration(client_state&, ca_configuration, write_options, completion_handler<void>);
void connect_ca_configuration_json(client_state&, query_options, completion_handler<std::string>);
void connect_set_ca_configuration_json(client_state&, std::string, write_options, completion_handler<void>);
void connect_leaf(client_state&, std::string, query_options, completion_handler<query_result<issued_cert>>);

}  // namespace coconsul::detail
