// Consul's NodeService.Validate rules for proxies, gateways and sidecars (see proxy_rules.hpp).

#include "dev_agent/local/proxy_rules.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

namespace coconsul::dev {

namespace {

std::string trimmed(const std::string& s) {
  auto b = std::find_if_not(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
  auto e = std::find_if_not(s.rbegin(), s.rend(), [](unsigned char c) { return std::isspace(c); }).base();
  return b < e ? std::string(b, e) : std::string();
}

// structs.Upstream.Validate: "" or the first rule broken.
std::string upstream_error(const upstream_record& u) {
  if (!u.destination_type.empty() && u.destination_type != "service" && u.destination_type != "prepared_query")
    return "unknown upstream destination type: \"" + u.destination_type + "\"";
  if (u.destination_name.empty()) return "upstream destination name cannot be empty";
  if (u.destination_name == "*" && !u.centrally_configured) return "upstream destination name cannot be a wildcard";
  if (!u.destination_peer.empty() && !u.datacenter.empty())
    return "upstream cannot specify both destination peer and datacenter";
  if (u.local_bind_port == 0 && u.local_bind_socket_path.empty() && !u.centrally_configured)
    return "upstream local bind port or local socket path must be defined and nonzero";
  if (u.local_bind_port != 0 && !u.local_bind_socket_path.empty() && !u.centrally_configured)
    return "only one of upstream local bind port or local socket path can be defined and nonzero";
  return {};
}

// UpstreamKey.String(), as the duplicate message shows it (CE: empty partition and namespace
// print as "default").
std::string upstream_key(const upstream_record& u) {
  auto or_default = [](const std::string& s) { return s.empty() ? std::string("default") : s; };
  return "[type=\"" + u.destination_type + "\", name=\"" + u.destination_name + "\", partition=\"" +
         or_default(u.destination_partition) + "\", namespace=\"" + or_default(u.destination_namespace) +
         "\", peer=\"" + u.destination_peer + "\", datacenter=\"" + u.datacenter + "\"]";
}

// Upstream.UpstreamAddressToString: a socket path, else address:port (127.0.0.1 by default).
std::string upstream_address(const upstream_record& u) {
  if (u.local_bind_port == 0 && u.local_bind_address.empty() && !u.local_bind_socket_path.empty())
    return u.local_bind_socket_path;
  std::string addr = u.local_bind_address.empty() ? "127.0.0.1" : u.local_bind_address;
  if (addr.find(':') != std::string::npos) addr = "[" + addr + "]";
  return addr + ":" + std::to_string(u.local_bind_port);
}

void proxy_errors(const service_record& s, std::vector<std::string>& out) {
  const proxy_record& p = s.proxy;
  if (trimmed(p.destination_service_name).empty())
    out.push_back("Proxy.DestinationServiceName must be non-empty for Connect proxy services");
  if (p.destination_service_name == "*")
    out.push_back("Proxy.DestinationServiceName must not be a wildcard for Connect proxy services");
  if (s.connect_native) out.push_back("A Proxy cannot also be Connect Native, only typical services");
  std::set<std::tuple<std::string, std::string, std::string, std::string, std::string, std::string>> keys;
  std::set<std::string> addresses;
  for (const auto& u : p.upstreams) {
    if (auto why = upstream_error(u); !why.empty()) {
      out.push_back(why);
      continue;
    }
    auto key = std::make_tuple(u.destination_type, u.destination_name, u.destination_partition,
                               u.destination_namespace, u.destination_peer, u.datacenter);
    if (!keys.insert(key).second) {
      out.push_back("upstreams cannot contain duplicates of " + upstream_key(u));
      continue;
    }
    std::string addr = upstream_address(u);
    if (!addresses.insert(addr).second && !u.centrally_configured) {
      out.push_back("upstreams cannot contain duplicates by local bind address and port or unix path; \"" + addr +
                    "\" is specified twice");
      continue;
    }
  }
  std::set<int> listeners;
  for (const auto& e : p.expose_paths) {
    if (e.path.empty()) out.push_back("expose.paths: empty path exposed");
    if (!listeners.insert(e.listener_port).second) out.push_back("expose.paths: duplicate listener ports exposed");
    if (e.listener_port <= 0 || e.listener_port > 65535)
      out.push_back("expose.paths: invalid listener port: " + std::to_string(e.listener_port));
    std::string protocol = e.protocol;
    std::transform(protocol.begin(), protocol.end(), protocol.begin(), [](unsigned char c) { return std::tolower(c); });
    if (!protocol.empty() && protocol != "http" && protocol != "http2")
      out.push_back("protocol '" + protocol + "' not supported for path: " + e.path + ", must be in: [http http2]");
  }
}

void gateway_errors(const service_record& s, bool has_sidecar, std::vector<std::string>& out) {
  const proxy_record& p = s.proxy;
  if (s.port == 0 && s.kind != "ingress-gateway") out.push_back("Port must be non-zero for a " + s.kind);
  if (has_sidecar) out.push_back("A " + s.kind + " cannot have a sidecar service defined");
  auto invalid = [&](const char* field) {
    out.push_back(std::string("The Proxy.") + field + " configuration is invalid for a " + s.kind);
  };
  if (!p.destination_service_name.empty()) invalid("DestinationServiceName");
  if (!p.destination_service_id.empty()) invalid("DestinationServiceID");
  if (!p.local_service_address.empty()) invalid("LocalServiceAddress");
  if (p.local_service_port != 0) invalid("LocalServicePort");
  if (!p.local_service_socket_path.empty()) invalid("LocalServiceSocketPath");
  if (!p.upstreams.empty()) invalid("Upstreams");
}

}  // namespace

bool is_gateway_kind(const std::string& kind) {
  return kind == "mesh-gateway" || kind == "terminating-gateway" || kind == "ingress-gateway";
}

std::vector<std::string> connect_rule_errors(const service_record& s, const nested_sidecar& sidecar) {
  std::vector<std::string> out;
  if (s.kind == "connect-proxy" && s.port == 0 && s.socket_path.empty())
    out.push_back("Port or SocketPath must be set for a connect-proxy");
  if (s.kind == "connect-proxy") proxy_errors(s, out);
  if (is_gateway_kind(s.kind)) gateway_errors(s, sidecar.present, out);
  if (sidecar.present) {
    if (sidecar.has_id) out.push_back("A SidecarService cannot specify an ID as this is managed by the agent");
    if (sidecar.has_sidecar) out.push_back("A SidecarService cannot have a nested SidecarService");
  }
  if (s.connect_native && s.port == 0 && s.socket_path.empty())
    out.push_back("Port or SocketPath must be set for a Connect native service.");
  return out;
}

}  // namespace coconsul::dev
