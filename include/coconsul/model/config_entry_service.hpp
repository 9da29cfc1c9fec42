#pragma once
// The service-defaults and proxy-defaults config entries (Consul's ServiceConfigEntry and
// ProxyConfigEntry, api/config_entry.go) and the upstream defaults they carry; their mesh
// gateway mode, transparent proxy and expose paths are proxy.hpp's. Plain structs; JSON in
// src/protocol/.
// The Kind is not a member: config_entry (config_entry.hpp) writes it from the struct's type.

#include <coconsul/model/proxy.hpp>
#include <coconsul/model/wire.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul {

// The proxy parts these entries share with registrations are the one model of proxy.hpp
// (Consul has one MeshGatewayConfig, TransparentProxyConfig, ExposeConfig and ExposePath);
// these names stay for code written against earlier versions.
using entry_mesh_gateway = mesh_gateway_config;
using entry_transparent_proxy = transparent_proxy_config;
using entry_expose_path = expose_path;
using entry_expose = expose_config;

struct passive_health_check {
  std::chrono::nanoseconds interval{};
  std::uint32_t max_failures = 0;
  std::optional<std::uint32_t> enforcing_consecutive_5xx{};

  bool operator==(const passive_health_check&) const = default;
};
COCONSUL_WIRE_STRUCT(passive_health_check, (interval, "Interval"), (max_failures, "MaxFailures"),
                     (enforcing_consecutive_5xx, "EnforcingConsecutive5xx"))

struct upstream_limits {
  std::optional<int> max_connections{};
  std::optional<int> max_pending_requests{};
  std::optional<int> max_concurrent_requests{};

  bool operator==(const upstream_limits&) const = default;
};
COCONSUL_WIRE_STRUCT(upstream_limits, (max_connections, "MaxConnections"),
                     (max_pending_requests, "MaxPendingRequests"),
                     (max_concurrent_requests, "MaxConcurrentRequests"))

// One upstream's settings in a service-defaults entry (an override names it; the defaults do not).
struct upstream_config {
  std::string name{};
  std::string partition{};
  std::string namespace_name{};
  std::string peer{};
  std::string envoy_listener_json{};
  std::string envoy_cluster_json{};
  std::string protocol{};
  int connect_timeout_ms = 0;
  std::optional<upstream_limits> limits{};
  std::optional<coconsul::passive_health_check> passive_health_check{};
  mesh_gateway_config mesh_gateway{};
  std::string balance_outbound_connections{};  // "" or "exact_balance"

  bool operator==(const upstream_config&) const = default;
};
COCONSUL_WIRE_STRUCT(upstream_config, (name, "Name"), (partition, "Partition"), (namespace_name, "Namespace"),
                     (peer, "Peer"), (envoy_listener_json, "EnvoyListenerJSON"),
                     (envoy_cluster_json, "EnvoyClusterJSON"), (protocol, "Protocol"),
                     (connect_timeout_ms, "ConnectTimeoutMs"), (limits, "Limits"),
                     (passive_health_check, "PassiveHealthCheck"), (mesh_gateway, "MeshGateway"),
                     (balance_outbound_connections, "BalanceOutboundConnections"))

struct upstream_configuration {
  std::vector<upstream_config> overrides{};
  std::optional<upstream_config> defaults{};

  bool operator==(const upstream_configuration&) const = default;
};
COCONSUL_WIRE_STRUCT(upstream_configuration, (overrides, "Overrides"), (defaults, "Defaults"))

// A service outside Consul reached through a terminating gateway (transparent proxy mode).
struct destination_config {
  std::vector<std::string> addresses{};
  int port = 0;

  bool operator==(const destination_config&) const = default;
};
COCONSUL_WIRE_STRUCT(destination_config, (addresses, "Addresses"), (port, "Port"))

// Kind "service-defaults": the defaults of every instance of one service.
struct service_defaults {
  static constexpr std::string_view kind = "service-defaults";

  std::string name{};
  std::string partition{};
  std::string namespace_name{};
  std::string protocol{};  // "tcp", "http", "http2", "grpc"
  std::string mode{};      // "", "direct", "transparent"
  transparent_proxy_config transparent_proxy{};
  mesh_gateway_config mesh_gateway{};
  expose_config expose{};
  std::string external_sni{};
  std::optional<upstream_configuration> upstream_config{};
  std::optional<destination_config> destination{};
  int max_inbound_connections = 0;
  int local_connect_timeout_ms = 0;
  int local_request_timeout_ms = 0;
  std::string balance_inbound_connections{};
  std::map<std::string, std::string> meta{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const service_defaults&) const = default;
};
COCONSUL_WIRE_STRUCT(service_defaults, (name, "Name"), (partition, "Partition"), (namespace_name, "Namespace"),
                     (protocol, "Protocol"), (mode, "Mode"), (transparent_proxy, "TransparentProxy"),
                     (mesh_gateway, "MeshGateway"), (expose, "Expose"), (external_sni, "ExternalSNI"),
                     (upstream_config, "UpstreamConfig"), (destination, "Destination"),
                     (max_inbound_connections, "MaxInboundConnections"),
                     (local_connect_timeout_ms, "LocalConnectTimeoutMs"),
                     (local_request_timeout_ms, "LocalRequestTimeoutMs"),
                     (balance_inbound_connections, "BalanceInboundConnections"), (meta, "Meta"),
                     (create_index, "CreateIndex"), (modify_index, "ModifyIndex"))

// Envoy's access logs of every proxy.
struct access_logs_config {
  bool enabled = false;
  bool disable_listener_logs = false;
  std::string type{};  // "stdout", "stderr" or "file"
  std::string path{};
  std::string json_format{};
  std::string text_format{};

  bool operator==(const access_logs_config&) const = default;
};
COCONSUL_WIRE_STRUCT(access_logs_config, (enabled, "Enabled"), (disable_listener_logs, "DisableListenerLogs"),
                     (type, "Type"), (path, "Path"), (json_format, "JSONFormat"), (text_format, "TextFormat"))

// Kind "proxy-defaults": the defaults of every proxy. Consul accepts only the name "global".
struct proxy_defaults {
  static constexpr std::string_view kind = "proxy-defaults";

  std::string name = "global";
  std::string partition{};
  std::string namespace_name{};
  std::string mode{};
  transparent_proxy_config transparent_proxy{};
  boost::json::object config{};  // opaque to Consul: the proxy's own settings ("protocol", ...)
  mesh_gateway_config mesh_gateway{};
  expose_config expose{};
  access_logs_config access_logs{};
  std::map<std::string, std::string> meta{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const proxy_defaults&) const = default;
};
COCONSUL_WIRE_STRUCT(proxy_defaults, (name, "Name"), (partition, "Partition"), (namespace_name, "Namespace"),
                     (mode, "Mode"), (transparent_proxy, "TransparentProxy"), (config, "Config"),
                     (mesh_gateway, "MeshGateway"), (expose, "Expose"), (access_logs, "AccessLogs"), (meta, "Meta"),
                     (create_index, "CreateIndex"), (modify_index, "ModifyIndex"))

}  // namespace coconsul
