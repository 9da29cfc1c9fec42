// OpenSSL handles, keys, PEM and Consul's digests (see crypto.hpp).

#include "dev_agent/connect/crypto.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <ctime>

namespace coconsul::dev::connect {

namespace {
struct bio_free {
  void operator()(BIO* b) const { BIO_free(b); }
};
using bio_ptr = std::unique_ptr<BIO, bio_free>;

bio_ptr read_bio(std::string_view text) {
  return bio_ptr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

std::string drain(BIO* b) {
  char* data = nullptr;
  long n = BIO_get_mem_data(b, &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

const char* curve_for(int bits) {
  switch (bits) {
    case 224: return "P-224";
    case 256: return "P-256";
    case 384: return "P-384";
    case 521: return "P-521";
    default: return nullptr;
  }
}

std::tm tm_of(const ASN1_TIME* t) {
  std::tm tm{};
  ASN1_TIME_to_tm(t, &tm);
  return tm;
}

std::string rfc3339(const ASN1_TIME* t) {
  std::tm tm = tm_of(t);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::int64_t epoch(const ASN1_TIME* t) {
  std::tm tm = tm_of(t);
  return static_cast<std::int64_t>(timegm(&tm));
}

std::vector<unsigned char> serial_bytes(X509* cert) {
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr), &BN_free);
  if (!bn) return {};
  std::vector<unsigned char> out(static_cast<std::size_t>(BN_num_bytes(bn.get())));
  BN_bn2bin(bn.get(), out.data());
  return out;
}
}  // namespace

pkey_ptr generate_key(std::string_view type, int bits) {
  if (type == "ec") {
    const char* curve = curve_for(bits);
    if (!curve) return nullptr;
    return pkey_ptr(EVP_EC_gen(curve));
  }
  if (type == "rsa") {
    if (bits != 2048 && bits != 4096) return nullptr;
    return pkey_ptr(EVP_RSA_gen(static_cast<unsigned>(bits)));
  }
  return nullptr;
}

std::string key_to_pem(EVP_PKEY* key) {
  bio_ptr b(BIO_new(BIO_s_mem()));
  if (!b || PEM_write_bio_PrivateKey_traditional(b.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) return {};
  return drain(b.get());
}

pkey_ptr key_from_pem(std::string_view pem) {
  auto b = read_bio(pem);
  if (!b) return nullptr;
  return pkey_ptr(PEM_read_bio_PrivateKey(b.get(), nullptr, nullptr, nullptr));
}

std::string cert_to_pem(X509* cert) {
  bio_ptr b(BIO_new(BIO_s_mem()));
  if (!b || PEM_write_bio_X509(b.get(), cert) != 1) return {};
  return drain(b.get());
}

x509_ptr cert_from_pem(std::string_view pem) {
  auto b = read_bio(pem);
  if (!b) return nullptr;
  return x509_ptr(PEM_read_bio_X509(b.get(), nullptr, nullptr, nullptr));
}

std::string hex_string(const unsigned char* data, std::size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 3);
  for (std::size_t i = 0; i < size; ++i) {
    if (i) out += ':';
    out += digits[data[i] >> 4];
    out += digits[data[i] & 0xf];
  }
  return out;
}

std::vector<unsigned char> key_id_bytes(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(key, &der);
  if (n <= 0) return {};
  std::vector<unsigned char> md(SHA256_DIGEST_LENGTH);
  SHA256(der, static_cast<std::size_t>(n), md.data());
  OPENSSL_free(der);
  return md;
}

std::string key_id(EVP_PKEY* key) {
  auto id = key_id_bytes(key);
  return hex_string(id.data(), id.size());
}

std::string fingerprint(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (X509_digest(cert, EVP_sha1(), md, &n) != 1) return {};
  return hex_string(md, n);
}

std::string subject_key_id(X509* cert) {
  const ASN1_OCTET_STRING* id = X509_get0_subject_key_id(cert);
  return id ? hex_string(ASN1_STRING_get0_data(id), static_cast<std::size_t>(ASN1_STRING_length(id))) : std::string();
}

std::string authority_key_id(X509* cert) {
  const ASN1_OCTET_STRING* id = X509_get0_authority_key_id(cert);
  return id ? hex_string(ASN1_STRING_get0_data(id), static_cast<std::size_t>(ASN1_STRING_length(id))) : std::string();
}

std::optional<key_info> info_of(EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_EC: return key_info{"ec", EVP_PKEY_get_bits(key)};
    case EVP_PKEY_RSA: return key_info{"rsa", EVP_PKEY_get_bits(key)};
    default: return std::nullopt;
  }
}

std::uint64_t serial_of(X509* cert) {
  std::uint64_t v = 0;
  for (unsigned char b : serial_bytes(cert)) v = (v << 8) | b;  // keeps the low 64 bits, as Uint64()
  return v;
}

std::string serial_hex(X509* cert) {
  auto bytes = serial_bytes(cert);
  return hex_string(bytes.data(), bytes.size());
}

std::string not_before_rfc3339(X509* cert) { return rfc3339(X509_get0_notBefore(cert)); }
std::string not_after_rfc3339(X509* cert) { return rfc3339(X509_get0_notAfter(cert)); }
std::int64_t not_before_epoch(X509* cert) { return epoch(X509_get0_notBefore(cert)); }
std::int64_t not_after_epoch(X509* cert) { return epoch(X509_get0_notAfter(cert)); }

}  // namespace coconsul::dev::connect
