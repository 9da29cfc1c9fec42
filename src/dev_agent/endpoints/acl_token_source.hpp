#pragma once
// Which ACL token a request acts with (Consul's agent/http.go parseToken and the server's token
// resolution): the secret by Consul's order, then the token record it names. Every endpoint
// that needs the caller's identity asks here, so the enforcement phase has one place to read.

#include "dev_agent/endpoints/agent_controls.hpp"
#include "dev_agent/http/message.hpp"
#include "dev_agent/store/acl_state.hpp"

#include <string>

namespace coconsul::dev {

// `?token=`, else `X-Consul-Token`, else `Authorization: Bearer <t>` (scheme in any case, the
// first word after it), else the agent's `default` token; "" when there is none (anonymous).
std::string request_secret(const http_request& req, const agent_controls& controls);

// The token a secret names: "" is the anonymous token. Throws http_error 403 "ACL not found"
// for an unknown or expired secret, 403 "Permission denied: Cannot resolve root ACL" for the
// reserved secrets allow, deny and manage (acl.RootAuthorizer).
const acl_token_record& resolve_secret(const acl_state& tables, const std::string& secret);

}  // namespace coconsul::dev
