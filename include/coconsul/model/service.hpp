#pragma once
// Services on the agent: what we register (service_registration with its service_check
// definitions, a proxy's configuration and a sidecar to register with it) and what the agent
// reports back (agent_service).
// JSON: PUT /v1/agent/service/register takes a service_registration; GET /v1/agent/services
// returns std::map<std::string, agent_service> keyed by service ID.

#include <coconsul/model/proxy.hpp>
#include <coconsul/model/wire.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coconsul {

// Weights for DNS SRV answers and for coconsul's balancer (Consul's default: 1 and 1).
struct weights {
  int passing = 1;
  int warning = 1;

  bool operator==(const weights&) const = default;
};
COCONSUL_WIRE_STRUCT(weights, (passing, "Passing"), (warning, "Warning"))

// One entry of a service's TaggedAddresses ("lan", "wan", "lan_ipv4", ...).
struct service_address {
  std::string address{};
  int port = 0;

  bool operator==(const service_address&) const = default;
};
COCONSUL_WIRE_STRUCT(service_address, (address, "Address"), (port, "Port"))

// A check defined with a service (Consul's AgentServiceCheck). Set exactly one kind: http,
// tcp, udp, grpc, h2ping, ttl, args (script), or alias_node/alias_service. Interval is
// required for every kind except ttl and alias. Empty or zero members are not sent, so
// Consul applies its defaults (status critical, timeout 10s, ...).
struct service_check {
  std::string check_id{};  // default: "service:<service id>" (":<n>" with several checks)
  std::string name{};      // default: "Service '<name>' check"
  std::string notes{};
  std::string status{};    // initial status: "passing", "warning" or "critical" (default)

  std::string http{};                                       // URL to GET (or method)
  std::map<std::string, std::vector<std::string>> header{};  // extra request headers
  std::string method{};                                     // default GET
  std::string body{};
  bool disable_redirects = false;
  std::string tls_server_name{};
  bool tls_skip_verify = false;

  std::string tcp{};   // host:port to connect to
  std::string udp{};   // host:port to send a datagram to
  std::string grpc{};  // host:port[/service]
  bool grpc_use_tls = false;
  std::string h2ping{};
  bool h2ping_use_tls = false;
  std::vector<std::string> args{};  // script check (agents must enable script checks)
  std::string docker_container_id{};
  std::string shell{};
  std::string alias_node{};
  std::string alias_service{};

  std::chrono::nanoseconds ttl{};       // TTL check: must be refreshed within this
  std::chrono::nanoseconds interval{};  // how often to run the check (minimum 1s)
  std::chrono::nanoseconds timeout{};   // default 10s
  // Remove the service after its check stays critical this long (Consul's minimum is 1m,
  // reaped every 30s).
  std::chrono::nanoseconds deregister_critical_service_after{};

  int success_before_passing = 0;
  int failures_before_warning = 0;
  int failures_before_critical = 0;

  bool operator==(const service_check&) const = default;
};
COCONSUL_WIRE_STRUCT(service_check,
                     (check_id, "CheckID"), (name, "Name"), (notes, "Notes"),
                     (status, "Status"),
                     (http, "HTTP"), (header, "Header"), (method, "Method"), (body, "Body"),
                     (disable_redirects, "DisableRedirects"),
                     (tls_server_name, "TLSServerName"), (tls_skip_verify, "TLSSkipVerify"),
                     (tcp, "TCP"), (udp, "UDP"), (grpc, "GRPC"),
                     (grpc_use_tls, "GRPCUseTLS"), (h2ping, "H2PING"),
                     (h2ping_use_tls, "H2PingUseTLS"), (args, "Args"),
                     (docker_container_id, "DockerContainerID"), (shell, "Shell"),
                     (alias_node, "AliasNode"), (alias_service, "AliasService"),
                     (ttl, "TTL"), (interval, "Interval"), (timeout, "Timeout"),
                     (deregister_critical_service_after, "DeregisterCriticalServiceAfter"),
                     (success_before_passing, "SuccessBeforePassing"),
                     (failures_before_warning, "FailuresBeforeWarning"),
                     (failures_before_critical, "FailuresBeforeCritical"))

// The sidecar proxy to register with a service (Connect.SidecarService): a registration of its
// own whose every member may stay empty. The agent gives it the ID "<service id>-sidecar-proxy"
// (so there is no id here), the name "<service name>-sidecar-proxy", the kind connect-proxy, the
// service's address, its tags and meta when these are empty, a port from its sidecar range
// (21000-21255), proxy.destination_service_name/id and proxy.local_service_address (127.0.0.1)
// and port from the service, and, without checks of its own, a TCP check of the proxy's port
// ("Connect Sidecar Listening") and an alias check of the service. Deregistering the service
// deregisters its sidecar.
struct sidecar_service {
  std::string kind{};  // default connect-proxy
  std::string name{};
  std::vector<std::string> tags{};
  int port = 0;  // 0: the agent picks one
  std::string address{};
  std::string socket_path{};
  std::map<std::string, service_address> tagged_addresses{};
  bool enable_tag_override = false;
  std::map<std::string, std::string> meta{};
  std::optional<coconsul::weights> weights{};
  std::optional<service_check> check{};
  std::vector<service_check> checks{};
  proxy_config proxy{};  // upstreams, config, expose... (the destination is filled in)
  // The ACL token the sidecar is registered with: the agent vets the sidecar as this token
  // (service:write on its name and destination). Empty: the request's token.
  std::string token{};

  bool operator==(const sidecar_service&) const = default;
};
COCONSUL_WIRE_STRUCT(sidecar_service,
                     (kind, "Kind"), (name, "Name"), (tags, "Tags"), (port, "Port"), (address, "Address"),
                     (socket_path, "SocketPath"), (tagged_addresses, "TaggedAddresses"),
                     (enable_tag_override, "EnableTagOverride"), (meta, "Meta"), (weights, "Weights"),
                     (check, "Check"), (checks, "Checks"), (proxy, "Proxy"), (token, "Token"))

// A service's Connect settings (Consul's AgentServiceConnect): a Connect-native service speaks
// mTLS itself; sidecar_service (engaged, even empty) registers a sidecar proxy with it. The
// agent reports only native back: the sidecar becomes a service of its own.
struct service_connect {
  bool native = false;
  std::optional<coconsul::sidecar_service> sidecar_service{};

  bool operator==(const service_connect&) const = default;
};
COCONSUL_WIRE_STRUCT(service_connect, (native, "Native"), (sidecar_service, "SidecarService"))

// The body of PUT /v1/agent/service/register (Consul's AgentServiceRegistration).
struct service_registration {
  std::string kind{};  // empty for a typical service; "connect-proxy", ...
  std::string id{};    // default: name
  std::string name{};  // required
  std::vector<std::string> tags{};
  int port = 0;
  std::string address{};  // default: the node's address
  std::string socket_path{};
  std::map<std::string, service_address> tagged_addresses{};
  bool enable_tag_override = false;
  std::map<std::string, std::string> meta{};
  std::optional<coconsul::weights> weights{};  // absent: Consul's {1, 1}
  std::optional<service_check> check{};
  std::vector<service_check> checks{};
  proxy_config proxy{};  // a connect-proxy or gateway's configuration (kind says which)
  service_connect connect{};
  std::string namespace_name{};  // Enterprise
  std::string partition{};       // Enterprise

  bool operator==(const service_registration&) const = default;
};
COCONSUL_WIRE_STRUCT(service_registration,
                     (kind, "Kind"), (id, "ID"), (name, "Name"), (tags, "Tags"),
                     (port, "Port"), (address, "Address"), (socket_path, "SocketPath"),
                     (tagged_addresses, "TaggedAddresses"),
                     (enable_tag_override, "EnableTagOverride"), (meta, "Meta"),
                     (weights, "Weights"), (check, "Check"), (checks, "Checks"),
                     (proxy, "Proxy"), (connect, "Connect"),
                     (namespace_name, "Namespace"), (partition, "Partition"))

// A service as the agent reports it (Consul's AgentService): /v1/agent/services,
// /v1/agent/service/:id, and the Service of each /v1/health/service entry.
struct agent_service {
  std::string kind{};
  std::string id{};
  std::string service{};  // the service name
  std::vector<std::string> tags{};
  std::map<std::string, std::string> meta{};
  int port = 0;
  std::string address{};  // empty: use the node's address
  std::string socket_path{};
  std::map<std::string, service_address> tagged_addresses{};
  coconsul::weights weights{};
  bool enable_tag_override = false;
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;
  std::string content_hash{};  // /v1/agent/service/:id only (hash-based blocking)
  proxy_config proxy{};        // proxies and gateways only; empty on other services
  service_connect connect{};   // native only
  std::string namespace_name{};
  std::string partition{};
  std::string datacenter{};

  bool operator==(const agent_service&) const = default;
};
COCONSUL_WIRE_STRUCT(agent_service,
                     (kind, "Kind"), (id, "ID"), (service, "Service"), (tags, "Tags"),
                     (meta, "Meta"), (port, "Port"), (address, "Address"),
                     (socket_path, "SocketPath"), (tagged_addresses, "TaggedAddresses"),
                     (weights, "Weights"), (enable_tag_override, "EnableTagOverride"),
                     (create_index, "CreateIndex"), (modify_index, "ModifyIndex"),
                     (content_hash, "ContentHash"), (proxy, "Proxy"), (connect, "Connect"),
                     (namespace_name, "Namespace"),
                     (partition, "Partition"), (datacenter, "Datacenter"))

}  // namespace coconsul
