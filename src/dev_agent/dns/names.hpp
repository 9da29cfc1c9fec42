#pragma once
// Consul's DNS names, parsed (agent/dns.go's dispatch): which zone a question is in, and what a
// name under the agent's domain asks for. Pure functions on presentation-form names; the store
// is not read here.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace coconsul::dev::dns {

// Labels of a presentation-form name, split at the dots that are not escaped ("a\.b.c." ->
// "a\.b", "c"); the root is no label.
std::vector<std::string> split_labels(std::string_view name);
std::string lower_ascii(std::string_view s);
// `name` with a final dot.
std::string fqdn(std::string_view name);

// Who answers a question (Consul's ServeMux: the domain, "arpa.", and nothing else without
// recursors). As miekg/dns does, a DS question for the zone's apex goes to the parent.
enum class zone { ours, reverse, foreign };
zone zone_of(std::string_view qname, std::uint16_t qtype, std::string_view domain);

// The agent's domain as the question spelled it ("CONSUL." for "web.service.CONSUL."): answers
// that name the domain (SRV targets, NS) use it. `domain` itself when no suffix matches.
std::string response_domain(std::string_view qname, std::string_view domain);

// What a name under the domain asks for. A datacenter is lower case, empty when the name has
// none (the agent's own).
// Which instances a service name stands for: the service's own (.service.), its
// Connect-capable ones (.connect.: proxies and native services) or the ingress gateways that
// expose it (.ingress.).
enum class selection { typical, connect, ingress };
struct service_lookup {
  std::string service;
  std::string tag;  // empty: any
  std::string datacenter;
  selection via = selection::typical;
};
// <query>.query[.<dc>]: a prepared query by ID or name (the labels before .query., dots and all).
struct query_lookup {
  std::string query;
  std::string datacenter;
};
struct node_lookup {
  std::string node;
  std::string datacenter;
};
struct addr_lookup {
  std::vector<std::uint8_t> ip;  // 4 or 16 bytes
  std::string name;              // the answer's name: the lower-cased name before the domain
};
// .virtual.: a form this agent leaves to a later issue.
struct later_lookup {
  std::string kind;
};
struct invalid_name {};
using lookup = std::variant<invalid_name, service_lookup, node_lookup, addr_lookup, later_lookup, query_lookup>;

// Consul's dispatch: the name lower-cased, the domain cut off, then scanned from the right for
// the first keyword (service, connect, virtual, ingress, node, query, addr); for SRV, a label
// starting with '_' stands for "service" (RFC 2782's _name._proto). At most one label may follow
// the keyword (the datacenter).
lookup parse_name(std::string_view qname, std::uint16_t qtype, std::string_view domain);

}  // namespace coconsul::dev::dns
