#pragma once
// Which ACL token a request acts with (Consul's agent/http.go parseToken): the secret by Consul's
// order. What the token may do is acl_layer::authorize's.

#include "dev_agent/endpoints/agent_controls.hpp"
#include "dev_agent/http/message.hpp"

#include <string>

namespace coconsul::dev {

// `?token=`, else `X-Consul-Token`, else `Authorization: Bearer <t>` (scheme in any case, the
// first word after it), else the agent's default token; "" when there is none (anonymous).
std::string request_secret(const http_request& req, const agent_controls& controls);

// The agent's `default` token (acl.tokens.default, or as set through /v1/agent/token/default):
// what a request without a token acts with, and what DNS lookups use.
std::string default_secret(const agent_controls& controls);

}  // namespace coconsul::dev
