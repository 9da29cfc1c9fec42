#pragma once
// The built-in Connect CA as a Consul server keeps it: the CA configuration, the roots (the
// active one and those rotated out), the active signing key, and the signing of leaf
// certificates. Every change is a store write (write_txn) that touches tbl_connect_ca, so
// blocking roots and leaf queries wake; signing a leaf is a write that touches nothing, as
// Consul's serial-number bump is (agent/consul/leader_connect_ca.go, ca/provider_consul.go).
// Not the agent's leaf cache (leaf_cache.hpp) nor the HTTP side (endpoints/connect_ca.cpp).

#include "dev_agent/connect/crypto.hpp"
#include "dev_agent/connect/provider_config.hpp"
#include "dev_agent/store/state.hpp"

#include <coconsul/dev_agent_options.hpp>

#include <boost/json/object.hpp>

#include <cstdint>
#include <ctime>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coconsul::dev::connect {

// structs.CARoot, without the signing key.
struct ca_root {
  std::string id;    // SHA-1 fingerprint of the DER
  std::string name;  // "Consul CA Primary Cert"
  std::uint64_t serial_number = 0;
  std::string signing_key_id;  // the SubjectKeyId
  std::string external_trust_domain;
  std::string not_before, not_after;  // RFC 3339, UTC
  std::string root_cert;              // PEM, ending in a newline
  std::vector<std::string> intermediate_certs;
  bool active = false;
  std::string private_key_type;
  int private_key_bits = 0;
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;
};

// structs.CAConfiguration (its ClusterID is not on the wire).
struct ca_configuration {
  std::string provider = "consul";
  boost::json::object config;
  bool force_without_cross_signing = false;
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;
};

// structs.IssuedCert, with what the agent's leaf cache needs beside it.
struct issued_cert {
  std::string serial_number;  // hex pairs
  std::string cert_pem;       // the leaf, then the active root's intermediates
  std::string private_key_pem;
  std::string service;
  std::string service_uri;
  std::string valid_after, valid_before;  // RFC 3339, UTC
  std::time_t valid_after_epoch = 0, valid_before_epoch = 0;
  std::string authority_key_id;  // which CA key signed it
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;
};

// A refused PUT /v1/connect/ca/configuration: the status and Consul's text.
struct ca_update_error {
  unsigned status = 500;
  std::string message;
};

// The body of PUT /v1/connect/ca/configuration, decoded.
struct ca_update {
  std::string provider;
  boost::json::object config;
  std::map<std::string, std::string> state;
  bool force_without_cross_signing = false;
};

class certificate_authority {
 public:
  certificate_authority(const dev_agent_options& options, state_store& state);
  certificate_authority(const certificate_authority&) = delete;
  certificate_authority& operator=(const certificate_authority&) = delete;

  // Consul's CA initialisation on gaining leadership: the configuration (the ClusterID from
  // options.connect.cluster_id when it is a UUID, else a fresh one) and the first root, in one
  // write. Nothing
  // when Connect is disabled. On failure (a key type OpenSSL cannot make) returns the reason
  // and the CA stays uninitialised.
  std::optional<std::string> initialize();

  bool enabled() const { return options_.connect.enabled; }
  bool initialized() const { return static_cast<bool>(key_); }
  const std::string& cluster_id() const { return cluster_id_; }
  // "<cluster-id>.consul"; "" before initialisation.
  std::string trust_domain() const;

  const std::vector<ca_root>& roots() const { return roots_; }
  const ca_root* active_root() const;
  // The index of the last write to the roots (Consul's connect-ca-roots table index).
  std::uint64_t roots_index() const { return roots_index_; }
  const ca_configuration& configuration() const { return config_; }

  // ConnectCA.ConfigurationSet: a no-op when nothing changed; a configuration write when the
  // provider stays the same; else a new key and root, cross-signed by the old one unless the
  // old configuration disables it (then only with ForceWithoutCrossSigning), the old roots kept
  // inactive. nullopt on success.
  std::optional<ca_update_error> update(const ca_update& u);

  // Signs a leaf for `service` with the active root: a fresh EC P-256 key (as the agent makes
  // one for its CSR), the service's SPIFFE ID, the configured LeafCertTTL. A write touching
  // tbl_connect_ca: its index is the certificate's CreateIndex and ModifyIndex; the roots'
  // index does not move. Only on an initialised CA; throws std::runtime_error if OpenSSL fails.
  issued_cert sign(const std::string& service);

 private:
  std::optional<ca_update_error> rotate(const ca_update& u, const provider_config& next);
  ca_root root_record(X509* cert) const;
  std::uint64_t next_serial() { return ++serial_; }

  const dev_agent_options& options_;
  state_store& state_;
  std::string cluster_id_;
  ca_configuration config_;
  provider_config provider_;  // config_.config as read
  std::vector<ca_root> roots_;
  std::uint64_t roots_index_ = 0;
  pkey_ptr key_;   // the active root's key
  x509_ptr cert_;  // the active root
  std::uint64_t serial_ = 0;  // Consul's provider serial number, one per certificate issued
};

}  // namespace coconsul::dev::connect
