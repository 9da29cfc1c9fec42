#pragma once
// The Config of a `jwt` auth method (Consul's ssoauth.Config with go-sso's Validate): decoded from
// the method's JSON the way Consul's mapstructure decoding is (weakly typed, unknown keys
// refused), then checked with Consul's texts. Not the token validation (jwt_token.hpp).

#include "dev_agent/connect/crypto.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace coconsul::dev::acl {

struct jwt_method_config {
  std::vector<std::string> validation_pub_keys;  // PEM, as given
  std::string jwks_url, jwks_ca_cert, oidc_discovery_url, oidc_discovery_ca_cert;
  std::string bound_issuer;
  std::vector<std::string> bound_audiences;
  std::map<std::string, std::string> claim_mappings;       // claim (or JSON pointer) -> name
  std::map<std::string, std::string> list_claim_mappings;  // the same, for list claims
  std::vector<std::string> supported_algs;                 // only checked, as in Consul (docs/acl.md)
  // Go's time.Duration: 0 means the default (150 s, 150 s, 60 s), a negative value none.
  std::chrono::nanoseconds expiration_leeway{0}, not_before_leeway{0}, clock_skew_leeway{0};

  // validation_pub_keys parsed, in order; shared so that a config copies cheaply.
  std::vector<std::shared_ptr<EVP_PKEY>> keys;
};

// Decodes and validates `config`; on success fills `out` (keys parsed). The error text is what
// Consul's NewValidator returns (its AuthMethodSet prefixes "Invalid Auth Method: "), e.g.
// "exactly one of 'JWTValidationPubKeys', 'JWKSURL', or 'OIDCDiscoveryURL' must be set for type
// \"jwt\"". JWKSURL and OIDCDiscoveryURL are refused: a dev agent fetches nothing.
std::optional<std::string> parse_jwt_method_config(const boost::json::object& config, jwt_method_config& out);

// The same check without the result.
std::optional<std::string> validate_jwt_method_config(const boost::json::object& config);

}  // namespace coconsul::dev::acl
