// The DNS server's decisions without sockets: Consul's name forms (names.hpp) and its trimming
// of answers (trim.hpp), on plain messages.
#define BOOST_TEST_MODULE dev_agent_dns_unit
#include <boost/test/unit_test.hpp>

#include "dev_agent/dns/names.hpp"
#include "dev_agent/dns/trim.hpp"

#include <string>
#include <vector>

namespace dns = coconsul::dev::dns;

namespace {

dns::message query(const std::string& name, std::uint16_t type, std::optional<std::uint16_t> edns = std::nullopt) {
  dns::message m;
  m.head.id = 0x1234;
  m.questions.push_back(dns::question{name, type, dns::class_in});
  if (edns) m.opt = dns::edns{*edns, std::nullopt};
  return m;
}

}  // namespace

BOOST_AUTO_TEST_CASE(name_forms_parse_as_consul_reads_them) {
  using dns::parse_name;
  auto svc = [](const char* name, std::uint16_t type = dns::rr_type::a) {
    auto l = parse_name(name, type, "consul.");
    auto* s = std::get_if<dns::service_lookup>(&l);
    BOOST_REQUIRE_MESSAGE(s, std::string(name) + " is no service lookup");
    return *s;
  };
  auto s = svc("a.b.Web.service.DC1.consul.");
  BOOST_TEST(s.service == "web");
  BOOST_TEST(s.tag == "a.b");
  BOOST_TEST(s.datacenter == "dc1");
  s = svc("_web._tcp.service.consul.", dns::rr_type::srv);
  BOOST_TEST(s.service == "web");
  BOOST_TEST(s.tag.empty());
  s = svc("_web._udp.dc2.consul.", dns::rr_type::srv);
  BOOST_TEST(s.tag == "udp");
  BOOST_TEST(s.datacenter == "dc2");
  // Without SRV an underscore label is no keyword.
  BOOST_TEST(std::holds_alternative<dns::invalid_name>(parse_name("_web._tcp.consul.", dns::rr_type::a, "consul.")));
  auto n = parse_name("my.host.node.consul.", dns::rr_type::a, "consul.");
  BOOST_REQUIRE(std::holds_alternative<dns::node_lookup>(n));
  BOOST_TEST(std::get<dns::node_lookup>(n).node == "my.host");
  auto a = parse_name("0a000001.addr.dc1.consul.", dns::rr_type::a, "consul.");
  BOOST_REQUIRE(std::holds_alternative<dns::addr_lookup>(a));
  BOOST_TEST(std::get<dns::addr_lookup>(a).ip == (std::vector<std::uint8_t>{10, 0, 0, 1}));
  for (const char* bad : {"consul.", "service.consul.", "web.service.a.b.consul.", "0a0001.addr.consul.",
                          "x.0a000001.addr.consul.", "web.consul."})
    BOOST_TEST(std::holds_alternative<dns::invalid_name>(parse_name(bad, dns::rr_type::a, "consul.")), bad);
  BOOST_TEST(std::holds_alternative<dns::later_lookup>(parse_name("v.virtual.consul.", dns::rr_type::a, "consul.")));
  auto pq = parse_name("my.q.query.dc1.consul.", dns::rr_type::a, "consul.");
  BOOST_REQUIRE(std::holds_alternative<dns::query_lookup>(pq));
  BOOST_TEST(std::get<dns::query_lookup>(pq).query == "my.q");
  BOOST_TEST(std::get<dns::query_lookup>(pq).datacenter == "dc1");
  auto cn = svc("v1.web.connect.consul.", dns::rr_type::srv);
  BOOST_TEST(cn.service == "web");
  BOOST_TEST(cn.tag.empty());
  BOOST_TEST((cn.via == dns::selection::connect));
  BOOST_TEST((svc("web.ingress.consul.", dns::rr_type::a).via == dns::selection::ingress));
  // Zones and the domain as the question spelled it.
  BOOST_TEST((dns::zone_of("x.CONSUL.", dns::rr_type::a, "consul.") == dns::zone::ours));
  BOOST_TEST((dns::zone_of("consul.", dns::rr_type::ds, "consul.") == dns::zone::foreign));
  BOOST_TEST((dns::zone_of("1.0.0.127.in-addr.arpa.", dns::rr_type::ptr, "consul.") == dns::zone::reverse));
  BOOST_TEST((dns::zone_of("consul.com.", dns::rr_type::a, "consul.") == dns::zone::foreign));
  BOOST_TEST(dns::response_domain("web.service.CoNsUl.", "consul.") == "CoNsUl.");
  BOOST_TEST(dns::split_labels("a\\.b.c.") == (std::vector<std::string>{"a\\.b", "c"}));
}

BOOST_AUTO_TEST_CASE(trimming_keeps_the_glue_of_the_answers_left) {
  dns::message req = query("web.service.consul.", dns::rr_type::srv);
  dns::message resp;
  resp.questions = req.questions;
  for (int i = 0; i < 10; ++i) {
    std::string target = "n";  // appended piecewise: gcc 12 warns falsely (-Wrestrict) on "lit" + string
    target += static_cast<char>('0' + i);
    target += ".node.dc1.consul.";
    resp.answer.push_back(dns::record{"web.service.consul.", dns::rr_type::srv, 0, dns::srv_data{1, 1, 80, target}});
    resp.additional.push_back(dns::record{target, dns::rr_type::a, 0, dns::a_data{{10, 0, 0, static_cast<std::uint8_t>(i)}}});
    resp.additional.push_back(dns::record{target, dns::rr_type::txt, 0, dns::txt_data{{"k=v"}}});
  }
  resp.authority.push_back(dns::record{"consul.", dns::rr_type::ns, 0, dns::name_data{"n0.node.dc1.consul."}});
  dns::message udp = resp;
  BOOST_TEST(dns::trim_udp(udp, req, 3));
  BOOST_REQUIRE_EQUAL(udp.answer.size(), 3u);
  // One record per target (the first: its A), nothing for the answers dropped.
  BOOST_REQUIRE_EQUAL(udp.additional.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) BOOST_TEST(udp.additional[i].type == dns::rr_type::a);
  BOOST_TEST(udp.authority.size() == 1u);  // it fits: the authority section stays
  // With EDNS0 and room, nothing is cut.
  dns::message big = resp;
  BOOST_TEST(!dns::trim_udp(big, query("web.service.consul.", dns::rr_type::srv, 4096), 3));
  BOOST_TEST(big.answer.size() == 10u);
  BOOST_TEST(big.additional.size() == 20u);
  // A limit of 0 leaves no answer, as Consul's min(8, 0).
  dns::message none = resp;
  BOOST_TEST(dns::trim_udp(none, req, 0));
  BOOST_TEST(none.answer.empty());
  // TCP: only the size and the record caps.
  dns::message tcp = resp;
  BOOST_TEST(!dns::trim_tcp(tcp, req));
  BOOST_TEST(tcp.answer.size() == 10u);
}
