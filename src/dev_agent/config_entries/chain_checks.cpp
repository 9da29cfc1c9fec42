// The discovery chain checks on write (see chain_checks.hpp).

#include "dev_agent/config_entries/chain_checks.hpp"

#include "dev_agent/config_entries/common_rules.hpp"
#include "dev_agent/config_entries/entry_fields.hpp"
#include "dev_agent/config_entries/errors.hpp"

#include <set>

namespace coconsul::dev::config_entries {

namespace json = boost::json;

namespace {

// The entry (kind, service) as it would be after the change.
const json::object* lookup(const config_entry_state& entries, std::string_view kind, std::string_view service,
                           std::string_view changed_kind, std::string_view changed_name, const json::object* proposed) {
  if (kind == changed_kind && service == changed_name) return proposed;
  const auto* r = entries.find(kind, service);
  return r ? &r->body : nullptr;
}

constexpr std::string_view chain_kinds[] = {"service-router", "service-splitter", "service-resolver"};

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
  std::string protocol;
  if (const auto* p = lookup(entries, "proxy-defaults", "global", kind, name, proposed))
    if (const auto* cfg = obj(*p, "Config"))
      if (const auto* v = cfg->if_contains("protocol"); v && v->is_string()) protocol = ascii_lower(v->get_string());
  if (const auto* s = lookup(entries, "service-defaults", service, kind, name, proposed))
    if (auto p = str(*s, "Protocol"); !p.empty()) protocol = std::string(p);
  return protocol.empty() ? "tcp" : protocol;
}

std::optional<std::string> check_chains(const config_entry_state& entries, std::string_view kind,
                                        std::string_view name, const json::object* proposed) {
  // The chains to compile: every chain for proxy-defaults; else this one and the chains whose
  // entries link to it.
  std::set<std::string> chains;
  if (kind == "proxy-defaults") {
    for (auto k : chain_kinds)
      for (const auto* r : entries.list(k)) chains.insert(r->name);
  } else {
    chains.insert(std::string(name));
    for (auto k : chain_kinds)
      for (const auto* r : entries.list(k)) {
        if (related_services(r->body).contains(std::string(name))) chains.insert(r->name);
      }
  }
  for (const auto& chain : chains) {
    bool advanced = lookup(entries, "service-router", chain, kind, name, proposed) ||
                    lookup(entries, "service-splitter", chain, kind, name, proposed);
    if (!advanced) continue;
    auto protocol = chain_protocol(entries, chain, kind, name, proposed);
    if (!http_like(protocol))
      return "discovery chain " + go_quote(chain) + " uses a protocol " + go_quote(protocol) +
             " that does not permit advanced routing or splitting behavior";
  }
  return std::nullopt;
}

}  // namespace coconsul::dev::config_entries
