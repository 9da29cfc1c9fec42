// The built-in Connect CA's state and operations (see ca_state.hpp).

#include "dev_agent/connect/ca_state.hpp"

#include "dev_agent/common/uuid.hpp"
#include "dev_agent/connect/certs.hpp"
#include "dev_agent/connect/spiffe.hpp"

#include <cctype>
#include <chrono>
#include <stdexcept>

namespace coconsul::dev::connect {

namespace {
std::chrono::seconds whole_seconds(std::chrono::nanoseconds d) {
  return std::chrono::duration_cast<std::chrono::seconds>(d);
}

std::string with_trailing_newline(std::string pem) {
  if (!pem.empty() && pem.back() != '\n') pem += '\n';
  return pem;
}

// The provider configuration the agent starts with: its connect settings as they are, not
// checked against Consul's bounds (a test's two-second LeafCertTTL is the point of the option).
provider_config configured(const dev_agent_options::connect_settings& s) {
  provider_config p;
  p.leaf_cert_ttl = s.leaf_cert_ttl;
  p.root_cert_ttl = s.root_cert_ttl;
  p.private_key_type = s.private_key_type;
  p.private_key_bits = s.private_key_bits;
  return p;
}

ca_update_error server_error(std::string text) { return ca_update_error{500, std::move(text)}; }

// go-uuid's ParseUUID: 36 characters, hyphens at 8, 13, 18 and 23, hex digits elsewhere. Consul
// takes ca_config's cluster_id only when it is one (and makes a fresh ID otherwise).
bool valid_uuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool hyphen = i == 8 || i == 13 || i == 18 || i == 23;
    if (hyphen ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}
}  // namespace

certificate_authority::certificate_authority(const dev_agent_options& options, state_store& state)
    : options_(options), state_(state) {}

std::optional<std::string> certificate_authority::initialize() {
  if (!enabled() || initialized()) return std::nullopt;
  provider_ = configured(options_.connect);
  pkey_ptr key = generate_key(provider_.private_key_type, provider_.private_key_bits);
  if (!key)
    return "cannot generate a " + provider_.private_key_type + " key of " + std::to_string(provider_.private_key_bits) +
           " bits";
  std::string cluster = valid_uuid(options_.connect.cluster_id) ? options_.connect.cluster_id : generate_uuid();
  x509_ptr cert = make_root(key.get(), next_serial(), cluster, whole_seconds(provider_.root_cert_ttl), std::time(nullptr));
  if (!cert) return std::string("error generating CA: OpenSSL could not make the root certificate");

  cluster_id_ = std::move(cluster);
  write_txn w(state_);
  config_.config = initial_config(options_.connect);
  config_.create_index = config_.modify_index = w.index();
  ca_root root = root_record(cert.get());
  root.active = true;
  root.create_index = root.modify_index = w.index();
  roots_.push_back(std::move(root));
  roots_index_ = w.index();
  key_ = std::move(key);
  cert_ = std::move(cert);
  w.touch(tbl_connect_ca);
  return std::nullopt;
}

std::string certificate_authority::trust_domain() const {
  return cluster_id_.empty() ? std::string() : connect::trust_domain(cluster_id_);
}

const ca_root* certificate_authority::active_root() const {
  for (const auto& r : roots_)
    if (r.active) return &r;
  return nullptr;
}

ca_root certificate_authority::root_record(X509* cert) const {
  ca_root r;
  r.id = fingerprint(cert);
  r.name = "Consul CA Primary Cert";
  r.serial_number = serial_of(cert);
  r.signing_key_id = subject_key_id(cert);
  r.external_trust_domain = cluster_id_;
  r.not_before = not_before_rfc3339(cert);
  r.not_after = not_after_rfc3339(cert);
  r.root_cert = with_trailing_newline(cert_to_pem(cert));
  if (auto info = info_of(X509_get0_pubkey(cert))) {
    r.private_key_type = info->type;
    r.private_key_bits = info->bits;
  }
  return r;
}

std::optional<ca_update_error> certificate_authority::update(const ca_update& u) {
  // The built-in provider keeps no State: any given State differs from it.
  if (!u.state.empty())
    return ca_update_error{400, "Provider State is read-only. It must be omitted or identical to the current value"};
  if (u.provider == config_.provider && u.config == config_.config) return std::nullopt;
  if (u.provider != "consul") {
    if (u.provider == "vault" || u.provider == "aws-pca")
      return server_error("error configuring provider: the coconsul dev agent has only the built-in \"consul\" CA "
                          "provider, not \"" + u.provider + "\"");
    return server_error("could not initialize provider: unknown CA provider \"" + u.provider + "\"");
  }
  std::string why;
  auto next = parse_provider_config(u.config, why);
  if (!next) return server_error("error configuring provider: " + why);
  if (!next->same_provider(provider_)) return rotate(u, *next);

  // The same provider instance: its root stays; only the configuration is written.
  write_txn w(state_);
  config_.provider = u.provider;
  config_.config = u.config;
  config_.force_without_cross_signing = u.force_without_cross_signing;
  config_.modify_index = w.index();
  provider_ = *next;
  w.touch(tbl_connect_ca);
  return std::nullopt;
}

std::optional<ca_update_error> certificate_authority::rotate(const ca_update& u, const provider_config& next) {
  // GenerateCAChain of the new provider: the given key or a new one, the given root or a new one.
  pkey_ptr key;
  if (!next.private_key.empty()) {
    key = key_from_pem(next.private_key);
    if (!key) return server_error("error generating CA root certificate: error parsing private key: not a PEM private key");
  } else {
    key = generate_key(next.private_key_type, next.private_key_bits);
    if (!key) return server_error("error generating CA root certificate: OpenSSL could not generate the key");
  }
  x509_ptr cert;
  std::time_t now = std::time(nullptr);
  if (!next.root_cert.empty()) {
    cert = cert_from_pem(next.root_cert);
    if (!cert) return server_error("error parsing cert: no PEM-encoded data found");
  } else {
    cert = make_root(key.get(), next_serial(), cluster_id_, whole_seconds(next.root_cert_ttl), now);
    if (!cert) return server_error("error generating CA root certificate: OpenSSL could not make the root certificate");
  }
  ca_root root = root_record(cert.get());
  root.active = true;

  const ca_root* current = active_root();
  if (current && current->id == root.id) {
    // A provider that yields the same root: a configuration change only.
    write_txn w(state_);
    config_.config = u.config;
    config_.force_without_cross_signing = u.force_without_cross_signing;
    config_.modify_index = w.index();
    provider_ = next;
    key_ = std::move(key);
    w.touch(tbl_connect_ca);
    return std::nullopt;
  }
  if (current) {
    if (provider_.disable_cross_signing && !u.force_without_cross_signing)
      return server_error(
          "The current CA Provider does not support cross-signing. You can try again with "
          "ForceWithoutCrossSigningSet but this may cause disruption - see documentation for more.");
    if (!provider_.disable_cross_signing && !u.force_without_cross_signing) {
      // The old root vouches for the new one, so leaves signed by the new key verify for peers
      // that trust only the old root until they see the new roots.
      x509_ptr cross = cross_sign(cert.get(), cert_.get(), key_.get(), next_serial(), now);
      if (!cross) return server_error("error generating CA certificate: OpenSSL could not cross-sign the new root");
      root.intermediate_certs.insert(root.intermediate_certs.begin(), cert_to_pem(cross.get()));
    }
  }

  write_txn w(state_);
  for (auto& r : roots_) {
    r.active = false;
    r.modify_index = w.index();  // CARootSetCAS re-inserts every root at the write's index
  }
  root.create_index = root.modify_index = w.index();
  roots_.push_back(std::move(root));
  roots_index_ = w.index();
  config_.provider = u.provider;
  config_.config = u.config;
  config_.force_without_cross_signing = u.force_without_cross_signing;
  config_.modify_index = w.index();
  provider_ = next;
  key_ = std::move(key);
  cert_ = std::move(cert);
  w.touch(tbl_connect_ca);
  return std::nullopt;
}

issued_cert certificate_authority::sign(const std::string& service) {
  issued_cert out;
  pkey_ptr leaf_key = generate_key("ec", 256);
  if (!leaf_key) throw std::runtime_error("error generating certificate: OpenSSL could not generate the leaf's key");
  leaf_template t;
  t.ca_key = key_.get();
  t.ca_cert = cert_.get();
  t.leaf_key = leaf_key.get();
  t.serial = next_serial();
  t.uri = service_uri(trust_domain(), options_.datacenter, service);
  t.ttl = whole_seconds(provider_.leaf_cert_ttl);
  t.backdate = options_.connect.leaf_cert_backdate;
  x509_ptr cert = sign_leaf(t, std::time(nullptr));
  if (!cert) throw std::runtime_error("error generating certificate: OpenSSL could not sign the leaf");

  write_txn w(state_);  // the serial-number bump Consul writes for every certificate
  out.serial_number = serial_hex(cert.get());
  out.cert_pem = cert_to_pem(cert.get());
  if (const ca_root* active = active_root()) {
    for (const auto& p : active->intermediate_certs) {
      while (!out.cert_pem.empty() && (out.cert_pem.back() == '\n' || out.cert_pem.back() == ' ')) out.cert_pem.pop_back();
      out.cert_pem += "\n" + p;
    }
  }
  out.private_key_pem = key_to_pem(leaf_key.get());
  out.service = service;
  out.service_uri = t.uri;
  out.valid_after = not_before_rfc3339(cert.get());
  out.valid_before = not_after_rfc3339(cert.get());
  out.valid_after_epoch = static_cast<std::time_t>(not_before_epoch(cert.get()));
  out.valid_before_epoch = static_cast<std::time_t>(not_after_epoch(cert.get()));
  out.authority_key_id = authority_key_id(cert.get());
  out.create_index = out.modify_index = w.index();
  w.touch(tbl_connect_ca);
  return out;
}

}  // namespace coconsul::dev::connect
