// The discovery chain checks on write (see chain_checks.hpp): Consul's
// validateProposedConfigEntryInServiceGraph for the chain kinds, one compilation per chain,
// then the L7 intentions against their destinations' protocols (ingress gateways' listener
// protocols are not re-checked here).

#include "dev_agent/config_entries/chain_checks.hpp"

#include "dev_agent/config_entries/chain_compile.hpp"
#include "dev_agent/config_entries/entry_fields.hpp"
#include "dev_agent/config_entries/service_defaults.hpp"
#include "dev_agent/config_entries/service_intentions.hpp"

#include <map>
#include <set>
#include <variant>
#include <vector>

namespace coconsul::dev::config_entries {

namespace json = boost::json;

namespace {

constexpr std::string_view chain_kinds[] = {"service-router", "service-splitter", "service-resolver"};

// What Consul compiles a speculative chain in: a fixed datacenter and a throwaway trust domain
// (testCompileDiscoveryChain), since neither changes whether a chain compiles.
chain_request speculative(std::string_view service) {
  return chain_request{.service = std::string(service),
                       .datacenter = "dc1",
                       .trust_domain = "b6fc9da3-03d4-4b5a-9134-c045e9b20152.consul"};
}

void add_service(const boost::json::object& o, std::string_view self, std::set<std::string>& out) {
  const auto* v = o.if_contains("Service");
  if (v && v->is_string() && !v->get_string().empty() && v->get_string() != self) out.emplace(v->get_string());
}

}  // namespace

std::set<std::string> related_services(const boost::json::object& e) {
  std::set<std::string> out;
  auto self = str(e, "Name");
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
  // A failover's targets when it has them (a peer's services are unknown here), else its Service.
  if (const auto* f = e.if_contains("Failover"); f && f->is_object())
    for (const auto& [k, v] : f->get_object()) {
      if (!v.is_object()) continue;
      const auto* targets = v.get_object().if_contains("Targets");
      if (!targets || !targets->is_array() || targets->get_array().empty()) {
        add_service(v.get_object(), self, out);
        continue;
      }
      each_object(targets, [&](const boost::json::object& t) {
        const auto* peer = t.if_contains("Peer");
        if (!peer || !peer->is_string() || peer->get_string().empty()) add_service(t, self, out);
      });
    }
  return out;
}

std::string chain_protocol(const config_entry_state& entries, std::string_view service, std::string_view kind,
                           std::string_view name, const json::object* proposed) {
  chain_entries source{entries, kind, name, proposed};
  chain_result r = compile_chain(source, speculative(service));
  if (const auto* chain = std::get_if<compiled_chain>(&r)) return chain->protocol;
  std::string protocol;
  if (const auto* sd = source.find("service-defaults", service)) {
    protocol = ascii_lower(str(*sd, "Protocol"));
  } else if (const auto* pd = source.find("proxy-defaults", "global")) {
    protocol = read_proxy_defaults(*pd).protocol;
  }
  return protocol.empty() ? "tcp" : protocol;
}

std::optional<std::string> check_chains(const config_entry_state& entries, std::string_view kind,
                                        std::string_view name, const json::object* proposed) {
  // The chains to compile: every chain with an entry of its own for proxy-defaults; else this
  // one and the chains whose entries link to it.
  std::set<std::string> chains;
  if (kind == "proxy-defaults") {
    for (auto k : chain_kinds)
      for (const auto* r : entries.list(k)) chains.insert(r->name);
  } else {
    chains.insert(std::string(name));
    for (auto k : chain_kinds)
      for (const auto* r : entries.list(k))
        if (related_services(r->body).contains(std::string(name))) chains.insert(r->name);
  }
  // Every intentions entry with L7 permissions is checked again against the protocol its
  // destination's chain would have, so its chain is compiled too.
  std::vector<intentions_entry> l7;
  for (const auto* r : entries.list("service-intentions")) {
    intentions_entry e;
    if (parse_intentions_entry(r->body, e) || e.name == "*" || !has_any_permissions(e)) continue;
    chains.insert(e.name);
    l7.push_back(std::move(e));
  }
  chain_entries source{entries, kind, name, proposed};
  std::map<std::string, std::string> protocols;
  for (const auto& chain : chains) {
    chain_result r = compile_chain(source, speculative(chain));
    if (const auto* err = std::get_if<std::string>(&r)) return *err;
    protocols[chain] = std::get<compiled_chain>(r).protocol;
  }
  for (const auto& e : l7)
    if (auto err = check_l7_protocol(e, protocols[e.name])) return err;
  return std::nullopt;
}

}  // namespace coconsul::dev::config_entries
