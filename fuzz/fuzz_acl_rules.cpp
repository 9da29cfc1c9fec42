// libFuzzer target: ACL rules (src/dev_agent/acl/rules.hpp) and the authorizer over what they
// accept. Any bytes parse or fail with a message; what parses has valid levels, prints back to
// HCL that parses to the same rules, and compiles into decisions that are monotonic in the
// default policy, idempotent under merging, and denied with Consul's text.
#include "dev_agent/acl/authorizer.hpp"
#include "dev_agent/acl/denied.hpp"
#include "dev_agent/acl/rules.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace acl = coconsul::dev::acl;

namespace {

[[noreturn]] void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "%s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

// An HCL string for any bytes: printable ASCII as is, the rest (and '$', which could open an
// interpolation) as \xNN, which HCL's unquoting turns back into the byte.
std::string hcl_string(std::string_view s) {
  static const char* hex = "0123456789abcdef";
  std::string out = "\"";
  for (const char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (b < 0x20 || b >= 0x7f || c == '$') {
      out += "\\x";
      out += hex[b >> 4];
      out += hex[b & 15];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

std::string print(const acl::policy_rules& p) {
  std::string out;
  auto scalar = [&](const char* name, const std::string& v) {
    if (!v.empty()) out += std::string(name) + " = " + hcl_string(v) + "\n";
  };
  auto blocks = [&](const char* kind, const std::vector<acl::rule>& rules) {
    for (const auto& r : rules) {
      out += std::string(kind) + " " + hcl_string(r.name) + " {\n  policy = " + hcl_string(r.policy) + "\n";
      if (!r.intentions.empty()) out += "  intentions = " + hcl_string(r.intentions) + "\n";
      out += "}\n";
    }
  };
  scalar("acl", p.acl);
  blocks("agent", p.agents);
  blocks("agent_prefix", p.agent_prefixes);
  blocks("key", p.keys);
  blocks("key_prefix", p.key_prefixes);
  blocks("node", p.nodes);
  blocks("node_prefix", p.node_prefixes);
  blocks("service", p.services);
  blocks("service_prefix", p.service_prefixes);
  blocks("session", p.sessions);
  blocks("session_prefix", p.session_prefixes);
  blocks("event", p.events);
  blocks("event_prefix", p.event_prefixes);
  blocks("query", p.queries);
  blocks("query_prefix", p.query_prefixes);
  scalar("keyring", p.keyring);
  scalar("operator", p.operator_);
  scalar("mesh", p.mesh);
  scalar("peering", p.peering);
  return out;
}

void check_levels(const acl::policy_rules& p) {
  auto valid = [](const std::string& level, bool allow_list) {
    const auto a = acl::access_from_string(level);
    return a != acl::access::unknown && (allow_list || a != acl::access::list);
  };
  for (const auto* s : {&p.acl, &p.keyring, &p.operator_, &p.mesh, &p.peering})
    if (!s->empty() && !valid(*s, false)) fail("an invalid scalar level was accepted", *s);
  for (const auto* rules : {&p.agents, &p.agent_prefixes, &p.nodes, &p.node_prefixes, &p.services, &p.service_prefixes, &p.sessions,
                            &p.session_prefixes, &p.events, &p.event_prefixes, &p.queries, &p.query_prefixes})
    for (const auto& r : *rules)
      if (!valid(r.policy, false)) fail("an invalid level was accepted", r.policy);
  for (const auto* rules : {&p.keys, &p.key_prefixes})
    for (const auto& r : *rules)
      if (!valid(r.policy, true)) fail("an invalid key level was accepted", r.policy);
}

// Every decision for one name, under one authorizer, as (allowed, text) pairs.
std::vector<acl::verdict> decide(const acl::authorizer& a, std::string_view n) {
  return {a.acl_read(),           a.acl_write(),           a.agent_read(n),          a.agent_write(n),          a.event_read(n),
          a.event_write(n),       a.intention_read(n),     a.intention_write(n),     a.intention_read("*"),     a.intention_write("*"),
          a.key_read(n),          a.key_list(n),           a.key_write(n),           a.key_write_prefix(n),     a.key_ring_read(),
          a.key_ring_write(),     a.mesh_read(),           a.mesh_write(),           a.peering_read(),          a.peering_write(),
          a.node_read(n),         a.node_read_all(),       a.node_write(n),          a.operator_read(),         a.operator_write(),
          a.prepared_query_read(n), a.prepared_query_write(n), a.service_read(n),    a.service_read_all(),      a.service_write(n),
          a.service_write_any(),  a.session_read(n),       a.session_write(n),       a.snapshot(),              a.intention_default_allow()};
}

void check_authorizer(const acl::policy_rules& p) {
  std::vector<std::string> names = {""};
  for (const auto* rules : {&p.agents, &p.agent_prefixes, &p.keys, &p.key_prefixes, &p.nodes, &p.node_prefixes, &p.services,
                            &p.service_prefixes, &p.sessions, &p.session_prefixes, &p.events, &p.event_prefixes, &p.queries, &p.query_prefixes})
    for (const auto& r : *rules) {
      names.push_back(r.name);
      names.push_back(r.name + "/x");
      if (!r.name.empty()) names.push_back(r.name.substr(0, r.name.size() - 1));
      if (names.size() > 64) break;
    }
  const std::vector<acl::policy_rules> once = {p};
  const std::vector<acl::policy_rules> twice = {p, p};
  const auto deny = acl::authorizer::compile(once, acl::default_policy::deny);
  const auto allow = acl::authorizer::compile(once, acl::default_policy::allow);
  const auto deny2 = acl::authorizer::compile(twice, acl::default_policy::deny);
  const auto manage = acl::authorizer::manage_all();
  for (const auto& n : names) {
    const auto d = decide(deny, n);
    const auto a = decide(allow, n);
    const auto d2 = decide(deny2, n);
    const auto m = decide(manage, n);
    for (std::size_t i = 0; i < d.size(); ++i) {
      if (d[i].allowed && !a[i].allowed) fail("default deny allows what default allow refuses", n);
      if (d[i].allowed != d2[i].allowed) fail("the policy twice decides otherwise than once", n);
      if (!m[i].allowed) fail("management refused something", n);
      if (!d[i].allowed) {
        const auto text = acl::denial_text("11111111-2222-3333-4444-555555555555", d[i]);
        if (text.rfind("Permission denied: ", 0) != 0) fail("a denial without Consul's prefix", text);
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto result = acl::parse_rules(text);
  if (const auto* e = std::get_if<acl::rules_error>(&result)) {
    if (e->message.empty()) fail("a refusal without a message", text);
    return 0;
  }
  const auto& p = std::get<acl::policy_rules>(result);
  check_levels(p);
  const std::string printed = print(p);
  const auto again = acl::parse_rules(printed);
  if (const auto* e = std::get_if<acl::rules_error>(&again)) fail("printed rules do not parse", e->consul_text() + "\n" + printed);
  if (!(std::get<acl::policy_rules>(again) == p)) fail("printed rules parse to other rules", printed);
  check_authorizer(p);
  return 0;
}
