// Placeholder hooks (Name required) for the kinds not yet written; each moves to its own file.

#include "dev_agent/config_entries/hooks.hpp"

namespace coconsul::dev::config_entries {

namespace {
std::optional<std::string> name_required(boost::json::object& entry, const kind_context&) {
  const auto* name = entry.if_contains("Name");
  if (!name || !name->is_string() || name->get_string().empty()) return "Name is required";
  return std::nullopt;
}
}  // namespace

std::optional<std::string> normalize_validate_service_defaults(boost::json::object& e, const kind_context& c) { return name_required(e, c); }
std::optional<std::string> normalize_validate_proxy_defaults(boost::json::object& e, const kind_context& c) { return name_required(e, c); }
std::optional<std::string> normalize_validate_service_router(boost::json::object& e, const kind_context& c) { return name_required(e, c); }
std::optional<std::string> normalize_validate_service_splitter(boost::json::object& e, const kind_context& c) { return name_required(e, c); }
std::optional<std::string> normalize_validate_service_resolver(boost::json::object& e, const kind_context& c) { return name_required(e, c); }
std::optional<std::string> normalize_validate_ingress_gateway(boost::json::object& e, const kind_context& c) { return name_required(e, c); }
std::optional<std::string> normalize_validate_terminating_gateway(boost::json::object& e, const kind_context& c) { return name_required(e, c); }
std::optional<std::string> normalize_validate_mesh(boost::json::object& e, const kind_context& c) { return name_required(e, c); }
std::optional<std::string> normalize_validate_exported_services(boost::json::object& e, const kind_context& c) { return name_required(e, c); }

}  // namespace coconsul::dev::config_entries
