// /v1/status/*: the leader and peers of a one-server cluster.

#include "dev_agent/core.hpp"
#include "dev_agent/respond.hpp"

#include <boost/json.hpp>

namespace coconsul::dev {
namespace json = boost::json;

namespace {

std::string raft_address(const core& c) { return c.self_node().address + ":8300"; }

http_response leader(core& c, http_request&) { return json_response(json::value(raft_address(c))); }

http_response peers(core& c, http_request&) {
  json::array a;
  a.emplace_back(raft_address(c));
  return json_response(a);
}

}  // namespace

void add_status_routes(router& r) {
  r.add("/v1/status/leader", {"GET"}, &immediate<leader>);
  r.add("/v1/status/peers", {"GET"}, &immediate<peers>);
}

}  // namespace coconsul::dev
