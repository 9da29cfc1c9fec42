#pragma once
// What the agent-control endpoints (monitor, join/leave/force-leave, token) need beyond the
// store and the local agent: the log tap, the agent's leave, the tokens set through the API.
// Owned by the agent (dev_agent.cpp); endpoint_context refers to it.

#include "dev_agent/common/log_tap.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/message.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace coconsul::dev {

struct agent_controls {
  explicit agent_controls(log_tap& t) : tap(t) {}

  log_tap& tap;
  // Stops the agent and tells the embedding program (dev_agent::on_leave); called after the
  // leave's 200 has been written.
  std::function<void()> leave;
  bool leaving = false;
  // ACLs are off in dev mode: PUT /v1/agent/token answers 401 then. The ACL issue turns this on.
  bool acl_enabled = false;
  // Tokens set by PUT /v1/agent/token/<kind>, under Consul's current names ("default", "agent",
  // "agent_recovery", "replication"): for the ACL issue to enforce.
  std::map<std::string, std::string> tokens;
};

// GET /v1/agent/members?wan=1&segment=x: what Consul refuses about a members query, or nullopt.
// In agent_membership.cpp; the members handler calls it and throws what it returns.
std::optional<http_error> members_query_error(const http_request& req);

}  // namespace coconsul::dev
