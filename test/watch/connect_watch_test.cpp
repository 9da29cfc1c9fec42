// watch_connect_roots and watch_connect_leaf against the in-process dev agent: the roots now and
// after a rotation; a short-lived leaf renewed before it expires; after a rotation a new leaf
// that chains to the new root (verified with OpenSSL); and the leaf's ACL check.
#define BOOST_TEST_MODULE connect_watch
#include <boost/test/unit_test.hpp>

#include "agent_fixture.hpp"

#include <coconsul/acl.hpp>

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

struct x509_free {
  void operator()(X509* x) const { X509_free(x); }
};
using cert_ptr = std::unique_ptr<X509, x509_free>;

std::vector<cert_ptr> parse_pem(const std::string& pem) {
  std::vector<cert_ptr> out;
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  while (X509* x = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) out.emplace_back(x);
  return out;
}

// OpenSSL's verdict on the leaf (cert_pem's first certificate; the rest untrusted
// intermediates) with only `anchors` trusted: "ok" or its error text.
std::string verify_against(const coconsul::issued_cert& leaf, const std::vector<const coconsul::ca_root*>& anchors) {
  auto chain = parse_pem(leaf.cert_pem);
  if (chain.empty()) return "no certificate in CertPEM";
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), &X509_STORE_free);
  for (const auto* r : anchors)
    for (auto& c : parse_pem(r->root_cert)) X509_STORE_add_cert(store.get(), c.get());
  struct stack_free {
    void operator()(STACK_OF(X509) * s) const { sk_X509_free(s); }  // a macro: no address to take
  };
  std::unique_ptr<STACK_OF(X509), stack_free> untrusted(sk_X509_new_null());
  for (std::size_t i = 1; i < chain.size(); ++i) sk_X509_push(untrusted.get(), chain[i].get());
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(), &X509_STORE_CTX_free);
  X509_STORE_CTX_init(ctx.get(), store.get(), chain[0].get(), untrusted.get());
  if (X509_verify_cert(ctx.get()) == 1) return "ok";
  return X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
}

std::string verify_against_all(const coconsul::issued_cert& leaf, const coconsul::ca_roots& roots) {
  std::vector<const coconsul::ca_root*> all;
  for (const auto& r : roots.roots) all.push_back(&r);
  return verify_against(leaf, all);
}

const coconsul::ca_root* active_root(const coconsul::ca_roots& roots) {
  for (const auto& r : roots.roots)
    if (r.id == roots.active_root_id) return &r;
  return nullptr;
}

// Whether the leaf's own certificate is still within its validity now.
bool not_expired(const coconsul::issued_cert& leaf) {
  auto chain = parse_pem(leaf.cert_pem);
  return !chain.empty() && X509_cmp_current_time(X509_get0_notAfter(chain[0].get())) > 0;
}

// Rotates the root: a new key type is a new root (docs/connect.md).
asio::awaitable<void> rotate_to_rsa(coconsul::client& c) {
  coconsul::ca_configuration cfg = co_await c.connect().ca_configuration();
  cfg.config.private_key_type = "rsa";
  cfg.config.private_key_bits = 2048;
  co_await c.connect().set_ca_configuration(cfg);
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_roots_watch_yields_the_roots_then_the_set_after_a_rotation) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    auto w = f.consul.watch_connect_roots();
    auto first = co_await w.next();
    auto direct = co_await f.consul.connect().ca_roots();
    BOOST_TEST((*first == direct.value));
    BOOST_REQUIRE_EQUAL(first->roots.size(), 1u);

    co_await rotate_to_rsa(f.consul);
    auto rotated = co_await w.next();
    BOOST_REQUIRE_EQUAL(rotated->roots.size(), 2u);
    BOOST_TEST(rotated->active_root_id != first->active_root_id);
    const coconsul::ca_root* now_active = active_root(*rotated);
    BOOST_REQUIRE(now_active);
    BOOST_TEST(now_active->private_key_type == "rsa");
    BOOST_TEST(rotated->trust_domain == first->trust_domain);
    // The old root stays, inactive and still trusted.
    bool old_kept = false;
    for (const auto& r : rotated->roots) old_kept = old_kept || (r.id == first->active_root_id && !r.active);
    BOOST_TEST(old_kept);
    BOOST_TEST(w.status().snapshots == 2u);
    BOOST_TEST(w.status().queries_sent <= 3u);  // the second blocked until the rotation
  }());
}

// A two-second leaf: each next() gives a renewed certificate while the one before it is still
// valid, and each verifies against the roots.
BOOST_AUTO_TEST_CASE(the_leaf_watch_yields_a_renewed_certificate_before_the_old_one_expires) {
  auto o = coconsul::test::fast_agent_options();
  o.connect.leaf_cert_ttl = 2s;
  o.connect.leaf_cert_backdate = 0s;
  agent_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    auto roots = (co_await f.consul.connect().ca_roots()).value;
    auto w = f.consul.watch_connect_leaf("web");
    auto current = co_await w.next();
    BOOST_TEST(current->service == "web");
    BOOST_TEST(current->service_uri == "spiffe://" + roots.trust_domain + "/ns/default/dc/dc1/svc/web");
    BOOST_TEST(verify_against_all(*current, roots) == "ok");
    for (int renewal = 1; renewal <= 2; ++renewal) {
      auto renewed = co_await w.next();
      BOOST_TEST_CONTEXT("renewal " << renewal) {
        BOOST_TEST(not_expired(*current));  // it came before the old one expired
        BOOST_TEST(renewed->serial_number != current->serial_number);
        BOOST_TEST(renewed->modify_index > current->modify_index);
        BOOST_TEST(verify_against_all(*renewed, roots) == "ok");
      }
      current = renewed;
    }
    // Each renewal one delivered state, each from one blocking query that the agent held until
    // the renewal (a watch that polled would have sent one every refill, 500 ms, over the
    // 2.4 s or more this took); the fourth may be under way already.
    BOOST_TEST(w.status().snapshots == 3u);
    BOOST_TEST(w.status().queries_sent <= 4u);
    BOOST_TEST(w.status().errors == 0u);
  }());
}

// After a rotation the watch yields a new leaf signed by the new root: it verifies with the new
// root alone, and with the old root alone through the cross-signed intermediate it carries;
// the old leaf does not verify with the new root alone.
BOOST_AUTO_TEST_CASE(after_a_rotation_the_leaf_watch_yields_a_leaf_of_the_new_root) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    auto before = (co_await f.consul.connect().ca_roots()).value;
    auto w = f.consul.watch_connect_leaf("web");
    auto old_leaf = co_await w.next();
    BOOST_TEST(verify_against_all(*old_leaf, before) == "ok");

    co_await rotate_to_rsa(f.consul);
    auto new_leaf = co_await w.next();
    auto after = (co_await f.consul.connect().ca_roots()).value;
    const coconsul::ca_root* new_root = active_root(after);
    const coconsul::ca_root* old_root = active_root(before);
    BOOST_REQUIRE(new_root && old_root);
    BOOST_REQUIRE(new_root->id != old_root->id);
    BOOST_TEST(new_leaf->serial_number != old_leaf->serial_number);
    BOOST_TEST(new_leaf->service_uri == old_leaf->service_uri);
    BOOST_TEST(verify_against(*new_leaf, {new_root}) == "ok");
    BOOST_TEST(verify_against(*new_leaf, {old_root}) == "ok");
    BOOST_TEST(verify_against(*old_leaf, {new_root}) != "ok");
    auto chain = parse_pem(new_leaf->cert_pem);
    BOOST_REQUIRE(!chain.empty());
    const ASN1_OCTET_STRING* akid = X509_get0_authority_key_id(chain[0].get());
    BOOST_REQUIRE(akid);
    std::string akid_hex;
    for (int i = 0; i < ASN1_STRING_length(akid); ++i) {
      char b[4];
      std::snprintf(b, sizeof b, i ? ":%02x" : "%02x", ASN1_STRING_get0_data(akid)[i]);
      akid_hex += b;
    }
    BOOST_TEST(akid_hex == new_root->signing_key_id);
  }());
}

// ACLs on, default deny: a token with service:write on web watches web's leaf; on db it lacks
// the permission and the watch fails with Consul's 403 (one error allowed: no retries).
BOOST_AUTO_TEST_CASE(the_leaf_watch_needs_service_write_on_its_service) {
  constexpr const char* root = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
  agent_fixture f(coconsul::test::deny_by_default_options(root));
  f.consul.set_token(root);
  f.run([&]() -> asio::awaitable<void> {
    coconsul::acl_policy p;
    p.name = "web-writer";
    p.rules = R"(service "web" { policy = "write" })";
    co_await f.consul.acl().policy_create(p);
    coconsul::acl_token t;
    t.policies.push_back(coconsul::acl_link{.id = "", .name = "web-writer"});
    coconsul::acl_token made = co_await f.consul.acl().token_create(t);

    coconsul::watch_options as_web;
    as_web.token = made.secret_id;
    as_web.pacing.max_consecutive_errors = 1;
    auto web = f.consul.watch_connect_leaf("web", as_web);
    auto leaf = co_await web.next();
    BOOST_TEST(leaf->service == "web");

    auto db = f.consul.watch_connect_leaf("db", as_web);
    coconsul::error denied = co_await failure_of(db.next());
    BOOST_TEST((denied.code() == coconsul::errc::forbidden));
    BOOST_TEST(denied.message().find("lacks permission 'service:write' on \"db\"") != std::string::npos,
               denied.message());

    // The roots are for anyone (Consul checks no permission on them).
    auto roots = f.consul.watch_connect_roots(as_web);
    auto got = co_await roots.next();
    BOOST_TEST(got->roots.size() == 1u);
  }());
}

BOOST_AUTO_TEST_CASE(a_leaf_watch_of_an_empty_service_name_is_refused) {
  agent_fixture f;
  BOOST_CHECK_THROW(f.consul.watch_connect_leaf(""), coconsul::error);
}
