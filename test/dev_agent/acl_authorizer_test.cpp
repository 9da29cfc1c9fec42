// Consul's ACL decisions without an agent: each resource at each level, exact rules over the
// longest prefix, merges across policies, the default policy and management at the chain's
// end, the recursive key write, the "all"/"any" checks, identities and the denial text.
#define BOOST_TEST_MODULE acl_authorizer
#include <boost/test/unit_test.hpp>

#include "dev_agent/acl/authorizer.hpp"
#include "dev_agent/acl/denied.hpp"
#include "dev_agent/acl/identities.hpp"
#include "dev_agent/acl/rules.hpp"

#include <initializer_list>
#include <string>
#include <variant>
#include <vector>

namespace acl = coconsul::dev::acl;
using acl::default_policy;

namespace {

acl::policy_rules rules(const std::string& text) {
  auto r = acl::parse_rules(text);
  if (auto* e = std::get_if<acl::rules_error>(&r)) BOOST_FAIL("rules refused: " + e->consul_text());
  return std::get<acl::policy_rules>(r);
}

acl::authorizer authz(std::initializer_list<std::string> texts, default_policy d = default_policy::deny) {
  std::vector<acl::policy_rules> ps;
  for (const auto& t : texts) ps.push_back(rules(t));
  return acl::authorizer::compile(ps, d);
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_default_policy_decides_when_no_rule_does) {
  const auto allow = acl::authorizer::static_policy(default_policy::allow);
  BOOST_TEST(bool(allow.key_read("k")));
  BOOST_TEST(bool(allow.key_write_prefix("")));
  BOOST_TEST(bool(allow.service_write("web")));
  BOOST_TEST(bool(allow.node_read_all()));
  BOOST_TEST(bool(allow.operator_write()));
  BOOST_TEST(bool(allow.mesh_write()));
  BOOST_TEST(bool(allow.peering_read()));
  BOOST_TEST(bool(allow.key_ring_write()));
  BOOST_TEST(bool(allow.intention_default_allow()));
  // allow still keeps ACL management (and snapshots) from everyone.
  BOOST_TEST(!allow.acl_read());
  BOOST_TEST(!allow.acl_write());
  BOOST_TEST(!allow.snapshot());

  const auto deny = acl::authorizer::static_policy(default_policy::deny);
  BOOST_TEST(!deny.key_read("k"));
  BOOST_TEST(!deny.event_read(""));
  BOOST_TEST(!deny.service_read_all());
  BOOST_TEST(!deny.service_write_any());
  BOOST_TEST(!deny.mesh_read());
  BOOST_TEST(!deny.acl_read());
  BOOST_TEST(!deny.intention_default_allow());

  const auto manage = acl::authorizer::manage_all();
  BOOST_TEST(bool(manage.acl_write()));
  BOOST_TEST(bool(manage.snapshot()));
  BOOST_TEST(bool(manage.key_write_prefix("")));
  BOOST_TEST(bool(manage.intention_write("*")));
}

BOOST_AUTO_TEST_CASE(each_named_resource_at_each_level) {
  struct kind {
    const char* block;
    acl::verdict (acl::authorizer::*read)(std::string_view) const;
    acl::verdict (acl::authorizer::*write)(std::string_view) const;
  };
  const kind kinds[] = {
      {"agent", &acl::authorizer::agent_read, &acl::authorizer::agent_write},
      {"event", &acl::authorizer::event_read, &acl::authorizer::event_write},
      {"key", &acl::authorizer::key_read, &acl::authorizer::key_write},
      {"node", &acl::authorizer::node_read, &acl::authorizer::node_write},
      {"query", &acl::authorizer::prepared_query_read, &acl::authorizer::prepared_query_write},
      {"service", &acl::authorizer::service_read, &acl::authorizer::service_write},
      {"session", &acl::authorizer::session_read, &acl::authorizer::session_write},
  };
  for (const auto& k : kinds) {
    BOOST_TEST_CONTEXT(k.block) {
      const std::string b = k.block;
      for (const auto d : {default_policy::allow, default_policy::deny}) {
        // Exact rules: the named one only; the rest falls to the default.
        const auto a = authz({b + " \"r\" { policy = \"read\" }\n" + b + " \"w\" { policy = \"write\" }\n" + b + " \"d\" { policy = \"deny\" }"}, d);
        const bool dflt = d == default_policy::allow;
        BOOST_TEST(bool((a.*k.read)("r")));
        BOOST_TEST(!(a.*k.write)("r"));
        BOOST_TEST(bool((a.*k.read)("w")));
        BOOST_TEST(bool((a.*k.write)("w")));
        BOOST_TEST(!(a.*k.read)("d"));
        BOOST_TEST(!(a.*k.write)("d"));
        BOOST_TEST(bool((a.*k.read)("rr")) == dflt);  // an exact rule is no prefix
        BOOST_TEST(bool((a.*k.write)("other")) == dflt);
        // Prefix rules: everything that starts with the name.
        const auto p = authz({b + "_prefix \"r\" { policy = \"read\" }\n" + b + "_prefix \"w\" { policy = \"write\" }\n" + b + "_prefix \"d\" { policy = \"deny\" }"}, d);
        BOOST_TEST(bool((p.*k.read)("r-1")));
        BOOST_TEST(!(p.*k.write)("r-1"));
        BOOST_TEST(bool((p.*k.write)("w")));
        BOOST_TEST(bool((p.*k.write)("wide")));
        BOOST_TEST(!(p.*k.read)("dx"));
        BOOST_TEST(bool((p.*k.read)("x")) == dflt);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(exact_beats_prefix_and_the_longest_prefix_wins) {
  const auto a = authz({R"(
    key_prefix "" { policy = "read" }
    key_prefix "foo/" { policy = "write" }
    key_prefix "foo/bar/" { policy = "deny" }
    key "foo/bar/open" { policy = "write" }
    key_prefix "foo/bar/open" { policy = "deny" }
  )"});
  BOOST_TEST(bool(a.key_read("anything")));  // "" matches all
  BOOST_TEST(!a.key_write("anything"));
  BOOST_TEST(bool(a.key_write("foo/x")));
  BOOST_TEST(!a.key_read("foo/bar/x"));       // the longer prefix
  BOOST_TEST(bool(a.key_write("foo/bar/open")));  // the exact rule, over a prefix of the same name
  BOOST_TEST(!a.key_read("foo/bar/open2"));   // the exact rule is no prefix
  // Consul's table (acl_test.go TestPolicyACL) with today's rule kinds, over default allow.
  const auto t = authz({R"(
    key_prefix "foo/" { policy = "write" }
    key_prefix "foo/priv/" { policy = "deny" }
    key_prefix "bar/" { policy = "deny" }
    key_prefix "zip/" { policy = "read" }
  )"},
                       default_policy::allow);
  struct c {
    const char* key;
    bool read, write, write_prefix;
  };
  for (const auto& k : {c{"other", true, true, true}, c{"foo/test", true, true, true}, c{"foo/priv/test", false, false, false}, c{"bar/any", false, false, false},
                        c{"zip/test", true, false, false}, c{"foo/", true, true, false}, c{"", true, true, false}}) {
    BOOST_TEST_CONTEXT(k.key) {
      BOOST_TEST(bool(t.key_read(k.key)) == k.read);
      BOOST_TEST(bool(t.key_write(k.key)) == k.write);
      BOOST_TEST(bool(t.key_write_prefix(k.key)) == k.write_prefix);
    }
  }
}

BOOST_AUTO_TEST_CASE(list_is_a_key_level_between_read_and_write) {
  const auto a = authz({R"(
    key_prefix "r/" { policy = "read" }
    key_prefix "l/" { policy = "list" }
    key_prefix "w/" { policy = "write" }
  )"});
  BOOST_TEST(!a.key_list("r/"));
  BOOST_TEST(bool(a.key_read("r/x")));
  BOOST_TEST(bool(a.key_list("l/")));
  BOOST_TEST(bool(a.key_read("l/x")));
  BOOST_TEST(!a.key_write("l/x"));
  BOOST_TEST(bool(a.key_list("w/")));
  const auto v = a.key_list("r/");
  BOOST_TEST(acl::access_name(v.level) == "list");
  BOOST_TEST(v.segment == "r/");
}

BOOST_AUTO_TEST_CASE(a_recursive_key_write_needs_write_on_everything_under_the_prefix) {
  const auto a = authz({R"(
    key_prefix "app/" { policy = "write" }
    key "app/locked" { policy = "read" }
    key_prefix "app/sub/" { policy = "write" }
    key_prefix "ro/" { policy = "read" }
    key "loose/one" { policy = "write" }
  )"});
  BOOST_TEST(!a.key_write_prefix("app/"));   // app/locked is only read
  BOOST_TEST(bool(a.key_write_prefix("app/sub/")));
  BOOST_TEST(bool(a.key_write_prefix("app/sub/deeper")));
  BOOST_TEST(!a.key_write_prefix("ro/"));
  // No prefix rule on the path: no decision from the rules, so the default decides, unless a
  // rule under the prefix denies.
  BOOST_TEST(!a.key_write_prefix("loose/"));  // default deny
  const auto b = authz({R"(key "loose/one" { policy = "write" })"}, default_policy::allow);
  BOOST_TEST(bool(b.key_write_prefix("loose/")));
  const auto c = authz({R"(key "loose/one" { policy = "read" })"}, default_policy::allow);
  BOOST_TEST(!c.key_write_prefix("loose/"));
  BOOST_TEST(!c.key_write_prefix(""));
  const auto v = c.key_write_prefix("loose/");
  BOOST_TEST(acl::denial_text("a", v) == R"(Permission denied: token with AccessorID 'a' lacks permission 'key:write' on "loose/")");
}

BOOST_AUTO_TEST_CASE(policies_merge_deny_over_write_over_list_over_read) {
  // The same target in two policies, either order.
  for (const bool swap : {false, true}) {
    BOOST_TEST_CONTEXT("swap " << swap) {
      std::string p1 = R"(service "web" { policy = "write" }
                          key "k" { policy = "read" }
                          key_prefix "l/" { policy = "list" }
                          operator = "read"
                          node_prefix "" { policy = "write" })";
      std::string p2 = R"(service "web" { policy = "deny" }
                          key "k" { policy = "list" }
                          key_prefix "l/" { policy = "write" }
                          operator = "write"
                          node_prefix "" { policy = "read" })";
      if (swap) std::swap(p1, p2);
      const auto a = authz({p1, p2}, default_policy::allow);
      BOOST_TEST(!a.service_read("web"));
      BOOST_TEST(bool(a.key_list("k")));
      BOOST_TEST(!a.key_write("k"));
      BOOST_TEST(bool(a.key_write("l/x")));
      BOOST_TEST(bool(a.operator_write()));
      BOOST_TEST(bool(a.node_write("n1")));
    }
  }
  // Exact and prefix rules of one name merge apart: a deny prefix does not hide an exact write.
  const auto b = authz({R"(service "api" { policy = "write" })", R"(service_prefix "api" { policy = "deny" })"});
  BOOST_TEST(bool(b.service_write("api")));
  BOOST_TEST(!b.service_read("api-2"));
  // merge_policies keeps one rule per name.
  const std::vector<acl::policy_rules> ps = {rules(R"(key "k" { policy = "read" })"), rules(R"(key "k" { policy = "deny" })")};
  const auto m = acl::merge_policies(ps);
  BOOST_TEST(m.keys.size() == 1u);
  BOOST_TEST(m.keys[0].policy == "deny");
  // Repeats inside one policy merge the same way.
  BOOST_TEST(!authz({R"(key "k" { policy = "write" }
                        key "k" { policy = "deny" })"},
                    default_policy::allow)
                  .key_read("k"));
}

BOOST_AUTO_TEST_CASE(levels_are_read_case_insensitively_but_merged_and_derived_as_written) {
  // Consul lowercases a level to enforce it ...
  const auto a = authz({R"(service "web" { policy = "WRITE" })"});
  BOOST_TEST(bool(a.service_write("web")));
  // ... but derives intentions from the level as written ("WRITE" is not "write": deny) ...
  BOOST_TEST(!a.intention_read("web"));
  // ... and merges as written: "Write" is no "write", so a "read" of the same key wins over it
  // in either order.
  const auto b = authz({R"(key "k" { policy = "read" })", R"(key "k" { policy = "Write" })"});
  BOOST_TEST(!b.key_write("k"));
  BOOST_TEST(bool(b.key_read("k")));
  const auto c = authz({R"(key "k" { policy = "Write" })", R"(key "k" { policy = "read" })"});
  BOOST_TEST(!c.key_write("k"));
  BOOST_TEST(bool(authz({R"(key "k" { policy = "Write" })"}).key_write("k")));
}

BOOST_AUTO_TEST_CASE(intentions_come_from_service_rules) {
  const auto a = authz({R"(
    service "web" { policy = "write" }
    service "db" { policy = "read" intentions = "write" }
    service "cache" { policy = "deny" }
    service_prefix "api-" { policy = "read" }
  )"});
  BOOST_TEST(bool(a.intention_read("web")));  // read or write service: intentions read
  BOOST_TEST(!a.intention_write("web"));
  BOOST_TEST(bool(a.intention_write("db")));
  BOOST_TEST(!a.intention_read("cache"));
  BOOST_TEST(bool(a.intention_read("api-1")));
  BOOST_TEST(!a.intention_read("other"));
  // "*": read if any rule grants it, write only if every rule does (and "" grants it).
  BOOST_TEST(bool(a.intention_read("*")));
  BOOST_TEST(!a.intention_write("*"));
  const auto all = authz({R"(service_prefix "" { policy = "write" intentions = "write" })"});
  BOOST_TEST(bool(all.intention_write("*")));
  const auto none = authz({R"(service_prefix "" { policy = "deny" })"});
  BOOST_TEST(!none.intention_read("*"));
  const auto v = a.intention_write("web");
  BOOST_TEST(acl::denial_text("x", v) == R"(Permission denied: token with AccessorID 'x' lacks permission 'intention:write' on "web")");
}

BOOST_AUTO_TEST_CASE(read_all_needs_every_rule_and_write_any_needs_one) {
  const auto a = authz({R"(service_prefix "" { policy = "read" }
                          node_prefix "" { policy = "read" })"});
  BOOST_TEST(bool(a.service_read_all()));
  BOOST_TEST(bool(a.node_read_all()));
  BOOST_TEST(!a.service_write_any());
  const auto b = authz({R"(service_prefix "" { policy = "read" }
                          service "secret" { policy = "deny" }
                          service "mine" { policy = "write" })"});
  BOOST_TEST(!b.service_read_all());  // one service is hidden
  BOOST_TEST(bool(b.service_write_any()));
  BOOST_TEST(acl::denial_text("t", b.service_read_all()) == R"(Permission denied: token with AccessorID 't' lacks permission 'service:read' on "all services")");
  BOOST_TEST(acl::denial_text("t", authz({""}).node_read_all()) == R"(Permission denied: token with AccessorID 't' lacks permission 'node:read' on "all nodes")");
  BOOST_TEST(acl::denial_text("t", authz({""}).service_write_any()) == R"(Permission denied: token with AccessorID 't' lacks permission 'service:write' on "any service")");
  // Without a "" rule the rules decide nothing, so the default does.
  const auto c = authz({R"(service "web" { policy = "read" })"}, default_policy::allow);
  BOOST_TEST(bool(c.service_read_all()));
  const auto d = authz({R"(service "web" { policy = "read" })"});
  BOOST_TEST(!d.service_read_all());
}

BOOST_AUTO_TEST_CASE(scalar_resources_and_the_mesh_fallback_to_operator) {
  const auto a = authz({R"(acl = "read"
                          keyring = "write"
                          operator = "read")"});
  BOOST_TEST(bool(a.acl_read()));
  BOOST_TEST(!a.acl_write());
  BOOST_TEST(!a.snapshot());  // snapshots need acl write
  BOOST_TEST(bool(a.key_ring_write()));
  BOOST_TEST(bool(a.operator_read()));
  BOOST_TEST(!a.operator_write());
  // No mesh or peering rule: the operator rule decides.
  BOOST_TEST(bool(a.mesh_read()));
  BOOST_TEST(!a.mesh_write());
  BOOST_TEST(bool(a.peering_read()));
  BOOST_TEST(!a.peering_write());
  // A mesh (peering) rule of its own decides alone.
  const auto b = authz({R"(operator = "write"
                          mesh = "deny"
                          peering = "read")"},
                       default_policy::allow);
  BOOST_TEST(!b.mesh_read());
  BOOST_TEST(bool(b.peering_read()));
  BOOST_TEST(!b.peering_write());
  BOOST_TEST(acl::denial_text("t", b.mesh_read()) == "Permission denied: token with AccessorID 't' lacks permission 'mesh:read'");
  BOOST_TEST(acl::denial_text("t", b.peering_write()) == "Permission denied: token with AccessorID 't' lacks permission 'peering:write'");
  BOOST_TEST(acl::denial_text("t", a.snapshot()) == "Permission denied: token with AccessorID 't' lacks permission 'acl:write'");
  const auto w = authz({R"(acl = "write")"});
  BOOST_TEST(bool(w.snapshot()));
  BOOST_TEST(bool(w.acl_read()));
}

BOOST_AUTO_TEST_CASE(global_management_grants_everything) {
  const auto m = authz({std::string(acl::global_management_rules())});
  BOOST_TEST(bool(m.acl_write()));
  BOOST_TEST(bool(m.snapshot()));
  BOOST_TEST(bool(m.key_write_prefix("")));
  BOOST_TEST(bool(m.service_read_all()));
  BOOST_TEST(bool(m.node_read_all()));
  BOOST_TEST(bool(m.intention_write("*")));
  BOOST_TEST(bool(m.mesh_write()));
  BOOST_TEST(bool(m.peering_write()));
  BOOST_TEST(bool(m.key_ring_write()));
  BOOST_TEST(bool(m.session_write("n")));
  BOOST_TEST(bool(m.event_write("e")));
  BOOST_TEST(bool(m.agent_write("n")));
  BOOST_TEST(bool(m.prepared_query_write("q")));
  // The default policy still decides what no rule covers.
  BOOST_TEST(!m.intention_default_allow());
  BOOST_TEST(acl::denial_text("t", m.intention_default_allow()) == "Permission denied: Denied by intention default");
}

BOOST_AUTO_TEST_CASE(a_service_identity_writes_itself_and_reads_the_catalog) {
  const auto p = acl::synthesize(acl::service_identity{"web", {"dc2"}});
  BOOST_TEST(p.rules_text == "\nservice \"web\" {\n\tpolicy = \"write\"\n}\nservice \"web-sidecar-proxy\" {\n\tpolicy = \"write\"\n}\n"
                             "service_prefix \"\" {\n\tpolicy = \"read\"\n}\nnode_prefix \"\" {\n\tpolicy = \"read\"\n}");
  BOOST_TEST(p.description == R"(synthetic policy for service identity "web")");
  // Consul's ID: the rules' bytes in hex (starting with the newline, 0a), then FNV-128a's basis.
  BOOST_TEST(p.id.substr(0, 16) == "0a73657276696365");
  BOOST_TEST(p.id.size() == 2 * p.rules_text.size() + 32);
  BOOST_TEST(p.id.substr(p.id.size() - 32) == "6c62272e07bb014262b821756295c58d");
  BOOST_TEST(p.name == "synthetic-policy-" + p.id);
  BOOST_TEST(acl::applies_in(p.datacenters, "dc2"));
  BOOST_TEST(!acl::applies_in(p.datacenters, "dc1"));
  BOOST_TEST(acl::applies_in({}, "dc1"));

  const std::vector<acl::policy_rules> ps = {p.rules};
  const auto a = acl::authorizer::compile(ps, default_policy::deny);
  BOOST_TEST(bool(a.service_write("web")));
  BOOST_TEST(bool(a.service_write("web-sidecar-proxy")));
  BOOST_TEST(!a.service_write("web2"));
  BOOST_TEST(bool(a.service_read("db")));
  BOOST_TEST(bool(a.node_read("any-node")));
  BOOST_TEST(!a.node_write("any-node"));
  BOOST_TEST(bool(a.intention_read("web")));
  BOOST_TEST(!a.key_read("k"));
}

BOOST_AUTO_TEST_CASE(a_node_identity_writes_its_node_in_its_datacenter) {
  const auto p = acl::synthesize(acl::node_identity{"node-1", "dc1"});
  BOOST_TEST(p.rules_text == "\nnode \"node-1\" {\n\tpolicy = \"write\"\n}\nservice_prefix \"\" {\n\tpolicy = \"read\"\n}");
  BOOST_TEST(p.description == R"(synthetic policy for node identity "node-1")");
  BOOST_TEST((p.datacenters == std::vector<std::string>{"dc1"}));
  BOOST_TEST(acl::applies_in(p.datacenters, "dc1"));
  BOOST_TEST(!acl::applies_in(p.datacenters, "dc2"));
  const std::vector<acl::policy_rules> ps = {p.rules};
  const auto a = acl::authorizer::compile(ps, default_policy::deny);
  BOOST_TEST(bool(a.node_write("node-1")));
  BOOST_TEST(!a.node_write("node-2"));
  BOOST_TEST(!a.node_read("node-2"));
  BOOST_TEST(bool(a.service_read("web")));
  BOOST_TEST(!a.service_write("web"));
}

BOOST_AUTO_TEST_CASE(the_denial_text_is_consuls) {
  const auto a = authz({""});
  BOOST_TEST(acl::denial_text("5e1c2a3b-0000-4000-8000-000000000001", a.service_read("web")) ==
             R"(Permission denied: token with AccessorID '5e1c2a3b-0000-4000-8000-000000000001' lacks permission 'service:read' on "web")");
  BOOST_TEST(acl::denial_text("00000000-0000-0000-0000-000000000002", a.key_write("a/b")) ==
             R"(Permission denied: token with AccessorID '00000000-0000-0000-0000-000000000002' lacks permission 'key:write' on "a/b")");
  // Unnamed permissions, and a named one asked for "" (no " on").
  BOOST_TEST(acl::denial_text("t", a.operator_read()) == "Permission denied: token with AccessorID 't' lacks permission 'operator:read'");
  BOOST_TEST(acl::denial_text("t", a.key_ring_write()) == "Permission denied: token with AccessorID 't' lacks permission 'keyring:write'");
  BOOST_TEST(acl::denial_text("t", a.acl_read()) == "Permission denied: token with AccessorID 't' lacks permission 'acl:read'");
  BOOST_TEST(acl::denial_text("t", a.key_read("")) == "Permission denied: token with AccessorID 't' lacks permission 'key:read'");
  // Each resource's name in the text.
  BOOST_TEST(acl::denial_text("t", a.agent_write("n")).find("'agent:write' on \"n\"") != std::string::npos);
  BOOST_TEST(acl::denial_text("t", a.event_read("e")).find("'event:read' on \"e\"") != std::string::npos);
  BOOST_TEST(acl::denial_text("t", a.node_write("n")).find("'node:write' on \"n\"") != std::string::npos);
  BOOST_TEST(acl::denial_text("t", a.prepared_query_read("q")).find("'query:read' on \"q\"") != std::string::npos);
  BOOST_TEST(acl::denial_text("t", a.session_write("n")).find("'session:write' on \"n\"") != std::string::npos);
  // No accessor: Consul says "provided token"; the segment is quoted as is.
  BOOST_TEST(acl::denial_text("", a.service_write("we\"b")) == R"(Permission denied: provided token lacks permission 'service:write' on "we"b")");
  BOOST_TEST(acl::denied_because("ACL bootstrap no longer allowed (reset index: 7)") == "Permission denied: ACL bootstrap no longer allowed (reset index: 7)");
}

BOOST_AUTO_TEST_CASE(a_tokens_rules_are_those_that_apply_in_the_datacenter) {
  const std::vector<acl::scoped_rules> policies = {
      {rules(R"(key_prefix "" { policy = "read" })"), {}},
      {rules(R"(key_prefix "dc2/" { policy = "write" })"), {"dc2"}},
  };
  const std::vector<acl::service_identity> services = {{"web", {}}, {"db", {"dc2"}}};
  const std::vector<acl::node_identity> nodes = {{"node-1", "dc1"}, {"node-2", "dc2"}};
  const auto in_dc1 = acl::authorizer::compile(acl::rules_in("dc1", policies, services, nodes), default_policy::deny);
  BOOST_TEST(bool(in_dc1.key_read("dc2/x")));
  BOOST_TEST(!in_dc1.key_write("dc2/x"));
  BOOST_TEST(bool(in_dc1.service_write("web")));
  BOOST_TEST(!in_dc1.service_write("db"));
  BOOST_TEST(bool(in_dc1.node_write("node-1")));
  BOOST_TEST(!in_dc1.node_write("node-2"));
  const auto in_dc2 = acl::authorizer::compile(acl::rules_in("dc2", policies, services, nodes), default_policy::deny);
  BOOST_TEST(bool(in_dc2.key_write("dc2/x")));
  BOOST_TEST(bool(in_dc2.service_write("db")));
  BOOST_TEST(bool(in_dc2.service_write("web")));
  BOOST_TEST(!in_dc2.node_write("node-1"));
  BOOST_TEST(bool(in_dc2.node_write("node-2")));
  BOOST_TEST(acl::rules_in("dc3", {}, {}, {}).empty());
}
