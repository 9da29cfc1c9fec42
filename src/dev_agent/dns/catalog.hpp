#pragma once
// What the DNS answers read from the store: a service's instances that are not failing (Consul's
// Health.ServiceNodes followed by CheckServiceNodes.Filter) and nodes, both by name in any case,
// as Consul's catalog indexes names case-insensitively. Reads only; no DNS types here.

#include "dev_agent/acl/authorizer.hpp"
#include "dev_agent/store/config_entry_state.hpp"
#include "dev_agent/store/state.hpp"

#include <string>
#include <vector>

namespace coconsul::dev::dns {

struct instance {
  const service_record* service = nullptr;
  const node_record* node = nullptr;
  std::vector<const check_record*> checks;  // the node's checks and the instance's own
};

// Instances of `name` (lower case; matched in any case) carrying `tag` (any case; empty: any),
// dropping each one with a critical check, or with `only_passing` any check not passing, and
// those `authz` may not see (service:read on the name, node:read on the node, as Consul filters
// Health.ServiceNodes for the agent's default token). In the store's order: the caller shuffles.
std::vector<instance> healthy_instances(const state_store& state, const acl::authorizer& authz, const std::string& name,
                                        const std::string& tag, bool only_passing);

// The Connect-capable instances of `name` (its proxies and Connect-native instances), as
// Health.ServiceNodes with Connect: service:read on `name` first, then each instance filtered
// and health-checked as above.
std::vector<instance> connect_instances(const state_store& state, const acl::authorizer& authz, const std::string& name,
                                        bool only_passing);
// The ingress gateways whose config entries expose `name` (Health.ServiceNodes with Ingress),
// checked the same way; none without the config entries.
std::vector<instance> ingress_instances(const state_store& state, const config_entry_state* entries,
                                        const acl::authorizer& authz, const std::string& name, bool only_passing);

// The node called `name` in any case, or nullptr (also when `authz` may not read it).
const node_record* find_node(const state_store& state, const acl::authorizer& authz, const std::string& name);

// Consul's weight for an SRV record: the service's Weights by its checks' aggregated status
// (passing, warning), 0 in maintenance or critical, 1 for an unknown status.
int srv_weight(const instance& i);

}  // namespace coconsul::dev::dns
