#pragma once
// Internal: the compiled bodies behind catalog_api (src/client/catalog.cpp).

#include <coconsul/detail/async.hpp>
#include <coconsul/model/catalog.hpp>
#include <coconsul/query.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coconsul::detail {

struct client_state;

void catalog_datacenters(client_state&, query_options, completion_handler<query_result<std::vector<std::string>>>);
void catalog_nodes(client_state&, query_options, completion_handler<query_result<std::vector<node>>>);
void catalog_node(client_state&, std::string, query_options, completion_handler<query_result<std::optional<catalog_node>>>);
void catalog_services(client_state&, query_options,
                      completion_handler<query_result<std::map<std::string, std::vector<std::string>>>>);
void catalog_service(client_state&, std::string, query_options, completion_handler<query_result<std::vector<coconsul::catalog_service>>>);
void catalog_connect_service(client_state&, std::string, query_options,
                             completion_handler<query_result<std::vector<coconsul::catalog_service>>>);
void catalog_register(client_state&, catalog_registration, write_options, completion_handler<void>);
void catalog_deregister(client_state&, catalog_deregistration, write_options, completion_handler<void>);

}  // namespace coconsul::detail
