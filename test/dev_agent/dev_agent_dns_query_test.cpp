// DNS names that reach beyond a service's own instances, through real UDP: prepared queries
// (<query>.query[.<dc>].consul, executed with the agent's default token, their DNS.TTL, a
// template's rendering, NXDOMAIN for an unknown query), <svc>.connect.consul (the proxies'
// and native services' addresses and ports) and <svc>.ingress.consul (the ingress gateways
// that expose the service).
#define BOOST_TEST_MODULE dev_agent_dns_query
#include <boost/test/unit_test.hpp>

#include "acl_test_support.hpp"
#include "agent_client.hpp"
#include "agent_fixture.hpp"

#include "dev_agent/dns/wire.hpp"

#include <boost/asio/ip/udp.hpp>

#include <set>

using namespace coconsul;
using namespace coconsul::test;
namespace asio = boost::asio;
namespace dns = coconsul::dev::dns;
using udp = asio::ip::udp;

namespace {

dev_agent_options dns_options() {
  auto o = agent_test_options();
  o.dns_port = 0;
  return o;
}

struct dns_fixture : agent_fixture {
  explicit dns_fixture(dev_agent_options o = dns_options()) : agent_fixture(std::move(o)), http(agent, ioc.get_executor()) {}
  agent_client http;
  udp::endpoint server() const { return {asio::ip::make_address("127.0.0.1"), agent.dns_port()}; }
};

dns::message query(const std::string& name, std::uint16_t type) {
  dns::message m;
  m.head.id = 0x4242;
  m.questions.push_back(dns::question{name, type, dns::class_in});
  return m;
}

// One datagram out, one back (the test's deadline bounds a lost reply).
asio::awaitable<dns::message> ask_udp(udp::endpoint server, dns::message q) {
  auto out = dns::encode(q);
  BOOST_REQUIRE(out);
  udp::socket s(co_await asio::this_coro::executor, udp::v4());
  co_await s.async_send_to(asio::buffer(*out), server, asio::use_awaitable);
  std::vector<std::uint8_t> in(65535);
  udp::endpoint from;
  std::size_t n = co_await s.async_receive_from(asio::buffer(in), from, asio::use_awaitable);
  in.resize(n);
  auto m = dns::decode(in);
  BOOST_REQUIRE(m);
  co_return *m;
}

template <class T>
const T& data_of(const dns::record& r) {
  const T* d = std::get_if<T>(&r.data);
  BOOST_REQUIRE_MESSAGE(d, "record " + r.name + " of type " + std::to_string(r.type) + " has other data");
  return *d;
}

std::string ip_of(const dns::record& r) { return asio::ip::address_v4(data_of<dns::a_data>(r).ip).to_string(); }

std::set<std::string> ips(const dns::message& m) {
  std::set<std::string> out;
  for (const auto& r : m.answer)
    if (r.type == dns::rr_type::a) out.insert(ip_of(r));
  return out;
}

std::set<int> srv_ports(const dns::message& m) {
  std::set<int> out;
  for (const auto& r : m.answer)
    if (r.type == dns::rr_type::srv) out.insert(data_of<dns::srv_data>(r).port);
  return out;
}

asio::awaitable<void> put_ok(agent_client& c, const std::string& target, const std::string& body,
                             const std::string& method = "PUT") {
  auto r = co_await c.request(method, target, body);
  BOOST_REQUIRE_MESSAGE(r.status == 200, target + " answered " + std::to_string(r.status) + ": " + r.body);
}

// `service` (ID `id`) on node `node` at `address`, port `port`, its one check in `status`.
asio::awaitable<void> register_at(agent_client& c, std::string node, std::string address, std::string id,
                                  std::string service, int port, std::string status = "passing", std::string extra = "") {
  co_await put_ok(c, "/v1/catalog/register",
                  R"({"Node":")" + node + R"(","Address":")" + address + R"(","Service":{"ID":")" + id +
                      R"(","Service":")" + service + R"(","Port":)" + std::to_string(port) + extra +
                      R"(},"Checks":[{"CheckID":"c-)" + id + R"(","Name":"c","Status":")" + status +
                      R"(","ServiceID":")" + id + R"("}]})");
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_prepared_query_answers_its_name_with_its_ttl) {
  dns_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    co_await register_at(f.http, "n1", "10.1.0.1", "web-1", "web", 8001, "passing", R"(,"Tags":["v1"])");
    co_await register_at(f.http, "n2", "10.1.0.2", "web-2", "web", 8002, "passing", R"(,"Tags":["v2"])");
    co_await register_at(f.http, "n3", "10.1.0.3", "web-3", "web", 8003, "critical", R"(,"Tags":["v1"])");
    co_await put_ok(f.http, "/v1/query", R"({"Name":"web-v1","Service":{"Service":"web","Tags":["v1"]},"DNS":{"TTL":"30s"}})", "POST");
    auto m = co_await ask_udp(f.server(), query("web-v1.query.consul.", dns::rr_type::a));
    BOOST_TEST(m.head.rcode == dns::rcode::noerror);
    BOOST_TEST(m.head.aa);
    // The critical instance is left out, as execute leaves it out.
    BOOST_TEST((ips(m) == std::set<std::string>{"10.1.0.1"}));
    BOOST_REQUIRE_EQUAL(m.answer.size(), 1u);
    BOOST_TEST(m.answer[0].ttl == 30u);
    BOOST_TEST(m.answer[0].name == "web-v1.query.consul.");
    m = co_await ask_udp(f.server(), query("web-v1.query.dc1.consul.", dns::rr_type::srv));
    BOOST_TEST((srv_ports(m) == std::set<int>{8001}));
    BOOST_TEST(data_of<dns::srv_data>(m.answer.at(0)).target == "n1.node.dc1.consul.");

    // No such query: NXDOMAIN with the SOA; another datacenter: no path, NXDOMAIN too.
    m = co_await ask_udp(f.server(), query("nothing.query.consul.", dns::rr_type::a));
    BOOST_TEST(m.head.rcode == dns::rcode::nxdomain);
    BOOST_TEST(m.authority.size() == 1u);
    m = co_await ask_udp(f.server(), query("web-v1.query.dc2.consul.", dns::rr_type::a));
    BOOST_TEST(m.head.rcode == dns::rcode::nxdomain);

    // A query with no healthy instance: NXDOMAIN.
    co_await put_ok(f.http, "/v1/query", R"({"Name":"none","Service":{"Service":"missing"}})", "POST");
    m = co_await ask_udp(f.server(), query("none.query.consul.", dns::rr_type::a));
    BOOST_TEST(m.head.rcode == dns::rcode::nxdomain);

    // A template renders with the name asked for; without a DNS TTL, the service TTL (0 here).
    co_await put_ok(f.http, "/v1/query",
                    R"({"Name":"tag-","Template":{"Type":"name_prefix_match","Regexp":"^tag-(.+)$"},)"
                    R"("Service":{"Service":"web","Tags":["${match(1)}"]}})",
                    "POST");
    m = co_await ask_udp(f.server(), query("tag-v2.query.consul.", dns::rr_type::a));
    BOOST_TEST((ips(m) == std::set<std::string>{"10.1.0.2"}));
    BOOST_TEST(m.answer.at(0).ttl == 0u);
  }());
}

BOOST_AUTO_TEST_CASE(a_prepared_query_in_dns_acts_with_the_default_token) {
  auto o = dns_options();
  o.acl.enabled = true;
  o.acl.default_policy = "deny";
  o.acl.tokens.initial_management = acl_root;
  dns_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    auto r = co_await acl_call(f.http, "PUT", "/v1/catalog/register",
                               R"({"Node":"n1","Address":"10.1.0.1","Service":{"Service":"web","Port":80}})");
    BOOST_REQUIRE(r.status == 200u);
    r = co_await acl_call(f.http, "POST", "/v1/query", R"({"Name":"web","Service":{"Service":"web"}})");
    BOOST_REQUIRE(r.status == 200u);
    // The anonymous token may not read the service: nothing to answer.
    auto m = co_await ask_udp(f.server(), query("web.query.consul.", dns::rr_type::a));
    BOOST_TEST(m.head.rcode == dns::rcode::nxdomain);
    // A query carrying a token that may read it answers for anyone.
    r = co_await acl_call(f.http, "POST", "/v1/query",
                          std::string(R"({"Name":"web-tok","Token":")") + acl_root + R"(","Service":{"Service":"web"}})");
    BOOST_REQUIRE(r.status == 200u);
    m = co_await ask_udp(f.server(), query("web-tok.query.consul.", dns::rr_type::a));
    BOOST_TEST((ips(m) == std::set<std::string>{"10.1.0.1"}));
  }());
}

BOOST_AUTO_TEST_CASE(connect_names_answer_the_proxies_and_native_services) {
  dns_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    co_await register_at(f.http, "n1", "10.2.0.1", "web-1", "web", 8080);
    co_await register_at(f.http, "n1", "10.2.0.1", "web-proxy", "web-sidecar-proxy", 21000, "passing",
                         R"(,"Kind":"connect-proxy","Proxy":{"DestinationServiceName":"web"})");
    co_await register_at(f.http, "n2", "10.2.0.2", "web-native", "web", 9090, "passing", R"(,"Connect":{"Native":true})");
    co_await register_at(f.http, "n3", "10.2.0.3", "web-proxy-down", "web-sidecar-proxy", 21001, "critical",
                         R"(,"Kind":"connect-proxy","Proxy":{"DestinationServiceName":"web"})");
    auto m = co_await ask_udp(f.server(), query("web.connect.consul.", dns::rr_type::srv));
    BOOST_TEST(m.head.rcode == dns::rcode::noerror);
    // The proxy's port, not the service's; the native instance's own; the failing proxy left out.
    BOOST_TEST((srv_ports(m) == std::set<int>{21000, 9090}));
    m = co_await ask_udp(f.server(), query("web.connect.consul.", dns::rr_type::a));
    BOOST_TEST((ips(m) == std::set<std::string>{"10.2.0.1", "10.2.0.2"}));
    m = co_await ask_udp(f.server(), query("db.connect.consul.", dns::rr_type::a));
    BOOST_TEST(m.head.rcode == dns::rcode::nxdomain);
  }());
}

BOOST_AUTO_TEST_CASE(ingress_names_answer_the_gateways_exposing_the_service) {
  dns_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    co_await register_at(f.http, "n1", "10.3.0.1", "web-1", "web", 8080);
    co_await register_at(f.http, "gw", "10.3.0.9", "ingress-1", "ingress", 8443, "passing", R"(,"Kind":"ingress-gateway")");
    auto m = co_await ask_udp(f.server(), query("web.ingress.consul.", dns::rr_type::a));
    BOOST_TEST(m.head.rcode == dns::rcode::nxdomain);  // no entry links the gateway to web yet
    co_await put_ok(f.http, "/v1/config",
                    R"({"Kind":"ingress-gateway","Name":"ingress","Listeners":[{"Port":8080,"Protocol":"tcp","Services":[{"Name":"web"}]}]})");
    m = co_await ask_udp(f.server(), query("web.ingress.consul.", dns::rr_type::a));
    BOOST_TEST(m.head.rcode == dns::rcode::noerror);
    BOOST_TEST((ips(m) == std::set<std::string>{"10.3.0.9"}));
    m = co_await ask_udp(f.server(), query("web.ingress.consul.", dns::rr_type::srv));
    BOOST_TEST((srv_ports(m) == std::set<int>{8443}));
  }());
}
