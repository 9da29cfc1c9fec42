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

// The services a chain entry sends traffic to (Consul's ListRelatedServices).
void related(const json::object& e, std::string_view kind, std::set<std::string>& out) {
  auto add = [&](const json::object& o) {
    if (auto s = str(o, "Service"); !s.empty()) out.insert(std::string(s));
  };
  if (kind == "service-router") {
    if (const auto* routes = arr(e, "Routes"))
      for (const auto& r : *routes)
        if (r.is_object())
          if (const auto* d = obj(r.get_object(), "Destination")) add(*d);
  } else if (kind == "service-splitter") {
    if (const auto* splits = arr(e, "Splits"))
      for (const auto& s : *splits)
        if (s.is_object()) add(s.get_object());
  } else if (kind == "service-resolver") {
    if (const auto* r = obj(e, "Redirect")) add(*r);
    if (const auto* f = obj(e, "Failover"))
      for (const auto& [k, v] : *f)
        if (v.is_object()) {
          add(v.get_object());
          if (const auto* targets = arr(v.get_object(), "Targets"))
            for (const auto& t : *targets)
              if (t.is_object()) add(t.get_object());
        }
  }
}

constexpr std::string_view chain_kinds[] = {"service-router", "service-splitter", "service-resolver"};

}  // namespace

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
        std::set<std::string> to;
        related(r->body, k, to);
        if (to.contains(std::string(name))) chains.insert(r->name);
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
