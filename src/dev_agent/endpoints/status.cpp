// /v1/status/*: the leader and peers of a one-server cluster.

#include "dev_agent/endpoints/blocking.hpp"
#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/request_values.hpp"
#include "dev_agent/http/responders.hpp"

#include <boost/json.hpp>

namespace coconsul::dev {
namespace json = boost::json;

namespace {

std::string raft_address(const endpoint_context& c) {
  return c.local.self_node().address + ":" + std::to_string(c.options.ports.server);
}

http_response leader(endpoint_context& c, http_request&) { return json_response(json::value(raft_address(c))); }

http_response peers(endpoint_context& c, http_request&) {
  json::array a;
  a.emplace_back(raft_address(c));
  return json_response(a);
}

}  // namespace

void add_status_routes(route_table& r) {
  r.add("/v1/status/leader", {"GET"}, &immediate<leader>);
  r.add("/v1/status/peers", {"GET"}, &immediate<peers>);
}

}  // namespace coconsul::dev
