// Records from catalog entries, as Consul builds them: the address translation that picks an
// IPv4, IPv6 or host-name address for the question's type, the A/AAAA/CNAME/SRV shapes, the
// .addr. targets of services with an IP of their own, and node meta as TXT.

#include "dev_agent/dns/records.hpp"

#include "dev_agent/dns/names.hpp"

#include <boost/algorithm/hex.hpp>
#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <iterator>
#include <optional>

namespace coconsul::dev::dns {
namespace {

// dnsutil.TranslateAddressAccept: which kinds of address the question can use.
enum accept : unsigned { accept_domain = 1, accept_ipv4 = 2, accept_ipv6 = 4, accept_any = 8 };

unsigned accept_for(std::uint16_t qtype) {
  if (qtype == rr_type::a) return accept_domain | accept_ipv4;
  if (qtype == rr_type::aaaa) return accept_domain | accept_ipv6;
  return accept_domain | accept_any;
}

// An IP address as Go's net.ParseIP reads it; an IPv4-mapped IPv6 address is IPv4.
std::optional<boost::asio::ip::address> parse_ip(const std::string& s) {
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(s, ec);
  if (ec || s.find('%') != std::string::npos) return std::nullopt;
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    return boost::asio::ip::address(boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6()));
  return a;
}

// Consul's translateAddressAccept (one datacenter: no WAN translation): the tagged address of
// the wanted family, else the default address if the question takes it.
std::string translate(unsigned accept, const std::string& def, const std::string& v4, const std::string& v6) {
  if ((accept & accept_ipv6) && !v6.empty()) return v6;
  if ((accept & accept_ipv4) && !v4.empty()) return v4;
  if ((accept & accept_any) && !def.empty()) return def;
  auto ip = parse_ip(def);
  if (ip && ip->is_v4() && (accept & accept_ipv4)) return def;
  if (ip && ip->is_v6() && (accept & accept_ipv6)) return def;
  if (!ip && (accept & accept_domain)) return def;
  return {};
}

std::string tagged(const std::map<std::string, std::string>& m, const char* key) {
  auto it = m.find(key);
  return it == m.end() ? std::string() : it->second;
}
std::string tagged(const std::map<std::string, service_tagged_address>& m, const char* key) {
  auto it = m.find(key);
  return it == m.end() ? std::string() : it->second.address;
}

std::string node_address(const node_record& n, unsigned accept) {
  return translate(accept, n.address, tagged(n.tagged_addresses, "lan_ipv4"), tagged(n.tagged_addresses, "lan_ipv6"));
}
std::string service_address(const service_record& s, unsigned accept) {
  return translate(accept, s.address, tagged(s.tagged_addresses, "lan_ipv4"), tagged(s.tagged_addresses, "lan_ipv6"));
}

// Consul's makeARecord: an A for IPv4, an AAAA for IPv6, when the question's type takes it.
std::optional<record> address_record(std::uint16_t qtype, const boost::asio::ip::address& ip, std::uint32_t ttl) {
  auto takes = [qtype](std::uint16_t family) {
    return qtype == rr_type::srv || qtype == family || qtype == rr_type::any || qtype == rr_type::ns ||
           qtype == rr_type::txt;
  };
  if (ip.is_v4()) {
    if (!takes(rr_type::a)) return std::nullopt;
    return record{{}, rr_type::a, ttl, a_data{ip.to_v4().to_bytes()}};
  }
  if (!takes(rr_type::aaaa)) return std::nullopt;
  return record{{}, rr_type::aaaa, ttl, aaaa_data{ip.to_v6().to_bytes()}};
}

std::string addr_fqdn(const record_context& c, const boost::asio::ip::address& ip) {
  std::string hex;
  if (ip.is_v4()) {
    auto b = ip.to_v4().to_bytes();
    boost::algorithm::hex_lower(b.begin(), b.end(), std::back_inserter(hex));
  } else {
    auto b = ip.to_v6().to_bytes();
    boost::algorithm::hex_lower(b.begin(), b.end(), std::back_inserter(hex));
  }
  return hex + ".addr." + c.datacenter + "." + c.response_domain;
}

record srv_record(const record_context& c, const instance& i, std::uint32_t ttl, std::string target) {
  const int weight = std::clamp(srv_weight(i), 0, 65535);
  const int port = std::clamp(i.service->port, 0, 65535);
  return record{c.qname, rr_type::srv, ttl,
                srv_data{1, static_cast<std::uint16_t>(weight), static_cast<std::uint16_t>(port), std::move(target)}};
}

// makeRecordFromServiceNode: the instance on its node's address (SRV target: the node's name).
instance_records from_node_ip(const record_context& c, const instance& i, const boost::asio::ip::address& ip,
                              std::uint32_t ttl) {
  auto rec = address_record(c.qtype, ip, ttl);
  if (!rec) return {};
  if (c.qtype == rr_type::srv) {
    std::string target = node_fqdn(c, i.node->name);
    rec->name = target;
    return {{srv_record(c, i, ttl, target)}, {std::move(*rec)}};
  }
  rec->name = c.qname;
  return {{std::move(*rec)}, {}};
}

// makeRecordFromIP: the instance on an address of its own (SRV target: <hex>.addr.<dc>.<domain>).
instance_records from_ip(const record_context& c, const instance& i, const boost::asio::ip::address& ip,
                         std::uint32_t ttl) {
  auto rec = address_record(c.qtype, ip, ttl);
  if (!rec) return {};
  if (c.qtype == rr_type::srv) {
    std::string target = addr_fqdn(c, ip);
    rec->name = target;
    return {{srv_record(c, i, ttl, target)}, {std::move(*rec)}};
  }
  rec->name = c.qname;
  return {{std::move(*rec)}, {}};
}

// Consul's maxRecurseRecords: records kept from resolving a host name for a non-EDNS question.
constexpr std::size_t max_recurse_records = 5;

// makeRecordFromFQDN: the instance on a host name: SRV to it, or a CNAME to it; with what the
// name resolves to (only names under the domain resolve: this agent has no recursors).
instance_records from_fqdn(const record_context& c, const instance& i, const std::string& host, std::uint32_t ttl,
                           int depth) {
  std::string target = fqdn(host);
  std::vector<record> more;
  if (c.resolve) {
    for (record& r : c.resolve(target, depth)) {
      if (r.type != rr_type::cname && r.type != rr_type::a && r.type != rr_type::aaaa) continue;
      r.ttl = ttl;
      more.push_back(std::move(r));
      if (more.size() == max_recurse_records && !c.edns) break;
    }
  }
  if (c.qtype == rr_type::srv) return {{srv_record(c, i, ttl, target)}, std::move(more)};
  std::vector<record> answers{record{c.qname, rr_type::cname, ttl, name_data{target}}};
  std::move(more.begin(), more.end(), std::back_inserter(answers));
  return {std::move(answers), {}};
}

// RFC 1464: '`' and '=' in the key quoted with '`', as are its leading and trailing spaces;
// '`' in the value doubled.
std::string rfc1464(const std::string& key, const std::string& value) {
  std::string k;
  for (char ch : key) {
    if (ch == '`') k += "``";
    else if (ch == '=') k += "`=";
    else k += ch;
  }
  std::size_t lead = 0;
  while (lead < k.size() && k[lead] == ' ') ++lead;
  std::size_t trail = 0;
  while (trail < k.size() - lead && k[k.size() - 1 - trail] == ' ') ++trail;
  std::string quoted;
  for (std::size_t n = 0; n < lead; ++n) quoted += "` ";
  quoted += k.substr(lead, k.size() - lead - trail);
  for (std::size_t n = 0; n < trail; ++n) quoted += "` ";
  std::string v;
  for (char ch : value) {
    if (ch == '`') v += "``";
    else v += ch;
  }
  return quoted + "=" + v;
}

}  // namespace

std::string node_fqdn(const record_context& c, const std::string& node) {
  return node + ".node." + c.datacenter + "." + c.response_domain;
}

std::vector<record> node_records(const record_context& c, const node_record& node, std::uint16_t qtype,
                                 const std::string& name, std::uint32_t ttl, int depth) {
  std::string addr = node_address(node, accept_for(qtype));
  auto ip = parse_ip(addr);
  if (!ip) {
    // As Consul: the CNAME names the node's own address (not the translated one).
    std::string target = fqdn(node.address);
    std::vector<record> out{record{name, rr_type::cname, ttl, name_data{target}}};
    if (c.resolve) {
      auto more = c.resolve(target, depth);
      std::move(more.begin(), more.end(), std::back_inserter(out));
    }
    return out;
  }
  auto rec = address_record(qtype, *ip, ttl);
  if (!rec) return {};
  rec->name = name;
  return {std::move(*rec)};
}

instance_records service_records(const record_context& c, const instance& i, std::uint32_t ttl, int depth) {
  if (!i.node) return {};
  const unsigned accept = accept_for(c.qtype);
  const std::string svc_addr = service_address(*i.service, accept);
  const std::string node_addr = node_address(*i.node, accept);
  if (svc_addr.empty() && node_addr.empty()) return {};
  auto node_ip = parse_ip(node_addr);
  auto svc_ip = parse_ip(svc_addr);
  if (svc_addr.empty() && node_ip) {
    if (i.node->address != node_addr) return from_ip(c, i, *node_ip, ttl);  // a tagged address: no node name
    return from_node_ip(c, i, *node_ip, ttl);
  }
  if (svc_addr.empty()) return from_fqdn(c, i, node_addr, ttl, depth);
  if (svc_ip) return from_ip(c, i, *svc_ip, ttl);
  if (fqdn(svc_addr) == c.qname && node_ip) return from_node_ip(c, i, *node_ip, ttl);
  return from_fqdn(c, i, svc_addr, ttl, depth);
}

std::vector<record> meta_txt(const node_record& node, const std::string& name, std::uint32_t ttl) {
  std::vector<record> out;
  for (const auto& [k, v] : node.meta) {
    std::string text = lower_ascii(k).rfind("rfc1035-", 0) == 0 ? v : rfc1464(k, v);
    out.push_back(record{name, rr_type::txt, ttl, txt_data{{std::move(text)}}});
  }
  return out;
}

std::string srv_identity(const instance& i) {
  std::string addr = service_address(*i.service, accept_domain | accept_any);
  return (i.node ? i.node->name : std::string()) + ":" + addr + ":" + std::to_string(i.service->port);
}

}  // namespace coconsul::dev::dns
