// Consul's certificate templates over OpenSSL (see certs.hpp).

#include "dev_agent/connect/certs.hpp"

#include "dev_agent/connect/spiffe.hpp"

#include <openssl/x509v3.h>

#include <vector>

namespace coconsul::dev::connect {

namespace {
// One extension from OpenSSL's config syntax ("critical,CA:TRUE"). False on failure.
bool add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

// Consul's own key IDs (SHA-256 of the public key), not OpenSSL's SHA-1 "hash".
bool add_subject_key_id(X509* cert, const std::vector<unsigned char>& id) {
  ASN1_OCTET_STRING* os = ASN1_OCTET_STRING_new();
  bool ok = os && ASN1_OCTET_STRING_set(os, id.data(), static_cast<int>(id.size())) == 1 &&
            X509_add1_ext_i2d(cert, NID_subject_key_identifier, os, 0, X509V3_ADD_DEFAULT) == 1;
  ASN1_OCTET_STRING_free(os);
  return ok;
}

bool add_authority_key_id(X509* cert, const std::vector<unsigned char>& id) {
  AUTHORITY_KEYID* akid = AUTHORITY_KEYID_new();
  if (!akid) return false;
  akid->keyid = ASN1_OCTET_STRING_new();
  bool ok = akid->keyid && ASN1_OCTET_STRING_set(akid->keyid, id.data(), static_cast<int>(id.size())) == 1 &&
            X509_add1_ext_i2d(cert, NID_authority_key_identifier, akid, 0, X509V3_ADD_REPLACE) == 1;
  AUTHORITY_KEYID_free(akid);
  return ok;
}

bool set_serial(X509* cert, std::uint64_t serial) {
  return ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert), serial) == 1;
}

bool set_validity(X509* cert, std::time_t from, std::time_t until) {
  return ASN1_TIME_set(X509_getm_notBefore(cert), from) && ASN1_TIME_set(X509_getm_notAfter(cert), until);
}

std::time_t plus(std::time_t t, std::chrono::seconds d) { return t + static_cast<std::time_t>(d.count()); }

// What Go's CreateCertificate writes as AuthorityKeyId: the issuer's SubjectKeyId when it has
// one (overriding the template's), else the key ID of the signing key.
std::vector<unsigned char> issuer_key_id(X509* issuer, EVP_PKEY* issuer_key) {
  if (const ASN1_OCTET_STRING* id = X509_get0_subject_key_id(issuer)) {
    const unsigned char* p = ASN1_STRING_get0_data(id);
    return std::vector<unsigned char>(p, p + ASN1_STRING_length(id));
  }
  return key_id_bytes(issuer_key);
}
}  // namespace

x509_ptr make_root(EVP_PKEY* key, std::uint64_t serial, const std::string& cluster_id, std::chrono::seconds ttl,
                   std::time_t now) {
  x509_ptr cert(X509_new());
  if (!cert) return nullptr;
  X509* x = cert.get();
  X509_NAME* name = X509_get_subject_name(x);
  std::string cn = root_common_name(cluster_id);
  auto id = key_id_bytes(key);
  bool ok = X509_set_version(x, 2) == 1 && set_serial(x, serial) &&
            X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()),
                                       -1, -1, 0) == 1 &&
            X509_set_issuer_name(x, name) == 1 && set_validity(x, now, plus(now, ttl)) &&
            X509_set_pubkey(x, key) == 1 && add_ext(x, x, NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign") &&
            add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE") && add_subject_key_id(x, id) &&
            add_authority_key_id(x, id) && add_ext(x, x, NID_subject_alt_name, "URI:" + signing_uri(cluster_id)) &&
            X509_sign(x, key, EVP_sha256()) > 0;
  return ok ? std::move(cert) : nullptr;
}

x509_ptr sign_leaf(const leaf_template& t, std::time_t now) {
  x509_ptr cert(X509_new());
  if (!cert) return nullptr;
  X509* x = cert.get();
  std::time_t from = now - static_cast<std::time_t>(t.backdate.count());
  bool ok = X509_set_version(x, 2) == 1 && set_serial(x, t.serial) &&
            X509_set_issuer_name(x, X509_get_subject_name(t.ca_cert)) == 1 && set_validity(x, from, plus(from, t.ttl)) &&
            X509_set_pubkey(x, t.leaf_key) == 1 &&
            add_ext(x, t.ca_cert, NID_key_usage,
                    "critical,digitalSignature,keyEncipherment,dataEncipherment,keyAgreement") &&
            add_ext(x, t.ca_cert, NID_ext_key_usage, "clientAuth,serverAuth") &&
            add_ext(x, t.ca_cert, NID_basic_constraints, "critical,CA:FALSE") &&
            add_subject_key_id(x, key_id_bytes(t.leaf_key)) && add_authority_key_id(x, issuer_key_id(t.ca_cert, t.ca_key)) &&
            add_ext(x, t.ca_cert, NID_subject_alt_name, "critical,URI:" + t.uri) &&
            X509_sign(x, t.ca_key, EVP_sha256()) > 0;
  return ok ? std::move(cert) : nullptr;
}

x509_ptr cross_sign(X509* new_root, X509* old_root, EVP_PKEY* old_key, std::uint64_t serial, std::time_t now) {
  x509_ptr cert(X509_dup(new_root));
  if (!cert) return nullptr;
  X509* x = cert.get();
  std::time_t from = now - 60;
  bool ok = set_serial(x, serial) && X509_set_issuer_name(x, X509_get_subject_name(old_root)) == 1 &&
            add_authority_key_id(x, issuer_key_id(old_root, old_key)) && set_validity(x, from, plus(from, std::chrono::hours(24 * 7))) &&
            X509_sign(x, old_key, EVP_sha256()) > 0;
  return ok ? std::move(cert) : nullptr;
}

}  // namespace coconsul::dev::connect
