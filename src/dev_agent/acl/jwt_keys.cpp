// Public keys from PEM and JWS signature checks with OpenSSL (see jwt_keys.hpp).
#include "dev_agent/acl/jwt_keys.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <array>
#include <cstring>

namespace coconsul::dev::acl {
namespace {

template <class T, void (*F)(T*)>
struct deleter {
  void operator()(T* p) const { F(p); }
};
using bio_ptr = std::unique_ptr<BIO, deleter<BIO, BIO_free_all>>;
using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using pkey_ctx_ptr = std::unique_ptr<EVP_PKEY_CTX, deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using ecdsa_sig_ptr = std::unique_ptr<ECDSA_SIG, deleter<ECDSA_SIG, ECDSA_SIG_free>>;
using x509_ptr = std::unique_ptr<X509, deleter<X509, X509_free>>;

void free_pem_data(unsigned char* p) { OPENSSL_free(p); }
void free_pem_text(char* p) { OPENSSL_free(p); }
using pem_bytes = std::unique_ptr<unsigned char, deleter<unsigned char, free_pem_data>>;
using pem_text = std::unique_ptr<char, deleter<char, free_pem_text>>;

std::shared_ptr<EVP_PKEY> share(EVP_PKEY* k) { return std::shared_ptr<EVP_PKEY>(k, EVP_PKEY_free); }

// Go's x509 parses ECDSA keys on these curves only ("x509: unsupported elliptic curve").
bool go_curve(EVP_PKEY* key) {
  std::array<char, 64> name{};
  if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name.data(), name.size(), nullptr) != 1)
    return false;
  const int nid = OBJ_sn2nid(name.data());
  return nid == NID_secp224r1 || nid == NID_X9_62_prime256v1 || nid == NID_secp384r1 || nid == NID_secp521r1;
}

const EVP_MD* digest_of(std::string_view alg) {
  const std::string_view bits = alg.substr(2);
  if (bits == "256") return EVP_sha256();
  if (bits == "384") return EVP_sha384();
  if (bits == "512") return EVP_sha512();
  return nullptr;
}

bool verify_rsa(EVP_PKEY* key, std::string_view alg, std::string_view input, std::string_view sig) {
  const bool pss = alg.starts_with("PS");
  if (!pss && !alg.starts_with("RS")) return false;
  const EVP_MD* md = digest_of(alg);
  if (!md || alg.size() != 5) return false;
  md_ctx_ptr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, md, nullptr, key) != 1) return false;
  if (pss && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
              EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_AUTO) != 1))
    return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                          reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
}

// go-jose takes r and s as fixed-size halves and hands the digest to ecdsa.Verify, whatever the
// key's curve; OpenSSL wants them DER-encoded.
bool verify_ec(EVP_PKEY* key, std::string_view alg, std::string_view input, std::string_view sig) {
  std::size_t half = 0;
  if (alg == "ES256") half = 32;
  else if (alg == "ES384") half = 48;
  else if (alg == "ES512") half = 66;
  else return false;
  if (sig.size() != 2 * half) return false;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_size = 0;
  if (EVP_Digest(input.data(), input.size(), digest.data(), &digest_size, digest_of(alg), nullptr) != 1) return false;
  ecdsa_sig_ptr es(ECDSA_SIG_new());
  const auto* raw = reinterpret_cast<const unsigned char*>(sig.data());
  BIGNUM* r = BN_bin2bn(raw, static_cast<int>(half), nullptr);
  BIGNUM* s = BN_bin2bn(raw + half, static_cast<int>(half), nullptr);
  if (!es || !r || !s || ECDSA_SIG_set0(es.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return false;
  }
  unsigned char* der = nullptr;
  const int der_size = i2d_ECDSA_SIG(es.get(), &der);
  if (der_size <= 0) return false;
  pem_bytes der_owner(der);
  pkey_ctx_ptr ctx(EVP_PKEY_CTX_new(key, nullptr));
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1) return false;
  return EVP_PKEY_verify(ctx.get(), der, static_cast<std::size_t>(der_size), digest.data(), digest_size) == 1;
}

bool verify_ed25519(EVP_PKEY* key, std::string_view alg, std::string_view input, std::string_view sig) {
  if (alg != "EdDSA") return false;
  md_ctx_ptr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                          reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
}

}  // namespace

std::shared_ptr<EVP_PKEY> parse_public_key_pem(std::string_view pem, std::string& error) {
  // A refused key leaves OpenSSL's error queue empty for the next user of this thread.
  struct clear_errors {
    ~clear_errors() { ERR_clear_error(); }
  } clear;
  error = "data does not contain any valid RSA, ECDSA, or ED25519 public keys";
  bio_ptr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long size = 0;
  // Go's pem.Decode: the first block, whatever its type.
  if (!bio || PEM_read_bio(bio.get(), &name, &header, &data, &size) != 1) return nullptr;
  pem_text name_owner(name), header_owner(header);
  pem_bytes data_owner(data);
  const unsigned char* p = data;
  std::shared_ptr<EVP_PKEY> key = share(d2i_PUBKEY(nullptr, &p, size));
  if (!key || p != data + size) {
    p = data;
    x509_ptr cert(d2i_X509(nullptr, &p, size));
    if (!cert || p != data + size) {
      error = "x509: malformed certificate";
      return nullptr;
    }
    key = share(X509_get_pubkey(cert.get()));
    if (!key) return nullptr;
  }
  switch (EVP_PKEY_get_base_id(key.get())) {
    case EVP_PKEY_RSA: break;
    case EVP_PKEY_EC:
      if (!go_curve(key.get())) {
        error = "x509: unsupported elliptic curve";
        return nullptr;
      }
      break;
    case EVP_PKEY_ED25519: break;
    default: return nullptr;
  }
  error.clear();
  return key;
}

bool verify_jws_signature(EVP_PKEY* key, std::string_view alg, std::string_view signing_input,
                          std::string_view signature) {
  if (!key || alg.size() < 5) return false;
  struct clear_errors {
    ~clear_errors() { ERR_clear_error(); }
  } clear;
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA: return verify_rsa(key, alg, signing_input, signature);
    case EVP_PKEY_EC: return verify_ec(key, alg, signing_input, signature);
    case EVP_PKEY_ED25519: return verify_ed25519(key, alg, signing_input, signature);
    default: return false;
  }
}

}  // namespace coconsul::dev::acl
