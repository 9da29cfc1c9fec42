// PUT /v1/agent/join/<addr>, /v1/agent/leave and /v1/agent/force-leave/<node>: the gossip
// membership operations of a single dev agent, answered as Consul answers them when this agent
// is the only member (it has no gossip pool: joining anyone else fails as a join to an address
// where nothing listens does).

#include "dev_agent/endpoints/agent_controls.hpp"
#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/request_values.hpp"
#include "dev_agent/http/responders.hpp"

#include <boost/asio/ip/address.hpp>

namespace coconsul::dev {

namespace {

// memberlist's host and port of a join address: the port defaults to the pool's serf port.
// "[v6]:port", "v6", "host:port", "host".
struct join_target {
  std::string host;
  std::string port;
};

join_target split_join_address(const std::string& addr, int default_port) {
  join_target t;
  t.port = std::to_string(default_port);
  if (!addr.empty() && addr.front() == '[') {
    auto close = addr.find(']');
    t.host = addr.substr(1, close == std::string::npos ? std::string::npos : close - 1);
    if (close != std::string::npos && close + 1 < addr.size() && addr[close + 1] == ':') t.port = addr.substr(close + 2);
    return t;
  }
  auto colon = addr.rfind(':');
  if (colon != std::string::npos && addr.find(':') == colon) {
    t.host = addr.substr(0, colon);
    t.port = addr.substr(colon + 1);
  } else {
    t.host = addr;
  }
  return t;
}

// Whether `ip` is an address this agent's serf would listen on.
bool is_own_address(const endpoint_context& c, const boost::asio::ip::address& ip) {
  boost::system::error_code ec;
  auto bind = boost::asio::ip::make_address(c.options.bind_address, ec);
  if (!ec && (bind == ip || (bind.is_unspecified() && ip.is_loopback()))) return true;
  auto advertised = boost::asio::ip::make_address(c.local.self_node().address, ec);
  return !ec && advertised == ip;
}

// hashicorp/go-multierror's text for one error.
std::string one_error(const std::string& e) { return "1 error occurred:\n\t* " + e + "\n\n"; }

http_response agent_join(endpoint_context& c, http_request& req) {
  c.caller().require(c.caller().authz().agent_write(c.options.node_name));
  // Consul: ?wan with any non-empty value means the WAN pool.
  bool wan = !req.query.get_or("wan", "").empty();
  std::string addr = path_suffix(req, "/v1/agent/join/");
  const char* pool = wan ? "(WAN)" : "(LAN)";
  int serf_port = wan ? c.options.ports.serf_wan : c.options.ports.serf_lan;
  join_target t = split_join_address(addr, serf_port);
  std::string host = t.host == "localhost" ? "127.0.0.1" : t.host;
  boost::system::error_code ec;
  auto ip = boost::asio::ip::make_address(host, ec);
  c.log.log(log_level::info, "agent", std::string("Joining cluster...: cluster=") + (wan ? "WAN" : "LAN"));
  std::string failure;
  if (ec) {
    // Only addresses are resolved here: the dev agent does no DNS lookups for a join.
    failure = "Failed to resolve " + addr + ": lookup " + t.host + ": no such host";
  } else {
    // Appended piecewise: gcc 12 warns falsely (-Wrestrict) on "lit" + string&&.
    std::string hp;
    if (ip.is_v6()) hp += '[';
    hp += ip.to_string();
    if (ip.is_v6()) hp += ']';
    hp += ':';
    hp += t.port;
    // Joining itself is what a lone Consul agent can do: one node synced, itself.
    if (is_own_address(c, ip) && t.port == std::to_string(serf_port)) {
      c.log.log(log_level::info, "agent", std::string("Join cluster completed. Synced with initial agents: cluster=") +
                                              (wan ? "WAN" : "LAN") + " num_agents=1");
      return empty_response(200);
    }
    failure = "Failed to join " + hp + ": dial tcp " + hp + ": connect: connection refused";
  }
  std::string text = one_error(failure);
  c.log.log(log_level::warn, "agent", std::string(pool) + " couldn't join: number_of_nodes=0 error=\"" + text + "\"");
  throw http_error{500, text};
}

http_response agent_leave(endpoint_context& c, http_request&) {
  c.caller().require(c.caller().authz().agent_write(c.options.node_name));
  c.log.log(log_level::info, "agent", "Requesting shutdown");
  c.controls.leaving = true;
  http_response resp = empty_response(200);
  // Consul answers, then its command shuts the HTTP server down: the 200 goes out first.
  agent_controls* controls = &c.controls;
  resp.after_write = [controls] {
    if (controls->leave) controls->leave();
  };
  return resp;
}

http_response agent_force_leave(endpoint_context& c, http_request& req) {
  c.caller().require(c.caller().authz().operator_write());  // operator:write, not agent:write
  bool prune = req.query.has("prune");
  bool wan = req.query.has("wan");
  std::string node = path_suffix(req, "/v1/agent/force-leave/");
  c.log.log(log_level::info, "agent", "Force leaving node: node=" + node);
  // Server.RemoveFailedNode: the LAN pool knows this node by its name, the WAN pool as
  // "<node>.<dc>" (the suffix added when missing); ?wan asks the WAN pool alone, under the name
  // as given. The only member here is this agent, which refutes its own removal and stays.
  const std::string& self = c.options.node_name;
  const std::string wan_self = self + "." + c.options.datacenter;
  const std::string suffix = "." + c.options.datacenter;
  bool found;
  if (wan) {
    found = node == wan_self;
  } else {
    bool has_suffix = node.size() >= suffix.size() && node.compare(node.size() - suffix.size(), suffix.size(), suffix) == 0;
    std::string wan_name = has_suffix ? node : node + suffix;
    found = node == self || wan_name == wan_self;
  }
  if (!found) {
    std::string text = "agent: No node found with name '" + (wan ? std::string() : node) + "'";
    c.log.log(log_level::warn, "agent", "Failed to remove node: node=" + node + " error=\"" + text + "\"");
    throw http_error{500, text};
  }
  (void)prune;  // nothing to prune: this agent never lists a failed or left member
  return empty_response(200);
}

}  // namespace

std::optional<http_error> members_query_error(const http_request& req) {
  // Consul: ?wan with any non-empty value; a segment other than "" or "_all" (every segment)
  // does not apply to the WAN pool, and CE has no segments at all in the LAN pool.
  bool wan = !req.query.get_or("wan", "").empty();
  std::string segment = req.query.get_or("segment", "");
  if (segment.empty() || segment == "_all") return std::nullopt;
  if (wan) return http_error{400, "Cannot provide a segment with wan=true"};
  return http_error{500, "Network segments are not supported in this version of Consul"};
}

void add_agent_membership_routes(route_table& r) {
  r.add("/v1/agent/join/", {"PUT"}, &immediate<agent_join>);
  r.add("/v1/agent/leave", {"PUT"}, &immediate<agent_leave>);
  r.add("/v1/agent/force-leave/", {"PUT"}, &immediate<agent_force_leave>);
}

}  // namespace coconsul::dev
