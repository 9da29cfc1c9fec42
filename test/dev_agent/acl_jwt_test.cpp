// The jwt auth method of the dev agent: its Config decoded and validated with Consul's texts,
// and bearer tokens made here with OpenSSL (RSA 2048, EC P-256/384/521, Ed25519) checked as
// Consul 1.14 checks them: signatures, exp/nbf/iat and their leeways, iss, aud, malformed forms,
// and the claim mappings.
#define BOOST_TEST_MODULE acl_jwt
#include <boost/test/unit_test.hpp>

#include "acl_jwt_signer.hpp"

#include "dev_agent/acl/jwt_config.hpp"
#include "dev_agent/acl/jwt_keys.hpp"
#include "dev_agent/acl/jwt_token.hpp"

#include <boost/json/parse.hpp>

#include <chrono>
#include <string>

using namespace coconsul::dev::acl;
namespace jwt = coconsul::test::jwt;
namespace json = boost::json;
using std::chrono::system_clock;

namespace {

// Keys are made once: RSA generation is the slow part.
struct keys {
  jwt::pkey rsa = jwt::rsa_key(), rsa_other = jwt::rsa_key();
  jwt::pkey p256 = jwt::ec_key("P-256"), p384 = jwt::ec_key("P-384"), p521 = jwt::ec_key("P-521");
  jwt::pkey ed = jwt::ed25519_key();
};
const keys& k() {
  static const keys all;
  return all;
}

// A fixed clock: the tokens' times are relative to it.
const system_clock::time_point now = system_clock::time_point(std::chrono::seconds(1'800'000'000));
const std::int64_t t = 1'800'000'000;

json::object config_with(std::initializer_list<jwt::pkey> pubs, json::object extra = {}) {
  json::array pems;
  for (const auto& p : pubs) pems.emplace_back(jwt::public_pem(p));
  json::object c = extra;
  c["JWTValidationPubKeys"] = pems;
  return c;
}

jwt_method_config parsed(const json::object& c) {
  jwt_method_config out;
  auto e = parse_jwt_method_config(c, out);
  BOOST_TEST_REQUIRE(!e.has_value(), "config refused: " << e.value_or(""));
  return out;
}

// verify_jwt's error, "" when the token is accepted.
std::string error_of(const json::object& c, const std::string& token) {
  json::object claims;
  return verify_jwt(parsed(c), token, now, claims).value_or("");
}

json::object times(std::int64_t exp_offset) { return {{"exp", t + exp_offset}, {"iat", t - 10}}; }

const std::string no_key = "no known key successfully validated the token signature";
const std::string invalid = "error validating claims: square/go-jose/jwt: validation failed, ";

}  // namespace

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(static_keys_are_accepted_and_parsed) {
  const auto c = parsed(config_with({k().rsa, k().p256, k().ed}, {{"BoundIssuer", "https://issuer"}}));
  BOOST_TEST(c.keys.size() == 3u);
  BOOST_TEST(c.bound_issuer == "https://issuer");
}

BOOST_AUTO_TEST_CASE(exactly_one_key_source) {
  const std::string want = "exactly one of 'JWTValidationPubKeys', 'JWKSURL', or 'OIDCDiscoveryURL' must be set for type \"jwt\"";
  BOOST_TEST(validate_jwt_method_config({}).value_or("") == want);
  BOOST_TEST(validate_jwt_method_config(config_with({k().rsa}, {{"JWKSURL", "https://x/keys"}})).value_or("") == want);
}

BOOST_AUTO_TEST_CASE(network_key_sources_are_refused_clearly) {
  BOOST_TEST(validate_jwt_method_config({{"JWKSURL", "https://x/keys"}}).value_or("").starts_with(
      "error checking JWKSURL: the dev agent fetches no keys over the network"));
  BOOST_TEST(validate_jwt_method_config({{"OIDCDiscoveryURL", "https://x"}}).value_or("").starts_with(
      "error checking OIDCDiscoveryURL: the dev agent makes no OIDC discovery requests"));
  BOOST_TEST(validate_jwt_method_config(config_with({k().rsa}, {{"JWKSCACert", "pem"}})).value_or("") ==
             "'JWKSCACert' should not be set unless 'JWKSURL' is set");
  BOOST_TEST(validate_jwt_method_config(config_with({k().rsa}, {{"OIDCDiscoveryCACert", "pem"}})).value_or("") ==
             "'OIDCDiscoveryCACert' should not be set unless 'OIDCDiscoveryURL' is set");
}

BOOST_AUTO_TEST_CASE(decoding_errors_as_mapstructure_words_them) {
  BOOST_TEST(validate_jwt_method_config(config_with({k().rsa}, {{"extra", "config"}, {"Another", 1}})).value_or("") ==
             "error decoding config: 1 error(s) decoding:\n\n* '' has invalid keys: Another, extra");
  BOOST_TEST(validate_jwt_method_config({{"JWKSURL", json::array{12345, 6}}}).value_or("") ==
             "error decoding config: 1 error(s) decoding:\n\n* 'JWKSURL' expected type 'string', got unconvertible "
             "type '[]interface {}', value: '[12345 6]'");
  // No duration hook: leeways are nanoseconds, "5s" is not an integer.
  BOOST_TEST(validate_jwt_method_config(config_with({k().rsa}, {{"ExpirationLeeway", "5s"}, {"ClaimMappings", "x"}}))
                 .value_or("") ==
             "error decoding config: 2 error(s) decoding:\n\n"
             "* 'ClaimMappings' expected a map, got 'string'\n"
             "* cannot parse 'ExpirationLeeway' as int: strconv.ParseInt: parsing \"5s\": invalid syntax");
}

BOOST_AUTO_TEST_CASE(weak_typing_and_case_insensitive_names) {
  const auto c = parsed(config_with(
      {k().rsa}, {{"boundissuer", "iss"}, {"BoundAudiences", "one"}, {"ClockSkewLeeway", 5e9}, {"NotBeforeLeeway", "0x10"},
                  {"ClaimMappings", json::array{json::object{{"a", "x"}}}}, {"ExpirationLeeway", true}}));
  BOOST_TEST(c.bound_issuer == "iss");
  BOOST_TEST(c.bound_audiences == std::vector<std::string>{"one"});
  BOOST_TEST(c.clock_skew_leeway.count() == 5'000'000'000);
  BOOST_TEST(c.not_before_leeway.count() == 16);
  BOOST_TEST(c.expiration_leeway.count() == 1);
  BOOST_TEST(c.claim_mappings.at("a") == "x");
}

BOOST_AUTO_TEST_CASE(public_keys_algorithms_and_mappings) {
  BOOST_TEST(validate_jwt_method_config({{"JWTValidationPubKeys", json::array{jwt::public_pem(k().rsa), "junk"}}})
                 .value_or("") == "error parsing public key JWTValidationPubKeys[1]: data does not contain any valid "
                                  "RSA, ECDSA, or ED25519 public keys");
  BOOST_TEST(validate_jwt_method_config(
                 {{"JWTValidationPubKeys", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"}})
                 .value_or("") == "error parsing public key JWTValidationPubKeys[0]: x509: malformed certificate");
  // EdDSA tokens verify against Ed25519 keys, but Consul's list of algorithms does not have it.
  BOOST_TEST(validate_jwt_method_config(config_with({k().rsa}, {{"JWTSupportedAlgs", json::array{"ES256", "EdDSA"}}}))
                 .value_or("") == "Invalid supported algorithm: EdDSA");
  BOOST_TEST(validate_jwt_method_config(config_with({k().rsa}, {{"ClaimMappings", {{"a", "x"}, {"b", "x"}}}}))
                 .value_or("") == "ClaimMappings contains multiple mappings for key \"x\"");
  BOOST_TEST(validate_jwt_method_config(config_with({k().rsa}, {{"ListClaimMappings", {{"a", "g"}, {"b", "g"}}}}))
                 .value_or("") == "ListClaimMappings contains multiple mappings for key \"g\"");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(signatures)

BOOST_AUTO_TEST_CASE(every_algorithm_verifies_with_its_key) {
  const auto c = config_with({k().rsa, k().p256, k().p384, k().p521, k().ed});
  for (const char* alg : {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"})
    BOOST_TEST(error_of(c, jwt::token(alg, k().rsa, times(600))) == "", alg);
  BOOST_TEST(error_of(c, jwt::token("ES256", k().p256, times(600))) == "");
  BOOST_TEST(error_of(c, jwt::token("ES384", k().p384, times(600))) == "");
  BOOST_TEST(error_of(c, jwt::token("ES512", k().p521, times(600))) == "");
  BOOST_TEST(error_of(c, jwt::token("EdDSA", k().ed, times(600))) == "");
}

// Known answers, not signed here: a mirror-image mistake in the test signer and the verifier
// (the r||s form, the signing input) cannot pass them.
BOOST_AUTO_TEST_CASE(the_specifications_examples_verify) {
  // RFC 7515 A.3: ES256, {"iss":"joe","exp":1300819380,"http://example.com/is_root":true}.
  const auto es = jwt::ec_public_key("prime256v1", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
                                     "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0");
  const std::string token =
      "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVl"
      "fQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
  json::object claims;
  const auto c = parsed(config_with({es}, {{"BoundIssuer", "joe"}}));
  const auto then = system_clock::time_point(std::chrono::seconds(1300819380 - 10));
  BOOST_TEST(verify_jwt(c, token, then, claims).value_or("") == "");
  BOOST_TEST(claims.at("http://example.com/is_root").as_bool());
  BOOST_TEST(verify_jwt(c, token, now, claims).value_or("") == invalid + "token is expired (exp)");
  std::string tampered = token;
  tampered.back() = 'A';
  BOOST_TEST(verify_jwt(c, tampered, then, claims).value_or("") == no_key);
  // RFC 8037 A.4: Ed25519 over the payload "Example of Ed25519 signing" (not JSON, so the
  // signature is all there is to check).
  const auto ed = jwt::ed25519_public_key("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");
  const std::string input = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
  const std::string sig =
      jwt::b64url_decode("hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg");
  BOOST_TEST(verify_jws_signature(ed.get(), "EdDSA", input, sig));
  BOOST_TEST(!verify_jws_signature(ed.get(), "EdDSA", input + "x", sig));
  BOOST_TEST(!verify_jws_signature(ed.get(), "ES256", input, sig));
}

BOOST_AUTO_TEST_CASE(the_supported_algorithms_are_not_enforced_with_static_keys) {
  // Consul 1.14 checks JWTSupportedAlgs' spelling only ("TODO(sso): handle JWTSupportedAlgs").
  const auto c = config_with({k().p256}, {{"JWTSupportedAlgs", json::array{"RS256"}}});
  BOOST_TEST(error_of(c, jwt::token("ES256", k().p256, times(600))) == "");
}

BOOST_AUTO_TEST_CASE(a_wrong_key_or_a_changed_token_is_refused) {
  const auto c = config_with({k().rsa});
  BOOST_TEST(error_of(c, jwt::token("RS256", k().rsa_other, times(600))) == no_key);
  BOOST_TEST(error_of(config_with({k().rsa_other, k().rsa}), jwt::token("RS256", k().rsa, times(600))) == "");
  // The payload swapped for another after signing.
  std::string tok = jwt::token("RS256", k().rsa, times(600));
  const std::string other = jwt::token("RS256", k().rsa, json::object{{"exp", t + 600}, {"sub", "admin"}});
  const auto p1 = tok.find('.'), p2 = tok.rfind('.');
  const auto q1 = other.find('.'), q2 = other.rfind('.');
  BOOST_TEST(error_of(c, tok.substr(0, p1) + other.substr(q1, q2 - q1) + tok.substr(p2)) == no_key);
  // One byte of the signature changed.
  tok[tok.size() - 5] = tok[tok.size() - 5] == 'A' ? 'B' : 'A';
  BOOST_TEST(error_of(c, tok) == no_key);
  // An EC token signed on another curve, an EC token against an RSA key.
  BOOST_TEST(error_of(config_with({k().p256}), jwt::token("ES384", k().p384, times(600))) == no_key);
  BOOST_TEST(error_of(c, jwt::token("ES256", k().p256, times(600))) == no_key);
}

BOOST_AUTO_TEST_CASE(alg_none_and_hmac_with_the_public_key_are_refused) {
  const auto c = config_with({k().rsa});
  const std::string payload = jwt::b64url(json::serialize(times(600)));
  BOOST_TEST(error_of(c, jwt::b64url(R"({"alg":"none"})") + "." + payload + ".") == no_key);
  BOOST_TEST(error_of(c, jwt::b64url(R"({"alg":"none"})") + "." + payload + "." + jwt::b64url("x")) == no_key);
  // HS256 keyed with the PEM text: the classic confusion; no HMAC is ever computed.
  BOOST_TEST(error_of(c, jwt::b64url(R"({"alg":"HS256"})") + "." + payload + "." + jwt::b64url(std::string(32, 'a'))) ==
             no_key);
  // A critical header nobody understands.
  BOOST_TEST(error_of(c, jwt::token_raw("RS256", k().rsa, R"({"alg":"RS256","crit":["exp"]})", json::serialize(times(600)))) ==
             no_key);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(times_and_audience)

BOOST_AUTO_TEST_CASE(expiry_with_the_clock_skew_leeway) {
  const auto c = config_with({k().rsa});
  BOOST_TEST(error_of(c, jwt::token("RS256", k().rsa, times(-30))) == "");  // inside the default minute
  BOOST_TEST(error_of(c, jwt::token("RS256", k().rsa, times(-90))) == invalid + "token is expired (exp)");
  const auto strict = config_with({k().rsa}, {{"ClockSkewLeeway", -1}});
  BOOST_TEST(error_of(strict, jwt::token("RS256", k().rsa, times(-1))) == invalid + "token is expired (exp)");
  const auto wide = config_with({k().rsa}, {{"ClockSkewLeeway", 300e9}});
  BOOST_TEST(error_of(wide, jwt::token("RS256", k().rsa, times(-290))) == "");
}

BOOST_AUTO_TEST_CASE(not_before_and_issued_at) {
  const auto c = config_with({k().rsa});
  BOOST_TEST(error_of(c, jwt::token("RS256", k().rsa, json::object{{"nbf", t + 30}, {"exp", t + 600}})) == "");
  BOOST_TEST(error_of(c, jwt::token("RS256", k().rsa, json::object{{"nbf", t + 90}, {"exp", t + 600}})) ==
             invalid + "token not valid yet (nbf)");
  // Without nbf, iat stands for it.
  BOOST_TEST(error_of(c, jwt::token("RS256", k().rsa, json::object{{"iat", t + 120}, {"exp", t + 600}})) ==
             invalid + "token not valid yet (nbf)");
  BOOST_TEST(error_of(c, jwt::token("RS256", k().rsa, json::object{{"iat", t + 120}, {"nbf", t - 5}, {"exp", t + 600}})) ==
             "error validating claims: square/go-jose/jwt: validation field, token issued in the future (iat)");
}

BOOST_AUTO_TEST_CASE(a_missing_bound_comes_from_the_leeways) {
  const auto c = config_with({k().rsa});
  // iat only: it expires 150 s later (ExpirationLeeway's default), plus the minute of skew.
  BOOST_TEST(error_of(c, jwt::token("RS256", k().rsa, json::object{{"iat", t - 200}})) == "");
  BOOST_TEST(error_of(c, jwt::token("RS256", k().rsa, json::object{{"iat", t - 220}})) == invalid + "token is expired (exp)");
  const auto longer = config_with({k().rsa}, {{"ExpirationLeeway", 3600e9}});
  BOOST_TEST(error_of(longer, jwt::token("RS256", k().rsa, json::object{{"iat", t - 3000}})) == "");
  // exp only: valid from 150 s before it (NotBeforeLeeway's default).
  BOOST_TEST(error_of(c, jwt::token("RS256", k().rsa, json::object{{"exp", t + 200}})) == "");
  BOOST_TEST(error_of(c, jwt::token("RS256", k().rsa, json::object{{"exp", t + 300}})) == invalid + "token not valid yet (nbf)");
  BOOST_TEST(error_of(c, jwt::token("RS256", k().rsa, json::object{{"sub", "x"}})) ==
             "no issue time, notbefore, or expiration time encoded in token");
}

BOOST_AUTO_TEST_CASE(issuer_and_audience) {
  const auto c = config_with({k().rsa}, {{"BoundIssuer", "https://issuer"}, {"BoundAudiences", json::array{"a", "b"}}});
  auto with = [&](json::object extra) {
    json::object claims = times(600);
    for (const auto& kv : extra) claims[kv.key()] = kv.value();
    return jwt::token("RS256", k().rsa, claims);
  };
  BOOST_TEST(error_of(c, with({{"iss", "https://issuer"}, {"aud", "b"}})) == "");
  BOOST_TEST(error_of(c, with({{"iss", "https://issuer"}, {"aud", json::array{"x", "a"}}})) == "");
  BOOST_TEST(error_of(c, with({{"iss", "https://other"}, {"aud", "a"}})) == invalid + "invalid issuer claim (iss)");
  BOOST_TEST(error_of(c, with({{"iss", "https://issuer"}, {"aud", "z"}})) ==
             "error validating claims: aud claim does not match any bound audience");
  BOOST_TEST(error_of(c, with({{"iss", "https://issuer"}})) ==
             "error validating claims: aud claim does not match any bound audience");
  BOOST_TEST(error_of(config_with({k().rsa}), with({{"aud", "a"}})) ==
             "error validating claims: audience claim found in JWT but no audiences are bound");
  // A claim of the wrong type fails decoding, which go-sso counts as the key not validating.
  BOOST_TEST(error_of(c, with({{"iss", "https://issuer"}, {"aud", json::array{1}}})) == no_key);
  BOOST_TEST(error_of(c, with({{"iss", 7}})) == no_key);
  BOOST_TEST(error_of(c, jwt::token("RS256", k().rsa, json::object{{"exp", "soon"}})) == no_key);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(malformed)

BOOST_AUTO_TEST_CASE(compact_forms_consul_refuses) {
  const auto c = config_with({k().rsa});
  const std::string three = "error parsing token: square/go-jose: compact JWS format must have three parts";
  BOOST_TEST(error_of(c, "") == "missing jwt");
  BOOST_TEST(error_of(c, "abc") == three);
  BOOST_TEST(error_of(c, "a.b") == three);
  BOOST_TEST(error_of(c, "a.b.c.d") == three);
  BOOST_TEST(error_of(c, "a!c.e30.") == "error parsing token: illegal base64 data at input byte 1");
  BOOST_TEST(error_of(c, "e30.e30.abcde") == "error parsing token: illegal base64 data at input byte 4");
  BOOST_TEST(error_of(c, jwt::b64url("[1]") + ".e30.") == "error parsing token: the JWS header is not a JSON object");
  BOOST_TEST(error_of(c, std::string(max_jwt_size + 1, 'a')) ==
             "error parsing token: the token is longer than 65536 bytes");
  // A payload that is not JSON, correctly signed.
  BOOST_TEST(error_of(c, jwt::token_raw("RS256", k().rsa, R"({"alg":"RS256"})", "not json")) == no_key);
  BOOST_TEST(error_of(c, jwt::token_raw("RS256", k().rsa, R"({"alg":"RS256"})", "[1]")) == no_key);
}

BOOST_AUTO_TEST_CASE(whitespace_and_padding_are_what_go_jose_forgives) {
  const auto c = config_with({k().rsa});
  std::string tok = jwt::token("RS256", k().rsa, times(600));
  std::string spaced = " ";
  spaced.append(tok, 0, 10).append("\n").append(tok, 10).append("\t");
  BOOST_TEST(error_of(c, spaced) == "");
  BOOST_TEST(error_of(c, tok + "==") == "");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(claims)

jwt_claims claims_of(const json::object& cfg, const json::object& payload, std::string* error = nullptr) {
  jwt_claims out;
  auto e = claims_from_jwt(parsed(cfg), jwt::token("ES256", k().p256, payload), now, out);
  if (error) *error = e.value_or("");
  else BOOST_TEST(!e.has_value(), e.value_or(""));
  return out;
}

BOOST_AUTO_TEST_CASE(value_and_list_mappings) {
  const auto cfg = config_with({k().p256}, {{"ClaimMappings", {{"first_name", "name"}, {"/org/primary", "org"},
                                                               {"/a~1b/1", "second"}, {"n", "number"}, {"ok", "flag"},
                                                               {"missing", "gone"}}},
                                            {"ListClaimMappings", {{"https://consul.test/groups", "groups"}, {"one", "single"}}}});
  json::object payload = times(600);
  payload["first_name"] = "Jeff2";
  payload["org"] = {{"primary", "engineering"}};
  payload["a/b"] = json::array{"x", "y"};
  payload["n"] = 42.9;
  payload["ok"] = true;
  payload["https://consul.test/groups"] = json::array{"foo", "", "bar", 7};
  payload["one"] = "solo";
  const auto c = claims_of(cfg, payload);
  BOOST_TEST(c.values.at("name") == "Jeff2");
  BOOST_TEST(c.values.at("org") == "engineering");
  BOOST_TEST(c.values.at("second") == "y");
  BOOST_TEST(c.values.at("number") == "42");
  BOOST_TEST(c.values.at("flag") == "true");
  BOOST_TEST(c.values.count("gone") == 0u);
  BOOST_TEST((c.lists.at("groups") == std::vector<std::string>{"foo", "bar", "7"}));
  BOOST_TEST((c.lists.at("single") == std::vector<std::string>{"solo"}));
}

BOOST_AUTO_TEST_CASE(claims_that_do_not_map) {
  std::string e;
  json::object payload = times(600);
  payload["o"] = {{"k", 1}};
  payload["g"] = json::array{json::object{{"a", 1}}};
  claims_of(config_with({k().p256}, {{"ClaimMappings", {{"o", "x"}}}}), payload, &e);
  BOOST_TEST(e == "error converting claim 'o' to string from unknown type map[string]interface {}");
  claims_of(config_with({k().p256}, {{"ListClaimMappings", {{"o", "x"}}}}), payload, &e);
  BOOST_TEST(e == "\"o\" list claim could not be converted to string list");
  claims_of(config_with({k().p256}, {{"ListClaimMappings", {{"g", "x"}}}}), payload, &e);
  BOOST_TEST(e == "value map[a:1] in \"g\" list claim could not be parsed as string");
}

BOOST_AUTO_TEST_SUITE_END()
