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

void add_service(const boost::json::object& o, std::string_view self, std::set<std::string>& out) {
  const auto* v = o.if_contains("Service");
  if (v && v->is_string() && !v->get_string().empty() && v->get_string() != self) out.emplace(v->get_string());
}

// ListRelatedServices: the services a router, splitter or resolver sends traffic to.
std::set<std::string> related_services(const boost::json::object& e) {
  std::set<std::string> out;
  auto self = name_of(e);
  auto each_object = [](const boost::json::value* v, auto f) {
    if (v && v->is_array())
      for (const auto& x : v->get_array())
        if (x.is_object()) f(x.get_object());
  };
  each_object(e.if_contains("Routes"), [&](const boost::json::object& r) {
    if (const auto* d = r.if_contains("Destination"); d && d->is_object()) add_service(d->get_object(), self, out);
  });
  each_object(e.if_contains("Splits"), [&](const boost::json::object& s) { add_service(s, self, out); });
  if (const auto* r = e.if_contains("Redirect"); r && r->is_object()) add_service(r->get_object(), self, out);
  if (const auto* f = e.if_contains("Failover"); f && f->is_object())
    for (const auto& [k, v] : f->get_object())
      if (v.is_object()) {
        add_service(v.get_object(), self, out);
        each_object(v.get_object().if_contains("Targets"), [&](const boost::json::object& t) { add_service(t, self, out); });
      }
  return out;
}

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

std::optional<std::string> check_delete(const config_entry_state& entries, std::string_view kind, std::string_view name) {
  if (kind == "service-defaults" || kind == "proxy-defaults" || kind == "service-router" ||
      kind == "service-splitter" || kind == "service-resolver")
    return check_chains(entries, kind, name, nullptr);
  return std::nullopt;
}

const kind_info* find_kind(std::string_view name) {
  for (const auto& k : kinds)
    if (k.name == name) return &k;
  return nullptr;
}

}  // namespace coconsul::dev::config_entries
