#pragma once
// Health checks: as Consul reports them (health_check, agent_check, with their
// health_check_definition), and the bodies that register a check or set a TTL check's status.

#include <coconsul/model/wire.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul {

// Check and aggregate status values ("maintenance" appears only as an aggregate).
namespace check_status {
inline constexpr std::string_view passing = "passing";
inline constexpr std::string_view warning = "warning";
inline constexpr std::string_view critical = "critical";
inline constexpr std::string_view maintenance = "maintenance";
}  // namespace check_status

// What a check runs, as reported in a check's Definition (Consul's HealthCheckDefinition).
struct health_check_definition {
  std::string http{};
  std::map<std::string, std::vector<std::string>> header{};
  std::string method{};
  std::string body{};
  std::string tls_server_name{};
  bool tls_skip_verify = false;
  std::string tcp{};
  std::string udp{};
  std::string grpc{};
  bool grpc_use_tls = false;
  std::chrono::nanoseconds interval{};
  std::chrono::nanoseconds timeout{};
  std::chrono::nanoseconds deregister_critical_service_after{};

  bool operator==(const health_check_definition&) const = default;
};
COCONSUL_WIRE_STRUCT(health_check_definition,
                     (http, "HTTP"), (header, "Header"), (method, "Method"), (body, "Body"),
                     (tls_server_name, "TLSServerName"), (tls_skip_verify, "TLSSkipVerify"),
                     (tcp, "TCP"), (udp, "UDP"), (grpc, "GRPC"), (grpc_use_tls, "GRPCUseTLS"),
                     (interval, "Interval"), (timeout, "Timeout"),
                     (deregister_critical_service_after, "DeregisterCriticalServiceAfter"))

// A check as the catalog reports it (Consul's HealthCheck): /v1/health/checks/:service,
// /v1/health/node/:node, /v1/health/state/:state and the Checks of each service entry.
// A node-level check (such as "serfHealth") has an empty service_id.
struct health_check {
  std::string node{};
  std::string check_id{};
  std::string name{};
  std::string status{};  // see check_status
  std::string notes{};
  std::string output{};  // the last result's text (Consul keeps at most 4 KB)
  std::string service_id{};
  std::string service_name{};
  std::vector<std::string> service_tags{};
  std::string type{};  // "http", "tcp", "ttl", ...
  std::string namespace_name{};
  std::string partition{};
  int exposed_port = 0;
  health_check_definition definition{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const health_check&) const = default;
};
COCONSUL_WIRE_STRUCT(health_check,
                     (node, "Node"), (check_id, "CheckID"), (name, "Name"),
                     (status, "Status"), (notes, "Notes"), (output, "Output"),
                     (service_id, "ServiceID"), (service_name, "ServiceName"),
                     (service_tags, "ServiceTags"), (type, "Type"),
                     (namespace_name, "Namespace"), (partition, "Partition"),
                     (exposed_port, "ExposedPort"), (definition, "Definition"),
                     (create_index, "CreateIndex"), (modify_index, "ModifyIndex"))

// A check as the local agent reports it: GET /v1/agent/checks returns
// std::map<std::string, agent_check> keyed by check ID. Newer agents add Interval and Timeout.
struct agent_check {
  std::string node{};
  std::string check_id{};
  std::string name{};
  std::string status{};
  std::string notes{};
  std::string output{};
  std::string service_id{};
  std::string service_name{};
  std::vector<std::string> service_tags{};
  std::string type{};
  std::chrono::nanoseconds interval{};
  std::chrono::nanoseconds timeout{};
  int exposed_port = 0;
  health_check_definition definition{};
  std::string namespace_name{};
  std::string partition{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const agent_check&) const = default;
};
COCONSUL_WIRE_STRUCT(agent_check,
                     (node, "Node"), (check_id, "CheckID"), (name, "Name"),
                     (status, "Status"), (notes, "Notes"), (output, "Output"),
                     (service_id, "ServiceID"), (service_name, "ServiceName"),
                     (service_tags, "ServiceTags"), (type, "Type"),
                     (interval, "Interval"), (timeout, "Timeout"),
                     (exposed_port, "ExposedPort"), (definition, "Definition"),
                     (namespace_name, "Namespace"), (partition, "Partition"),
                     (create_index, "CreateIndex"), (modify_index, "ModifyIndex"))

// The body of PUT /v1/agent/check/register (Consul's AgentCheckRegistration): a check of
// its own, on the node or attached to a registered service (service_id). The check fields
// mean what they mean in service_check.
struct check_registration {
  std::string id{};  // default: name
  std::string name{};  // required
  std::string notes{};
  std::string service_id{};
  std::string status{};
  std::string http{};
  std::map<std::string, std::vector<std::string>> header{};
  std::string method{};
  std::string body{};
  bool disable_redirects = false;
  std::string tls_server_name{};
  bool tls_skip_verify = false;
  std::string tcp{};
  std::string udp{};
  std::string grpc{};
  bool grpc_use_tls = false;
  std::string h2ping{};
  bool h2ping_use_tls = false;
  std::vector<std::string> args{};
  std::string docker_container_id{};
  std::string shell{};
  std::string alias_node{};
  std::string alias_service{};
  std::chrono::nanoseconds ttl{};
  std::chrono::nanoseconds interval{};
  std::chrono::nanoseconds timeout{};
  std::chrono::nanoseconds deregister_critical_service_after{};
  int success_before_passing = 0;
  int failures_before_warning = 0;
  int failures_before_critical = 0;
  std::string namespace_name{};
  std::string partition{};

  bool operator==(const check_registration&) const = default;
};
COCONSUL_WIRE_STRUCT(check_registration,
                     (id, "ID"), (name, "Name"), (notes, "Notes"), (service_id, "ServiceID"),
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
                     (failures_before_critical, "FailuresBeforeCritical"),
                     (namespace_name, "Namespace"), (partition, "Partition"))

// The body of PUT /v1/agent/check/update/:check_id: a TTL check's new status and output.
struct check_update {
  std::string status{};  // "passing", "warning" or "critical"
  std::string output{};

  bool operator==(const check_update&) const = default;
};
COCONSUL_WIRE_STRUCT(check_update, (status, "Status"), (output, "Output"))

}  // namespace coconsul
