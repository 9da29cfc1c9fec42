#pragma once
// The normalize+validate hooks of the kinds this layer implements, one file per kind (or per
// family: discovery_chain_*.cpp, gateways.cpp), gathered into the table by kinds.cpp.

#include "dev_agent/config_entries/kinds.hpp"

namespace coconsul::dev::config_entries {

std::optional<std::string> normalize_validate_service_defaults(boost::json::object& entry, const kind_context& ctx);
std::optional<std::string> normalize_validate_proxy_defaults(boost::json::object& entry, const kind_context& ctx);
std::optional<std::string> normalize_validate_service_router(boost::json::object& entry, const kind_context& ctx);
std::optional<std::string> normalize_validate_service_splitter(boost::json::object& entry, const kind_context& ctx);
std::optional<std::string> normalize_validate_service_resolver(boost::json::object& entry, const kind_context& ctx);
std::optional<std::string> normalize_validate_ingress_gateway(boost::json::object& entry, const kind_context& ctx);
std::optional<std::string> normalize_validate_terminating_gateway(boost::json::object& entry, const kind_context& ctx);
std::optional<std::string> normalize_validate_mesh(boost::json::object& entry, const kind_context& ctx);
std::optional<std::string> normalize_validate_exported_services(boost::json::object& entry, const kind_context& ctx);

}  // namespace coconsul::dev::config_entries
