#pragma once
// A bearer token checked as a `jwt` auth method with static keys checks it (go-sso's
// ClaimsFromJWT over go-jose v2, as Consul 1.14 links them): the compact JWS parsed, its
// signature verified against any of the method's keys, exp/nbf/iat with the leeways at a given
// `now`, iss and aud; then the mapped claims. Consul's error texts. No I/O.

#include "dev_agent/acl/jwt_config.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul::dev::acl {

// A dev agent's bound on a bearer token (Consul has none but its request size): far above any
// real JWT, and it keeps a hostile one from costing more than a signature check.
inline constexpr std::size_t max_jwt_size = 64 * 1024;

// What the claim mappings make of a token's claims (go-sso's Claims).
struct jwt_claims {
  std::map<std::string, std::string> values;              // ClaimMappings' targets
  std::map<std::string, std::vector<std::string>> lists;  // ListClaimMappings' targets
};

// The token's verified claims, all of them (the payload object). The error is Consul's text:
// "missing jwt", "error parsing token: …", "no known key successfully validated the token
// signature", "no issue time, notbefore, or expiration time encoded in token", "error validating
// claims: …".
std::optional<std::string> verify_jwt(const jwt_method_config& config, std::string_view token,
                                      std::chrono::system_clock::time_point now, boost::json::object& claims);

// go-sso's extractClaims: each mapping's claim (a top-level name, or a JSON pointer when it
// starts with '/') as a string, or a list of strings. Errors as Consul words them.
std::optional<std::string> extract_claims(const jwt_method_config& config, const boost::json::object& all,
                                          jwt_claims& out);

// Both: ValidateLogin's claims.
std::optional<std::string> claims_from_jwt(const jwt_method_config& config, std::string_view token,
                                           std::chrono::system_clock::time_point now, jwt_claims& out);

}  // namespace coconsul::dev::acl
