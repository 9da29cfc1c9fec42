#pragma once
// Connect's built-in CA as Consul reports it: the trusted roots (GET /v1/connect/ca/roots and
// /v1/agent/connect/ca/roots: ca_roots), the CA configuration (GET and PUT
// /v1/connect/ca/configuration: ca_configuration) and a service's leaf certificate
// (GET /v1/agent/connect/ca/leaf/:service: issued_cert). Times are Consul's RFC 3339 strings
// ("2026-12-02T05:48:06Z"); certificates and keys are PEM text.

#include <coconsul/model/wire.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coconsul {

// One trusted root (Consul's CARoot; the signing key is never sent).
struct ca_root {
  std::string id{};    // the SHA-1 fingerprint of the certificate, as "ab:cd:..."
  std::string name{};  // "Consul CA Primary Cert"
  std::uint64_t serial_number = 0;
  std::string signing_key_id{};  // the key that signs leaves, as "ab:cd:..."; a leaf's AuthorityKeyId
  std::string external_trust_domain{};
  std::string not_before{};
  std::string not_after{};
  std::string root_cert{};                       // PEM
  std::vector<std::string> intermediate_certs{};  // PEM each (after a rotation: the cross-signed new root)
  bool active = false;
  std::string private_key_type{};  // "ec" or "rsa"
  int private_key_bits = 0;
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const ca_root&) const = default;
};
COCONSUL_WIRE_STRUCT(ca_root,
                     (id, "ID"), (name, "Name"), (serial_number, "SerialNumber"),
                     (signing_key_id, "SigningKeyID"), (external_trust_domain, "ExternalTrustDomain"),
                     (not_before, "NotBefore"), (not_after, "NotAfter"), (root_cert, "RootCert"),
                     (intermediate_certs, "IntermediateCerts"), (active, "Active"),
                     (private_key_type, "PrivateKeyType"), (private_key_bits, "PrivateKeyBits"),
                     (create_index, "CreateIndex"), (modify_index, "ModifyIndex"))

// Consul's IndexedCARoots. With Connect disabled: every field empty.
struct ca_roots {
  std::string active_root_id{};
  std::string trust_domain{};  // "<cluster-id>.consul"
  std::vector<ca_root> roots{};

  bool operator==(const ca_roots&) const = default;
};
COCONSUL_WIRE_STRUCT(ca_roots, (active_root_id, "ActiveRootID"), (trust_domain, "TrustDomain"), (roots, "Roots"))

// The built-in ("consul") provider's Config map, the keys Consul reads. Unset members are not
// sent, so Consul's defaults apply (LeafCertTTL 72h, IntermediateCertTTL 8760h, RootCertTTL
// 87600h, an EC P-256 key). A new PrivateKeyType or PrivateKeyBits, or a PrivateKey or RootCert
// of your own, makes the CA rotate to a new root.
struct ca_provider_config {
  std::chrono::nanoseconds leaf_cert_ttl{};          // 1h to 8760h
  std::chrono::nanoseconds intermediate_cert_ttl{};  // at least 3h and 3 * leaf_cert_ttl
  std::chrono::nanoseconds root_cert_ttl{};          // at least intermediate_cert_ttl
  std::string private_key_type{};                   // "ec" or "rsa"
  int private_key_bits = 0;                         // ec: 224, 256, 384, 521; rsa: 2048, 4096
  std::string private_key{};                        // PEM
  std::string root_cert{};                          // PEM; needs private_key
  bool disable_cross_signing = false;
  std::optional<double> csr_max_per_second{};  // 0: no limit
  std::optional<int> csr_max_concurrent{};

  bool operator==(const ca_provider_config&) const = default;
};
COCONSUL_WIRE_STRUCT(ca_provider_config,
                     (leaf_cert_ttl, "LeafCertTTL"), (intermediate_cert_ttl, "IntermediateCertTTL"),
                     (root_cert_ttl, "RootCertTTL"), (private_key_type, "PrivateKeyType"),
                     (private_key_bits, "PrivateKeyBits"), (private_key, "PrivateKey"),
                     (root_cert, "RootCert"), (disable_cross_signing, "DisableCrossSigning"),
                     (csr_max_per_second, "CSRMaxPerSecond"), (csr_max_concurrent, "CSRMaxConcurrent"))

// Consul's CAConfiguration (its ClusterID is not on the wire).
struct ca_configuration {
  std::string provider{};  // "consul"
  ca_provider_config config{};
  // The provider's own state; read-only (a PUT must leave it empty or unchanged).
  std::map<std::string, std::string> state{};
  // Rotate even when the current provider cannot cross-sign the new root.
  bool force_without_cross_signing = false;
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const ca_configuration&) const = default;
};
COCONSUL_WIRE_STRUCT(ca_configuration,
                     (provider, "Provider"), (config, "Config"), (state, "State"),
                     (force_without_cross_signing, "ForceWithoutCrossSigning"),
                     (create_index, "CreateIndex"), (modify_index, "ModifyIndex"))

// A leaf certificate the agent issued for a service (Consul's IssuedCert).
struct issued_cert {
  std::string serial_number{};  // "ab:cd:..."
  std::string cert_pem{};       // the leaf, then any intermediates it needs
  std::string private_key_pem{};
  std::string service{};
  std::string service_uri{};  // spiffe://<trust-domain>/ns/default/dc/<dc>/svc/<service>
  std::string agent{};
  std::string agent_uri{};
  std::string kind{};
  std::string kind_uri{};
  std::string valid_after{};
  std::string valid_before{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;  // the X-Consul-Index of the leaf endpoint

  bool operator==(const issued_cert&) const = default;
};
COCONSUL_WIRE_STRUCT(issued_cert,
                     (serial_number, "SerialNumber"), (cert_pem, "CertPEM"),
                     (private_key_pem, "PrivateKeyPEM"), (service, "Service"),
                     (service_uri, "ServiceURI"), (agent, "Agent"), (agent_uri, "AgentURI"),
                     (kind, "Kind"), (kind_uri, "KindURI"), (valid_after, "ValidAfter"),
                     (valid_before, "ValidBefore"), (create_index, "CreateIndex"),
                     (modify_index, "ModifyIndex"))

}  // namespace coconsul
