#pragma once
// Test keys and JWTs made with OpenSSL for the jwt auth method's tests: RSA 2048, EC P-256,
// P-384, P-521 and Ed25519 key pairs (and public keys from JWK coordinates), their PEM public
// keys, and compact JWS tokens signed with any JWS algorithm (ES* in the raw r||s form).
// Header-only; test code.

#include "core/base64.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul::test::jwt {

using pkey = std::shared_ptr<EVP_PKEY>;

inline pkey own(EVP_PKEY* k) {
  if (!k) throw std::runtime_error("OpenSSL key generation failed");
  return pkey(k, EVP_PKEY_free);
}
inline pkey rsa_key() { return own(EVP_RSA_gen(2048)); }
inline pkey ec_key(const char* curve) { return own(EVP_EC_gen(curve)); }
inline pkey ed25519_key() { return own(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")); }

inline std::string public_pem(const pkey& k) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, k.get());
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return pem;
}

inline std::string b64url(std::string_view bytes) {
  std::string s = core::base64_encode(bytes);
  while (!s.empty() && s.back() == '=') s.pop_back();
  for (char& c : s) c = c == '+' ? '-' : (c == '/' ? '_' : c);
  return s;
}

inline std::string b64url_decode(std::string_view text) {
  std::string s(text), out;
  for (char& c : s) c = c == '-' ? '+' : (c == '_' ? '/' : c);
  while (s.size() % 4) s += '=';
  core::base64_decode(s, out, core::base64_mode::strict);
  return out;
}

// A public key from a JWK's coordinates: an EC point (x, y) on `group` ("prime256v1"), or an
// Ed25519 key (x).
inline pkey ec_public_key(const char* group, std::string_view x_b64, std::string_view y_b64) {
  std::string point(1, '\x04');  // uncompressed
  point += b64url_decode(x_b64);
  point += b64url_decode(y_b64);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>(group), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()), OSSL_PARAM_construct_end()};
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY* k = nullptr;
  EVP_PKEY_fromdata_init(ctx);
  EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params);
  EVP_PKEY_CTX_free(ctx);
  return own(k);
}
inline pkey ed25519_public_key(std::string_view x_b64) {
  const std::string x = b64url_decode(x_b64);
  return own(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(x.data()),
                                         x.size()));
}

inline const EVP_MD* md_of(std::string_view alg) {
  if (alg.ends_with("256")) return EVP_sha256();
  if (alg.ends_with("384")) return EVP_sha384();
  return EVP_sha512();
}

// The signature of `input` for `alg` ("RS256", "PS384", "ES512", "EdDSA", …).
inline std::string sign(std::string_view alg, const pkey& k, std::string_view input) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  const EVP_MD* md = alg == "EdDSA" ? nullptr : md_of(alg);
  EVP_DigestSignInit(ctx, &pctx, md, nullptr, k.get());
  if (alg.starts_with("PS")) {
    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
  }
  std::size_t n = 0;
  EVP_DigestSign(ctx, nullptr, &n, reinterpret_cast<const unsigned char*>(input.data()), input.size());
  std::string sig(n, '\0');
  if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &n,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
    throw std::runtime_error("OpenSSL signing failed");
  sig.resize(n);
  EVP_MD_CTX_free(ctx);
  if (!alg.starts_with("ES")) return sig;
  // DER (r, s) to JWS's fixed-size r||s.
  const std::size_t half = alg == "ES256" ? 32 : (alg == "ES384" ? 48 : 66);
  const auto* p = reinterpret_cast<const unsigned char*>(sig.data());
  ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
  std::string raw(2 * half, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(half));
  BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(raw.data() + half), static_cast<int>(half));
  ECDSA_SIG_free(es);
  return raw;
}

// "<header>.<payload>.<signature>" with the header {"alg":alg,"typ":"JWT"}.
inline std::string token(std::string_view alg, const pkey& k, const boost::json::value& claims) {
  const boost::json::value header = {{"alg", alg}, {"typ", "JWT"}};
  const std::string input = b64url(boost::json::serialize(header)) + "." + b64url(boost::json::serialize(claims));
  return input + "." + b64url(sign(alg, k, input));
}

// A token with exactly these header and payload bytes, signed as `alg`.
inline std::string token_raw(std::string_view alg, const pkey& k, std::string_view header, std::string_view payload) {
  const std::string input = b64url(header) + "." + b64url(payload);
  return input + "." + b64url(sign(alg, k, input));
}

}  // namespace coconsul::test::jwt
