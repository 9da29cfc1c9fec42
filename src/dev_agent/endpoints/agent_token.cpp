// PUT /v1/agent/token/<kind>: sets one of the agent's ACL tokens under Consul's names (the
// legacy acl_* names too); the `default` one is what requests without a token act with
// (acl_token_source.hpp). With ACLs off, Consul's 401; the caller needs acl:write.

#include "dev_agent/endpoints/acl_common.hpp"
#include "dev_agent/endpoints/agent_controls.hpp"
#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/json_in.hpp"
#include "dev_agent/http/request_values.hpp"
#include "dev_agent/http/responders.hpp"

namespace coconsul::dev {

namespace {

// Consul's current name for each name it accepts (agent/agent_endpoint.go AgentToken).
std::optional<std::string> token_kind(const std::string& name) {
  if (name == "default" || name == "acl_token") return "default";
  if (name == "agent" || name == "acl_agent_token") return "agent";
  if (name == "agent_recovery" || name == "agent_master" || name == "acl_agent_master_token") return "agent_recovery";
  if (name == "replication" || name == "acl_replication_token") return "replication";
  return std::nullopt;
}

http_response agent_token(endpoint_context& c, http_request& req) {
  // Consul checks this first of all, before the body or the name.
  if (!c.controls.acl_enabled) throw http_error{401, "ACL support disabled"};
  // Then the caller's token and agent:write on this agent (Consul's AgentToken), before the body.
  c.caller().require(c.caller().authz().agent_write(c.options.node_name));
  // api.AgentToken: {"Token": "..."}, decoded as Go decodes it (unknown fields refused).
  std::string token;
  boost::json::value body = parse_body(req.body);
  decode_object(body, json_context{"api.AgentToken", ""}, {field("Token", token)});
  std::string name = path_suffix(req, "/v1/agent/token/");
  auto kind = token_kind(name);
  if (!kind) throw http_error{404, "Token \"" + name + "\" is unknown"};
  c.controls.tokens[*kind] = token;
  c.log.log(log_level::info, "agent", "Updated agent's ACL token: token=" + *kind);
  return empty_response(200);
}

}  // namespace

void add_agent_token_routes(route_table& r) { r.add("/v1/agent/token/", {"PUT"}, &immediate<agent_token>); }

}  // namespace coconsul::dev
