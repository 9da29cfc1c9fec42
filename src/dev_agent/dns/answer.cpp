// Consul's DNS dispatch over the store: which records a question gets, its rcode, the SOA of
// NXDOMAIN and NODATA, the name servers (the consul service's nodes), reverse lookups, and the
// trimming for the transport. The records themselves are built in records.cpp.

#include "dev_agent/dns/answer.hpp"

#include "dev_agent/dns/catalog.hpp"
#include "dev_agent/dns/limits.hpp"
#include "dev_agent/dns/names.hpp"
#include "dev_agent/dns/prepared_query.hpp"
#include "dev_agent/dns/records.hpp"
#include "dev_agent/dns/trim.hpp"

#include <coconsul/duration.hpp>

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <chrono>
#include <set>

namespace coconsul::dev::dns {
namespace {

// How a dispatch ended (Consul's errors, as rcodes): an answer, no record of that type (NODATA:
// NOERROR with the SOA), no such name (NXDOMAIN with the SOA), or a lookup that failed
// (SERVFAIL, no SOA).
enum class outcome { answered, no_data, no_name, failed };

std::uint32_t seconds(std::chrono::seconds s) {
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(s.count(), 0, 0xFFFFFFFF));
}

// Consul's GetTTLForService: the exact name, else the longest prefix among keys ending in '*'.
std::uint32_t service_ttl(const dev_agent_options::dns_settings& s, const std::string& service) {
  if (auto it = s.service_ttl.find(service); it != s.service_ttl.end()) return seconds(it->second);
  std::size_t best = 0;
  std::optional<std::chrono::seconds> ttl;
  for (const auto& [key, value] : s.service_ttl) {
    if (key.empty() || key.back() != '*') continue;
    std::string prefix = key.substr(0, key.size() - 1);
    if (service.rfind(prefix, 0) == 0 && (!ttl || prefix.size() >= best)) {
      best = prefix.size();
      ttl = value;
    }
  }
  return ttl ? seconds(*ttl) : 0;
}

// Consul's InvalidNameRe, inverted: a name of letters, digits and '-' only.
bool dns_label(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-';
  });
}

// miekg/dns's SetReply: the id, opcode, RD and CD and the question; a response.
message reply_to(const message& q) {
  message m;
  m.head.id = q.head.id;
  m.head.qr = true;
  m.head.opcode = q.head.opcode;
  if (q.head.opcode == opcode::query) {
    m.head.rd = q.head.rd;
    m.head.cd = q.head.cd;
  }
  if (!q.questions.empty()) m.questions.push_back(q.questions[0]);
  return m;
}

// Consul's setEDNS: an OPT record with the client's size, and its Client Subnet option back with
// a scope of 0 (the answer holds for any client address), or, for a prepared query (whose
// answer may depend on where the client is), the source prefix as the scope.
std::optional<edns> echo_edns(const message& q, bool per_client = false) {
  if (!q.opt) return std::nullopt;
  edns e{q.opt->udp_size, std::nullopt};
  if (q.opt->client_subnet && q.opt->client_subnet->size() >= 4) {
    e.client_subnet = q.opt->client_subnet;
    (*e.client_subnet)[3] = per_client ? (*e.client_subnet)[2] : std::uint8_t{0};
  }
  return e;
}

// The address in an EDNS Client Subnet option (family, source prefix, scope, address bytes),
// as text; "" when there is none.
std::string subnet_address(const message& q) {
  if (!q.opt || !q.opt->client_subnet || q.opt->client_subnet->size() < 4) return {};
  const auto& o = *q.opt->client_subnet;
  const unsigned family = (unsigned{o[0]} << 8) | o[1];
  boost::system::error_code ec;
  if (family == 1) {
    boost::asio::ip::address_v4::bytes_type b{};
    for (std::size_t i = 4; i < o.size() && i - 4 < b.size(); ++i) b[i - 4] = o[i];
    return boost::asio::ip::address_v4(b).to_string();
  }
  if (family == 2) {
    boost::asio::ip::address_v6::bytes_type b{};
    for (std::size_t i = 4; i < o.size() && i - 4 < b.size(); ++i) b[i - 4] = o[i];
    return boost::asio::ip::address_v6(b).to_string();
  }
  return {};
}

class builder {
 public:
  builder(const answer_context& c, const message& query) : c_(c), query_(query), q_(query.questions[0]) {
    resp_domain_ = response_domain(q_.name, c_.domain);
  }

  message in_domain(transport t);
  message reverse();

 private:
  record soa() const {
    // Consul's dnsSOAConfig defaults: refresh 3600, retry 600, expire 86400, min TTL 0.
    auto now = std::chrono::system_clock::now().time_since_epoch();
    auto serial = static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(now).count());
    return record{resp_domain_for_soa(), rr_type::soa, 0,
                  soa_data{"ns." + resp_domain_for_soa(), "hostmaster." + resp_domain_for_soa(), serial, 3600, 600,
                           86400, 0}};
  }
  // makeSOARecord uses the configured domain (Consul switches to its alt domain only).
  std::string resp_domain_for_soa() const { return c_.domain; }

  record_context context(std::uint16_t qtype, const std::string& qname, const std::string& dc) const;
  void name_servers(std::vector<record>& ns, std::vector<record>& glue) const;
  outcome dispatch(const question& q, message& out, int depth) const;
  outcome service_query(const service_lookup& l, const question& q, message& out, int depth) const;
  outcome prepared_query(const query_lookup& l, const question& q, message& out, int depth) const;
  outcome service_answers(const std::vector<instance>& nodes, std::uint32_t ttl, const std::string& dc,
                          const question& q, message& out, int depth) const;
  outcome node_query(const node_lookup& l, const question& q, message& out, int depth) const;
  outcome addr_query(const addr_lookup& l, const question& q, message& out) const;
  std::vector<record> resolve(const std::string& name, int depth) const;

  const answer_context& c_;
  const message& query_;
  const question& q_;
  std::string resp_domain_;
  mutable bool per_client_ = false;  // the answer came from a prepared query
};

record_context builder::context(std::uint16_t qtype, const std::string& qname, const std::string& dc) const {
  record_context rc;
  rc.qtype = qtype;
  rc.qname = qname;
  rc.datacenter = dc.empty() ? c_.datacenter : dc;
  rc.response_domain = response_domain(qname, c_.domain);
  rc.domain = c_.domain;
  rc.edns = query_.opt.has_value();
  rc.resolve = [this](const std::string& name, int depth) { return resolve(name, depth); };
  return rc;
}

// resolveCNAME for a name under the domain: the name asked for with ANY, one level less.
std::vector<record> builder::resolve(const std::string& name, int depth) const {
  const std::string lower = lower_ascii(name);
  if (lower.size() <= c_.domain.size() || lower.compare(lower.size() - c_.domain.size(), c_.domain.size(), c_.domain) != 0 ||
      lower[lower.size() - c_.domain.size() - 1] != '.')
    return {};  // outside the domain: only recursors would know, and this agent has none
  if (depth < 1) return {};
  message sub;
  dispatch(question{name, rr_type::any, class_in}, sub, depth - 1);
  return sub.answer;
}

// Up to three nodes of the consul service (this agent's), as NS records with their addresses.
void builder::name_servers(std::vector<record>& ns, std::vector<record>& glue) const {
  auto servers = healthy_instances(c_.state, *c_.authz, "consul", "", c_.settings.only_passing);
  std::shuffle(servers.begin(), servers.end(), c_.random);
  for (const auto& s : servers) {
    if (!s.node || !dns_label(s.node->name)) continue;
    std::string target = lower_ascii(s.node->name + ".node." + lower_ascii(s.node->datacenter.empty() ? c_.datacenter : s.node->datacenter) + "." + resp_domain_);
    ns.push_back(record{resp_domain_, rr_type::ns, seconds(c_.settings.node_ttl), name_data{target}});
    record_context rc = context(rr_type::any, target, "");
    auto more = node_records(rc, *s.node, rr_type::any, target, seconds(c_.settings.node_ttl), max_recursion);
    std::move(more.begin(), more.end(), std::back_inserter(glue));
    if (ns.size() >= 3) return;
  }
}

outcome builder::dispatch(const question& q, message& out, int depth) const {
  lookup l = parse_name(q.name, q.type, c_.domain);
  if (auto* s = std::get_if<service_lookup>(&l)) return service_query(*s, q, out, depth);
  if (auto* n = std::get_if<node_lookup>(&l)) return node_query(*n, q, out, depth);
  if (auto* a = std::get_if<addr_lookup>(&l)) return addr_query(*a, q, out);
  if (auto* p = std::get_if<query_lookup>(&l)) return prepared_query(*p, q, out, depth);
  // An invalid name, and the .virtual. form this agent does not have yet.
  return outcome::no_name;
}

outcome builder::service_query(const service_lookup& l, const question& q, message& out, int depth) const {
  // Another datacenter: Consul's "No path to datacenter", an NXDOMAIN.
  if (!l.datacenter.empty() && l.datacenter != c_.datacenter) return outcome::no_name;
  std::vector<instance> nodes;
  switch (l.via) {
    case selection::typical:
      nodes = healthy_instances(c_.state, *c_.authz, l.service, l.tag, c_.settings.only_passing);
      break;
    case selection::connect:
      nodes = connect_instances(c_.state, *c_.authz, l.service, c_.settings.only_passing);
      break;
    case selection::ingress:
      nodes = ingress_instances(c_.state, c_.config_entries, *c_.authz, l.service, c_.settings.only_passing);
      break;
  }
  if (nodes.empty()) return outcome::no_name;
  std::shuffle(nodes.begin(), nodes.end(), c_.random);
  return service_answers(nodes, service_ttl(c_.settings, l.service), l.datacenter, q, out, depth);
}

// preparedQueryLookup: the query run near this agent with the default token; its DNS.TTL,
// else the agent's TTL for the service it looked up.
outcome builder::prepared_query(const query_lookup& l, const question& q, message& out, int depth) const {
  if (!l.datacenter.empty() && l.datacenter != c_.datacenter) return outcome::no_name;
  per_client_ = true;
  query_inputs in{c_.state, *c_.authz, c_.by_secret, c_.node_name, c_.datacenter, subnet_address(query_)};
  auto run = run_query(in, l.query, c_.random);
  if (auto* failure = std::get_if<query_failure>(&run))
    return *failure == query_failure::not_found ? outcome::no_name : outcome::failed;
  auto& r = std::get<query_run>(run);
  std::uint32_t ttl = 0;
  if (!r.dns_ttl.empty()) {
    // Vetted at create; a TTL that still does not parse counts as 0, as Consul only logs it.
    if (auto d = try_parse_duration(r.dns_ttl, nullptr)) ttl = seconds(std::chrono::duration_cast<std::chrono::seconds>(*d));
  } else {
    ttl = service_ttl(c_.settings, r.service);
  }
  if (r.nodes.empty()) return outcome::no_name;
  return service_answers(r.nodes, ttl, "", q, out, depth);
}

// serviceSRVRecords and serviceNodeRecords: the records of instances already chosen and ordered.
outcome builder::service_answers(const std::vector<instance>& nodes, std::uint32_t ttl, const std::string& dc,
                                 const question& q, message& out, int depth) const {
  record_context rc = context(q.type, q.name, dc);
  if (q.type == rr_type::srv) {
    // addServiceSRVRecordsToMessage: one SRV per node, address and port.
    std::set<std::string> seen;
    for (const auto& i : nodes) {
      if (!seen.insert(srv_identity(i)).second) continue;
      auto recs = service_records(rc, i, ttl, depth);
      std::move(recs.answers.begin(), recs.answers.end(), std::back_inserter(out.answer));
      std::move(recs.extra.begin(), recs.extra.end(), std::back_inserter(out.additional));
      if (c_.settings.enable_additional_node_meta_txt && i.node) {
        auto txt = meta_txt(*i.node, node_fqdn(rc, i.node->name), ttl);
        std::move(txt.begin(), txt.end(), std::back_inserter(out.additional));
      }
    }
  } else {
    // addServiceNodeRecordsToMessage: one answer set per distinct first record; CNAMEs only
    // when no instance has an address record; a_record_limit instances at most.
    std::set<std::string> seen;
    std::vector<record> first_cname;
    unsigned count = 0;
    for (const auto& i : nodes) {
      auto recs = service_records(rc, i, ttl, depth);
      if (recs.answers.empty()) continue;
      const record& head = recs.answers.front();
      std::string key = head.name + "|" + std::to_string(head.type) + "|";
      if (auto* a = std::get_if<a_data>(&head.data)) key.append(a->ip.begin(), a->ip.end());
      else if (auto* a6 = std::get_if<aaaa_data>(&head.data)) key.append(a6->ip.begin(), a6->ip.end());
      else if (auto* n = std::get_if<name_data>(&head.data)) key += n->target;
      if (!seen.insert(key).second) continue;
      if (head.type == rr_type::cname) {
        if (first_cname.empty()) first_cname = std::move(recs.answers);
        continue;
      }
      std::move(recs.answers.begin(), recs.answers.end(), std::back_inserter(out.answer));
      if (++count == c_.settings.a_record_limit) break;
    }
    if (out.answer.empty() && !first_cname.empty()) out.answer = std::move(first_cname);
  }
  return out.answer.empty() ? outcome::no_data : outcome::answered;
}

outcome builder::node_query(const node_lookup& l, const question& q, message& out, int depth) const {
  // Only A, AAAA, ANY and TXT are looked up; any other type is an empty NOERROR (no SOA).
  if (q.type != rr_type::any && q.type != rr_type::a && q.type != rr_type::aaaa && q.type != rr_type::txt)
    return outcome::answered;
  if (!l.datacenter.empty() && l.datacenter != c_.datacenter) return outcome::no_name;
  const node_record* n = find_node(c_.state, *c_.authz, l.node);
  if (!n) return outcome::no_name;
  const std::uint32_t ttl = seconds(c_.settings.node_ttl);
  record_context rc = context(q.type, q.name, l.datacenter);
  if (q.type != rr_type::txt) {
    auto recs = node_records(rc, *n, q.type, q.name, ttl, depth);
    std::move(recs.begin(), recs.end(), std::back_inserter(out.answer));
  }
  const bool in_answer = q.type == rr_type::txt || q.type == rr_type::any;
  if (c_.settings.enable_additional_node_meta_txt || in_answer) {
    auto txt = meta_txt(*n, q.name, ttl);
    auto& target = in_answer ? out.answer : out.additional;
    std::move(txt.begin(), txt.end(), std::back_inserter(target));
  }
  return outcome::answered;
}

outcome builder::addr_query(const addr_lookup& l, const question& q, message& out) const {
  // The answer's name is the lower-cased name before the domain, then the domain as sent.
  record r{l.name + resp_domain_, 0, seconds(c_.settings.node_ttl), a_data{}};
  bool wanted;
  if (l.ip.size() == 4) {
    a_data d;
    std::copy(l.ip.begin(), l.ip.end(), d.ip.begin());
    r.type = rr_type::a;
    r.data = d;
    wanted = q.type == rr_type::a || q.type == rr_type::any;
  } else {
    aaaa_data d;
    std::copy(l.ip.begin(), l.ip.end(), d.ip.begin());
    r.type = rr_type::aaaa;
    r.data = d;
    wanted = q.type == rr_type::aaaa || q.type == rr_type::any;
  }
  (wanted ? out.answer : out.additional).push_back(std::move(r));
  return outcome::answered;
}

message builder::in_domain(transport t) {
  message m = reply_to(query_);
  m.head.aa = true;
  switch (q_.type) {
    case rr_type::soa: {
      m.answer.push_back(soa());
      name_servers(m.authority, m.additional);
      break;
    }
    case rr_type::ns:
      name_servers(m.answer, m.additional);
      break;
    case rr_type::axfr:
      m.head.rcode = rcode::notimp;
      break;
    default: {
      outcome o = dispatch(q_, m, max_recursion);
      if (o == outcome::no_name || o == outcome::no_data) m.authority.push_back(soa());
      m.head.rcode = o == outcome::no_name ? rcode::nxdomain : o == outcome::failed ? rcode::servfail : rcode::noerror;
    }
  }
  m.opt = echo_edns(query_, per_client_);
  bool trimmed = t == transport::udp ? trim_udp(m, query_, c_.settings.udp_answer_limit) : trim_tcp(m, query_);
  if (trimmed && c_.settings.enable_truncate) m.head.tc = true;
  return m;
}

// dns.ReverseAddr: the in-addr.arpa. or ip6.arpa. name of an address; empty for no address.
std::string reverse_name(const std::string& address) {
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(address, ec);
  if (ec) return {};
  static const char* hex = "0123456789abcdef";
  std::string out;
  if (a.is_v4()) {
    auto b = a.to_v4().to_bytes();
    for (int i = 3; i >= 0; --i) out += std::to_string(b[static_cast<std::size_t>(i)]) + ".";
    return out + "in-addr.arpa.";
  }
  auto b = a.to_v6().to_bytes();
  for (int i = 15; i >= 0; --i) {
    out += hex[b[static_cast<std::size_t>(i)] & 0xF];
    out += '.';
    out += hex[b[static_cast<std::size_t>(i)] >> 4];
    out += '.';
  }
  return out + "ip6.arpa.";
}

message builder::reverse() {
  message m = reply_to(query_);
  m.head.aa = true;
  if (q_.type == rr_type::soa) m.authority.push_back(soa());
  const std::string qname = lower_ascii(fqdn(q_.name));
  // Catalog.ListNodes and Catalog.ServiceList for the default token: what it may not read is
  // not there.
  for (const node_record* n : c_.state.nodes()) {
    if (reverse_name(n->address) != qname || !c_.authz->node_read(n->name)) continue;
    m.answer.push_back(record{q_.name, rr_type::ptr, 0, name_data{n->name + ".node." + c_.datacenter + "." + c_.domain}});
    break;
  }
  if (m.answer.empty()) {
    // A service with that address of its own.
    for (const service_record* s : c_.state.all_services()) {
      if (s->address.empty() || reverse_name(s->address) != qname || !c_.authz->service_read(s->name)) continue;
      m.answer.push_back(record{q_.name, rr_type::ptr, 0, name_data{s->name + ".service." + c_.datacenter + "." + c_.domain}});
      break;
    }
  }
  if (m.answer.empty()) {
    m.head.rcode = rcode::nxdomain;
    m.authority.push_back(soa());
  }
  m.opt = echo_edns(query_);
  return m;
}

}  // namespace

message answer(const answer_context& c, const message& query, transport t) {
  const question& q = query.questions.at(0);
  switch (zone_of(q.name, q.type, c.domain)) {
    case zone::ours:
      if (c.authz) return builder(c, query).in_domain(t);
      break;
    case zone::reverse:
      if (c.authz) return builder(c, query).reverse();
      break;
    case zone::foreign:
      break;
  }
  // No handler for the name (Consul without recursors): miekg/dns's HandleFailed; or the
  // default token does not resolve, so every read fails.
  message m = reply_to(query);
  m.head.rcode = rcode::servfail;
  return m;
}

}  // namespace coconsul::dev::dns
