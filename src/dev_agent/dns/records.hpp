#pragma once
// The resource records Consul builds from catalog entries (agent/dns.go's makeRecordFromNode,
// makeNodeServiceRecords and their helpers): A/AAAA from an address, CNAME for a host name, SRV
// with its target and glue, node meta as TXT. No dispatch here: answer.cpp decides which.

#include "dev_agent/dns/catalog.hpp"
#include "dev_agent/dns/message.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace coconsul::dev::dns {

// What every record builder needs to know about the question and the agent.
struct record_context {
  std::uint16_t qtype = 0;
  std::string qname;            // as sent
  std::string datacenter;       // the lookup's (lower case)
  std::string response_domain;  // the domain as the question spelled it
  std::string domain;           // the agent's domain, lower case, with its final dot
  bool edns = false;            // the question came with an OPT record
  // Answers a name under the domain (for CNAME targets there), `depth` levels of recursion left.
  std::function<std::vector<record>(const std::string& name, int depth)> resolve;
};

// <node>.node.<dc>.<domain>
std::string node_fqdn(const record_context& c, const std::string& node);

// The node's address as records named `name`: an A or AAAA (when the question's type takes it),
// or a CNAME to a host name and what it resolves to.
std::vector<record> node_records(const record_context& c, const node_record& node, std::uint16_t qtype,
                                 const std::string& name, std::uint32_t ttl, int depth);

// One instance's records for the question: for SRV, the SRV answer and its glue; otherwise A,
// AAAA or CNAME answers (and no glue).
struct instance_records {
  std::vector<record> answers;
  std::vector<record> extra;
};
instance_records service_records(const record_context& c, const instance& i, std::uint32_t ttl, int depth);

// The node's meta as TXT records named `name`: RFC 1464 "key=value", raw for rfc1035- keys.
std::vector<record> meta_txt(const node_record& node, const std::string& name, std::uint32_t ttl);

// For deduplicating SRV answers: the instance's node, translated address and port.
std::string srv_identity(const instance& i);

}  // namespace coconsul::dev::dns
