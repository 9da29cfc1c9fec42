#pragma once
// The built-in ("consul") CA provider's configuration: the raw Config map Consul stores and
// returns, how it is read (ParseConsulCAConfig: mapstructure with weak typing, Consul's defaults)
// and checked (CommonCAProviderConfig.Validate), with Consul's error texts. No I/O, no OpenSSL.

#include <coconsul/dev_agent_options.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace coconsul::dev::connect {

struct provider_config {
  std::chrono::nanoseconds leaf_cert_ttl = std::chrono::hours(72);
  std::chrono::nanoseconds intermediate_cert_ttl = std::chrono::hours(8760);
  std::chrono::nanoseconds root_cert_ttl = std::chrono::hours(87600);
  std::string private_key_type = "ec";
  int private_key_bits = 256;
  std::string private_key;  // PEM; empty: the provider makes one
  std::string root_cert;    // PEM; empty: the provider makes one
  bool disable_cross_signing = false;

  // What names one provider instance (Consul hashes these into the provider's ID): a change of
  // any of them makes a new key and root, and so a rotation.
  bool same_provider(const provider_config& o) const {
    return private_key == o.private_key && root_cert == o.root_cert && private_key_type == o.private_key_type &&
           private_key_bits == o.private_key_bits;
  }
};

// Reads `raw` over Consul's defaults and validates it. On failure returns nullopt and `error`
// is Consul's text ("leaf cert TTL must be greater or equal than 1h0m0s", "error decoding
// config: ...").
std::optional<provider_config> parse_provider_config(const boost::json::object& raw, std::string& error);

// The Config map a dev agent starts with: Consul's dev defaults (LeafCertTTL "72h",
// IntermediateCertTTL "8760h", RootCertTTL "87600h") with the agent's connect settings over them.
boost::json::object initial_config(const dev_agent_options::connect_settings& s);

}  // namespace coconsul::dev::connect
