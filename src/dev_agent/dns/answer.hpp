#pragma once
// The answer to one question, read from the store as Consul's DNS server builds it
// (agent/dns.go's handleQuery, dispatch, handleServiceQuery, handleNodeQuery, handlePtr): the
// forms of names.hpp, SOA and NS for the domain, NXDOMAIN and NODATA with the SOA, AXFR refused,
// EDNS0 echoed, the answer trimmed for its transport. No sockets, no wire format.

#include "dev_agent/acl/authorizer.hpp"
#include "dev_agent/dns/message.hpp"
#include "dev_agent/dns/prepared_query.hpp"
#include "dev_agent/store/config_entry_state.hpp"
#include "dev_agent/store/state.hpp"

#include <coconsul/dev_agent_options.hpp>

#include <random>
#include <string>

namespace coconsul::dev::dns {

enum class transport { udp, tcp };

struct answer_context {
  const state_store& state;
  const dev_agent_options::dns_settings& settings;
  std::string datacenter;  // the agent's, lower case
  std::string domain;      // lower case, with its final dot
  std::mt19937& random;    // shuffles instances and name servers
  // What the agent's default token may see (Consul's DNS asks with it); null when it does not
  // resolve (an unknown token): every lookup then fails, as Consul's RPCs do, with SERVFAIL.
  const acl::authorizer* authz;
  // For .ingress. (the gateways' config entries; null: no gateway answers) and prepared queries
  // (a query's own token; the agent's node, which "_agent" stands for).
  const config_entry_state* config_entries = nullptr;
  secret_authorizer by_secret = {};
  std::string node_name = {};
};

// The reply to `query` (one question, accepted by the server), whatever zone it is in: the
// domain's, "arpa." (PTR), or a foreign one (SERVFAIL, as Consul without recursors).
// `c.authz` must not be null for the first two (the caller answers SERVFAIL itself).
message answer(const answer_context& c, const message& query, transport t);

}  // namespace coconsul::dev::dns
