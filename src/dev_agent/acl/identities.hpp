#pragma once
// The policies Consul 1.14 derives rather than stores (agent/structs/acl.go, acl_ce.go): service
// and node identities' synthetic policies, a token's rules per datacenter, and the builtin
// global-management policy. Rules as Consul's text and as values. No I/O.

#include "dev_agent/acl/policy.hpp"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul::dev::acl {

struct service_identity {
  std::string service_name;
  std::vector<std::string> datacenters;  // empty: every datacenter
};

struct node_identity {
  std::string node_name;
  std::string datacenter;  // required: the identity applies there only
};

// A policy as the resolver sees one: where it applies, and its rules.
struct synthetic_policy {
  std::string id;           // Consul's quirky "hash": hex(rules) followed by FNV-128a's offset basis
  std::string name;         // "synthetic-policy-<id>"
  std::string description;  // `synthetic policy for service identity "web"`
  std::string rules_text;   // the rules as Consul's template writes them
  policy_rules rules;       // the same rules, as parse_rules reads the text
  std::vector<std::string> datacenters;
};

synthetic_policy synthesize(const service_identity& id);
synthetic_policy synthesize(const node_identity& id);

// Whether a policy with these datacenters applies in `datacenter` (none listed: everywhere).
bool applies_in(const std::vector<std::string>& datacenters, std::string_view datacenter);

// A stored policy's rules with the datacenters it is limited to (ACLPolicy.Datacenters).
struct scoped_rules {
  policy_rules rules;
  std::vector<std::string> datacenters;  // empty: every datacenter
};

// What a token grants in `datacenter`, ready for authorizer::compile: its policies (roles'
// included, resolved by the caller) and its identities' synthetic policies, each only where it
// applies, as Consul's resolver filters them.
std::vector<policy_rules> rules_in(std::string_view datacenter, std::span<const scoped_rules> policies,
                                   std::span<const service_identity> services, std::span<const node_identity> nodes);

// The builtin global-management policy (ID 00000000-0000-0000-0000-000000000001): its name and
// rules text, which the store keeps and may not change.
inline constexpr std::string_view global_management_id = "00000000-0000-0000-0000-000000000001";
inline constexpr std::string_view global_management_name = "global-management";
std::string_view global_management_rules();

}  // namespace coconsul::dev::acl
