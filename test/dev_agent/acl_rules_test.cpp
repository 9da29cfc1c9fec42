// Consul's rule language without an agent: HCL and JSON read into the same rules (the cases of
// Consul's acl/policy_test.go), every "Invalid <kind> policy" text, HCL's syntax and decoding
// errors with their positions, and hostile input refused without a crash.
#define BOOST_TEST_MODULE acl_rules
#include <boost/test/unit_test.hpp>

#include "dev_agent/acl/identities.hpp"
#include "dev_agent/acl/rules.hpp"

#include <string>
#include <variant>

namespace acl = coconsul::dev::acl;

namespace {

acl::policy_rules ok(const std::string& text) {
  auto r = acl::parse_rules(text);
  if (auto* e = std::get_if<acl::rules_error>(&r)) BOOST_FAIL("rules refused: " + e->consul_text() + "\n" + text);
  return std::get<acl::policy_rules>(r);
}

std::string error(const std::string& text) {
  auto r = acl::parse_rules(text);
  if (std::holds_alternative<acl::policy_rules>(r)) {
    BOOST_ERROR("rules accepted: " + text);
    return {};
  }
  return std::get<acl::rules_error>(r).consul_text();
}

acl::rule r(std::string name, std::string policy, std::string intentions = "") { return acl::rule{std::move(name), std::move(policy), std::move(intentions)}; }

// Every kind once, as Consul's "Basic" case writes it.
const char* basic_hcl = R"(
  agent_prefix "bar" {
    policy = "write"
  }
  agent "foo" {
    policy = "read"
  }
  event_prefix "" {
    policy = "read"
  }
  event "foo" {
    policy = "write"
  }
  event "bar" {
    policy = "deny"
  }
  key_prefix "" {
    policy = "read"
  }
  key_prefix "foo/" {
    policy = "write"
  }
  key_prefix "foo/bar/" {
    policy = "read"
  }
  key "foo/bar/baz" {
    policy = "deny"
  }
  keyring = "deny"
  node_prefix "" {
    policy = "read"
  }
  node "foo" {
    policy = "write"
  }
  node "bar" {
    policy = "deny"
  }
  operator = "deny"
  mesh = "deny"
  peering = "deny"
  service_prefix "" {
    policy = "write"
  }
  service "foo" {
    policy = "read"
  }
  session "foo" {
    policy = "write"
  }
  session "bar" {
    policy = "deny"
  }
  session_prefix "baz" {
    policy = "deny"
  }
  query_prefix "" {
    policy = "read"
  }
  query "foo" {
    policy = "write"
  }
  query "bar" {
    policy = "deny"
  }
)";

const char* basic_json = R"({
  "agent_prefix": {"bar": {"policy": "write"}},
  "agent": {"foo": {"policy": "read"}},
  "event_prefix": {"": {"policy": "read"}},
  "event": {"foo": {"policy": "write"}, "bar": {"policy": "deny"}},
  "key_prefix": {"": {"policy": "read"}, "foo/": {"policy": "write"}, "foo/bar/": {"policy": "read"}},
  "key": {"foo/bar/baz": {"policy": "deny"}},
  "keyring": "deny",
  "node_prefix": {"": {"policy": "read"}},
  "node": {"foo": {"policy": "write"}, "bar": {"policy": "deny"}},
  "operator": "deny",
  "mesh": "deny",
  "peering": "deny",
  "service_prefix": {"": {"policy": "write"}},
  "service": {"foo": {"policy": "read"}},
  "session_prefix": {"baz": {"policy": "deny"}},
  "session": {"foo": {"policy": "write"}, "bar": {"policy": "deny"}},
  "query_prefix": {"": {"policy": "read"}},
  "query": {"foo": {"policy": "write"}, "bar": {"policy": "deny"}}
})";

acl::policy_rules basic_expected() {
  acl::policy_rules p;
  p.agent_prefixes = {r("bar", "write")};
  p.agents = {r("foo", "read")};
  p.event_prefixes = {r("", "read")};
  p.events = {r("foo", "write"), r("bar", "deny")};
  p.keyring = "deny";
  p.key_prefixes = {r("", "read"), r("foo/", "write"), r("foo/bar/", "read")};
  p.keys = {r("foo/bar/baz", "deny")};
  p.node_prefixes = {r("", "read")};
  p.nodes = {r("foo", "write"), r("bar", "deny")};
  p.operator_ = "deny";
  p.mesh = "deny";
  p.peering = "deny";
  p.query_prefixes = {r("", "read")};
  p.queries = {r("foo", "write"), r("bar", "deny")};
  p.service_prefixes = {r("", "write")};
  p.services = {r("foo", "read")};
  p.session_prefixes = {r("baz", "deny")};
  p.sessions = {r("foo", "write"), r("bar", "deny")};
  return p;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_kind_reads_the_same_in_hcl_and_json) {
  BOOST_TEST((ok(basic_hcl) == basic_expected()));
  BOOST_TEST((ok(basic_json) == basic_expected()));
}

BOOST_AUTO_TEST_CASE(empty_rules_are_an_empty_policy) {
  BOOST_TEST((ok("") == acl::policy_rules{}));
  BOOST_TEST((ok("  \n# only a comment\n") == acl::policy_rules{}));
  BOOST_TEST((ok("{}") == acl::policy_rules{}));
  // Empty scalars are allowed (Consul: "this one is allowed to be empty").
  for (const char* k : {"keyring", "operator", "mesh", "peering", "acl"}) {
    BOOST_TEST((ok(std::string(k) + " = \"\"") == acl::policy_rules{}));
    BOOST_TEST((ok("{\"" + std::string(k) + "\": \"\"}") == acl::policy_rules{}));
  }
}

BOOST_AUTO_TEST_CASE(service_intentions_are_read) {
  auto p = ok(R"(service "foo" { policy = "write" intentions = "read" })");
  BOOST_TEST(p.services.size() == 1u);
  BOOST_TEST((p.services[0] == r("foo", "write", "read")));
  p = ok(R"({ "service": { "foo": { "policy": "write", "intentions": "read" }}})");
  BOOST_TEST((p.services[0] == r("foo", "write", "read")));
  p = ok(R"(service_prefix "" { policy = "read" })");
  BOOST_TEST((p.service_prefixes[0] == r("", "read")));
}

BOOST_AUTO_TEST_CASE(comments_lists_of_blocks_and_case_are_hcl_v1s) {
  const auto p = ok(R"(
    # hash comment
    // slash comment
    /* block
       comment */
    KEY_PREFIX "app/" { POLICY = "write" }   # names are case-insensitive
    key_prefix "app/" { policy = "read" }    // repeated blocks are all kept
    key "a" { policy = "read", }
    operator = "read"
    operator = "write"                        /* the last value wins */
  )");
  BOOST_TEST((p.key_prefixes == std::vector<acl::rule>{r("app/", "write"), r("app/", "read")}));
  BOOST_TEST((p.keys == std::vector<acl::rule>{r("a", "read")}));
  BOOST_TEST(p.operator_ == "write");
  // Levels are checked case-insensitively and kept as written.
  BOOST_TEST(ok(R"(node "n" { policy = "WRITE" })").nodes[0].policy == "WRITE");
  // Heredocs are strings too, with their last newline (so no level reads from one).
  BOOST_TEST(error("operator = <<EOF\nread\nEOF\n") == R"(Invalid operator policy: "read\n")");
}

BOOST_AUTO_TEST_CASE(json_accepts_what_hcls_json_decoder_does) {
  // A list of objects, per kind and per name.
  auto p = ok(R"({"key_prefix": [{"a/": {"policy": "write"}}, {"b/": {"policy": "read"}}]})");
  BOOST_TEST((p.key_prefixes == std::vector<acl::rule>{r("a/", "write"), r("b/", "read")}));
  p = ok(R"({"key_prefix": {"a/": [{"policy": "write"}]}})");
  BOOST_TEST((p.key_prefixes == std::vector<acl::rule>{r("a/", "write")}));
  // Duplicate members are all kept, in order.
  p = ok(R"({"node": {"n": {"policy": "read"}}, "node": {"m": {"policy": "write"}}})");
  BOOST_TEST((p.nodes == std::vector<acl::rule>{r("n", "read"), r("m", "write")}));
  // null reads as "", numbers and bools as written.
  BOOST_TEST((ok(R"({"operator": null})") == acl::policy_rules{}));
  BOOST_TEST(error(R"({"operator": 1})") == "Invalid operator policy: \"1\"");
  BOOST_TEST(error(R"({"mesh": true})") == "Invalid mesh policy: \"true\"");
}

BOOST_AUTO_TEST_CASE(unknown_keys_and_enterprise_blocks_are_ignored_as_in_ce) {
  // CE's EnterprisePolicyRules has no fields: namespace and partition blocks decode to nothing.
  const auto p = ok(R"(
    namespace "team" { key_prefix "" { policy = "write" } }
    partition "part" { node_prefix "" { policy = "write" } }
    unknown = "x"
    service "web" { policy = "read" unknown = "y" }
  )");
  acl::policy_rules expected;
  expected.services = {r("web", "read")};
  BOOST_TEST((p == expected));
}

// One case per validation error, with Consul's %#v of the offending rule.
BOOST_AUTO_TEST_CASE(every_invalid_level_has_consuls_text) {
  BOOST_TEST(error(R"(acl = "list")") == R"(Invalid acl policy: "list")");
  BOOST_TEST(error(R"({ "acl": "list" })") == R"(Invalid acl policy: "list")");
  BOOST_TEST(error(R"(agent "foo" { policy = "nope" })") == R"(Invalid agent policy: &acl.AgentRule{Node:"foo", Policy:"nope"})");
  BOOST_TEST(error(R"(agent_prefix "foo" { policy = "nope" })") == R"(Invalid agent_prefix policy: &acl.AgentRule{Node:"foo", Policy:"nope"})");
  BOOST_TEST(error(R"(key "foo" { policy = "nope" })") == R"(Invalid key policy: &acl.KeyRule{Prefix:"foo", Policy:"nope", EnterpriseRule:acl.EnterpriseRule{}})");
  BOOST_TEST(error(R"(key_prefix "foo" { policy = "nope" })") ==
             R"(Invalid key_prefix policy: &acl.KeyRule{Prefix:"foo", Policy:"nope", EnterpriseRule:acl.EnterpriseRule{}})");
  BOOST_TEST(error(R"(node "foo" { policy = "nope" })") == R"(Invalid node policy: &acl.NodeRule{Name:"foo", Policy:"nope", EnterpriseRule:acl.EnterpriseRule{}})");
  BOOST_TEST(error(R"(node_prefix "foo" { policy = "list" })") ==
             R"(Invalid node_prefix policy: &acl.NodeRule{Name:"foo", Policy:"list", EnterpriseRule:acl.EnterpriseRule{}})");
  BOOST_TEST(error(R"(service "foo" { policy = "nope" })") ==
             R"(Invalid service policy: &acl.ServiceRule{Name:"foo", Policy:"nope", Intentions:"", EnterpriseRule:acl.EnterpriseRule{}})");
  BOOST_TEST(error(R"(service "foo" { policy = "write" intentions = "foo" })") ==
             R"(Invalid service intentions policy: &acl.ServiceRule{Name:"foo", Policy:"write", Intentions:"foo", EnterpriseRule:acl.EnterpriseRule{}})");
  BOOST_TEST(error(R"(service_prefix "foo" { policy = "nope" })") ==
             R"(Invalid service_prefix policy: &acl.ServiceRule{Name:"foo", Policy:"nope", Intentions:"", EnterpriseRule:acl.EnterpriseRule{}})");
  BOOST_TEST(error(R"(service_prefix "" { policy = "read" intentions = "list" })") ==
             R"(Invalid service_prefix intentions policy: &acl.ServiceRule{Name:"", Policy:"read", Intentions:"list", EnterpriseRule:acl.EnterpriseRule{}})");
  BOOST_TEST(error(R"(session "foo" { policy = "nope" })") == R"(Invalid session policy: &acl.SessionRule{Node:"foo", Policy:"nope"})");
  BOOST_TEST(error(R"(session_prefix "foo" { policy = "nope" })") == R"(Invalid session_prefix policy: &acl.SessionRule{Node:"foo", Policy:"nope"})");
  BOOST_TEST(error(R"(event "foo" { policy = "nope" })") == R"(Invalid event policy: &acl.EventRule{Event:"foo", Policy:"nope"})");
  BOOST_TEST(error(R"(event_prefix "foo" { policy = "nope" })") == R"(Invalid event_prefix policy: &acl.EventRule{Event:"foo", Policy:"nope"})");
  BOOST_TEST(error(R"(query "foo" { policy = "nope" })") == R"(Invalid query policy: &acl.PreparedQueryRule{Prefix:"foo", Policy:"nope"})");
  BOOST_TEST(error(R"(query_prefix "foo" { policy = "nope" })") == R"(Invalid query_prefix policy: &acl.PreparedQueryRule{Prefix:"foo", Policy:"nope"})");
  BOOST_TEST(error(R"(keyring = "nope")") == R"(Invalid keyring policy: "nope")");
  BOOST_TEST(error(R"(operator = "nope")") == R"(Invalid operator policy: "nope")");
  BOOST_TEST(error(R"(mesh = "nope")") == R"(Invalid mesh policy: "nope")");
  BOOST_TEST(error(R"(peering = "nope")") == R"(Invalid peering policy: "nope")");
  // A block without a policy has an empty one, which no kind accepts.
  BOOST_TEST(error(R"(key "k" {})") == R"(Invalid key policy: &acl.KeyRule{Prefix:"k", Policy:"", EnterpriseRule:acl.EnterpriseRule{}})");
  // list is a key level only; JSON says the same.
  BOOST_TEST(ok(R"(key "k" { policy = "list" })").keys[0].policy == "list");
  BOOST_TEST(error(R"({"event": {"e": {"policy": "list"}}})") == R"(Invalid event policy: &acl.EventRule{Event:"e", Policy:"list"})");
  // The order of checks is Consul's: acl first, then the blocks in their order, then scalars.
  BOOST_TEST(error("peering = \"x\"\nacl = \"y\"") == R"(Invalid acl policy: "y")");
  // Control characters are quoted as Go quotes them.
  BOOST_TEST(error("operator = \"a\\tb\\u0001\"") == R"(Invalid operator policy: "a\tb\x01")");
}

BOOST_AUTO_TEST_CASE(syntax_errors_say_where_as_hcl_does) {
  // The position of the end: the column moves on once per read past the last character.
  BOOST_TEST(error("not a valid hcl") == "Failed to parse ACL rules: At 1:17: key 'not a valid hcl' expected start of object ('{') or assignment ('=')");
  BOOST_TEST(error("key \"a\" {\n  policy = \"read\"\n") == "Failed to parse ACL rules: At 3:1: object expected closing RBRACE got: EOF");
  BOOST_TEST(error("operator = \"read") == "Failed to parse ACL rules: At 1:17: literal not terminated");
  BOOST_TEST(error("operator = \"read\" @") == "Failed to parse ACL rules: At 1:19: illegal char");
  BOOST_TEST(error("/* open") == "Failed to parse ACL rules: At 1:8: comment not terminated");
  BOOST_TEST(error("key \"a\" \"b\" = {}") == "Failed to parse ACL rules: At 1:13: nested object expected: LBRACE got: ASSIGN");
  BOOST_TEST(error("= \"x\"") == "Failed to parse ACL rules: At 1:1: no object keys found!");
  BOOST_TEST(error("}") == "Failed to parse ACL rules: At 1:1: expected: IDENT | STRING | ASSIGN | LBRACE got: RBRACE");
  BOOST_TEST(error("operator = \"\\q\"") == "Failed to parse ACL rules: At 1:14: illegal char escape");
  // A key without a value inside a block: HCL reports the key at the closing brace.
  BOOST_TEST(error(R"(key "a" { policy })") == "Failed to parse ACL rules: At 1:18: key 'policy' expected start of object ('{') or assignment ('=')");
  // `name =` at the very end is dropped, not refused (HCL reads the end as the end of the list).
  BOOST_TEST((ok("operator =") == acl::policy_rules{}));
  BOOST_TEST(error("operator = ]") == "Failed to parse ACL rules: At 1:12: Unknown token: {Type:RBRACK Pos:1:12 Text:] JSON:false}");
}

BOOST_AUTO_TEST_CASE(type_errors_are_hcls_decoding_errors) {
  BOOST_TEST(error(R"(operator "x" { policy = "read" })") == "Failed to parse ACL rules: At 1:10: root.operator: unknown type for string *ast.ObjectList");
  BOOST_TEST(error(R"(operator = ["read"])") == "Failed to parse ACL rules: At 1:12: root.operator: unknown type for string *ast.ListType");
  BOOST_TEST(error(R"(key = "read")") == "Failed to parse ACL rules: At 1:7: unknown slice type: *ast.LiteralType");
  BOOST_TEST(error(R"(key "a" { policy = ["read"] })") == "Failed to parse ACL rules: At 1:20: root.key[0].Policy: unknown type for string *ast.ListType");
  BOOST_TEST(error(R"(key = [{ policy = "read" }])") == "Failed to parse ACL rules: At 1:10: root.key[0]: Prefix asked for 'key', impossible");
  BOOST_TEST(error(R"(service = ["a"])") == "Failed to parse ACL rules: At 1:12: root.service[0]: not an object type for struct (*ast.LiteralType)");
  // JSON nodes carry no position.
  BOOST_TEST(error(R"({"operator": {"x": 1}})") == "Failed to parse ACL rules: At -: root.operator: unknown type for string *ast.ObjectList");
}

BOOST_AUTO_TEST_CASE(json_syntax_errors_are_hcls_json_parsers) {
  BOOST_TEST(error(R"({"a": ]})") == "Failed to parse ACL rules: Expected object value, got unknown token: {Type:RBRACK Pos:1:7 Text:]}");
  // An item HCL could not read is dropped when its object still ends with '}', as in HCL.
  BOOST_TEST((ok(R"({"a": })") == acl::policy_rules{}));
  BOOST_TEST(error(R"({"a" 1})") == "Failed to parse ACL rules: expected: STRING got: NUMBER");
  BOOST_TEST(error(R"({"a": 1)") == "Failed to parse ACL rules: unexpected token while parsing object: EOF");
  BOOST_TEST(error(R"({"a": tru})") == "Failed to parse ACL rules: 1:9: illegal char");
  BOOST_TEST(error("{\"a\": \"x") == "Failed to parse ACL rules: 1:9: literal not terminated");
}

BOOST_AUTO_TEST_CASE(hostile_input_is_refused_not_crashed_on) {
  // Nesting past the bound is an error, in both forms, found before the stack runs out: 80,000
  // levels (within max_rules_bytes) overflow an 8 MiB stack unless parsing stops at the bound.
  const std::size_t deep = 80000;
  std::string hcl = "a = ";
  for (std::size_t i = 0; i < deep; ++i) hcl += "{ b = ";
  BOOST_TEST(error(hcl) == "Failed to parse ACL rules: At 1:" + std::to_string(5 + 6 * 127) + ": rules exceed max depth of 128");
  std::string json;
  for (std::size_t i = 0; i < deep; ++i) json += "{\"a\":";
  BOOST_TEST(error(json) == "Failed to parse ACL rules: rules exceed max depth of 128");
  std::string list = "a = ";
  for (std::size_t i = 0; i < deep / 2; ++i) list += "[{ b = ";
  BOOST_TEST(error(list).find("rules exceed max depth of 128") != std::string::npos);
  // Oversized text is refused up front.
  BOOST_TEST(error(std::string(acl::max_rules_bytes + 1, ' ')).find("more than the") != std::string::npos);
  // NUL and invalid UTF-8 are scanner errors.
  BOOST_TEST(error(std::string("operator = \"read\"\0", 18)) == "Failed to parse ACL rules: At 1:18: unexpected null character (0x00)");
  BOOST_TEST(error("operator = \"\xff\"") == "Failed to parse ACL rules: At 1:13: illegal UTF-8 encoding");
}

BOOST_AUTO_TEST_CASE(synthetic_rules_parse_to_their_values) {
  // The identities' templates are real rules: parsing their text gives the values they carry.
  const auto s = acl::synthesize(acl::service_identity{"web", {}});
  BOOST_TEST((ok(s.rules_text) == s.rules));
  const auto n = acl::synthesize(acl::node_identity{"node-1", "dc1"});
  BOOST_TEST((ok(n.rules_text) == n.rules));
  const auto m = ok(std::string(acl::global_management_rules()));
  BOOST_TEST(m.acl == "write");
  BOOST_TEST(m.mesh == "write");
  BOOST_TEST((m.service_prefixes == std::vector<acl::rule>{r("", "write", "write")}));
}

#ifdef COCONSUL_ACL_DOCS
#include <fstream>
#include <sstream>

// docs/acl.md's "ACL rules" section: every ```hcl and ```json block is rules that parse, and
// the service identity it shows is the one synthesize() writes.
BOOST_AUTO_TEST_CASE(the_docs_rules_parse) {
  std::ifstream in(COCONSUL_ACL_DOCS);
  BOOST_REQUIRE(in);
  std::stringstream all;
  all << in.rdbuf();
  const std::string doc = all.str();
  const auto begin = doc.find("\n## ACL rules\n");
  BOOST_REQUIRE(begin != std::string::npos);
  const auto end = doc.find("\n## ", begin + 1);
  const std::string section = doc.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  int blocks = 0;
  bool identity_shown = false;
  const std::string identity = acl::synthesize(acl::service_identity{"web", {}}).rules_text.substr(1);  // without the leading newline
  for (std::size_t at = 0;;) {
    const auto open = section.find("\n```", at);
    if (open == std::string::npos) break;
    const auto line_end = section.find('\n', open + 1);
    const std::string lang = section.substr(open + 4, line_end - open - 4);
    const auto close = section.find("\n```", line_end);
    BOOST_REQUIRE(close != std::string::npos);
    const std::string body = section.substr(line_end + 1, close - line_end);
    at = close + 4;
    if (lang != "hcl" && lang != "json") continue;
    ++blocks;
    BOOST_TEST_CONTEXT(body) { ok(body); }
    identity_shown = identity_shown || body == identity + "\n";
  }
  BOOST_TEST(blocks >= 4);
  BOOST_TEST(identity_shown);
}
#endif
