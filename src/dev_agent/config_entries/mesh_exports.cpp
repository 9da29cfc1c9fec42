// mesh and exported-services, the two cluster-wide kinds: each has one fixed name in CE
// ("mesh"; exported-services "default"). Consul's MeshConfigEntry and
// ExportedServicesConfigEntry Normalize and Validate.

#include "dev_agent/config_entries/common_rules.hpp"
#include "dev_agent/config_entries/entry_fields.hpp"
#include "dev_agent/config_entries/hooks.hpp"

namespace coconsul::dev::config_entries {

namespace json = boost::json;

namespace {
std::optional<std::string> directional_error(const json::object* d) {
  if (!d) return std::nullopt;
  for (std::string_view k : {"TLSMinVersion", "TLSMaxVersion"}) {
    auto v = str(*d, k);
    bool ok = false;
    for (std::string_view good : {"", "TLS_AUTO", "TLSv1_0", "TLSv1_1", "TLSv1_2", "TLSv1_3"}) ok = ok || v == good;
    if (!ok) return std::string(k) + ": " + go_quote(v) + " is not a valid TLS version";
  }
  return std::nullopt;
}
}  // namespace

std::optional<std::string> normalize_validate_mesh(json::object& e, const kind_context&) {
  e["Kind"] = "mesh";
  if (auto m = meta_error(e)) return m;
  if (const auto* tls = obj(e, "TLS")) {
    if (auto err = directional_error(obj(*tls, "Incoming"))) return "error in incoming TLS configuration: " + *err;
    if (auto err = directional_error(obj(*tls, "Outgoing"))) return "error in outgoing TLS configuration: " + *err;
  }
  return std::nullopt;
}

std::optional<std::string> normalize_validate_exported_services(json::object& e, const kind_context&) {
  e["Kind"] = "exported-services";
  auto name = str(e, "Name");
  if (name.empty()) return "Name is required";
  if (name == "*") return "exported-services Name must be the name of a partition, and not a wildcard";
  if (name != "default") return "exported-services Name must be \"default\"";
  if (const auto* services = arr(e, "Services"))
    for (std::size_t i = 0; i < services->size(); ++i) {
      const auto& svc = (*services)[i].as_object();
      std::string at = "Services[" + std::to_string(i) + "]";
      if (str(svc, "Name").empty()) return at + ": service name cannot be empty";
      const auto* consumers = arr(svc, "Consumers");
      if (!consumers || consumers->empty()) return at + ": must have at least one consumer";
      for (std::size_t j = 0; j < consumers->size(); ++j) {
        const auto& c = (*consumers)[j].as_object();
        std::string cat = at + ".Consumers[" + std::to_string(j) + "]";
        if (!str(c, "PeerName").empty() && !str(c, "Partition").empty())
          return cat + ": must define at most one of PeerName or Partition";
        if (str(c, "Partition") == "*") return cat + ": exporting to all partitions (wildcard) is not supported";
        if (str(c, "PeerName") == "*") return cat + ": exporting to all peers (wildcard) is not supported";
      }
    }
  return meta_error(e);
}

}  // namespace coconsul::dev::config_entries
