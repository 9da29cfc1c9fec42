// libFuzzer target: the dev agent's DNS query path (src/dev_agent/dns/responder.hpp): ldns's
// parse of a client's bytes, Consul's name forms, the answers over a small catalog, the trimming
// for UDP and TCP and the encoding. Nothing crashes; a reply is a well-formed response to the
// message's id; only a message under 12 bytes or a response goes unanswered; a UDP reply with
// more than one answer fits the client's size; a TCP reply can be framed.
#include "dev_agent/dns/limits.hpp"
#include "dev_agent/dns/responder.hpp"
#include "dev_agent/dns/wire.hpp"
#include "dev_agent/store/state.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

namespace {
using namespace coconsul::dev;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "%s\n", what);
  std::abort();
}

// A catalog with what the name forms reach: nodes with meta, tagged and untagged instances, one
// with its own address, one on a host name, one failing, one warning; 40 instances of "many".
state_store& catalog() {
  static state_store state([](unsigned) {});
  static bool filled = false;
  if (filled) return state;
  filled = true;
  write_txn w(state);
  auto node = [&](const char* name, const char* address) {
    node_record n;
    n.name = name;
    n.address = address;
    n.datacenter = "dc1";
    n.meta = {{"rack", "r1"}, {"a=b", "`x`"}, {"rfc1035-raw", "raw"}};
    state.ensure_node(w, n);
  };
  node("test-node", "127.0.0.1");
  node("Other", "10.0.0.2");
  node("v6", "2001:db8::5");
  node("named", "host.example.com");
  auto service = [&](const char* node_name, const char* id, const char* name, const char* address, int port,
                     std::vector<std::string> tags) {
    service_record s;
    s.node = node_name;
    s.id = id;
    s.name = name;
    s.address = address;
    s.port = port;
    s.tags = std::move(tags);
    state.ensure_service(w, s);
  };
  service("test-node", "consul", "consul", "", 8300, {});
  service("test-node", "web1", "web", "", 80, {"v1", "Primary"});
  service("Other", "web2", "web", "127.0.0.2", 81, {"v2"});
  service("v6", "web3", "web", "", 82, {});
  service("named", "ext", "ext", "", 443, {});
  service("test-node", "alias", "alias", "web.service.consul", 90, {});
  service("Other", "db", "db", "", 5432, {});
  auto check = [&](const char* node_name, const char* id, const char* service_id, const char* status) {
    check_record c;
    c.node = node_name;
    c.check_id = id;
    c.service_id = service_id;
    c.status = status;
    state.ensure_check(w, c);
  };
  // Enough instances for every trimming path: 40 nodes, a few on IPv6 or a host name.
  for (int i = 0; i < 40; ++i) {
    std::string n = "many-" + std::to_string(i);
    std::string address = i % 10 == 9 ? "2001:db8::" + std::to_string(i) : "10.1.0." + std::to_string(i);
    if (i == 20) address = "many.example.com";
    node(n.c_str(), address.c_str());
    service(n.c_str(), "many", "many", i % 3 == 0 ? "" : ("10.2.0." + std::to_string(i)).c_str(), 1000 + i, {"t"});
  }
  check("Other", "db-check", "db", "critical");
  check("v6", "web3-check", "web3", "warning");
  return state;
}

coconsul::dev_agent_options options(std::uint8_t bits) {
  coconsul::dev_agent_options o;
  o.node_name = "test-node";
  o.dns.enable_truncate = bits & 1;
  o.dns.only_passing = bits & 2;
  o.dns.udp_answer_limit = (bits >> 2) & 7;
  o.dns.a_record_limit = (bits >> 5) & 3;
  o.dns.node_ttl = std::chrono::seconds(bits);
  o.dns.service_ttl = {{"web", std::chrono::seconds(3)}, {"*", std::chrono::seconds(1)}};
  return o;
}

void check(std::span<const std::uint8_t> query, const std::optional<std::vector<std::uint8_t>>& reply,
           dns::transport t) {
  auto head = dns::read_header(query);
  if (!reply) {
    if (head && !(head->flags & 0x8000)) fail("a query went unanswered");
    return;
  }
  if (!head) fail("an answer to fewer than 12 bytes");
  auto m = dns::decode(*reply);
  if (!m) fail("a reply ldns cannot parse");
  if (!m->head.qr || m->head.id != head->id) fail("a reply that is no response to the query's id");
  if (t == dns::transport::tcp && reply->size() > 0xFFFF) fail("a TCP reply that cannot be framed");
  if (t == dns::transport::udp && m->answer.size() > 1) {
    auto q = dns::decode(query);
    std::size_t size = dns::default_udp_size;
    if (q && q->opt) size = std::clamp<std::size_t>(q->opt->udp_size, size, dns::max_udp_datagram);
    if (reply->size() > size) fail("a UDP reply over the client's size");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const auto opts = options(data[0]);
  // ACLs off: the default token sees everything (what DNS hides for a token is the ACL tests').
  dns::responder r(catalog(), opts, [] { return std::optional(acl::authorizer::manage_all()); });
  std::span<const std::uint8_t> query(data + 1, size - 1);
  auto udp = r.respond(query, dns::transport::udp);
  check(query, udp, dns::transport::udp);
  auto tcp = r.respond(query, dns::transport::tcp);
  check(query, tcp, dns::transport::tcp);
  return 0;
}
