// A jwt login's bindings as Consul 1.14 computes them: claims to selectable fields and bind-name
// variables, binding rules' selectors, HIL interpolation of BindName (lower-cased), the bind
// types' name rules, roles that exist or not, and "Permission denied" when nothing binds. The
// tokens are signed here with OpenSSL.
#define BOOST_TEST_MODULE acl_binding
#include <boost/test/unit_test.hpp>

#include "acl_jwt_signer.hpp"

#include "dev_agent/endpoints/acl_binding.hpp"

#include <chrono>
#include <string>

using namespace coconsul::dev;
namespace jwt = coconsul::test::jwt;
namespace json = boost::json;
using std::chrono::system_clock;

namespace {

const jwt::pkey& key() {
  static const jwt::pkey k = jwt::ec_key("P-256");
  return k;
}

const std::int64_t t = 1'800'000'000;

// The method of Consul's own sso test: name, primary_org and groups mapped.
json::object method() {
  return {{"JWTValidationPubKeys", json::array{jwt::public_pem(key())}},
          {"BoundAudiences", json::array{"https://consul.test"}},
          {"ClaimMappings", {{"first_name", "name"}, {"/org/primary", "primary_org"}}},
          {"ListClaimMappings", {{"https://consul.test/groups", "groups"}}}};
}

std::string bearer(json::object extra = {}) {
  json::object claims = {{"aud", "https://consul.test"}, {"nbf", t - 5}, {"exp", t + 5}, {"sub", "r3qX@clients"},
                         {"first_name", "Jeff2"},        {"org", {{"primary", "Engineering"}}},
                         {"https://consul.test/groups", json::array{"foo", "bar"}}};
  for (const auto& kv : extra) claims[kv.key()] = kv.value();
  return jwt::token("ES256", key(), claims);
}

acl_login_context context() {
  acl_login_context c;
  c.now = system_clock::time_point(std::chrono::seconds(t));
  c.datacenter = "dc1";
  c.role_id_by_name = [](const std::string& name) -> std::optional<std::string> {
    if (name == "admins") return std::string("b2d4a000-0000-4000-8000-000000000001");
    return std::nullopt;
  };
  return c;
}

std::string ascii_lower(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s;
}

acl_binding_rule rule(std::string selector, std::string type, std::string name) {
  acl_binding_rule r;
  r.auth_method = "jwt";
  r.selector = std::move(selector);
  r.bind_type = std::move(type);
  r.bind_name = std::move(name);
  return r;
}

acl_login_bindings bound(const std::vector<acl_binding_rule>& rules, const std::string& token = bearer()) {
  auto r = evaluate_login(method(), rules, token, context());
  if (auto* f = std::get_if<acl_login_failure>(&r)) BOOST_FAIL("login refused: " << f->status << " " << f->text);
  return std::get<acl_login_bindings>(r);
}

acl_login_failure refused(const std::vector<acl_binding_rule>& rules, const std::string& token = bearer()) {
  auto r = evaluate_login(method(), rules, token, context());
  if (!std::holds_alternative<acl_login_failure>(r)) BOOST_FAIL("login was not refused");
  return std::get<acl_login_failure>(r);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(identity)

BOOST_AUTO_TEST_CASE(claims_become_selectable_fields_and_variables) {
  acl::jwt_method_config c;
  BOOST_TEST_REQUIRE(!acl::parse_jwt_method_config(method(), c).has_value());
  acl::jwt_claims claims;
  claims.values["name"] = "jeff2";
  claims.lists["groups"] = {"foo", "bar"};
  const auto id = login_identity(c, claims);
  BOOST_TEST(json::serialize(id.selectable) == R"({"value":{"name":"jeff2"},"list":{"groups":["foo","bar"]}})");
  // Every mapped value is a variable, empty when the token lacked it; lists are not variables.
  BOOST_TEST(id.projected_vars.size() == 2u);
  BOOST_TEST(id.projected_vars.at("value.name") == "jeff2");
  BOOST_TEST(id.projected_vars.at("value.primary_org") == "");
  BOOST_TEST(json::serialize(blank_login_identity(c).selectable) ==
             R"({"value":{"name":"","primary_org":""},"list":{"groups":[]}})");
}

BOOST_AUTO_TEST_CASE(consuls_selectors_against_its_test_identity) {
  acl::jwt_method_config c;
  BOOST_TEST_REQUIRE(!acl::parse_jwt_method_config(method(), c).has_value());
  acl::jwt_claims claims;
  claims.values = {{"name", "jeff2"}, {"primary_org", "engineering"}};
  claims.lists["groups"] = {"foo", "bar"};
  const auto sel = login_identity(c, claims).selectable;
  for (const char* s : {"value.name == jeff2", "value.name != jeff", "value.primary_org == engineering",
                        "foo in list.groups", "bar in list.groups", "salt not in list.groups", ""})
    BOOST_TEST(selector_matches(s, sel), s);
  for (const char* s : {"value.name == jeff", "baz in list.groups", "value.name ==", "nosuch == x", "value.missing == x"})
    BOOST_TEST(!selector_matches(s, sel), s);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(bind_names)

BOOST_AUTO_TEST_CASE(hil_interpolation_as_consuls_tests_have_it) {
  const std::map<std::string, std::string> vars = {{"item", "VaLuE"}, {"more", "xyz"}, {"empty", ""}};
  auto ok = [&](const char* in) {
    std::string e;
    auto r = interpolate_bind_name(in, vars, e);
    BOOST_TEST(r.has_value(), in << ": " << e);
    return r.value_or("<error>");
  };
  BOOST_TEST(ok("") == "");
  BOOST_TEST(ok("nothing") == "nothing");
  BOOST_TEST(ok("${item}") == "value");
  BOOST_TEST(ok("before ${item}after") == "before valueafter");
  BOOST_TEST(ok("before ${item}after ${more}") == "before valueafter xyz");
  BOOST_TEST(ok("${empty}") == "");
  BOOST_TEST(ok("}") == "}");
  BOOST_TEST(ok(" item }") == " item }");
  BOOST_TEST(ok("before ${ item }after  more }") == "before valueafter  more }");
  BOOST_TEST(ok("$${item} ${item}") == "${item} value");
  BOOST_TEST(ok("a$$b") == "a$$b");  // no "${" at all: the text is not parsed
  BOOST_TEST(ok("${\n\titem\r\n}") == "value");  // HIL skips spaces, tabs and line breaks inside
  std::string e;
  for (const char* bad : {"${", "}${", "${}", "${ item ", "before ${ item after ${ more }", "${\"lit\"}", "${item:x}"})
    BOOST_TEST(!interpolate_bind_name(bad, vars, e).has_value(), bad);
  interpolate_bind_name("ab\n${nope}", vars, e);
  BOOST_TEST(e == "2:3: unknown variable accessed: nope");
}

BOOST_AUTO_TEST_CASE(identity_and_role_names) {
  BOOST_TEST(is_valid_service_identity_name("web-01_a"));
  BOOST_TEST(!is_valid_service_identity_name("Web"));
  BOOST_TEST(!is_valid_service_identity_name("-web"));
  BOOST_TEST(!is_valid_service_identity_name("web-"));
  BOOST_TEST(!is_valid_service_identity_name(""));
  BOOST_TEST(!is_valid_node_identity_name(std::string(257, 'a')));
  BOOST_TEST(is_valid_node_identity_name(std::string(256, 'a')));
  BOOST_TEST(is_valid_role_name("Admins-_1"));
  BOOST_TEST(!is_valid_role_name("a b"));
  BOOST_TEST(!is_valid_role_name(std::string(257, 'a')));
}

BOOST_AUTO_TEST_CASE(binding_rules_checked_when_written) {
  acl::jwt_method_config c;
  BOOST_TEST_REQUIRE(!acl::parse_jwt_method_config(method(), c).has_value());
  BOOST_TEST(!validate_binding_rule(c, rule("value.name == x", "service", "${value.name}")).has_value());
  BOOST_TEST(validate_binding_rule(c, rule("", "", "x")).value_or("") == "Invalid Binding Rule: no BindType is set");
  BOOST_TEST(validate_binding_rule(c, rule("", "role", "")).value_or("") == "Invalid Binding Rule: no BindName is set");
  BOOST_TEST(validate_binding_rule(c, rule("", "policy", "x")).value_or("") ==
             "Invalid Binding Rule: unknown BindType \"policy\"");
  BOOST_TEST(validate_binding_rule(c, rule("", "service", "${list.groups}")).value_or("") ==
             "Invalid Binding Rule: invalid BindName: 1:3: unknown variable accessed: list.groups");
  BOOST_TEST(validate_binding_rule(c, rule("", "service", "Upper")).value_or("") == "Invalid Binding Rule: invalid BindName");
  BOOST_TEST(validate_binding_rule(c, rule("value.name ==", "service", "x")).value_or("").starts_with(
      "invalid Binding Rule: Selector is invalid: "));
}

BOOST_AUTO_TEST_CASE(the_login_tokens_description) {
  BOOST_TEST(login_token_description({}) == "token created via login");
  BOOST_TEST(login_token_description({{"pod", "web-1"}, {"b", "<&>"}}) ==
             R"(token created via login: {"b":"\u003c\u0026\u003e","pod":"web-1"})");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(login)

BOOST_AUTO_TEST_CASE(matching_rules_give_identities_and_roles) {
  // Selectors see the claims as they are; bind names are lower-cased.
  const auto b = bound({rule("value.name == Jeff2", "service", "${value.name}-svc"),
                        rule("foo in list.groups", "role", "admins"),
                        rule("", "node", "node-${value.primary_org}"),
                        rule("baz in list.groups", "service", "never")});
  BOOST_TEST(b.service_identities == std::vector<std::string>{"jeff2-svc"});
  BOOST_TEST_REQUIRE(b.node_identities.size() == 1u);
  BOOST_TEST(b.node_identities[0].node_name == "node-engineering");
  BOOST_TEST(b.node_identities[0].datacenter == "dc1");
  BOOST_TEST_REQUIRE(b.roles.size() == 1u);
  BOOST_TEST(b.roles[0].name == "admins");
  BOOST_TEST(b.roles[0].id == "b2d4a000-0000-4000-8000-000000000001");
}

BOOST_AUTO_TEST_CASE(a_token_of_every_algorithm_logs_in) {
  const jwt::pkey rsa = jwt::rsa_key(), p384 = jwt::ec_key("P-384"), p521 = jwt::ec_key("P-521"), ed = jwt::ed25519_key();
  json::object m = {{"JWTValidationPubKeys", json::array{jwt::public_pem(rsa), jwt::public_pem(key()), jwt::public_pem(p384),
                                                         jwt::public_pem(p521), jwt::public_pem(ed)}},
                    {"ClaimMappings", {{"svc", "svc"}}}};
  const std::vector<acl_binding_rule> rules = {rule("", "service", "${value.svc}")};
  const std::vector<std::pair<const char*, jwt::pkey>> signers = {
      {"RS256", rsa}, {"RS384", rsa}, {"RS512", rsa}, {"PS256", rsa}, {"PS384", rsa},    {"PS512", rsa},
      {"ES256", key()}, {"ES384", p384}, {"ES512", p521}, {"EdDSA", ed}};
  for (const auto& [alg, signer] : signers) {
    const json::object claims = {{"exp", t + 60}, {"svc", std::string("API-") + alg}};
    auto r = evaluate_login(m, rules, jwt::token(alg, signer, claims), context());
    const auto* b = std::get_if<acl_login_bindings>(&r);
    BOOST_TEST_REQUIRE(b != nullptr, alg);
    BOOST_TEST(b->service_identities == std::vector<std::string>{"api-" + ascii_lower(alg)}, alg);
  }
}

BOOST_AUTO_TEST_CASE(nothing_bound_is_permission_denied) {
  for (const auto& rules : std::vector<std::vector<acl_binding_rule>>{
           {},
           {rule("value.name == someone", "service", "x")},
           {rule("value.name ==", "service", "x")},
           {rule("", "role", "no-such-role")}}) {
    const auto f = refused(rules);
    BOOST_TEST(f.status == 403u);
    BOOST_TEST(f.text == "Permission denied");
  }
}

BOOST_AUTO_TEST_CASE(a_bind_name_that_is_not_a_name_is_an_error) {
  auto f = refused({rule("", "service", "${value.name} x")});
  BOOST_TEST(f.status == 500u);
  BOOST_TEST(f.text == "computed \"service\" bind name for bind target is invalid: \"jeff2 x\"");
  // A mapped claim the token lacks is "" to the bind name, and absent to the selector.
  const std::string no_name = bearer({{"first_name", nullptr}});
  f = refused({rule("", "service", "${value.name}")}, no_name);
  BOOST_TEST(f.text == "computed \"service\" bind name for bind target is invalid: \"\"");
  BOOST_TEST(refused({rule("value.name == \"\"", "service", "x")}, no_name).status == 403u);
  f = refused({rule("", "role", "${value.nope}")});
  BOOST_TEST(f.text == "cannot compute \"role\" bind name for bind target: 1:3: unknown variable accessed: value.nope");
}

BOOST_AUTO_TEST_CASE(a_token_that_does_not_validate_is_the_validators_error) {
  const auto rules = std::vector<acl_binding_rule>{rule("", "service", "web")};
  auto f = refused(rules, bearer({{"exp", t - 100}}));
  BOOST_TEST(f.status == 500u);
  BOOST_TEST(f.text == "error validating claims: square/go-jose/jwt: validation failed, token is expired (exp)");
  f = refused(rules, jwt::token("ES256", jwt::ec_key("P-256"), json::object{{"exp", t + 5}}));
  BOOST_TEST(f.text == "no known key successfully validated the token signature");
  f = refused(rules, "not-a-jwt");
  BOOST_TEST(f.text == "error parsing token: square/go-jose: compact JWS format must have three parts");
  BOOST_TEST(bound(rules).service_identities == std::vector<std::string>{"web"});
}

BOOST_AUTO_TEST_SUITE_END()
