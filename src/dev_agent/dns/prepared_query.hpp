#pragma once
// A prepared query run for DNS (agent/dns.go's preparedQueryLookup): resolved and rendered as
// the HTTP execute does, run with the agent's default token (or the query's own), near the
// agent. Reads only; the records are the answer's business.

#include "dev_agent/acl/authorizer.hpp"
#include "dev_agent/dns/catalog.hpp"
#include "dev_agent/store/state.hpp"

#include <functional>
#include <optional>
#include <random>
#include <string>
#include <variant>
#include <vector>

namespace coconsul::dev::dns {

// What a stored query's own Token may do; nullopt when it does not resolve.
using secret_authorizer = std::function<std::optional<acl::authorizer>(const std::string& secret)>;

struct query_run {
  std::vector<instance> nodes;  // in the order to answer
  std::string service;          // what the query looked up (for the agent's service TTLs)
  std::string dns_ttl;          // the query's DNS.TTL ("" when it has none)
};
// No query of that name or ID (NXDOMAIN), or one that failed to run (SERVFAIL: a template
// that does not render, a token that does not resolve).
enum class query_failure { not_found, failed };

struct query_inputs {
  const state_store& state;
  const acl::authorizer& authz;            // the default token's
  const secret_authorizer& by_secret;      // may be empty: then a query's own token fails
  std::string agent_node, datacenter;
  std::string source_ip;                   // the EDNS client subnet's address, if any
};

std::variant<query_run, query_failure> run_query(const query_inputs& in, const std::string& id_or_name,
                                                 std::mt19937& random);

}  // namespace coconsul::dev::dns
