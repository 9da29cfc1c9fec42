#pragma once
// The store's records as Consul's JSON, field for field in the order Go's structs declare them
// (structs.Node, structs.ServiceNode, structs.NodeService, api.AgentService,
// structs.HealthCheck, structs.DirEntry, structs.Session).

#include "dev_agent/store/records.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <string>
#include <vector>

namespace coconsul::dev {

boost::json::object render_node(const node_record& n);
boost::json::object render_service_node(const node_record* n, const service_record& s);  // catalog/service
boost::json::object render_node_service(const service_record& s);                         // health, catalog/node
boost::json::object render_agent_service(const service_record& s, const std::string& datacenter);
// A service's Proxy as the catalog and health send it (structs.ConnectProxyConfig), as the agent
// endpoints send it (api.AgentServiceConnectProxyConfig), and its Connect (render_proxy.cpp).
boost::json::object render_proxy(const proxy_record& p);
boost::json::object render_agent_proxy(const proxy_record& p);
boost::json::object render_connect(const service_record& s);
// Whether the agent endpoints show a Proxy: proxies and gateways (Consul's buildAgentService).
bool has_proxy(const service_record& s);
boost::json::object render_check(const check_record& c);
boost::json::object render_check_definition(const check_definition& d);
boost::json::object render_kv(const kv_entry& e);
boost::json::object render_session(const session_record& s);
boost::json::array render_strings(const std::vector<std::string>& v);
boost::json::object render_string_map(const std::map<std::string, std::string>& m);

}  // namespace coconsul::dev
