// A bearer token verified as go-sso's verifyVanillaJWT does with static keys over go-jose v2
// (see jwt_token.hpp); the claim mappings are in jwt_claims.cpp.
#include "dev_agent/acl/jwt_token.hpp"

#include "core/base64.hpp"
#include "dev_agent/acl/jwt_go_values.hpp"
#include "dev_agent/acl/jwt_keys.hpp"

#include "core/json_parse.hpp"
#include <boost/json/parse_options.hpp>

#include <algorithm>
#include <cstdint>

namespace coconsul::dev::acl {
namespace json = boost::json;

namespace {

constexpr const char* no_key = "no known key successfully validated the token signature";

// go-jose's base64URLDecode: trailing '=' trimmed, then the URL alphabet without padding (Go's
// decoder lets non-zero trailing bits through, as core's does). The one base64 codec does the
// work once the alphabet is swapped.
bool base64url_decode(std::string_view text, std::string& out, std::string& error) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::string std_form(text);
  for (std::size_t i = 0; i < std_form.size(); ++i) {
    char& c = std_form[i];
    if (c == '-') c = '+';
    else if (c == '_') c = '/';
    else if (c == '+' || c == '/' || c == '=') {
      error = "illegal base64 data at input byte " + std::to_string(i);
      return false;
    }
  }
  if (std_form.size() % 4 == 1) {
    error = "illegal base64 data at input byte " + std::to_string(std_form.size() - 1);
    return false;
  }
  std_form.append((4 - std_form.size() % 4) % 4, '=');
  std::string why;
  if (core::base64_decode(std_form, out, core::base64_mode::strict, &why)) return true;
  const auto at = why.find("offset ");
  error = "illegal base64 data at input byte " + (at == std::string::npos ? std::string("0") : why.substr(at + 7));
  return false;
}

std::string base64url_encode(std::string_view bytes) {
  std::string s = core::base64_encode(bytes);
  while (!s.empty() && s.back() == '=') s.pop_back();
  for (char& c : s) {
    if (c == '+') c = '-';
    else if (c == '/') c = '_';
  }
  return s;
}

// Go's encoding/json is lenient where Boost.JSON is strict by default: invalid UTF-8 is let
// through. Depth is bounded (Boost.JSON's parser does not recurse; destruction does).
std::optional<json::value> parse_json(std::string_view text) {
  json::parse_options opts;
  opts.allow_invalid_utf8 = true;
  opts.max_depth = 64;
  boost::system::error_code ec;
  json::value v = core::parse_json(text, ec, opts);
  if (ec) return std::nullopt;
  return v;
}

// go-jose's jwt.Claims, decoded strictly: a wrong type is an error (which go-sso counts as the
// key not validating). Absent and null dates are 0, as go-sso then treats them.
struct registered_claims {
  std::string iss;
  std::vector<std::string> aud;
  std::int64_t exp = 0, nbf = 0, iat = 0;
};

bool decode_registered(const json::object& o, registered_claims& c) {
  for (const char* name : {"iss", "sub", "jti"}) {
    const json::value* v = o.if_contains(name);
    if (v && !v->is_null() && !v->is_string()) return false;
    if (v && v->is_string() && std::string_view(name) == "iss") c.iss = std::string(v->get_string());
  }
  if (const json::value* aud = o.if_contains("aud")) {
    // Audience's UnmarshalJSON sees null too, and refuses it.
    if (aud->is_string()) {
      c.aud.emplace_back(aud->get_string());
    } else if (aud->is_array()) {
      for (const auto& e : aud->get_array()) {
        if (!e.is_string()) return false;
        c.aud.emplace_back(e.get_string());
      }
    } else {
      return false;
    }
  }
  for (auto [name, slot] : {std::pair{"exp", &c.exp}, std::pair{"nbf", &c.nbf}, std::pair{"iat", &c.iat}}) {
    const json::value* v = o.if_contains(name);
    if (!v || v->is_null()) continue;
    double f = 0;
    if (!go_float(*v, f)) return false;
    *slot = go_float_to_int64(f);  // NumericDate(f)
  }
  return true;
}

// A Go time.Duration's Seconds() as go-sso turns a leeway into whole seconds: negative is none,
// zero is the default.
std::int64_t leeway_seconds(std::chrono::nanoseconds d, std::int64_t default_seconds) {
  const double s = static_cast<double>(d.count()) / 1e9;
  if (s < 0) return 0;
  if (s == 0) return default_seconds;
  return go_float_to_int64(s);
}

using wide = __int128;  // nanoseconds of any NumericDate without overflow
wide at_second(std::int64_t s) { return static_cast<wide>(s) * 1'000'000'000; }

// Go's int64 `+` and `-`, which wrap around (C++'s signed overflow is undefined): the claims
// are any int64 a token carries, so exp - leeway may wrap as it does in go-sso.
std::int64_t go_add(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}

std::optional<std::string> check_times(const jwt_method_config& config, registered_claims& c,
                                       std::chrono::system_clock::time_point now) {
  if (c.iat == 0 && c.exp == 0 && c.nbf == 0) return "no issue time, notbefore, or expiration time encoded in token";
  // Only one bound given: the other is made up from the leeways (150 s by default).
  if (c.exp == 0) c.exp = go_add(std::max(c.iat, c.nbf), leeway_seconds(config.expiration_leeway, 150));
  if (c.nbf == 0) c.nbf = c.iat != 0 ? c.iat : go_add(c.exp, -leeway_seconds(config.not_before_leeway, 150));
  const std::string prefix = "error validating claims: square/go-jose/jwt: ";
  if (!config.bound_issuer.empty() && config.bound_issuer != c.iss)
    return prefix + "validation failed, invalid issuer claim (iss)";
  // The clock-skew leeway (jwt.DefaultLeeway, a minute, unless set) widens every comparison.
  wide skew = config.clock_skew_leeway.count();
  if (skew < 0) skew = 0;
  else if (skew == 0) skew = at_second(60);
  const wide t = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  if (t + skew < at_second(c.nbf)) return prefix + "validation failed, token not valid yet (nbf)";
  if (t - skew > at_second(c.exp)) return prefix + "validation failed, token is expired (exp)";
  if (t + skew < at_second(c.iat)) return prefix + "validation field, token issued in the future (iat)";
  return std::nullopt;
}

// go-sso's validateAudience, strict as it is for JWTs.
std::optional<std::string> check_audience(const jwt_method_config& config, const registered_claims& c) {
  if (config.bound_audiences.empty()) {
    if (!c.aud.empty()) return "error validating claims: audience claim found in JWT but no audiences are bound";
    return std::nullopt;
  }
  for (const auto& want : config.bound_audiences)
    if (std::find(c.aud.begin(), c.aud.end(), want) != c.aud.end()) return std::nullopt;
  return "error validating claims: aud claim does not match any bound audience";
}

}  // namespace

std::optional<std::string> verify_jwt(const jwt_method_config& config, std::string_view token,
                                      std::chrono::system_clock::time_point now, json::object& claims) {
  if (token.empty()) return "missing jwt";
  if (token.size() > max_jwt_size)
    return "error parsing token: the token is longer than " + std::to_string(max_jwt_size) + " bytes";
  // go-jose's ParseSigned strips whitespace anywhere first.
  std::string compact;
  for (char c : token)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f') compact += c;
  if (!compact.empty() && compact[0] == '{')
    return "error parsing token: the dev agent reads the compact JWS serialization only";
  const auto first = compact.find('.');
  const auto second = first == std::string::npos ? first : compact.find('.', first + 1);
  if (second == std::string::npos || compact.find('.', second + 1) != std::string::npos)
    return "error parsing token: square/go-jose: compact JWS format must have three parts";
  std::string header, payload, signature, why;
  if (!base64url_decode(std::string_view(compact).substr(0, first), header, why) ||
      !base64url_decode(std::string_view(compact).substr(first + 1, second - first - 1), payload, why) ||
      !base64url_decode(std::string_view(compact).substr(second + 1), signature, why))
    return "error parsing token: " + why;

  // The protected header: an object when present (go-jose unmarshals it into a map).
  std::string alg;
  if (!header.empty()) {
    auto h = parse_json(header);
    if (!h || !h->is_object()) return std::string("error parsing token: the JWS header is not a JSON object");
    const json::object& ho = h->get_object();
    if (const auto* a = ho.if_contains("alg"); a && a->is_string()) alg = std::string(a->get_string());
    // A critical header go-jose does not know (any) fails every verification.
    if (const auto* crit = ho.if_contains("crit"); crit && !(crit->is_null() || (crit->is_array() && crit->get_array().empty())))
      return std::string(no_key);
  }

  // The signing input from the decoded parts, as go-jose's computeAuthData re-encodes them.
  const std::string input = base64url_encode(header) + "." + base64url_encode(payload);
  bool signed_ok = false;
  for (const auto& key : config.keys) {
    if (verify_jws_signature(key.get(), alg, input, signature)) {
      signed_ok = true;
      break;
    }
  }
  // A payload that does not decode fails jwt.Claims for every key alike.
  auto body = signed_ok ? parse_json(payload) : std::nullopt;
  registered_claims registered;
  if (!body || !body->is_object() || !decode_registered(body->get_object(), registered)) return std::string(no_key);

  if (auto e = check_times(config, registered, now)) return e;
  if (auto e = check_audience(config, registered)) return e;
  claims = std::move(body->get_object());
  return std::nullopt;
}

std::optional<std::string> claims_from_jwt(const jwt_method_config& config, std::string_view token,
                                           std::chrono::system_clock::time_point now, jwt_claims& out) {
  json::object all;
  if (auto e = verify_jwt(config, token, now, all)) return e;
  return extract_claims(config, all, out);
}

}  // namespace coconsul::dev::acl
