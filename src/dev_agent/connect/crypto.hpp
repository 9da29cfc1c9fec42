#pragma once
// OpenSSL underneath the built-in CA: owning handles, key generation, PEM in and out, and the
// digests Consul names certificates by (agent/connect/generate.go, parsing.go). Knows nothing of
// Connect's certificate templates (certs.hpp) or of the CA's state (ca_state.hpp).

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul::dev::connect {

struct pkey_free {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct x509_free {
  void operator()(X509* x) const { X509_free(x); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_free>;
using x509_ptr = std::unique_ptr<X509, x509_free>;

// A key as Consul's GeneratePrivateKeyWithConfig makes one: "ec" with 224, 256, 384 or 521 bits
// (the NIST P-curve of that size) or "rsa" with 2048 or 4096. Null for anything else.
pkey_ptr generate_key(std::string_view type, int bits);

// The key in Go's encoding: "EC PRIVATE KEY" (SEC 1) or "RSA PRIVATE KEY" (PKCS #1).
std::string key_to_pem(EVP_PKEY* key);
// Any PEM private key OpenSSL reads (SEC 1, PKCS #1, PKCS #8). Null when it does not parse.
pkey_ptr key_from_pem(std::string_view pem);

// "-----BEGIN CERTIFICATE-----..." ending in a newline.
std::string cert_to_pem(X509* cert);
// The first certificate in `pem`. Null when there is none.
x509_ptr cert_from_pem(std::string_view pem);

// Consul's HexString: lower-case hex pairs joined by ':' ("a1:b2:...").
std::string hex_string(const unsigned char* data, std::size_t size);
// Consul's KeyId: SHA-256 of the PKIX (SubjectPublicKeyInfo) encoding of the public key; raw
// (for the SubjectKeyId and AuthorityKeyId extensions) and as hex_string.
std::vector<unsigned char> key_id_bytes(EVP_PKEY* key);
std::string key_id(EVP_PKEY* key);
// Consul's CalculateCertFingerprint: SHA-1 of the DER certificate, as hex_string.
std::string fingerprint(X509* cert);
// The certificate's SubjectKeyId / AuthorityKeyId extension, as hex_string ("" when absent).
std::string subject_key_id(X509* cert);
std::string authority_key_id(X509* cert);

// "ec" or "rsa" and the size in bits (Consul's KeyInfoFromCert); nullopt for other key types.
struct key_info {
  std::string type;
  int bits = 0;
};
std::optional<key_info> info_of(EVP_PKEY* key);

// The serial number's low 64 bits (Go's big.Int.Uint64()).
std::uint64_t serial_of(X509* cert);
// The serial number's big-endian bytes as hex_string (IssuedCert.SerialNumber).
std::string serial_hex(X509* cert);
// notBefore / notAfter as Go's time.Time marshals in UTC: "2026-12-02T05:48:06Z".
std::string not_before_rfc3339(X509* cert);
std::string not_after_rfc3339(X509* cert);
// The validity bounds as seconds since the epoch.
std::int64_t not_before_epoch(X509* cert);
std::int64_t not_after_epoch(X509* cert);

}  // namespace coconsul::dev::connect
