// The table of kinds (kinds.hpp) and each kind's ACL rules, as Consul 1.14's CanRead/CanWrite.

#include "dev_agent/config_entries/kinds.hpp"

#include "dev_agent/config_entries/hooks.hpp"

#include <array>

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
  // TODO(entries): the related services (ListRelatedServices) once the chain kinds are in.
  return own;
}

}  // namespace

std::span<const kind_info> all_kinds() { return kinds; }

const kind_info* find_kind(std::string_view name) {
  for (const auto& k : kinds)
    if (k.name == name) return &k;
  return nullptr;
}

}  // namespace coconsul::dev::config_entries
