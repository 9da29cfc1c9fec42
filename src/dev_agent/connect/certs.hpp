#pragma once
// The certificates Consul's built-in CA issues, as its templates make them
// (agent/connect/ca/provider_consul.go): the self-signed root, a service's leaf, and the
// cross-signature of a new root by the old one during a rotation. Pure OpenSSL work: no state,
// no clock beyond the `now` passed in.

#include "dev_agent/connect/crypto.hpp"

#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>

namespace coconsul::dev::connect {

// generateCA: serial `serial`, CN root_common_name(cluster_id), URI SAN signing_uri(cluster_id),
// CA:TRUE (critical), key usage certSign, cRLSign and digitalSignature (critical),
// SubjectKeyId = AuthorityKeyId = key_id(key), valid from `now` for `ttl`. Null on failure.
x509_ptr make_root(EVP_PKEY* key, std::uint64_t serial, const std::string& cluster_id, std::chrono::seconds ttl,
                   std::time_t now);

// Sign: an empty subject, the URI SAN `uri` (critical, as Go marks it for an empty subject),
// CA:FALSE, key usage digitalSignature, keyEncipherment, dataEncipherment and keyAgreement
// (critical), client and server auth, SubjectKeyId = key_id(leaf_key), AuthorityKeyId =
// the CA certificate's SubjectKeyId (as Go's CreateCertificate takes it from the parent), valid
// from `now - backdate` for `ttl`, issued by `ca_cert`. Null on failure.
struct leaf_template {
  EVP_PKEY* ca_key = nullptr;
  X509* ca_cert = nullptr;
  EVP_PKEY* leaf_key = nullptr;
  std::uint64_t serial = 0;
  std::string uri;
  std::chrono::seconds ttl{0};
  std::chrono::seconds backdate{0};
};
x509_ptr sign_leaf(const leaf_template& t, std::time_t now);

// CrossSignCA: `new_root` re-issued by `old_root` (its subject as issuer, AuthorityKeyId =
// old_root's SubjectKeyId), serial `serial`, valid from a minute before `now` for 7 days. Null on failure.
x509_ptr cross_sign(X509* new_root, X509* old_root, EVP_PKEY* old_key, std::uint64_t serial, std::time_t now);

}  // namespace coconsul::dev::connect
