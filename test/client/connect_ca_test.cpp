// connect_api against the in-process dev agent: the roots are a self-signed CA for the trust
// domain, a leaf verifies against them with OpenSSL and names its service, the leaf renews at
// its soft expiry and after a root rotation (seen through blocking calls), and the answers of
// an agent with Connect disabled.
#define BOOST_TEST_MODULE client_connect_ca
#include <boost/test/unit_test.hpp>

#include "agent_fixture.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using coconsul::test::agent_fixture;
using coconsul::test::failure_of;

namespace {

constexpr const char* cluster = "11111111-2222-3333-4444-555555555555";
constexpr const char* trust_domain = "11111111-2222-3333-4444-555555555555.consul";

struct x509_free {
  void operator()(X509* x) const { X509_free(x); }
};
using cert_ptr = std::unique_ptr<X509, x509_free>;

// Every certificate in a PEM text, in order.
std::vector<cert_ptr> parse_pem(const std::string& pem) {
  std::vector<cert_ptr> out;
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  while (X509* x = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) out.emplace_back(x);
  return out;
}

std::vector<std::string> uri_sans(X509* cert) {
  std::vector<std::string> out;
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
    if (n->type == GEN_URI)
      out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(n->d.uniformResourceIdentifier)),
                       static_cast<std::size_t>(ASN1_STRING_length(n->d.uniformResourceIdentifier)));
  }
  GENERAL_NAMES_free(names);
  return out;
}

std::string hex(const unsigned char* p, int n) {
  std::string s;
  char buf[4];
  for (int i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, i ? ":%02x" : "%02x", p[i]);
    s += buf;
  }
  return s;
}

std::string authority_key_id(X509* cert) {
  const ASN1_OCTET_STRING* id = X509_get0_authority_key_id(cert);
  return id ? hex(ASN1_STRING_get0_data(id), ASN1_STRING_length(id)) : std::string();
}

// X509_verify_cert of the leaf (the first certificate of cert_pem, the rest untrusted
// intermediates) against every root as a trust anchor. Returns OpenSSL's verdict as text.
std::string verify_leaf(const coconsul::issued_cert& leaf, const coconsul::ca_roots& roots) {
  auto chain = parse_pem(leaf.cert_pem);
  if (chain.empty()) return "no certificate in CertPEM";
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), &X509_STORE_free);
  for (const auto& r : roots.roots)
    for (auto& c : parse_pem(r.root_cert)) X509_STORE_add_cert(store.get(), c.get());
  struct stack_free {
    void operator()(STACK_OF(X509) * s) const { sk_X509_free(s); }
  };
  std::unique_ptr<STACK_OF(X509), stack_free> untrusted(sk_X509_new_null());
  for (std::size_t i = 1; i < chain.size(); ++i) sk_X509_push(untrusted.get(), chain[i].get());
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(), &X509_STORE_CTX_free);
  X509_STORE_CTX_init(ctx.get(), store.get(), chain[0].get(), untrusted.get());
  if (X509_verify_cert(ctx.get()) == 1) return "ok";
  return X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
}

coconsul::dev_agent_options connect_options() {
  auto o = coconsul::test::fast_agent_options();
  o.connect.cluster_id = cluster;
  return o;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_root_is_a_self_signed_ca_for_the_trust_domain) {
  agent_fixture f(connect_options());
  f.run([&]() -> asio::awaitable<void> {
    auto roots = co_await f.consul.connect().ca_roots();
    BOOST_TEST(roots.value.trust_domain == trust_domain);
    BOOST_REQUIRE_EQUAL(roots.value.roots.size(), 1u);
    const auto& r = roots.value.roots[0];
    BOOST_TEST(r.active);
    BOOST_TEST(roots.value.active_root_id == r.id);
    BOOST_TEST(r.name == "Consul CA Primary Cert");
    BOOST_TEST(r.private_key_type == "ec");
    BOOST_TEST(r.private_key_bits == 256);
    BOOST_TEST(r.external_trust_domain == cluster);
    BOOST_TEST(r.intermediate_certs.empty());
    BOOST_TEST(roots.meta.last_index == r.modify_index);
    // A fresh agent already has writes behind it (Consul's readiness checks want an index > 1
    // and a root): the root is not the first write.
    BOOST_TEST(roots.meta.last_index >= 1u);

    auto certs = parse_pem(r.root_cert);
    BOOST_REQUIRE_EQUAL(certs.size(), 1u);
    X509* root = certs[0].get();
    BOOST_TEST(X509_check_issued(root, root) == X509_V_OK);  // self-issued
    BOOST_TEST(X509_verify(root, X509_get0_pubkey(root)) == 1);  // and self-signed
    BOOST_TEST(X509_check_ca(root) == 1);
    BOOST_TEST(uri_sans(root) == std::vector<std::string>{std::string("spiffe://") + trust_domain},
               boost::test_tools::per_element());
    unsigned char sha1[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    X509_digest(root, EVP_sha1(), sha1, &n);
    BOOST_TEST(r.id == hex(sha1, static_cast<int>(n)));
    const ASN1_OCTET_STRING* ski = X509_get0_subject_key_id(root);
    BOOST_REQUIRE(ski);
    BOOST_TEST(r.signing_key_id == hex(ASN1_STRING_get0_data(ski), ASN1_STRING_length(ski)));
    BOOST_TEST(ASN1_STRING_length(ski) == 32);  // SHA-256 of the public key, as Consul's KeyId
    BOOST_TEST(r.serial_number == ASN1_INTEGER_get(X509_get0_serialNumber(root)));

    // The agent's copy comes through its cache: a miss first, then hits.
    auto first = co_await f.consul.connect().agent_ca_roots();
    auto second = co_await f.consul.connect().agent_ca_roots();
    BOOST_TEST((first.value == roots.value));
    BOOST_TEST(!first.meta.cache_hit);
    BOOST_TEST(second.meta.cache_hit);

    auto pem = co_await f.consul.connect().ca_roots_pem();
    BOOST_TEST(pem.value == r.root_cert);
  }());
}

BOOST_AUTO_TEST_CASE(a_leaf_verifies_against_the_roots_and_names_its_service) {
  agent_fixture f(connect_options());
  f.run([&]() -> asio::awaitable<void> {
    auto roots = co_await f.consul.connect().ca_roots();
    auto leaf = co_await f.consul.connect().leaf("web");
    const auto& c = leaf.value;
    BOOST_TEST(c.service == "web");
    std::string uri = std::string("spiffe://") + trust_domain + "/ns/default/dc/dc1/svc/web";
    BOOST_TEST(c.service_uri == uri);
    BOOST_TEST(leaf.meta.last_index == c.modify_index);
    BOOST_TEST(verify_leaf(c, roots.value) == "ok");

    auto chain = parse_pem(c.cert_pem);
    BOOST_REQUIRE_EQUAL(chain.size(), 1u);
    X509* x = chain[0].get();
    BOOST_TEST(uri_sans(x) == std::vector<std::string>{uri}, boost::test_tools::per_element());
    BOOST_TEST(X509_check_ca(x) == 0);
    BOOST_TEST(authority_key_id(x) == roots.value.roots[0].signing_key_id);
    BOOST_TEST((X509_get_extended_key_usage(x) & (XKU_SSL_CLIENT | XKU_SSL_SERVER)) == (XKU_SSL_CLIENT | XKU_SSL_SERVER));
    // The private key is the certificate's, an EC key as the agent makes it.
    BOOST_TEST(c.private_key_pem.starts_with("-----BEGIN EC PRIVATE KEY-----"));
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(c.private_key_pem.data(), static_cast<int>(c.private_key_pem.size())), &BIO_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr),
                                                          &EVP_PKEY_free);
    BOOST_REQUIRE(key);
    BOOST_TEST(X509_check_private_key(x, key.get()) == 1);

    // The same certificate until it is renewed; another service gets its own.
    auto again = co_await f.consul.connect().leaf("web");
    BOOST_TEST((again.value == c));
    auto db = co_await f.consul.connect().leaf("db");
    BOOST_TEST(db.value.serial_number != c.serial_number);
    BOOST_TEST(db.value.service_uri == std::string("spiffe://") + trust_domain + "/ns/default/dc/dc1/svc/db");
    BOOST_TEST(verify_leaf(db.value, roots.value) == "ok");
  }());
}

// A two-second leaf: a blocking call returns the renewed certificate between 60 % and 90 % of
// the first one's lifetime.
BOOST_AUTO_TEST_CASE(a_blocking_leaf_call_returns_the_renewal_at_soft_expiry) {
  auto o = connect_options();
  o.connect.leaf_cert_ttl = 2s;
  o.connect.leaf_cert_backdate = 0s;
  agent_fixture f(o);
  f.run(
      [&]() -> asio::awaitable<void> {
        auto first = co_await f.consul.connect().leaf("web");
        coconsul::query_options blocking;
        blocking.index = first.meta.last_index;
        blocking.wait = 10s;
        auto renewed = co_await f.consul.connect().leaf("web", blocking);
        auto now = std::chrono::system_clock::now();
        BOOST_TEST(renewed.value.serial_number != first.value.serial_number);
        BOOST_TEST(renewed.meta.last_index > first.meta.last_index);
        BOOST_TEST(renewed.value.modify_index == renewed.meta.last_index);
        // Not before 60 % of the first certificate's lifetime (ValidAfter + 1.2 s) ...
        auto roots = co_await f.consul.connect().ca_roots();
        auto chain = parse_pem(first.value.cert_pem);
        std::tm tm{};
        ASN1_TIME_to_tm(X509_get0_notBefore(chain[0].get()), &tm);
        auto valid_after = std::chrono::system_clock::from_time_t(timegm(&tm));
        BOOST_TEST((now >= valid_after + 1200ms));
        // ... and a certificate that verifies, as the first one still does.
        BOOST_TEST(verify_leaf(renewed.value, roots.value) == "ok");
      }(),
      15s);
}

asio::awaitable<coconsul::query_result<coconsul::ca_roots>> roots_after(coconsul::client& c, std::uint64_t index) {
  coconsul::query_options o;
  o.index = index;
  o.wait = 10s;
  co_return co_await c.connect().ca_roots(o);
}

asio::awaitable<coconsul::query_result<coconsul::issued_cert>> leaf_after(coconsul::client& c, std::uint64_t index) {
  coconsul::query_options o;
  o.index = index;
  o.wait = 10s;
  co_return co_await c.connect().leaf("web", o);
}

// Returns a value only so that awaitable_operators' && gives three results to bind.
asio::awaitable<bool> switch_to_rsa(coconsul::client& c) {
  coconsul::ca_configuration cfg = co_await c.connect().ca_configuration();
  cfg.config.private_key_type = "rsa";
  cfg.config.private_key_bits = 2048;
  co_await c.connect().set_ca_configuration(cfg);
  co_return true;
}

// A new key type rotates the root: blocked roots and leaf calls return, the old root stays
// (inactive), the new leaf is signed by the new root and verifies.
BOOST_AUTO_TEST_CASE(a_new_key_type_rotates_the_root_and_wakes_blocked_calls) {
  using namespace asio::experimental::awaitable_operators;
  agent_fixture f(connect_options());
  f.run([&]() -> asio::awaitable<void> {
    auto before = co_await f.consul.connect().ca_roots();
    auto leaf = co_await f.consul.connect().leaf("web");
    auto config_before = co_await f.consul.connect().ca_configuration();
    auto [roots, renewed, switched] = co_await (roots_after(f.consul, before.meta.last_index) &&
                                      leaf_after(f.consul, leaf.meta.last_index) && switch_to_rsa(f.consul));
    BOOST_TEST(switched);
    BOOST_TEST(roots.meta.last_index > before.meta.last_index);
    BOOST_REQUIRE_EQUAL(roots.value.roots.size(), 2u);
    const auto& old_root = roots.value.roots[0];
    const auto& new_root = roots.value.roots[1];
    BOOST_TEST(old_root.id == before.value.roots[0].id);
    BOOST_TEST(!old_root.active);
    BOOST_TEST(new_root.active);
    BOOST_TEST(roots.value.active_root_id == new_root.id);
    BOOST_TEST(new_root.private_key_type == "rsa");
    BOOST_TEST(new_root.private_key_bits == 2048);
    BOOST_TEST(roots.value.trust_domain == trust_domain);
    // The old root cross-signed the new one.
    BOOST_REQUIRE_EQUAL(new_root.intermediate_certs.size(), 1u);
    auto cross = parse_pem(new_root.intermediate_certs[0]);
    BOOST_REQUIRE_EQUAL(cross.size(), 1u);
    BOOST_TEST(authority_key_id(cross[0].get()) == old_root.signing_key_id);

    BOOST_TEST(renewed.value.serial_number != leaf.value.serial_number);
    BOOST_TEST(renewed.meta.last_index > leaf.meta.last_index);
    auto chain = parse_pem(renewed.value.cert_pem);
    BOOST_REQUIRE_EQUAL(chain.size(), 2u);  // the leaf, then the cross-signed root
    BOOST_TEST(authority_key_id(chain[0].get()) == new_root.signing_key_id);
    BOOST_TEST(verify_leaf(renewed.value, roots.value) == "ok");
    // Only the old root trusted: the cross-signature still lets the new leaf verify.
    coconsul::ca_roots old_only;
    old_only.roots.push_back(old_root);
    BOOST_TEST(verify_leaf(renewed.value, old_only) == "ok");

    auto config_after = co_await f.consul.connect().ca_configuration();
    BOOST_TEST(config_after.config.private_key_type == "rsa");
    BOOST_TEST(config_after.config.private_key_bits == 2048);
    BOOST_TEST(config_after.modify_index > config_before.modify_index);
    BOOST_TEST(config_after.create_index == config_before.create_index);
  }());
}

BOOST_AUTO_TEST_CASE(configuration_reads_and_refusals_carry_consuls_texts) {
  agent_fixture f(connect_options());
  f.run([&]() -> asio::awaitable<void> {
    auto cfg = co_await f.consul.connect().ca_configuration();
    BOOST_TEST(cfg.provider == "consul");
    BOOST_TEST((cfg.config.leaf_cert_ttl == 72h));
    BOOST_TEST((cfg.config.intermediate_cert_ttl == 8760h));
    BOOST_TEST((cfg.config.root_cert_ttl == 87600h));
    BOOST_TEST(cfg.state.empty());

    auto short_leaf = cfg;
    short_leaf.config.leaf_cert_ttl = 30min;
    auto e = co_await failure_of(f.consul.connect().set_ca_configuration(short_leaf));
    BOOST_TEST(e.http_status() == 500u);
    BOOST_TEST(e.message() == "error configuring provider: leaf cert TTL must be greater or equal than 1h0m0s");

    auto bad_bits = cfg;
    bad_bits.config.private_key_bits = 1024;
    e = co_await failure_of(f.consul.connect().set_ca_configuration(bad_bits));
    BOOST_TEST(e.message() == "error configuring provider: EC key length must be one of (224, 256, 384, 521) bits");

    auto with_state = cfg;
    with_state.state = {{"id", "x"}};
    e = co_await failure_of(f.consul.connect().set_ca_configuration(with_state));
    BOOST_TEST(e.http_status() == 400u);
    BOOST_TEST(e.message() == "Provider State is read-only. It must be omitted or identical to the current value");

    // A new leaf TTL is a configuration change: the root stays.
    auto roots_before = co_await f.consul.connect().ca_roots();
    auto longer = cfg;
    longer.config.leaf_cert_ttl = 96h;
    co_await f.consul.connect().set_ca_configuration(longer);
    auto after = co_await f.consul.connect().ca_configuration();
    BOOST_TEST((after.config.leaf_cert_ttl == 96h));
    BOOST_TEST(after.modify_index > cfg.modify_index);
    auto roots_after_change = co_await f.consul.connect().ca_roots();
    BOOST_TEST((roots_after_change.value == roots_before.value));
    BOOST_TEST(roots_after_change.meta.last_index == roots_before.meta.last_index);
    auto leaf = co_await f.consul.connect().leaf("web");
    auto chain = parse_pem(leaf.value.cert_pem);
    std::tm a{}, b{};
    ASN1_TIME_to_tm(X509_get0_notBefore(chain[0].get()), &a);
    ASN1_TIME_to_tm(X509_get0_notAfter(chain[0].get()), &b);
    BOOST_TEST(timegm(&b) - timegm(&a) == 96 * 3600);

    // Bad input is refused before anything is sent.
    e = co_await failure_of(f.consul.connect().leaf(""));
    BOOST_TEST((e.code() == coconsul::errc::invalid_argument));
  }());
}

BOOST_AUTO_TEST_CASE(with_connect_disabled_the_answers_are_consuls) {
  auto o = connect_options();
  o.connect.enabled = false;
  agent_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    auto roots = co_await f.consul.connect().ca_roots();
    BOOST_TEST(roots.value.roots.empty());
    BOOST_TEST(roots.value.trust_domain.empty());
    BOOST_TEST(roots.value.active_root_id.empty());
    auto e = co_await failure_of(f.consul.connect().ca_configuration());
    BOOST_TEST(e.http_status() == 500u);
    BOOST_TEST(e.message() == "Connect must be enabled in order to use this endpoint");
    coconsul::ca_configuration any;  // a named local: gcc 12 destroys a braced temporary in co_await twice
    e = co_await failure_of(f.consul.connect().set_ca_configuration(any));
    BOOST_TEST(e.message() == "Connect must be enabled in order to use this endpoint");
    e = co_await failure_of(f.consul.connect().leaf("web"));
    BOOST_TEST(e.http_status() == 500u);
    BOOST_TEST(e.message() == "cluster has no CA bootstrapped yet");
  }());
}
