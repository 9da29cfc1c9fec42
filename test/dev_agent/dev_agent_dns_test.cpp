// The agent's DNS server (Consul's agent/dns.go rules) through real UDP and TCP sockets: queries
// built and answers read with the agent's ldns codec, services and checks registered over HTTP.
// Over 500 lines: one case per form and rule of docs/dns.md, sharing the socket helpers at the top.
#define BOOST_TEST_MODULE dev_agent_dns
#include <boost/test/unit_test.hpp>

#include "acl_test_support.hpp"
#include "agent_client.hpp"
#include "agent_fixture.hpp"

#include "dev_agent/dns/names.hpp"
#include "dev_agent/dns/wire.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <set>

using namespace coconsul;
using namespace coconsul::test;
namespace asio = boost::asio;
namespace dns = coconsul::dev::dns;
using tcp = asio::ip::tcp;
using udp = asio::ip::udp;
using namespace std::chrono_literals;

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

dns::message query(const std::string& name, std::uint16_t type, std::optional<std::uint16_t> edns = std::nullopt) {
  dns::message m;
  m.head.id = 0x1234;
  m.head.rd = true;
  m.questions.push_back(dns::question{name, type, dns::class_in});
  if (edns) m.opt = dns::edns{*edns};
  return m;
}

std::vector<std::uint8_t> bytes_of(const dns::message& m) {
  auto b = dns::encode(m);
  BOOST_REQUIRE(b);
  return *b;
}

// One datagram out, one back (the test's deadline bounds a lost reply).
asio::awaitable<std::vector<std::uint8_t>> exchange_udp(udp::endpoint server, std::vector<std::uint8_t> out) {
  udp::socket s(co_await asio::this_coro::executor, udp::v4());
  co_await s.async_send_to(asio::buffer(out), server, asio::use_awaitable);
  std::vector<std::uint8_t> in(65535);
  udp::endpoint from;
  std::size_t n = co_await s.async_receive_from(asio::buffer(in), from, asio::use_awaitable);
  in.resize(n);
  co_return in;
}

asio::awaitable<dns::message> ask_udp(udp::endpoint server, dns::message q) {
  auto in = co_await exchange_udp(server, bytes_of(q));
  auto m = dns::decode(in);
  BOOST_REQUIRE(m);
  co_return *m;
}

asio::awaitable<void> send_framed(tcp::socket& s, const std::vector<std::uint8_t>& out) {
  std::array<std::uint8_t, 2> prefix{static_cast<std::uint8_t>(out.size() >> 8), static_cast<std::uint8_t>(out.size())};
  std::array<asio::const_buffer, 2> framed{asio::buffer(prefix), asio::buffer(out)};
  co_await asio::async_write(s, framed, asio::use_awaitable);
}

asio::awaitable<dns::message> read_framed(tcp::socket& s) {
  std::array<std::uint8_t, 2> len{};
  co_await asio::async_read(s, asio::buffer(len), asio::use_awaitable);
  std::vector<std::uint8_t> in((std::size_t(len[0]) << 8) | len[1]);
  co_await asio::async_read(s, asio::buffer(in), asio::use_awaitable);
  auto m = dns::decode(in);
  BOOST_REQUIRE(m);
  co_return *m;
}

asio::awaitable<tcp::socket> connect_tcp(udp::endpoint server) {
  tcp::socket s(co_await asio::this_coro::executor);
  co_await s.async_connect(tcp::endpoint(server.address(), server.port()), asio::use_awaitable);
  co_return s;
}

asio::awaitable<dns::message> ask_tcp(udp::endpoint server, dns::message q) {
  tcp::socket s = co_await connect_tcp(server);
  co_await send_framed(s, bytes_of(q));
  co_return co_await read_framed(s);
}

// True when the peer closes the connection (EOF) before `within`.
asio::awaitable<bool> closed_within(tcp::socket& s, std::chrono::milliseconds within) {
  asio::steady_timer t(co_await asio::this_coro::executor, within);
  bool closed = false;
  t.async_wait([&s](boost::system::error_code ec) {
    boost::system::error_code ignored;
    if (!ec) s.cancel(ignored);
  });
  std::array<char, 16> buf{};
  auto [ec, n] = co_await s.async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable));
  closed = ec == asio::error::eof || ec == asio::error::connection_reset;
  t.cancel();
  co_return closed;
}

template <class T>
const T& data_of(const dns::record& r) {
  const T* d = std::get_if<T>(&r.data);
  BOOST_REQUIRE_MESSAGE(d, "record " + r.name + " of type " + std::to_string(r.type) + " has other data");
  return *d;
}

std::string ip_of(const dns::record& r) {
  if (r.type == dns::rr_type::a) {
    auto ip = data_of<dns::a_data>(r).ip;
    return asio::ip::address_v4(ip).to_string();
  }
  return asio::ip::address_v6(data_of<dns::aaaa_data>(r).ip).to_string();
}

std::size_t count_type(const std::vector<dns::record>& rs, std::uint16_t type) {
  return static_cast<std::size_t>(std::count_if(rs.begin(), rs.end(), [type](const auto& r) { return r.type == type; }));
}

asio::awaitable<void> put_ok(agent_client& c, const std::string& target, const std::string& body) {
  auto r = co_await c.put(target, body);
  BOOST_REQUIRE_MESSAGE(r.status == 200, target + " answered " + std::to_string(r.status) + ": " + r.body);
}

// `count` nodes node-<i> at 10.0.0.<i+1>, each with an instance of `service`.
asio::awaitable<void> register_nodes(agent_client& c, const std::string& service, int count) {
  for (int i = 0; i < count; ++i) {
    std::string body = R"({"Node":"node-)" + std::to_string(i) + R"(","Address":"10.0.0.)" + std::to_string(i + 1) +
                       R"(","Service":{"Service":")" + service + R"(","Port":)" + std::to_string(8000 + i) + "}}";
    co_await put_ok(c, "/v1/catalog/register", body);
  }
}

void check_soa(const dns::message& m) {
  BOOST_REQUIRE_EQUAL(m.authority.size(), 1u);
  const auto& r = m.authority[0];
  BOOST_TEST(r.type == dns::rr_type::soa);
  BOOST_TEST(r.name == "consul.");
  BOOST_TEST(r.ttl == 0u);
  const auto& soa = data_of<dns::soa_data>(r);
  BOOST_TEST(soa.mname == "ns.consul.");
  BOOST_TEST(soa.rname == "hostmaster.consul.");
  BOOST_TEST(soa.refresh == 3600u);
  BOOST_TEST(soa.retry == 600u);
  BOOST_TEST(soa.expire == 86400u);
  BOOST_TEST(soa.minimum == 0u);
  auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  BOOST_TEST(std::abs(static_cast<long long>(soa.serial) - now.count()) < 5);
}

}  // namespace

BOOST_AUTO_TEST_CASE(no_dns_listener_unless_asked) {
  agent_fixture f(agent_test_options());
  BOOST_TEST(f.agent.dns_port() == 0);
}

BOOST_AUTO_TEST_CASE(srv_answers_a_registered_agent_service_with_its_node_as_target) {
  dns_fixture f;
  BOOST_REQUIRE(f.agent.dns_port() != 0);
  f.run([&]() -> asio::awaitable<void> {
    co_await put_ok(f.http, "/v1/agent/service/register", R"({"Name":"web","Port":8080})");
    for (int round = 0; round < 2; ++round) {
      auto q = query("web.service.consul.", dns::rr_type::srv);
      dns::message m;
      if (round == 0)
        m = co_await ask_udp(f.server(), q);
      else
        m = co_await ask_tcp(f.server(), q);
      BOOST_TEST(m.head.id == 0x1234);
      BOOST_TEST(m.head.qr);
      BOOST_TEST(m.head.aa);
      BOOST_TEST(m.head.rd);   // copied from the question
      BOOST_TEST(!m.head.ra);  // no recursors
      BOOST_TEST(!m.head.tc);
      BOOST_TEST(m.head.rcode == dns::rcode::noerror);
      BOOST_REQUIRE_EQUAL(m.questions.size(), 1u);
      BOOST_TEST(m.questions[0].name == "web.service.consul.");
      BOOST_REQUIRE_EQUAL(m.answer.size(), 1u);
      const auto& srv = data_of<dns::srv_data>(m.answer[0]);
      BOOST_TEST(m.answer[0].name == "web.service.consul.");
      BOOST_TEST(m.answer[0].ttl == 0u);
      BOOST_TEST(srv.priority == 1);
      BOOST_TEST(srv.weight == 1);
      BOOST_TEST(srv.port == 8080);
      BOOST_TEST(srv.target == "test-node.node.dc1.consul.");
      // The glue: the node's address under the target's name (and the node's meta as TXT).
      BOOST_REQUIRE_GE(m.additional.size(), 1u);
      BOOST_TEST(m.additional[0].name == "test-node.node.dc1.consul.");
      BOOST_TEST(ip_of(m.additional[0]) == "127.0.0.1");
      BOOST_TEST(!m.opt);  // none asked, none sent
    }
  }());
}

BOOST_AUTO_TEST_CASE(names_are_case_insensitive_and_answers_keep_the_question_as_sent) {
  dns_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    co_await put_ok(f.http, "/v1/agent/service/register", R"({"Name":"Web","Port":80,"Tags":["Primary"]})");
    auto m = co_await ask_udp(f.server(), query("wEb.SERVICE.Consul.", dns::rr_type::a));
    BOOST_REQUIRE_EQUAL(m.answer.size(), 1u);
    BOOST_TEST(m.questions[0].name == "wEb.SERVICE.Consul.");
    BOOST_TEST(m.answer[0].name == "wEb.SERVICE.Consul.");
    BOOST_TEST(ip_of(m.answer[0]) == "127.0.0.1");
    // SRV targets use the domain as the question spelled it.
    m = co_await ask_udp(f.server(), query("primary.web.service.CONSUL.", dns::rr_type::srv));
    BOOST_REQUIRE_EQUAL(m.answer.size(), 1u);
    BOOST_TEST(data_of<dns::srv_data>(m.answer[0]).target == "test-node.node.dc1.CONSUL.");
  }());
}

BOOST_AUTO_TEST_CASE(a_service_address_of_its_own_is_an_addr_target) {
  dns_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    co_await put_ok(f.http, "/v1/agent/service/register", R"({"Name":"db","Port":5432,"Address":"127.0.0.2"})");
    auto m = co_await ask_udp(f.server(), query("db.service.consul.", dns::rr_type::srv));
    BOOST_REQUIRE_EQUAL(m.answer.size(), 1u);
    BOOST_TEST(data_of<dns::srv_data>(m.answer[0]).target == "7f000002.addr.dc1.consul.");
    BOOST_REQUIRE_GE(m.additional.size(), 1u);
    BOOST_TEST(m.additional[0].name == "7f000002.addr.dc1.consul.");
    BOOST_TEST(ip_of(m.additional[0]) == "127.0.0.2");
    m = co_await ask_udp(f.server(), query("db.service.dc1.consul.", dns::rr_type::a));
    BOOST_REQUIRE_EQUAL(m.answer.size(), 1u);
    BOOST_TEST(ip_of(m.answer[0]) == "127.0.0.2");
    // An IPv4 service has no AAAA: NODATA, NOERROR with the SOA.
    m = co_await ask_udp(f.server(), query("db.service.consul.", dns::rr_type::aaaa));
    BOOST_TEST(m.head.rcode == dns::rcode::noerror);
    BOOST_TEST(m.answer.empty());
    check_soa(m);
  }());
}

BOOST_AUTO_TEST_CASE(tags_and_rfc2782_names) {
  dns_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    co_await put_ok(f.http, "/v1/agent/service/register", R"({"ID":"web1","Name":"web","Port":81,"Tags":["v1"]})");
    co_await put_ok(f.http, "/v1/agent/service/register", R"({"ID":"web2","Name":"web","Port":82,"Tags":["v2"]})");
    auto port_of = [](const dns::message& m) { return data_of<dns::srv_data>(m.answer.at(0)).port; };
    auto m = co_await ask_udp(f.server(), query("v1.web.service.consul.", dns::rr_type::srv));
    BOOST_REQUIRE_EQUAL(m.answer.size(), 1u);
    BOOST_TEST(port_of(m) == 81);
    m = co_await ask_udp(f.server(), query("_web._v2.service.consul.", dns::rr_type::srv));
    BOOST_REQUIRE_EQUAL(m.answer.size(), 1u);
    BOOST_TEST(port_of(m) == 82);
    // _tcp is no tag; without "service" the RFC 2782 form still works for SRV.
    m = co_await ask_udp(f.server(), query("_web._tcp.service.consul.", dns::rr_type::srv));
    BOOST_TEST(m.answer.size() == 2u);
    m = co_await ask_udp(f.server(), query("_web._tcp.consul.", dns::rr_type::srv));
    BOOST_TEST(m.answer.size() == 2u);
    m = co_await ask_udp(f.server(), query("_web._tcp.dc1.consul.", dns::rr_type::srv));
    BOOST_TEST(m.answer.size() == 2u);
    m = co_await ask_udp(f.server(), query("v3.web.service.consul.", dns::rr_type::srv));
    BOOST_TEST(m.head.rcode == dns::rcode::nxdomain);
    check_soa(m);
  }());
}

BOOST_AUTO_TEST_CASE(a_critical_instance_is_dropped_a_warning_one_kept) {
  dns_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    co_await put_ok(f.http, "/v1/agent/service/register",
                    R"({"Name":"api","Port":9000,"Check":{"CheckID":"api-ttl","TTL":"60s"}})");
    // A TTL check starts critical.
    auto m = co_await ask_udp(f.server(), query("api.service.consul.", dns::rr_type::srv));
    BOOST_TEST(m.head.rcode == dns::rcode::nxdomain);
    check_soa(m);
    co_await put_ok(f.http, "/v1/agent/check/pass/api-ttl", "");
    m = co_await ask_udp(f.server(), query("api.service.consul.", dns::rr_type::srv));
    BOOST_TEST(m.head.rcode == dns::rcode::noerror);
    BOOST_TEST(m.answer.size() == 1u);
    co_await put_ok(f.http, "/v1/agent/check/warn/api-ttl", "");
    m = co_await ask_udp(f.server(), query("api.service.consul.", dns::rr_type::srv));
    BOOST_REQUIRE_EQUAL(m.answer.size(), 1u);
    co_await put_ok(f.http, "/v1/agent/check/fail/api-ttl", "");
    m = co_await ask_udp(f.server(), query("api.service.consul.", dns::rr_type::srv));
    BOOST_TEST(m.head.rcode == dns::rcode::nxdomain);
  }());
}

BOOST_AUTO_TEST_CASE(only_passing_drops_warning_instances_and_weights_follow_the_status) {
  auto o = dns_options();
  o.dns.only_passing = true;
  dns_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    co_await put_ok(f.http, "/v1/agent/service/register",
                    R"({"Name":"api","Port":9000,"Weights":{"Passing":7,"Warning":2},"Check":{"CheckID":"t","TTL":"60s"}})");
    co_await put_ok(f.http, "/v1/agent/check/pass/t", "");
    auto m = co_await ask_udp(f.server(), query("api.service.consul.", dns::rr_type::srv));
    BOOST_REQUIRE_EQUAL(m.answer.size(), 1u);
    BOOST_TEST(data_of<dns::srv_data>(m.answer[0]).weight == 7);
    co_await put_ok(f.http, "/v1/agent/check/warn/t", "");
    m = co_await ask_udp(f.server(), query("api.service.consul.", dns::rr_type::srv));
    BOOST_TEST(m.head.rcode == dns::rcode::nxdomain);
  }());
  // Without only_passing a warning instance answers with its Warning weight.
  dns_fixture g;
  g.run([&]() -> asio::awaitable<void> {
    co_await put_ok(g.http, "/v1/agent/service/register",
                    R"({"Name":"api","Port":9000,"Weights":{"Passing":7,"Warning":2},"Check":{"CheckID":"t","TTL":"60s"}})");
    co_await put_ok(g.http, "/v1/agent/check/warn/t", "");
    auto m = co_await ask_udp(g.server(), query("api.service.consul.", dns::rr_type::srv));
    BOOST_REQUIRE_EQUAL(m.answer.size(), 1u);
    BOOST_TEST(data_of<dns::srv_data>(m.answer[0]).weight == 2);
  }());
}

BOOST_AUTO_TEST_CASE(node_names_with_meta_as_txt) {
  dns_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    co_await put_ok(f.http, "/v1/catalog/register",
                    R"({"Node":"Ext","Address":"10.1.2.3","NodeMeta":{"rack":"r1","a=b":"c`d","rfc1035-raw":"as is"}})");
    auto m = co_await ask_udp(f.server(), query("ext.node.consul.", dns::rr_type::a));
    BOOST_TEST(m.head.rcode == dns::rcode::noerror);
    BOOST_REQUIRE_EQUAL(m.answer.size(), 1u);
    BOOST_TEST(m.answer[0].name == "ext.node.consul.");
    BOOST_TEST(ip_of(m.answer[0]) == "10.1.2.3");
    // enable_additional_node_meta_txt (on by default): the meta in the additional section.
    BOOST_TEST(count_type(m.additional, dns::rr_type::txt) == 3u);
    m = co_await ask_udp(f.server(), query("ext.node.dc1.consul.", dns::rr_type::txt));
    BOOST_REQUIRE_EQUAL(m.answer.size(), 3u);
    std::set<std::string> texts;
    for (const auto& r : m.answer) texts.insert(data_of<dns::txt_data>(r).strings.at(0));
    BOOST_TEST(texts.count("rack=r1") == 1u);
    BOOST_TEST(texts.count("a`=b=c``d") == 1u);  // RFC 1464 quoting
    BOOST_TEST(texts.count("as is") == 1u);
    // ANY: address and meta in the answer (four records: over UDP without EDNS0, cut to three).
    m = co_await ask_udp(f.server(), query("ext.node.consul.", dns::rr_type::any, 4096));
    BOOST_TEST(m.answer.size() == 4u);
    BOOST_TEST(count_type(m.answer, dns::rr_type::a) == 1u);
    m = co_await ask_udp(f.server(), query("ext.node.consul.", dns::rr_type::any));
    BOOST_TEST(m.answer.size() == 3u);
    // Other types: an empty NOERROR without SOA.
    m = co_await ask_udp(f.server(), query("ext.node.consul.", dns::rr_type::srv));
    BOOST_TEST(m.head.rcode == dns::rcode::noerror);
    BOOST_TEST(m.answer.empty());
    BOOST_TEST(m.authority.empty());
    m = co_await ask_udp(f.server(), query("ext.node.dc2.consul.", dns::rr_type::a));
    BOOST_TEST(m.head.rcode == dns::rcode::nxdomain);
    m = co_await ask_udp(f.server(), query("missing.node.consul.", dns::rr_type::a));
    BOOST_TEST(m.head.rcode == dns::rcode::nxdomain);
    check_soa(m);
  }());
}

BOOST_AUTO_TEST_CASE(addr_names) {
  dns_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    auto m = co_await ask_udp(f.server(), query("7F000001.addr.consul.", dns::rr_type::a));
    BOOST_REQUIRE_EQUAL(m.answer.size(), 1u);
    // Consul lower-cases this name; ldns compresses it into a pointer to the question's, so the
    // client reads the question's case (the same name: DNS compares names case-insensitively).
    BOOST_TEST(dev::dns::lower_ascii(m.answer[0].name) == "7f000001.addr.consul.");
    BOOST_TEST(ip_of(m.answer[0]) == "127.0.0.1");
    m = co_await ask_udp(f.server(), query("20010db8000000000000000000000001.addr.dc1.consul.", dns::rr_type::aaaa));
    BOOST_REQUIRE_EQUAL(m.answer.size(), 1u);
    BOOST_TEST(ip_of(m.answer[0]) == "2001:db8::1");
    m = co_await ask_udp(f.server(), query("7f00001.addr.consul.", dns::rr_type::a));
    BOOST_TEST(m.head.rcode == dns::rcode::nxdomain);
    m = co_await ask_udp(f.server(), query("zz000001.addr.consul.", dns::rr_type::a));
    BOOST_TEST(m.head.rcode == dns::rcode::nxdomain);
  }());
}

BOOST_AUTO_TEST_CASE(soa_ns_axfr_foreign_names_and_later_forms) {
  dns_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    // NS: the consul service's node (this agent), with its address as glue.
    auto m = co_await ask_udp(f.server(), query("consul.", dns::rr_type::ns));
    BOOST_REQUIRE_EQUAL(m.answer.size(), 1u);
    BOOST_TEST(m.answer[0].name == "consul.");
    BOOST_TEST(data_of<dns::name_data>(m.answer[0]).target == "test-node.node.dc1.consul.");
    BOOST_REQUIRE_GE(m.additional.size(), 1u);
    BOOST_TEST(ip_of(m.additional[0]) == "127.0.0.1");
    m = co_await ask_udp(f.server(), query("web.service.consul.", dns::rr_type::soa));
    BOOST_REQUIRE_EQUAL(m.answer.size(), 1u);
    BOOST_TEST(m.answer[0].type == dns::rr_type::soa);
    BOOST_TEST(count_type(m.authority, dns::rr_type::ns) == 1u);
    m = co_await ask_tcp(f.server(), query("consul.", dns::rr_type::axfr));
    BOOST_TEST(m.head.rcode == dns::rcode::notimp);
    // Without recursors a foreign name has no handler: SERVFAIL, not authoritative.
    m = co_await ask_udp(f.server(), query("example.com.", dns::rr_type::a));
    BOOST_TEST(m.head.rcode == dns::rcode::servfail);
    BOOST_TEST(!m.head.aa);
    // Prepared queries and Connect names are not served yet: NXDOMAIN.
    for (const char* name : {"web.query.consul.", "web.connect.consul.", "web.ingress.consul.", "web.virtual.consul.",
                             "consul.", "web.service.dc2.consul.", "web.service.a.b.consul."}) {
      m = co_await ask_udp(f.server(), query(name, dns::rr_type::a));
      BOOST_TEST(m.head.rcode == dns::rcode::nxdomain, name);
    }
  }());
}

BOOST_AUTO_TEST_CASE(reverse_lookups_name_the_node) {
  dns_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    auto m = co_await ask_udp(f.server(), query("1.0.0.127.in-addr.arpa.", dns::rr_type::ptr));
    BOOST_REQUIRE_EQUAL(m.answer.size(), 1u);
    BOOST_TEST(data_of<dns::name_data>(m.answer[0]).target == "test-node.node.dc1.consul.");
    m = co_await ask_udp(f.server(), query("9.9.9.9.in-addr.arpa.", dns::rr_type::ptr));
    BOOST_TEST(m.head.rcode == dns::rcode::nxdomain);
    check_soa(m);
  }());
}

BOOST_AUTO_TEST_CASE(udp_answers_are_cut_to_the_answer_limit_without_edns) {
  dns_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    co_await register_nodes(f.http, "many", 10);
    auto m = co_await ask_udp(f.server(), query("many.service.consul.", dns::rr_type::a));
    BOOST_TEST(m.answer.size() == 3u);  // udp_answer_limit's default
    BOOST_TEST(!m.head.tc);             // enable_truncate is off by default
    m = co_await ask_udp(f.server(), query("many.service.consul.", dns::rr_type::srv));
    BOOST_REQUIRE_EQUAL(m.answer.size(), 3u);
    // The additional section keeps only the glue of the SRV answers left.
    BOOST_TEST(m.additional.size() == 3u);
    for (const auto& srv : m.answer) {
      auto target = data_of<dns::srv_data>(srv).target;
      BOOST_TEST(std::any_of(m.additional.begin(), m.additional.end(), [&](const auto& r) { return r.name == target; }));
    }
    // EDNS0: the client's size, all ten, and the OPT record echoed.
    m = co_await ask_udp(f.server(), query("many.service.consul.", dns::rr_type::a, 4096));
    BOOST_TEST(m.answer.size() == 10u);
    BOOST_REQUIRE(m.opt);
    BOOST_TEST(m.opt->udp_size == 4096);
    // TCP carries them all.
    m = co_await ask_tcp(f.server(), query("many.service.consul.", dns::rr_type::a));
    BOOST_TEST(m.answer.size() == 10u);
  }());
}

BOOST_AUTO_TEST_CASE(enable_truncate_sets_tc_and_limits_apply) {
  auto o = dns_options();
  o.dns.enable_truncate = true;
  o.dns.udp_answer_limit = 5;
  dns_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    co_await register_nodes(f.http, "many", 10);
    auto m = co_await ask_udp(f.server(), query("many.service.consul.", dns::rr_type::a));
    BOOST_TEST(m.answer.size() == 5u);
    BOOST_TEST(m.head.tc);
    m = co_await ask_udp(f.server(), query("many.service.consul.", dns::rr_type::a, 4096));
    BOOST_TEST(m.answer.size() == 10u);
    BOOST_TEST(!m.head.tc);
  }());
  // udp_answer_limit is capped at 8; a_record_limit applies on every transport.
  auto p = dns_options();
  p.dns.udp_answer_limit = 100;
  p.dns.a_record_limit = 9;
  dns_fixture g(p);
  g.run([&]() -> asio::awaitable<void> {
    co_await register_nodes(g.http, "many", 10);
    auto m = co_await ask_udp(g.server(), query("many.service.consul.", dns::rr_type::a));
    BOOST_TEST(m.answer.size() == 8u);
    m = co_await ask_tcp(g.server(), query("many.service.consul.", dns::rr_type::a));
    BOOST_TEST(m.answer.size() == 9u);
  }());
}

BOOST_AUTO_TEST_CASE(edns_sizes_bound_the_answer) {
  dns_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    co_await register_nodes(f.http, "many", 60);
    // 60 A answers (16 bytes each, compressed) do not fit in 600 bytes: records are dropped until
    // they fit.
    auto q = query("many.service.consul.", dns::rr_type::a, 600);
    auto raw = co_await exchange_udp(f.server(), bytes_of(q));
    BOOST_TEST(raw.size() <= 600u - 8u);
    auto m = dns::decode(raw);
    BOOST_REQUIRE(m);
    BOOST_TEST(m->answer.size() > 3u);
    BOOST_TEST(m->answer.size() < 60u);
    auto t = co_await ask_tcp(f.server(), query("many.service.consul.", dns::rr_type::a));
    BOOST_TEST(t.answer.size() == 60u);
  }());
}

BOOST_AUTO_TEST_CASE(ttls_from_node_ttl_and_service_ttl) {
  auto o = dns_options();
  o.dns.node_ttl = 30s;
  o.dns.service_ttl = {{"web", 10s}, {"we*", 20s}, {"*", 5s}};
  dns_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    for (const char* s : {"web", "webby", "db"})
      co_await put_ok(f.http, "/v1/agent/service/register", std::string(R"({"Name":")") + s + R"(","Port":1})");
    auto ttl = [&](const char* name, std::uint16_t type) -> asio::awaitable<std::uint32_t> {
      auto m = co_await ask_udp(f.server(), query(name, type));
      BOOST_REQUIRE(!m.answer.empty());
      co_return m.answer[0].ttl;
    };
    BOOST_TEST(co_await ttl("web.service.consul.", dns::rr_type::a) == 10u);
    BOOST_TEST(co_await ttl("webby.service.consul.", dns::rr_type::srv) == 20u);
    BOOST_TEST(co_await ttl("db.service.consul.", dns::rr_type::a) == 5u);
    BOOST_TEST(co_await ttl("test-node.node.consul.", dns::rr_type::a) == 30u);
  }());
}

BOOST_AUTO_TEST_CASE(answers_are_shuffled) {
  dns_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    co_await register_nodes(f.http, "many", 6);
    std::set<std::string> firsts;
    for (int i = 0; i < 40 && firsts.size() < 2; ++i) {
      auto m = co_await ask_udp(f.server(), query("many.service.consul.", dns::rr_type::a, 4096));
      BOOST_REQUIRE_EQUAL(m.answer.size(), 6u);
      firsts.insert(ip_of(m.answer[0]));
    }
    // Six instances in a fixed order would give one first answer 40 times (chance 6^-39).
    BOOST_TEST(firsts.size() >= 2u);
  }());
}

BOOST_AUTO_TEST_CASE(malformed_and_refused_messages) {
  dns_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    tcp::socket s = co_await connect_tcp(f.server());
    // Fewer than 12 bytes and responses get no reply; the connection goes on.
    std::vector<std::uint8_t> short_message{1, 2, 3};  // named: gcc 12 and braced lists in co_await
    co_await send_framed(s, short_message);
    auto response = query("web.service.consul.", dns::rr_type::a);
    response.head.qr = true;
    co_await send_framed(s, bytes_of(response));
    // Two questions: FORMERR, header only.
    auto two = query("a.service.consul.", dns::rr_type::a);
    two.questions.push_back(two.questions[0]);
    co_await send_framed(s, bytes_of(two));
    auto m = co_await read_framed(s);
    BOOST_TEST(m.head.rcode == dns::rcode::formerr);
    BOOST_TEST(m.head.id == 0x1234);
    BOOST_TEST(m.questions.empty());
    // A question that does not parse: FORMERR.
    auto cut = bytes_of(query("web.service.consul.", dns::rr_type::a));
    cut.resize(cut.size() - 3);
    co_await send_framed(s, cut);
    m = co_await read_framed(s);
    BOOST_TEST(m.head.rcode == dns::rcode::formerr);
    // Opcode STATUS: NOTIMP.
    auto status = query("web.service.consul.", dns::rr_type::a);
    status.head.opcode = 2;
    co_await send_framed(s, bytes_of(status));
    m = co_await read_framed(s);
    BOOST_TEST(m.head.rcode == dns::rcode::notimp);
    BOOST_TEST(m.head.opcode == 2);
    // And the same connection still answers.
    co_await send_framed(s, bytes_of(query("test-node.node.consul.", dns::rr_type::a)));
    m = co_await read_framed(s);
    BOOST_TEST(m.answer.size() == 1u);
  }());
}

BOOST_AUTO_TEST_CASE(tcp_connections_are_bounded) {
  dns_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    // At most 128 queries on one connection, then it is closed.
    tcp::socket s = co_await connect_tcp(f.server());
    auto q = bytes_of(query("test-node.node.consul.", dns::rr_type::a));
    for (int i = 0; i < 128; ++i) {
      co_await send_framed(s, q);
      auto m = co_await read_framed(s);
      BOOST_REQUIRE_EQUAL(m.answer.size(), 1u);
    }
    BOOST_TEST(co_await closed_within(s, 1000ms));
    // A client that sends nothing is closed after the read timeout (2 s).
    tcp::socket idle = co_await connect_tcp(f.server());
    auto started = std::chrono::steady_clock::now();
    BOOST_TEST(co_await closed_within(idle, 5000ms));
    BOOST_TEST((std::chrono::steady_clock::now() - started >= 1900ms));
    // So is one that sends half a message.
    tcp::socket half = co_await connect_tcp(f.server());
    std::vector<std::uint8_t> partial{0, 40, 1, 2, 3};
    co_await asio::async_write(half, asio::buffer(partial), asio::use_awaitable);
    BOOST_TEST(co_await closed_within(half, 5000ms));
  }());
}

BOOST_AUTO_TEST_CASE(stop_closes_both_listeners) {
  dns_fixture f;
  auto ep = f.server();
  f.run([&]() -> asio::awaitable<void> {
    auto m = co_await ask_udp(ep, query("test-node.node.consul.", dns::rr_type::a));
    BOOST_TEST(m.answer.size() == 1u);
    f.agent.stop();
    tcp::socket s(co_await asio::this_coro::executor);
    auto [ec] = co_await s.async_connect(tcp::endpoint(ep.address(), ep.port()), asio::as_tuple(asio::use_awaitable));
    BOOST_TEST(ec == asio::error::connection_refused);
  }());
}

BOOST_AUTO_TEST_CASE(edns_client_subnet_comes_back_with_scope_zero) {
  dns_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    auto q = query("test-node.node.consul.", dns::rr_type::a, 1232);
    q.opt->client_subnet = std::vector<std::uint8_t>{0, 1, 24, 24, 10, 1, 2};  // IPv4 10.1.2.0/24, scope 24
    auto m = co_await ask_udp(f.server(), q);
    BOOST_TEST(m.answer.size() == 1u);
    BOOST_REQUIRE(m.opt);
    BOOST_REQUIRE(m.opt->client_subnet);
    BOOST_TEST(*m.opt->client_subnet == (std::vector<std::uint8_t>{0, 1, 24, 0, 10, 1, 2}));
    // Also on an NXDOMAIN; without the option none comes back.
    q.questions[0].name = "missing.service.consul.";
    m = co_await ask_tcp(f.server(), q);
    BOOST_TEST(m.head.rcode == dns::rcode::nxdomain);
    BOOST_REQUIRE(m.opt);
    BOOST_TEST(m.opt->client_subnet.has_value());
    m = co_await ask_udp(f.server(), query("test-node.node.consul.", dns::rr_type::a, 1232));
    BOOST_REQUIRE(m.opt);
    BOOST_TEST(!m.opt->client_subnet);
  }());
}

// Every lookup acts with the agent's default token, as Consul's DNS does: what the token may not
// read is not there (NXDOMAIN), and a default token that does not resolve fails every lookup
// (SERVFAIL).
BOOST_AUTO_TEST_CASE(lookups_see_what_the_default_token_may_read) {
  auto options = acl_test_options();
  options.dns_port = 0;
  options.acl.default_policy = "deny";
  dns_fixture f(options);
  f.run([&]() -> asio::awaitable<void> {
    auto ok = [](const reply& r) { BOOST_TEST_REQUIRE(r.status == 200u, r.body); };
    ok(co_await acl_call(f.http, "PUT", "/v1/agent/service/register", R"({"Name":"web","Port":8080})"));
    ok(co_await acl_call(f.http, "PUT", "/v1/agent/service/register", R"({"Name":"db","Port":5432})"));
    auto status_of = [&](std::string name, std::uint16_t type) -> asio::awaitable<std::uint8_t> {
      auto m = co_await ask_udp(f.server(), query(name, type));
      co_return m.head.rcode;
    };
    // The anonymous token under default deny: nothing.
    BOOST_TEST((co_await status_of("web.service.consul.", dns::rr_type::srv)) == dns::rcode::nxdomain);
    BOOST_TEST((co_await status_of("test-node.node.consul.", dns::rr_type::a)) == dns::rcode::nxdomain);
    BOOST_TEST((co_await status_of("1.0.0.127.in-addr.arpa.", dns::rr_type::ptr)) == dns::rcode::nxdomain);

    std::string policy = R"({"Name":"web-reader","Rules":"service \"web\" { policy = \"read\" }\nnode_prefix \"\" { policy = \"read\" }"})";
    ok(co_await acl_call(f.http, "PUT", "/v1/acl/policy", policy));
    auto t = co_await acl_call(f.http, "PUT", "/v1/acl/token", R"({"Policies":[{"Name":"web-reader"}]})");
    ok(t);
    std::string set_default = R"({"Token":")" + str(t.json(), "SecretID") + R"("})";
    ok(co_await acl_call(f.http, "PUT", "/v1/agent/token/default", set_default));
    auto web = co_await ask_udp(f.server(), query("web.service.consul.", dns::rr_type::srv));
    BOOST_TEST(web.head.rcode == dns::rcode::noerror);
    BOOST_TEST_REQUIRE(web.answer.size() == 1u);
    BOOST_TEST(data_of<dns::srv_data>(web.answer[0]).port == 8080);
    BOOST_TEST((co_await status_of("db.service.consul.", dns::rr_type::srv)) == dns::rcode::nxdomain);
    BOOST_TEST((co_await status_of("test-node.node.consul.", dns::rr_type::a)) == dns::rcode::noerror);

    ok(co_await acl_call(f.http, "PUT", "/v1/agent/token/default", R"({"Token":"3c0ffee0-0000-4000-8000-00000000dead"})"));
    BOOST_TEST((co_await status_of("web.service.consul.", dns::rr_type::srv)) == dns::rcode::servfail);
  }());
}
