#pragma once
// A prepared query run against the catalog (agent/consul/prepared_query_endpoint.go's Execute
// and execute): the service's instances, or its Connect-capable ones; health, node meta,
// service meta and tag filters; the caller's visibility; shuffle; the ?near placement; the
// limit; failover. Shared by the HTTP endpoint and DNS. Reads only; the query must already be
// rendered (prepared_query_template.hpp).

#include "dev_agent/store/prepared_query_state.hpp"
#include "dev_agent/store/state.hpp"

#include <functional>
#include <random>
#include <string>
#include <vector>

namespace coconsul::dev {

// A service instance with what its health is: its node's checks and its own.
struct query_instance {
  const service_record* service = nullptr;
  const node_record* node = nullptr;
  std::vector<const check_record*> checks;
};

struct query_execution {
  std::string agent_node;   // the agent's node: "_agent" stands for it
  std::string datacenter;   // the agent's
  std::string near;         // ?near (overrides the query's Near)
  std::string source_ip;    // what "_ip" looks up among the nodes' addresses
  bool connect = false;     // ?connect: the Connect-capable instances
  int limit = 0;            // ?limit; 0: all
};

struct query_result {
  std::vector<query_instance> nodes;
  std::string datacenter;
  int failovers = 0;
};

// Whether the token the query runs with may see an instance (node:read and service:read).
using instance_visible = std::function<bool(const service_record&, const node_record*)>;

query_result execute_query(const state_store& state, const prepared_query_record& q, const query_execution& how,
                           const instance_visible& visible, std::mt19937& random);

// Consul's CheckConnectServiceNodes selection for `name` (any case): the proxies whose
// destination it is and its Connect-native instances.
std::vector<const service_record*> connect_capable(const state_store& state, const std::string& name);

}  // namespace coconsul::dev
