#pragma once
// The ACL policy model as Consul CE 1.14 holds it (acl/policy.go): resources, access levels and
// the rules of one policy, with the policy strings exactly as written (Consul validates them
// case-insensitively but merges them as written). Plain data; parsing is rules.hpp.

#include <string>
#include <string_view>
#include <vector>

namespace coconsul::dev::acl {

// What a permission is about: the names Consul's denial text uses ('<resource>:<level>').
enum class resource { acl, agent, event, intention, key, keyring, node, operator_, mesh, query, service, session, peering };
std::string_view resource_name(resource r) noexcept;

// An access level; `unknown` is "no rule" (the authorizer defers to the next one in the chain).
enum class access { unknown, deny, read, list, write };
std::string_view access_name(access a) noexcept;  // "deny", "read", "list", "write", "unknown"
// Consul's AccessLevelFromString: case-insensitive; anything else is `unknown`.
access access_from_string(std::string_view level) noexcept;

// One rule of a named kind. `name` is the block label (a service, node or event name, a key or
// query prefix); `intentions` is only read for service rules ("" = derived from `policy`).
struct rule {
  std::string name;
  std::string policy;
  std::string intentions;
  bool operator==(const rule&) const = default;
};

// One policy's rules, one list per kind of block, in the order they were written. The scalar
// resources are "" when the policy does not mention them.
struct policy_rules {
  std::string acl;
  std::string keyring;
  std::string operator_;
  std::string mesh;
  std::string peering;
  std::vector<rule> agents, agent_prefixes;
  std::vector<rule> events, event_prefixes;
  std::vector<rule> keys, key_prefixes;
  std::vector<rule> nodes, node_prefixes;
  std::vector<rule> queries, query_prefixes;
  std::vector<rule> services, service_prefixes;
  std::vector<rule> sessions, session_prefixes;
  bool operator==(const policy_rules&) const = default;
};

}  // namespace coconsul::dev::acl
