// PUT /v1/agent/reload: re-reads the configuration and re-applies its service and check
// definitions (definitions.hpp). 200 with an empty body; a refused configuration is a 500 with
// the reason, as Consul answers, and changes nothing.

#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/responders.hpp"

#include <coconsul/error.hpp>

namespace coconsul::dev {

namespace {

http_response agent_reload(endpoint_context& c, http_request&) {
  c.caller().require(c.caller().authz().agent_write(c.options.node_name));
  c.log.log(log_level::info, "agent", "Reloading configuration...");
  try {
    c.definitions.reload(c.local, c.state, c.options.node_name);
  } catch (const coconsul::error& e) {
    throw http_error{500, e.message().empty() ? e.what() : e.message()};
  }
  return empty_response();
}

}  // namespace

void add_agent_reload_routes(route_table& r) { r.add("/v1/agent/reload", {"PUT"}, &immediate<agent_reload>); }

}  // namespace coconsul::dev
