// The dev agent's Connect CA endpoints byte for byte: the JSON shapes and headers Consul sends
// for the roots (and their PEM bundle), the CA configuration and its refusals, a leaf and the
// agent cache's headers on it, rotation to a key of one's own, and Connect disabled.
#define BOOST_TEST_MODULE dev_agent_connect_ca
#include <boost/test/unit_test.hpp>

#include "agent_client.hpp"
#include "agent_fixture.hpp"
#include "dev_agent/connect/leaf_cache.hpp"
#include "dev_agent/connect/provider_config.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/json.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <regex>
#include <string>
#include <vector>

using namespace coconsul;
using namespace coconsul::test;
namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;
namespace cca = coconsul::dev::connect;  // not `connect`: POSIX's connect() is in scope

namespace {

constexpr const char* cluster = "11111111-2222-3333-4444-555555555555";

dev_agent_options ca_options() {
  auto o = agent_test_options();
  o.connect.cluster_id = cluster;
  return o;
}

std::vector<std::string> keys_of(const json::value& v) {
  std::vector<std::string> out;
  for (const auto& kv : v.as_object()) out.emplace_back(kv.key());
  return out;
}

struct x509_free {
  void operator()(X509* x) const { X509_free(x); }
};
std::unique_ptr<X509, x509_free> first_cert(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  return std::unique_ptr<X509, x509_free>(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

std::string common_name(X509* cert) {
  char buf[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, buf, sizeof buf);
  return buf;
}

std::int64_t epoch(const ASN1_TIME* t) {
  std::tm tm{};
  ASN1_TIME_to_tm(t, &tm);
  return static_cast<std::int64_t>(timegm(&tm));
}

bool critical(X509* cert, int nid) {
  int at = X509_get_ext_by_NID(cert, nid, -1);
  return at >= 0 && X509_EXTENSION_get_critical(X509_get_ext(cert, at)) == 1;
}

const std::regex rfc3339(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");

asio::awaitable<reply> get_after(agent_client& c, std::string target) { co_return co_await c.get(std::move(target)); }

}  // namespace

BOOST_AUTO_TEST_CASE(roots_have_consuls_shape_and_certificate) {
  agent_fixture f(ca_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/v1/connect/ca/roots");
    BOOST_TEST(r.status == 200u);
    auto body = r.json();
    BOOST_TEST(keys_of(body) == (std::vector<std::string>{"ActiveRootID", "TrustDomain", "Roots"}),
               boost::test_tools::per_element());
    BOOST_TEST(body.at("TrustDomain").as_string() == std::string(cluster) + ".consul");
    const auto& root = body.at("Roots").at(0);
    BOOST_TEST(keys_of(root) == (std::vector<std::string>{"ID", "Name", "SerialNumber", "SigningKeyID",
                                                         "ExternalTrustDomain", "NotBefore", "NotAfter", "RootCert",
                                                         "IntermediateCerts", "Active", "PrivateKeyType",
                                                         "PrivateKeyBits", "CreateIndex", "ModifyIndex"}),
               boost::test_tools::per_element());
    BOOST_TEST(root.at("IntermediateCerts").is_null());
    BOOST_TEST(root.at("ExternalTrustDomain").as_string() == cluster);
    BOOST_TEST(std::regex_match(std::string(root.at("NotBefore").as_string()), rfc3339));
    BOOST_TEST(std::regex_match(std::string(root.at("ID").as_string()), std::regex("([0-9a-f]{2}:){19}[0-9a-f]{2}")));
    BOOST_TEST(std::regex_match(std::string(root.at("SigningKeyID").as_string()),
                                std::regex("([0-9a-f]{2}:){31}[0-9a-f]{2}")));
    std::string pem(root.at("RootCert").as_string());
    BOOST_TEST(pem.ends_with("-----END CERTIFICATE-----\n"));
    BOOST_TEST(r.index() == root.at("ModifyIndex").to_number<std::uint64_t>());
    BOOST_TEST(r.header("X-Consul-Knownleader") == "true");

    auto cert = first_cert(pem);
    BOOST_REQUIRE(cert);
    BOOST_TEST(std::regex_match(common_name(cert.get()), std::regex(R"(pri-[0-9a-z]{1,8}\.consul\.ca\.11111111\.consul)")));
    BOOST_TEST(ASN1_INTEGER_get(X509_get0_serialNumber(cert.get())) == root.at("SerialNumber").to_number<long>());
    BOOST_TEST(critical(cert.get(), NID_basic_constraints));
    BOOST_TEST(critical(cert.get(), NID_key_usage));
    BOOST_TEST(X509_get_key_usage(cert.get()) == (KU_DIGITAL_SIGNATURE | KU_KEY_CERT_SIGN | KU_CRL_SIGN));
    // Ten years, as Consul's RootCertTTL default.
    BOOST_TEST(epoch(X509_get0_notAfter(cert.get())) - epoch(X509_get0_notBefore(cert.get())) == 87600 * 3600);

    // ?pem=true: the bundle as text, Consul's content type; a non-boolean is refused.
    auto p = co_await c.get("/v1/connect/ca/roots?pem=true");
    BOOST_TEST(p.status == 200u);
    BOOST_TEST(p.header("Content-Type") == "application/pem-certificate-chain");
    BOOST_TEST(p.body == pem);
    auto bad = co_await c.get("/v1/connect/ca/roots?pem=maybe");
    BOOST_TEST(bad.status == 400u);
    BOOST_TEST(bad.body == "The 'pem' query parameter must be a boolean value");
    // A blocking read with nothing changing times out with the same index.
    auto started = std::chrono::steady_clock::now();
    auto same = co_await c.get("/v1/connect/ca/roots?wait=200ms&index=" + std::to_string(r.index()));
    BOOST_TEST(same.index() == r.index());
    BOOST_TEST((std::chrono::steady_clock::now() - started >= 190ms));
  }());
}

BOOST_AUTO_TEST_CASE(the_agents_roots_come_through_its_cache) {
  agent_fixture f(ca_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto first = co_await c.get("/v1/agent/connect/ca/roots");
    BOOST_TEST(first.header("X-Cache") == "MISS");
    BOOST_TEST(!first.has_header("Age"));
    auto second = co_await c.get("/v1/agent/connect/ca/roots");
    BOOST_TEST(second.header("X-Cache") == "HIT");
    BOOST_TEST(second.header("Age") == "0");
    BOOST_TEST(second.body == first.body);
    auto idx = second.index();
    auto older = co_await c.get("/v1/agent/connect/ca/roots?index=" + std::to_string(idx - 1));
    BOOST_TEST(older.header("X-Cache") == "HIT");
    // A blocking read that had to wait is a miss.
    auto waited = co_await c.get("/v1/agent/connect/ca/roots?wait=50ms&index=" + std::to_string(idx));
    BOOST_TEST(waited.header("X-Cache") == "MISS");
    BOOST_TEST(waited.index() == idx);
  }());
}

BOOST_AUTO_TEST_CASE(configuration_has_consuls_shape_and_refusals) {
  agent_fixture f(ca_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/v1/connect/ca/configuration");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(!r.has_header("X-Consul-Index"));
    auto body = r.json();
    BOOST_TEST(keys_of(body) == (std::vector<std::string>{"Provider", "Config", "State", "ForceWithoutCrossSigning",
                                                         "CreateIndex", "ModifyIndex"}),
               boost::test_tools::per_element());
    BOOST_TEST(body.at("Provider").as_string() == "consul");
    json::object want{{"LeafCertTTL", "72h"}, {"IntermediateCertTTL", "8760h"}, {"RootCertTTL", "87600h"},
                      {"cluster_id", cluster}};
    BOOST_TEST((body.at("Config").as_object() == want));
    BOOST_TEST(body.at("State").is_null());
    auto modify = body.at("ModifyIndex").to_number<std::uint64_t>();

    // The same body again changes nothing.
    auto same = co_await c.put("/v1/connect/ca/configuration", r.body);
    BOOST_TEST(same.status == 200u);
    BOOST_TEST(same.body.empty());
    auto again = co_await c.get("/v1/connect/ca/configuration");
    BOOST_TEST(again.json().at("ModifyIndex").to_number<std::uint64_t>() == modify);

    auto put = [&](std::string b) { return c.put("/v1/connect/ca/configuration", std::move(b)); };
    auto e = co_await put(R"({"Provider":"consul","Config":{"LeafCertTTL":"abc"}})");
    BOOST_TEST(e.status == 500u);
    BOOST_TEST(e.body ==
               "error configuring provider: error decoding config: 1 error(s) decoding:\n\n"
               "* error decoding 'LeafCertTTL': time: invalid duration \"abc\"");
    e = co_await put(R"({"Provider":"consul","Config":{"LeafCertTTL":"2h","IntermediateCertTTL":"5h"}})");
    BOOST_TEST(e.body == "error configuring provider: Intermediate Cert TTL must be greater or equal than "
                         "3 * LeafCertTTL (>=6h0m0s).");
    e = co_await put(R"({"Provider":"consul","Config":{"RootCertTTL":"1h"}})");
    BOOST_TEST(e.body == "error configuring provider: root cert TTL is set and is not greater than intermediate cert "
                         "ttl. root cert ttl: 1h0m0s, intermediate cert ttl: 8760h0m0s");
    e = co_await put(R"({"Provider":"consul","Config":{"PrivateKeyType":"dsa"}})");
    BOOST_TEST(e.body == "error configuring provider: private key type must be either 'ec' or 'rsa'");
    e = co_await put(R"({"Provider":"consul","Config":{"PrivateKeyType":"rsa","PrivateKeyBits":1024}})");
    BOOST_TEST(e.body == "error configuring provider: RSA key length must be 2048 or 4096 bits");
    e = co_await put(R"({"Provider":"consul","Config":{"RootCert":"x"}})");
    BOOST_TEST(e.body == "error configuring provider: must provide a private key when providing a root cert");
    e = co_await put(R"({"Provider":"nope","Config":{}})");
    BOOST_TEST(e.body == "could not initialize provider: unknown CA provider \"nope\"");
    e = co_await put(R"({"Provider":"consul","State":{"a":"b"}})");
    BOOST_TEST(e.status == 400u);
    BOOST_TEST(e.body == "Provider State is read-only. It must be omitted or identical to the current value");
    e = co_await put(R"({"Provider":1})");
    BOOST_TEST(e.status == 400u);
    BOOST_TEST(e.body.starts_with("Request decode failed: json: cannot unmarshal number into Go struct field"));
    e = co_await put("");
    BOOST_TEST(e.body == "Request decode failed: EOF");
    e = co_await c.request("PUT", "/v1/connect/ca/configuration?cas=x", R"({"Provider":"consul"})");
    BOOST_TEST(e.status == 400u);
    BOOST_TEST(e.body == "Request decode failed: strconv.ParseUint: parsing \"x\": invalid syntax");
    e = co_await c.del("/v1/connect/ca/configuration");
    BOOST_TEST(e.status == 405u);
    // None of these moved anything.
    again = co_await c.get("/v1/connect/ca/configuration");
    BOOST_TEST(again.json().at("ModifyIndex").to_number<std::uint64_t>() == modify);
  }());
}

// A private key of one's own (and no root): the CA makes a root for that key and rotates to it.
BOOST_AUTO_TEST_CASE(a_private_key_of_ones_own_rotates_to_a_root_for_it) {
  agent_fixture f(ca_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-384"), &EVP_PKEY_free);
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    PEM_write_bio_PrivateKey_traditional(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    long size = BIO_get_mem_data(bio.get(), &data);
    std::string key_pem(data, static_cast<std::size_t>(size));

    auto before = co_await c.get("/v1/connect/ca/roots");
    json::object cfg{{"Provider", "consul"}, {"Config", json::object{{"PrivateKey", key_pem}}}};
    auto put = co_await c.put("/v1/connect/ca/configuration", json::serialize(cfg));
    BOOST_TEST(put.status == 200u);
    auto after = co_await c.get("/v1/connect/ca/roots");
    BOOST_TEST(after.index() > before.index());
    auto roots = after.json().at("Roots").as_array();
    BOOST_REQUIRE_EQUAL(roots.size(), 2u);
    BOOST_TEST(!roots[0].at("Active").as_bool());
    BOOST_TEST(roots[0].at("ModifyIndex").to_number<std::uint64_t>() == after.index());
    BOOST_TEST(roots[1].at("Active").as_bool());
    BOOST_TEST(roots[1].at("PrivateKeyType").as_string() == "ec");
    BOOST_TEST(roots[1].at("PrivateKeyBits").to_number<int>() == 384);
    BOOST_TEST(after.json().at("ActiveRootID") == roots[1].at("ID"));
    auto cert = first_cert(std::string(roots[1].at("RootCert").as_string()));
    BOOST_TEST(X509_check_private_key(cert.get(), key.get()) == 1);
    BOOST_TEST(roots[1].at("IntermediateCerts").as_array().size() == 1u);
    // The stored configuration is the one given.
    auto conf = (co_await c.get("/v1/connect/ca/configuration")).json();
    BOOST_TEST(conf.at("Config").at("PrivateKey").as_string() == key_pem);
    // Putting it again is a no-op: no second rotation.
    co_await c.put("/v1/connect/ca/configuration", json::serialize(cfg));
    auto still = co_await c.get("/v1/connect/ca/roots");
    BOOST_TEST(still.index() == after.index());
  }());
}

BOOST_AUTO_TEST_CASE(a_leaf_has_consuls_shape_and_cache_headers) {
  agent_fixture f(ca_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto before = std::time(nullptr);
    auto r = co_await c.get("/v1/agent/connect/ca/leaf/web");
    BOOST_TEST(r.status == 200u);
    auto body = r.json();
    BOOST_TEST(keys_of(body) == (std::vector<std::string>{"SerialNumber", "CertPEM", "PrivateKeyPEM", "Service",
                                                         "ServiceURI", "ValidAfter", "ValidBefore", "CreateIndex",
                                                         "ModifyIndex"}),
               boost::test_tools::per_element());
    BOOST_TEST(r.index() == body.at("ModifyIndex").to_number<std::uint64_t>());
    BOOST_TEST(r.header("X-Cache") == "MISS");
    BOOST_TEST(!r.has_header("X-Consul-Knownleader"));
    BOOST_TEST(std::regex_match(std::string(body.at("ValidAfter").as_string()), rfc3339));
    BOOST_TEST(std::regex_match(std::string(body.at("SerialNumber").as_string()), std::regex("[0-9a-f]{2}(:[0-9a-f]{2})*")));
    auto cert = first_cert(std::string(body.at("CertPEM").as_string()));
    BOOST_REQUIRE(cert);
    // Valid from a minute before signing (Consul's clock-drift buffer) for LeafCertTTL (72h).
    auto nb = epoch(X509_get0_notBefore(cert.get()));
    BOOST_TEST(nb >= before - 61);
    BOOST_TEST(nb <= before - 59 + 2);
    BOOST_TEST(epoch(X509_get0_notAfter(cert.get())) - nb == 72 * 3600);
    BOOST_TEST(common_name(cert.get()).empty());  // an empty subject
    BOOST_TEST(critical(cert.get(), NID_subject_alt_name));
    BOOST_TEST(X509_get_key_usage(cert.get()) ==
               (KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT | KU_DATA_ENCIPHERMENT | KU_KEY_AGREEMENT));

    // A blocking read below the certificate's index is served from the cache.
    auto idx = r.index();
    auto hit = co_await c.get("/v1/agent/connect/ca/leaf/web?index=" + std::to_string(idx - 1));
    BOOST_TEST(hit.header("X-Cache") == "HIT");
    BOOST_TEST(hit.has_header("Age"));
    BOOST_TEST(hit.json().at("SerialNumber") == body.at("SerialNumber"));
    // At its index it waits: nothing renews a 72-hour certificate within 100 ms.
    auto waited = co_await c.get("/v1/agent/connect/ca/leaf/web?wait=100ms&index=" + std::to_string(idx));
    BOOST_TEST(waited.index() == idx);
    BOOST_TEST(waited.header("X-Cache") == "MISS");
    // Roots and configuration reads are no writes: the certificate is still the same.
    auto again = co_await c.get("/v1/agent/connect/ca/leaf/web");
    BOOST_TEST(again.json().at("SerialNumber") == body.at("SerialNumber"));
    auto empty = co_await c.get("/v1/agent/connect/ca/leaf/");
    BOOST_TEST(empty.status == 500u);
    BOOST_TEST(empty.body == "URI must be either service, agent, server, or kind");
  }());
}

// Two requests blocked on the same leaf get the one renewal, as the agent cache fetches once.
BOOST_AUTO_TEST_CASE(waiters_on_one_leaf_share_its_renewal) {
  using namespace asio::experimental::awaitable_operators;
  auto o = ca_options();
  o.connect.leaf_cert_ttl = 2s;
  o.connect.leaf_cert_backdate = 0s;
  agent_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    auto a = agent_client(f.agent, f.ioc.get_executor());
    auto b = agent_client(f.agent, f.ioc.get_executor());
    auto first = co_await a.get("/v1/agent/connect/ca/leaf/web");
    std::string target = "/v1/agent/connect/ca/leaf/web?wait=10s&index=" + std::to_string(first.index());
    auto [ra, rb] = co_await (get_after(a, target) && get_after(b, target));
    BOOST_TEST(ra.index() > first.index());
    BOOST_TEST(ra.index() == rb.index());
    BOOST_TEST(ra.json().at("SerialNumber") == rb.json().at("SerialNumber"));
    BOOST_TEST(ra.json().at("SerialNumber") != first.json().at("SerialNumber"));
  }(), 15s);
}

BOOST_AUTO_TEST_CASE(an_rsa_root_at_start_when_the_options_say_so) {
  auto o = ca_options();
  o.connect.private_key_type = "rsa";
  o.connect.private_key_bits = 2048;
  agent_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto root = (co_await c.get("/v1/connect/ca/roots")).json().at("Roots").at(0);
    BOOST_TEST(root.at("PrivateKeyType").as_string() == "rsa");
    BOOST_TEST(root.at("PrivateKeyBits").to_number<int>() == 2048);
    auto conf = (co_await c.get("/v1/connect/ca/configuration")).json();
    BOOST_TEST(conf.at("Config").at("PrivateKeyType").as_string() == "rsa");
    BOOST_TEST(conf.at("Config").at("PrivateKeyBits").to_number<int>() == 2048);
    auto leaf = co_await c.get("/v1/agent/connect/ca/leaf/web");
    BOOST_TEST(leaf.status == 200u);
  }());
}

// As Consul, a cluster_id that is not a UUID is ignored: the trust domain is a fresh one.
BOOST_AUTO_TEST_CASE(a_cluster_id_that_is_no_uuid_is_ignored) {
  auto o = ca_options();
  o.connect.cluster_id = "not-a-uuid";
  agent_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    std::string domain((co_await c.get("/v1/connect/ca/roots")).json().at("TrustDomain").as_string());
    BOOST_TEST(std::regex_match(domain, std::regex("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\\.consul")));
  }());
}

BOOST_AUTO_TEST_CASE(with_connect_disabled_the_texts_are_consuls) {
  auto o = ca_options();
  o.connect.enabled = false;
  agent_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/v1/connect/ca/roots");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST((r.json() == json::parse(R"({"ActiveRootID":"","TrustDomain":"","Roots":[]})")));
    auto agent_roots = co_await c.get("/v1/agent/connect/ca/roots");
    BOOST_TEST((agent_roots.json() == r.json()));
    auto conf = co_await c.get("/v1/connect/ca/configuration");
    BOOST_TEST(conf.status == 500u);
    BOOST_TEST(conf.body == "Connect must be enabled in order to use this endpoint");
    auto put = co_await c.put("/v1/connect/ca/configuration", R"({"Provider":"consul"})");
    BOOST_TEST(put.status == 500u);
    BOOST_TEST(put.body == "Connect must be enabled in order to use this endpoint");
    auto leaf = co_await c.get("/v1/agent/connect/ca/leaf/web");
    BOOST_TEST(leaf.status == 500u);
    BOOST_TEST(leaf.body == "cluster has no CA bootstrapped yet");
  }());
}

// The renewal decision without a clock: Consul's soft-expiry window (60 % to 90 % of the
// lifetime), its lower bound moved up to now inside the window, now itself past 90 %.
BOOST_AUTO_TEST_CASE(renewal_time_follows_the_soft_expiry_window) {
  using std::chrono::system_clock;
  cca::issued_cert c;
  c.valid_after_epoch = 1'000'000;
  c.valid_before_epoch = 1'000'000 + 1000;
  auto at = [](std::int64_t s) { return system_clock::from_time_t(static_cast<std::time_t>(s)); };
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200; ++i) {
    auto t = cca::renewal_time(c, at(1'000'000), rng);
    BOOST_TEST((t >= at(1'000'600) && t < at(1'000'900)));
    t = cca::renewal_time(c, at(1'000'700), rng);
    BOOST_TEST((t >= at(1'000'700) && t < at(1'000'900)));
  }
  BOOST_TEST((cca::renewal_time(c, at(1'000'950), rng) == at(1'000'950)));
  BOOST_TEST((cca::renewal_time(c, at(1'002'000), rng) == at(1'002'000)));  // already expired

  // Served while before its renewal time and signed by the active root's key.
  cca::cached_leaf leaf{c, {}};
  leaf.cert.authority_key_id = "aa:bb";
  cca::ca_root active;
  active.signing_key_id = "aa:bb";
  BOOST_TEST(cca::leaf_cache::still_valid(leaf, &active, at(1'000'100), at(1'000'700)));
  BOOST_TEST(!cca::leaf_cache::still_valid(leaf, &active, at(1'000'700), at(1'000'700)));
  active.signing_key_id = "cc:dd";  // rotated
  BOOST_TEST(!cca::leaf_cache::still_valid(leaf, &active, at(1'000'100), at(1'000'700)));
  BOOST_TEST(!cca::leaf_cache::still_valid(leaf, nullptr, at(1'000'100), at(1'000'700)));
}

// ParseConsulCAConfig's weak typing and defaults, without an agent.
BOOST_AUTO_TEST_CASE(provider_config_reads_consuls_keys_weakly_over_its_defaults) {
  std::string why;
  auto c = cca::parse_provider_config(json::parse(R"({"leafcertttl":"2h","PrivateKeyBits":"384",
      "IntermediateCertTTL":21600000000000,"DisableCrossSigning":"true","CSRMaxPerSecond":5})").as_object(), why);
  BOOST_REQUIRE_MESSAGE(c, why);
  BOOST_TEST((c->leaf_cert_ttl == 2h));
  BOOST_TEST((c->intermediate_cert_ttl == 6h));
  BOOST_TEST((c->root_cert_ttl == 87600h));
  BOOST_TEST(c->private_key_type == "ec");
  BOOST_TEST(c->private_key_bits == 384);
  BOOST_TEST(c->disable_cross_signing);
  BOOST_TEST(!cca::parse_provider_config(json::parse(R"({"PrivateKeyBits":[1]})").as_object(), why));
  BOOST_TEST(why == "error decoding config: 1 error(s) decoding:\n\n"
                    "* 'PrivateKeyBits' expected type 'int', got unconvertible type '[]interface {}'");
  BOOST_TEST(!cca::parse_provider_config(json::parse(R"({"LeafCertTTL":"9000h"})").as_object(), why));
  BOOST_TEST(why == "leaf cert TTL must be less than 8760h0m0s");
}
