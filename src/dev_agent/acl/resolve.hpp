#pragma once
// A secret turned into what its token may do, as Consul's ACLResolver does it: the agent
// recovery token first (known to this agent alone), then the token tables (its policies, its
// roles' policies and identities, its own identities), compiled over the default policy. The
// one resolution the HTTP endpoints and DNS share.

#include "dev_agent/acl/authorizer.hpp"
#include "dev_agent/store/acl_state.hpp"

#include <optional>
#include <string>
#include <variant>

namespace coconsul::dev::acl {

// What resolution needs to know of the agent.
struct resolve_settings {
  std::string datacenter;
  default_policy fallback = default_policy::allow;
  std::string node_name;
  std::string agent_recovery;  // acl.tokens.agent_recovery; "" when there is none
};

struct resolved_token {
  std::string accessor_id;  // for denial texts ("agent-recovery:<node>" for the recovery token)
  authorizer authz;
  std::optional<acl_time> expires;  // the token's ExpirationTime: it resolves until then
};

// The token `secret` names ("": the anonymous token), or Consul's error text: "ACL not found"
// for an unknown or expired secret, "Permission denied: Cannot resolve root ACL" for the
// reserved secrets allow, deny and manage.
std::variant<resolved_token, std::string> resolve_token(const acl_state& tables, const std::string& secret,
                                                        const resolve_settings& settings);

}  // namespace coconsul::dev::acl
