// The table of kinds (kinds.hpp) and each kind's ACL rules, as Consul 1.14's CanRead/CanWrite.

#include "dev_agent/config_entries/kinds.hpp"

#include "dev_agent/config_entries/chain_checks.hpp"
#include "dev_agent/config_entries/hooks.hpp"

#include <array>
#include <set>
#include <string>

namespace coconsul::dev::config_entries {

namespace {

std::string_view name_of(const boost::json::object& e) {
  const auto* v = e.if_contains("Name");
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

acl::verdict allow(const acl::authorizer&, const boost::json::object&) { return acl::verdict{.allowed = true}; }
acl::verdict service_read(const acl::authorizer& a, const boost::json::object& e) { return a.service_read(name_of(e)); }
acl::verdict service_write(const acl::authorizer& a, const boost::json::object& e) { return a.service_write(name_of(e)); }
acl::verdict mesh_read(const acl::authorizer& a, const boost::json::object&) { return a.mesh_read(); }
acl::verdict mesh_write(const acl::authorizer& a, const boost::json::object&) { return a.mesh_write(); }
acl::verdict intention_read(const acl::authorizer& a, const boost::json::object& e) { return a.intention_read(name_of(e)); }
acl::verdict intention_write(const acl::authorizer& a, const boost::json::object& e) {
  return a.intention_write(name_of(e));
}

// A discovery chain entry (router, splitter, resolver): write on its own service, and read on
// every other service it sends traffic to (Consul's canWriteDiscoveryChain).
acl::verdict chain_write(const acl::authorizer& a, const boost::json::object& e);

constexpr std::array kinds{
    kind_info{"service-defaults", normalize_validate_service_defaults, service_read, service_write},
    kind_info{"proxy-defaults", normalize_validate_proxy_defaults, allow, mesh_write},
    kind_info{"service-router", normalize_validate_service_router, service_read, chain_write},
    kind_info{"service-splitter", normalize_validate_service_splitter, service_read, chain_write},
    kind_info{"service-resolver", normalize_validate_service_resolver, service_read, chain_write},
    kind_info{"ingress-gateway", normalize_validate_ingress_gateway, service_read, mesh_write},
    kind_info{"terminating-gateway", normalize_validate_terminating_gateway, service_read, mesh_write},
    kind_info{"service-intentions", normalize_validate_service_intentions, intention_read, intention_write},
    kind_info{"mesh", normalize_validate_mesh, allow, mesh_write},
    kind_info{"exported-services", normalize_validate_exported_services, mesh_read, mesh_write},
};

acl::verdict chain_write(const acl::authorizer& a, const boost::json::object& e) {
  auto own = a.service_write(name_of(e));
  if (!own) return own;
  // Read on a related service is enough to send one's own traffic there.
  for (const auto& s : related_services(e))
    if (auto v = a.service_read(s); !v) return v;
  return own;
}

}  // namespace

std::span<const kind_info> all_kinds() { return kinds; }

std::string entry_name(std::string_view kind, const boost::json::object& entry) {
  if (kind == "mesh") return "mesh";
  auto name = name_of(entry);
  if (kind == "proxy-defaults" && name.empty()) return "global";
  return std::string(name);
}

namespace {
// The kinds a discovery chain is compiled from.
bool chain_kind(std::string_view kind) {
  return kind == "service-defaults" || kind == "proxy-defaults" || kind == "service-router" ||
         kind == "service-splitter" || kind == "service-resolver";
}
}  // namespace

std::optional<std::string> check_delete(const config_entry_state& entries, std::string_view kind, std::string_view name) {
  if (chain_kind(kind)) return check_chains(entries, kind, name, nullptr);
  return std::nullopt;
}

std::optional<std::string> check_write(const config_entry_state& entries, std::string_view kind, std::string_view name,
                                       const boost::json::object& entry) {
  if (chain_kind(kind)) return check_chains(entries, kind, name, &entry);
  return std::nullopt;
}

const kind_info* find_kind(std::string_view name) {
  for (const auto& k : kinds)
    if (k.name == name) return &k;
  return nullptr;
}

}  // namespace coconsul::dev::config_entries
