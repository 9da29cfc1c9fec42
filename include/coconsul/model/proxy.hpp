#pragma once
// Connect's proxies as Consul models them: the kinds a service may be (service_kind), a proxy's
// configuration (proxy_config: the service it fronts, its upstreams, expose paths, mesh gateway
// and transparent-proxy settings) and its parts. The service structs that carry these are in
// model/service.hpp, and the service-defaults and proxy-defaults entries use the same mesh
// gateway, transparent proxy and expose parts (model/config_entry_service.hpp): Consul has one
// of each. This header knows nothing of registration.

#include <coconsul/model/wire.hpp>

#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace coconsul {

// The values of a service's Kind (Consul's ServiceKind). A typical service has none.
struct service_kind {
  static constexpr std::string_view typical = "";
  static constexpr std::string_view connect_proxy = "connect-proxy";
  static constexpr std::string_view mesh_gateway = "mesh-gateway";
  static constexpr std::string_view terminating_gateway = "terminating-gateway";
  static constexpr std::string_view ingress_gateway = "ingress-gateway";
};

// How upstream traffic uses mesh gateways: "" (the default: what a config entry says), "none",
// "local" or "remote" (Consul's MeshGatewayConfig).
struct mesh_gateway_config {
  std::string mode{};

  bool operator==(const mesh_gateway_config&) const = default;
};
COCONSUL_WIRE_STRUCT(mesh_gateway_config, (mode, "Mode"))

// A transparent proxy's settings (used when proxy_config::mode is "transparent").
struct transparent_proxy_config {
  int outbound_listener_port = 0;  // where redirected outbound traffic arrives (default 15001)
  bool dialed_directly = false;    // other proxies may dial this instance without the discovery chain

  bool operator==(const transparent_proxy_config&) const = default;
};
COCONSUL_WIRE_STRUCT(transparent_proxy_config, (outbound_listener_port, "OutboundListenerPort"),
                     (dialed_directly, "DialedDirectly"))

// One HTTP path the proxy serves outside the mesh (a metrics or health path).
struct expose_path {
  int listener_port = 0;   // the proxy's listener for this path
  std::string path{};      // "/metrics"
  int local_path_port = 0; // where the service itself serves it
  std::string protocol{};  // "http" (the default) or "http2"
  bool parsed_from_check = false;  // set by Consul for paths it derived from checks

  bool operator==(const expose_path&) const = default;
};
COCONSUL_WIRE_STRUCT(expose_path, (listener_port, "ListenerPort"), (path, "Path"), (local_path_port, "LocalPathPort"),
                     (protocol, "Protocol"), (parsed_from_check, "ParsedFromCheck"))

struct expose_config {
  bool checks = false;  // expose the paths of the service's HTTP and gRPC checks
  std::vector<expose_path> paths{};

  bool operator==(const expose_config&) const = default;
};
COCONSUL_WIRE_STRUCT(expose_config, (checks, "Checks"), (paths, "Paths"))

// A service the proxy's application reaches through a local listener (Consul's Upstream).
struct upstream {
  std::string destination_type{};  // "service" (the agent's default) or "prepared_query"
  std::string destination_namespace{};  // Enterprise
  std::string destination_partition{};  // Enterprise
  std::string destination_peer{};
  std::string destination_name{};  // required
  std::string datacenter{};
  std::string local_bind_address{};  // default 127.0.0.1
  int local_bind_port = 0;           // this or local_bind_socket_path is required
  std::string local_bind_socket_path{};
  std::string local_bind_socket_mode{};  // octal text, "0600"
  boost::json::object config{};          // free-form, for the proxy
  mesh_gateway_config mesh_gateway{};
  bool centrally_configured = false;  // set by Consul for upstreams from config entries

  bool operator==(const upstream&) const = default;
};
COCONSUL_WIRE_STRUCT(upstream,
                     (destination_type, "DestinationType"), (destination_namespace, "DestinationNamespace"),
                     (destination_partition, "DestinationPartition"), (destination_peer, "DestinationPeer"),
                     (destination_name, "DestinationName"), (datacenter, "Datacenter"),
                     (local_bind_address, "LocalBindAddress"), (local_bind_port, "LocalBindPort"),
                     (local_bind_socket_path, "LocalBindSocketPath"), (local_bind_socket_mode, "LocalBindSocketMode"),
                     (config, "Config"), (mesh_gateway, "MeshGateway"),
                     (centrally_configured, "CentrallyConfigured"))

// A proxy's configuration (Consul's AgentServiceConnectProxyConfig): the Proxy of a
// connect-proxy or gateway registration, and what the agent and catalog report back. Left
// empty on other services; an empty one is not sent.
struct proxy_config {
  std::string destination_service_name{};  // required for a connect-proxy
  std::string destination_service_id{};    // a sidecar: the instance it fronts
  std::string local_service_address{};     // a sidecar: where that instance listens (127.0.0.1)
  int local_service_port = 0;
  std::string local_service_socket_path{};
  std::string mode{};  // "" (default), "direct" or "transparent"
  transparent_proxy_config transparent_proxy{};
  boost::json::object config{};  // free-form, for the proxy ("protocol", "envoy_..." keys)
  std::vector<coconsul::upstream> upstreams{};
  mesh_gateway_config mesh_gateway{};
  expose_config expose{};

  bool operator==(const proxy_config&) const = default;
};
COCONSUL_WIRE_STRUCT(proxy_config,
                     (destination_service_name, "DestinationServiceName"),
                     (destination_service_id, "DestinationServiceID"),
                     (local_service_address, "LocalServiceAddress"), (local_service_port, "LocalServicePort"),
                     (local_service_socket_path, "LocalServiceSocketPath"), (mode, "Mode"),
                     (transparent_proxy, "TransparentProxy"), (config, "Config"), (upstreams, "Upstreams"),
                     (mesh_gateway, "MeshGateway"), (expose, "Expose"))

}  // namespace coconsul
