#pragma once
// The public keys of a `jwt` auth method and the JWS signature check, with OpenSSL: go-sso's
// parsePublicKeyPEM and go-jose v2's verifiers (what Consul 1.14 links). Knows nothing of
// claims or of the method's Config.

#include <openssl/evp.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace coconsul::dev::acl {

// The first PEM block of `pem` as a PKIX public key, or else as a certificate's key; RSA, ECDSA
// (P-224, P-256, P-384, P-521) or Ed25519. On failure nullptr and `error` says why as Go does
// ("data does not contain any valid RSA, ECDSA, or ED25519 public keys", "x509: malformed
// certificate").
std::shared_ptr<EVP_PKEY> parse_public_key_pem(std::string_view pem, std::string& error);

// Whether `signature` over `signing_input` verifies with `key` for the JWS `alg`: RS256/384/512
// (PKCS #1 v1.5), PS256/384/512 (PSS, any salt length), ES256/384/512 (r||s of 32, 48 or 66
// bytes each), EdDSA (Ed25519). An algorithm the key's type does not do, "none", HS* or
// anything else is false, as go-jose's ErrUnsupportedAlgorithm is.
bool verify_jws_signature(EVP_PKEY* key, std::string_view alg, std::string_view signing_input,
                          std::string_view signature);

}  // namespace coconsul::dev::acl
