#pragma once
// What an endpoint handler is given: the store, the agent-local side, the options, the log and
// the faults, by reference. A view, not an owner: the agent (dev_agent.cpp) owns them all and
// outlives every request.

#include "dev_agent/common/log.hpp"
#include "dev_agent/connect/connect_layer.hpp"
#include "dev_agent/endpoints/faults.hpp"
#include "dev_agent/http/message.hpp"
#include "dev_agent/http/router.hpp"
#include "dev_agent/local/local_agent.hpp"
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
  connect::connect_layer& connect;
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
void add_connect_ca_routes(route_table& r);

// Serves one request: faults, routing, 404/405 handling, common headers (dispatch.cpp).
boost::asio::awaitable<http_response> dispatch(endpoint_context& c, http_request& req);

}  // namespace coconsul::dev
