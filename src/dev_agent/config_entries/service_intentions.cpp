// The service-intentions kind's normalize+validate hook (kinds.hpp). A placeholder that checks
// only what every kind needs, a Name; the intentions' own rules replace it.

#include "dev_agent/config_entries/kinds.hpp"

namespace coconsul::dev::config_entries {

std::optional<std::string> normalize_validate_service_intentions(boost::json::object& entry, const kind_context&) {
  const auto* name = entry.if_contains("Name");
  if (!name || !name->is_string() || name->get_string().empty()) return "Name is required";
  return std::nullopt;
}

}  // namespace coconsul::dev::config_entries
