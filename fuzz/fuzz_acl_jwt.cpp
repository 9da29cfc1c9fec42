// libFuzzer target: the dev agent's jwt auth method (src/dev_agent/acl/jwt_*, endpoints/
// acl_binding) on hostile input. The first byte picks what the rest is:
//   0: "<auth method Config JSON>\n<bearer token>": the Config decoded and validated (the fixed
//      method below when it is refused), the token verified at a fixed time;
//   1: "<claims JSON>", signed here (ES256 or EdDSA, the second byte decides) and logged in with
//      the fixed method and its binding rules;
//   2: "<BindName>\n<Selector>": interpolated, matched and checked as a binding rule.
// What must hold: nothing crashes or throws; every refusal has a text, a login's is a 403 or
// a 500; a token is accepted only with a signature of an algorithm the key does (no "none", no
// HS*); every bound name is valid for its type.
#include "../test/dev_agent/acl_jwt_signer.hpp"

#include "dev_agent/acl/jwt_config.hpp"
#include "dev_agent/acl/jwt_token.hpp"
#include "dev_agent/connect/crypto.hpp"
#include "dev_agent/endpoints/acl_binding.hpp"

#include <boost/json/parse.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <set>
#include <string>
#include <string_view>

namespace {
using namespace coconsul::dev;
namespace json = boost::json;

// Fixture keys made for this target (not secrets): seeds can then hold validly signed tokens.
constexpr const char* ec_private = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgWahG5T5DuD+v4NQU
oMKnM1vr7VWJ+J90jV8a/4x7ij6hRANCAAQllmo/MKK0i1rmjea5DS1N/YI31Bu2
toKXpBvTT/QXS922qUJ9i/inUbbkGiDwSdQGpO3juCL3RjV4186nl6cX
-----END PRIVATE KEY-----
)";
constexpr const char* ed_private = R"(-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIKaSuEf51y0ngYXGUR4Vbi45RJvyD4ReAVA3idATw0HF
-----END PRIVATE KEY-----
)";

[[noreturn]] void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "%s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

struct fixture {
  coconsul::test::jwt::pkey ec, ed;
  json::object method;
  std::vector<acl_binding_rule> rules;
  acl_login_context context;
};

const fixture& fx() {
  static const fixture f = [] {
    fixture x;
    x.ec = coconsul::test::jwt::pkey(connect::key_from_pem(ec_private).release(), EVP_PKEY_free);
    x.ed = coconsul::test::jwt::pkey(connect::key_from_pem(ed_private).release(), EVP_PKEY_free);
    if (!x.ec || !x.ed) fail("fixture keys", "do not parse");
    x.method = {{"JWTValidationPubKeys", json::array{coconsul::test::jwt::public_pem(x.ec),
                                                     coconsul::test::jwt::public_pem(x.ed)}},
                {"BoundAudiences", json::array{"consul"}},
                {"ClaimMappings", {{"name", "name"}, {"/org/primary", "org"}, {"n", "n"}}},
                {"ListClaimMappings", {{"groups", "groups"}}}};
    auto rule = [](std::string sel, std::string type, std::string name) {
      acl_binding_rule r;
      r.selector = std::move(sel);
      r.bind_type = std::move(type);
      r.bind_name = std::move(name);
      return r;
    };
    x.rules = {rule("value.name == admin", "service", "${value.name}"), rule("foo in list.groups", "role", "${value.org}"),
               rule("value.n != \"\"", "node", "n-${value.n}"), rule("", "service", "web")};
    x.context.now = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
    x.context.datacenter = "dc1";
    x.context.role_id_by_name = [](const std::string& name) -> std::optional<std::string> {
      if (!is_valid_role_name(name)) fail("a role looked up by an invalid name", name);
      return "id-" + name;
    };
    return x;
  }();
  return f;
}

// The header's "alg", as the verifier reads it ("" when there is none).
std::string alg_of(std::string_view token) {
  std::string compact;
  for (char c : token)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f') compact += c;
  std::string header;
  std::string b64 = compact.substr(0, compact.find('.'));
  while (!b64.empty() && b64.back() == '=') b64.pop_back();
  for (char& c : b64) c = c == '-' ? '+' : (c == '_' ? '/' : c);
  while (b64.size() % 4) b64 += '=';
  if (!coconsul::core::base64_decode(b64, header, coconsul::core::base64_mode::strict)) return "";
  boost::system::error_code ec;
  auto v = json::parse(header, ec);
  if (ec || !v.is_object() || !v.get_object().contains("alg") || !v.get_object().at("alg").is_string()) return "";
  return std::string(v.get_object().at("alg").get_string());
}

void check_login(const std::variant<acl_login_bindings, acl_login_failure>& r) {
  if (const auto* f = std::get_if<acl_login_failure>(&r)) {
    if (f->text.empty() || (f->status != 403 && f->status != 500)) fail("a login refusal", f->text);
    return;
  }
  const auto& b = std::get<acl_login_bindings>(r);
  for (const auto& s : b.service_identities)
    if (!is_valid_service_identity_name(s)) fail("an invalid service identity bound", s);
  for (const auto& n : b.node_identities)
    if (!is_valid_node_identity_name(n.node_name)) fail("an invalid node identity bound", n.node_name);
}

void token_mode(std::string_view rest) {
  const auto nl = rest.find('\n');
  const std::string_view config_text = rest.substr(0, nl);
  const std::string token(nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1));
  acl::jwt_method_config config;
  boost::system::error_code ec;
  json::value v = json::parse(config_text, ec);
  bool own = false;
  if (!ec && v.is_object()) {
    auto e = acl::parse_jwt_method_config(v.get_object(), config);
    if (e && e->empty()) fail("a config refusal without a text", config_text);
    own = !e;
  }
  if (!own && acl::parse_jwt_method_config(fx().method, config)) fail("the fixed method", "is refused");
  json::object claims;
  const auto e = acl::verify_jwt(config, token, fx().context.now, claims);
  if (e && e->empty()) fail("a token refusal without a text", token);
  if (!e) {
    static const std::set<std::string> real = {"RS256", "RS384", "RS512", "PS256", "PS384",
                                               "PS512", "ES256", "ES384", "ES512", "EdDSA"};
    if (!real.count(alg_of(token))) fail("a token accepted without a real signature", token);
  }
  check_login(evaluate_login(own ? v.get_object() : fx().method, fx().rules, token, fx().context));
}

void signed_mode(std::string_view rest) {
  if (rest.empty()) return;
  const bool ed = (rest[0] & 1) != 0;
  const std::string_view payload = rest.substr(1);
  const std::string token = coconsul::test::jwt::token_raw(
      ed ? "EdDSA" : "ES256", ed ? fx().ed : fx().ec, ed ? R"({"alg":"EdDSA"})" : R"({"alg":"ES256"})", payload);
  check_login(evaluate_login(fx().method, fx().rules, token, fx().context));
}

void rule_mode(std::string_view rest) {
  const auto nl = rest.find('\n');
  const std::string bind_name(rest.substr(0, nl));
  const std::string selector(nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1));
  std::string error;
  const std::map<std::string, std::string> vars = {{"value.name", "Ab"}, {"value.org", ""}};
  if (!interpolate_bind_name(bind_name, vars, error) && error.empty()) fail("an interpolation error without a text", bind_name);
  acl::jwt_method_config config;
  acl::parse_jwt_method_config(fx().method, config);
  acl::jwt_claims claims;
  claims.values = {{"name", "admin"}};
  claims.lists = {{"groups", {"foo"}}};
  selector_matches(selector, login_identity(config, claims).selectable);
  for (const char* type : {"service", "node", "role", "other"}) {
    acl_binding_rule r;
    r.selector = selector;
    r.bind_type = type;
    r.bind_name = bind_name;
    auto e = validate_binding_rule(config, r);
    if (e && e->empty()) fail("a binding rule refusal without a text", bind_name);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    switch (data[0] % 3) {
      case 0: token_mode(rest); break;
      case 1: signed_mode(rest); break;
      default: rule_mode(rest); break;
    }
  } catch (const std::exception& e) {
    fail("an exception escaped", e.what());
  }
  return 0;
}
