#pragma once
// The gateway config entries: ingress-gateway and terminating-gateway (Consul's
// api/config_entry_gateways.go, as of Consul 1.14).

#include <coconsul/model/config_entry_chain.hpp>  // http_header_modifiers
#include <coconsul/model/wire.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul {

// A certificate from an SDS service instead of Connect's.
struct gateway_tls_sds_config {
  std::string cluster_name{};
  std::string cert_resource{};

  bool operator==(const gateway_tls_sds_config&) const = default;
};
COCONSUL_WIRE_STRUCT(gateway_tls_sds_config, (cluster_name, "ClusterName"), (cert_resource, "CertResource"))

struct gateway_tls_config {
  bool enabled = false;
  std::optional<gateway_tls_sds_config> sds{};
  std::string tls_min_version{};  // "TLSv1_2", ...
  std::string tls_max_version{};
  std::vector<std::string> cipher_suites{};

  bool operator==(const gateway_tls_config&) const = default;
};
COCONSUL_WIRE_STRUCT(gateway_tls_config, (enabled, "Enabled"), (sds, "SDS"), (tls_min_version, "TLSMinVersion"),
                     (tls_max_version, "TLSMaxVersion"), (cipher_suites, "CipherSuites"))

struct gateway_service_tls_config {
  std::optional<gateway_tls_sds_config> sds{};

  bool operator==(const gateway_service_tls_config&) const = default;
};
COCONSUL_WIRE_STRUCT(gateway_service_tls_config, (sds, "SDS"))

// A service behind an ingress listener ("*": every service, on an HTTP listener).
struct ingress_service {
  std::string name{};
  std::vector<std::string> hosts{};
  std::string namespace_name{};
  std::string partition{};
  std::optional<gateway_service_tls_config> tls{};
  std::optional<http_header_modifiers> request_headers{};
  std::optional<http_header_modifiers> response_headers{};
  std::optional<std::uint32_t> max_connections{};
  std::optional<std::uint32_t> max_pending_requests{};
  std::optional<std::uint32_t> max_concurrent_requests{};

  bool operator==(const ingress_service&) const = default;
};
COCONSUL_WIRE_STRUCT(ingress_service, (name, "Name"), (hosts, "Hosts"), (namespace_name, "Namespace"),
                     (partition, "Partition"), (tls, "TLS"), (request_headers, "RequestHeaders"),
                     (response_headers, "ResponseHeaders"), (max_connections, "MaxConnections"),
                     (max_pending_requests, "MaxPendingRequests"),
                     (max_concurrent_requests, "MaxConcurrentRequests"))

struct ingress_listener {
  int port = 0;
  std::string protocol{};  // "tcp", "http", "http2", "grpc"
  std::vector<ingress_service> services{};
  std::optional<gateway_tls_config> tls{};

  bool operator==(const ingress_listener&) const = default;
};
COCONSUL_WIRE_STRUCT(ingress_listener, (port, "Port"), (protocol, "Protocol"), (services, "Services"),
                     (tls, "TLS"))

// The limits every service of an ingress gateway gets unless it sets its own.
struct ingress_service_config {
  std::optional<std::uint32_t> max_connections{};
  std::optional<std::uint32_t> max_pending_requests{};
  std::optional<std::uint32_t> max_concurrent_requests{};

  bool operator==(const ingress_service_config&) const = default;
};
COCONSUL_WIRE_STRUCT(ingress_service_config, (max_connections, "MaxConnections"),
                     (max_pending_requests, "MaxPendingRequests"),
                     (max_concurrent_requests, "MaxConcurrentRequests"))

// Kind "ingress-gateway": what an ingress gateway service listens on and forwards to.
struct ingress_gateway {
  static constexpr std::string_view kind = "ingress-gateway";

  std::string name{};
  std::string partition{};
  std::string namespace_name{};
  gateway_tls_config tls{};
  std::vector<ingress_listener> listeners{};
  std::optional<ingress_service_config> defaults{};
  std::map<std::string, std::string> meta{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const ingress_gateway&) const = default;
};
COCONSUL_WIRE_STRUCT(ingress_gateway, (name, "Name"), (partition, "Partition"), (namespace_name, "Namespace"),
                     (tls, "TLS"), (listeners, "Listeners"), (defaults, "Defaults"), (meta, "Meta"),
                     (create_index, "CreateIndex"), (modify_index, "ModifyIndex"))

// A service a terminating gateway stands in for, with the TLS it uses to reach it.
struct linked_service {
  std::string namespace_name{};
  std::string name{};
  std::string ca_file{};
  std::string cert_file{};
  std::string key_file{};
  std::string sni{};

  bool operator==(const linked_service&) const = default;
};
COCONSUL_WIRE_STRUCT(linked_service, (namespace_name, "Namespace"), (name, "Name"), (ca_file, "CAFile"),
                     (cert_file, "CertFile"), (key_file, "KeyFile"), (sni, "SNI"))

// Kind "terminating-gateway": the services outside the mesh a terminating gateway reaches.
struct terminating_gateway {
  static constexpr std::string_view kind = "terminating-gateway";

  std::string name{};
  std::vector<linked_service> services{};
  std::map<std::string, std::string> meta{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;
  std::string partition{};
  std::string namespace_name{};

  bool operator==(const terminating_gateway&) const = default;
};
COCONSUL_WIRE_STRUCT(terminating_gateway, (name, "Name"), (services, "Services"), (meta, "Meta"),
                     (create_index, "CreateIndex"), (modify_index, "ModifyIndex"), (partition, "Partition"),
                     (namespace_name, "Namespace"))

}  // namespace coconsul
