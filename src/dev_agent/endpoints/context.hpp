#pragma once
// What an endpoint handler is given: the store, the agent-local side, the options, the log, the
// faults and the agent cache, by reference. A view, not an owner: the agent (dev_agent.cpp) owns them all and
// outlives every request.

#include "dev_agent/common/log.hpp"
#include "dev_agent/endpoints/agent_cache.hpp"
#include "dev_agent/endpoints/counters.hpp"
#include "dev_agent/endpoints/definitions.hpp"
#include "dev_agent/endpoints/agent_controls.hpp"
#include "dev_agent/endpoints/acl_layer.hpp"
#include "dev_agent/endpoints/acl_request.hpp"
#include "dev_agent/connect/connect_layer.hpp"
#include "dev_agent/endpoints/faults.hpp"
#include "dev_agent/http/message.hpp"
#include "dev_agent/http/router.hpp"
#include "dev_agent/local/local_agent.hpp"
#include "dev_agent/store/config_entry_state.hpp"
#include "dev_agent/store/state.hpp"
#include "dev_agent/store/watch_hub.hpp"

#include <coconsul/dev_agent_options.hpp>

#include <boost/asio/awaitable.hpp>

namespace coconsul::dev {

struct endpoint_context;

using endpoint_handler = boost::asio::awaitable<http_response> (*)(endpoint_context&, http_request&);
using route_table = router<endpoint_handler>;

struct endpoint_context {
  const dev_agent_options& options;
  const logger& log;
  state_store& state;
  watch_hub& hub;
  local_agent& local;
  fault_state& faults;
  const route_table& routes;
  agent_cache& cache;
  agent_counters& counters;
  config_definitions& definitions;
  agent_controls& controls;  // monitor, join/leave/force-leave, tokens (agent_controls.hpp)
  connect::connect_layer& connect;
  acl_layer& acl;  // the ACL tables, their start and reaper (acl_layer.hpp)
  config_entry_state& config_entries;  // the config entries (store/config_entry_state.hpp)
  // The request's caller, set by dispatch for each request (null: the agent acting for itself).
  // The context a handler gets is dispatch's copy for that request: a handler that keeps
  // working after it returns (a streamed body) must capture what it needs, not the context.
  const request_acl* request_caller = nullptr;

  // Who the request acts as, and what it may do (acl_request.hpp).
  const request_acl& caller() const { return request_caller ? *request_caller : request_acl::management(); }
};

// Adapts a handler that never blocks into an endpoint_handler.
template <http_response (*F)(endpoint_context&, http_request&)>
boost::asio::awaitable<http_response> immediate(endpoint_context& c, http_request& r) {
  co_return F(c, r);
}

// Installs every endpoint family's routes (one file per family).
void add_agent_routes(route_table& r);
void add_catalog_routes(route_table& r);
void add_health_routes(route_table& r);
void add_kv_routes(route_table& r);
void add_session_routes(route_table& r);
void add_status_routes(route_table& r);
void add_event_routes(route_table& r);
void add_txn_routes(route_table& r);
// `/` and /ui/ (when the UI is on) and the summaries the UI reads (ui.cpp).
void add_ui_routes(route_table& r, bool ui_enabled);
void add_agent_self_routes(route_table& r);  // self, members, host, metrics (agent_self.cpp)
void add_agent_reload_routes(route_table& r);
void add_agent_monitor_routes(route_table& r);     // agent_monitor.cpp
void add_agent_membership_routes(route_table& r);  // agent_membership.cpp
void add_agent_token_routes(route_table& r);       // agent_token.cpp
void add_connect_ca_routes(route_table& r);
void add_intention_routes(route_table& r);           // intentions.cpp: /v1/connect/intentions*
void add_connect_authorize_routes(route_table& r);  // connect_authorize.cpp
// /v1/acl/*: every route answers 401 with ACLs off (acl_*.cpp).
void add_acl_token_routes(route_table& r);        // acl_tokens.cpp
void add_acl_policy_routes(route_table& r);       // acl_policies.cpp
void add_acl_role_routes(route_table& r);         // acl_roles.cpp
void add_acl_auth_method_routes(route_table& r);  // acl_auth_methods.cpp: auth methods and binding rules
void add_acl_bootstrap_routes(route_table& r);    // acl_bootstrap.cpp: bootstrap, replication, legacy
void add_acl_login_routes(route_table& r);        // acl_login.cpp: login and logout
void add_config_entry_routes(route_table& r);     // config_entries.cpp: /v1/config
void add_gateway_service_routes(route_table& r);  // gateway_services.cpp: gateway-services, health/ingress
void add_discovery_chain_routes(route_table& r);   // discovery_chain.cpp: /v1/discovery-chain/:service
void add_prepared_query_routes(route_table& r);   // prepared_query.cpp: /v1/query

// Serves one request: faults, routing, 404/405 handling, common headers (dispatch.cpp).
boost::asio::awaitable<http_response> dispatch(endpoint_context& c, http_request& req);

}  // namespace coconsul::dev
