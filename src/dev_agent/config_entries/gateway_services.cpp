// The gateway-services mapping (see gateway_services.hpp).

#include "dev_agent/config_entries/gateway_services.hpp"

#include "dev_agent/config_entries/entry_fields.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace coconsul::dev::config_entries {

namespace json = boost::json;

namespace {

std::vector<std::string> strings_of(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const auto* a = arr(o, key))
    for (const auto& v : *a)
      if (v.is_string()) out.emplace_back(v.get_string());
  return out;
}

// Typical services (no Kind) by name: what a wildcard expands to (updateGatewayNamespace), with
// the index of the first instance registered.
std::map<std::string, std::uint64_t> typical_services(const state_store& state) {
  std::map<std::string, std::uint64_t> out;
  for (const auto* s : state.all_services()) {
    // Consul associates no proxies, gateways or its own "consul" service with a wildcard.
    if (!s->kind.empty() || s->name == "consul") continue;
    auto [it, fresh] = out.emplace(s->name, s->create_index);
    if (!fresh) it->second = std::min(it->second, s->create_index);
  }
  return out;
}

// A "*" service of a gateway stands for every typical service in the catalog, except one the
// gateway already names where `same` says so; each such row comes from the wildcard.
template <class Same>
void expand_wildcards(const std::vector<gateway_service>& wildcards, const state_store& state,
                      std::vector<gateway_service>& out, Same same) {
  if (wildcards.empty()) return;
  auto typical = typical_services(state);
  for (const auto& w : wildcards)
    for (const auto& [name, index] : typical) {
      gateway_service g = w;
      g.service = name;
      if (std::any_of(out.begin(), out.end(), [&](const gateway_service& named) { return same(named, g); })) continue;
      g.from_wildcard = true;
      g.create_index = g.modify_index = std::max(w.modify_index, index);
      out.push_back(std::move(g));
    }
}

void from_ingress(const config_entry_record& r, const state_store& state, std::vector<gateway_service>& out) {
  std::vector<gateway_service> wildcards;
  if (const auto* listeners = arr(r.body, "Listeners"))
    for (const auto& l : *listeners) {
      const auto& lo = l.as_object();
      if (const auto* services = arr(lo, "Services"))
        for (const auto& s : *services) {
          const auto& so = s.as_object();
          gateway_service g;
          g.gateway = r.name;
          g.service = str(so, "Name");
          g.gateway_kind = "ingress-gateway";
          g.port = static_cast<int>(integer(lo, "Port"));
          g.protocol = str(lo, "Protocol");
          g.hosts = strings_of(so, "Hosts");
          g.create_index = r.modify_index;
          g.modify_index = r.modify_index;
          (g.service == "*" ? wildcards : out).push_back(std::move(g));
        }
    }
  // An ingress listener may name a service and also take it through "*" on the same port only once.
  expand_wildcards(wildcards, state, out, [](const gateway_service& a, const gateway_service& b) {
    return a.gateway == b.gateway && a.service == b.service && a.port == b.port;
  });
}

void from_terminating(const config_entry_record& r, const state_store& state, std::vector<gateway_service>& out) {
  std::vector<gateway_service> wildcards;
  if (const auto* services = arr(r.body, "Services"))
    for (const auto& s : *services) {
      const auto& so = s.as_object();
      gateway_service g;
      g.gateway = r.name;
      g.service = str(so, "Name");
      g.gateway_kind = "terminating-gateway";
      g.ca_file = str(so, "CAFile");
      g.cert_file = str(so, "CertFile");
      g.key_file = str(so, "KeyFile");
      g.sni = str(so, "SNI");
      g.create_index = r.modify_index;
      g.modify_index = r.modify_index;
      (g.service == "*" ? wildcards : out).push_back(std::move(g));
    }
  expand_wildcards(wildcards, state, out, [](const gateway_service& a, const gateway_service& b) {
    return a.gateway == b.gateway && a.service == b.service;
  });
}

}  // namespace

std::vector<gateway_service> services_of_gateway(const config_entry_state& entries, const state_store& state,
                                                 std::string_view gateway) {
  std::vector<gateway_service> out;
  if (const auto* r = entries.find("ingress-gateway", gateway)) from_ingress(*r, state, out);
  if (const auto* r = entries.find("terminating-gateway", gateway)) from_terminating(*r, state, out);
  std::sort(out.begin(), out.end(), [](const gateway_service& a, const gateway_service& b) {
    return std::tie(a.service, a.port) < std::tie(b.service, b.port);
  });
  return out;
}

std::vector<std::string> gateways_of_service(const config_entry_state& entries, const state_store& state,
                                             std::string_view service, std::string_view kind) {
  std::set<std::string> names;
  for (const auto* r : entries.list(kind))
    for (const auto& g : services_of_gateway(entries, state, r->name))
      if (g.service == service && g.gateway_kind == kind) names.insert(g.gateway);
  return {names.begin(), names.end()};
}

}  // namespace coconsul::dev::config_entries
