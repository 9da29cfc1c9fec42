#pragma once
// The store's record types (Consul's structs.Node, ServiceNode with its ConnectProxyConfig,
// HealthCheck, DirEntry, Session, UserEvent) and the table bits blocking queries watch. Plain
// data: no behaviour here.

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coconsul::dev {

// Tables, as bits: a blocking query watches a set of them.
enum table : unsigned {
  tbl_nodes = 1u << 0,
  tbl_services = 1u << 1,
  tbl_checks = 1u << 2,
  tbl_kvs = 1u << 3,
  tbl_sessions = 1u << 4,
  tbl_events = 1u << 5,
  tbl_connect_ca = 1u << 6,  // the Connect CA's configuration and roots (dev_agent/connect/)
  // The ACL tables (store/acl_state.hpp), one bit each as Consul keeps one index per table.
  tbl_acl_tokens = 1u << 7,
  tbl_acl_policies = 1u << 8,
  tbl_acl_roles = 1u << 9,
  tbl_acl_auth_methods = 1u << 10,
  tbl_acl_binding_rules = 1u << 11,
  tbl_config_entries = 1u << 12,  // config entries (store/config_entry_state.hpp)
  tbl_virtual_ips = 1u << 13,     // the mesh services' virtual IPs (store/virtual_ips.hpp)
  tbl_prepared_queries = 1u << 14,  // prepared queries (store/prepared_query_state.hpp)
  tbl_all = (1u << 15) - 1,
};

struct service_tagged_address {
  std::string address;
  int port = 0;
  bool operator==(const service_tagged_address&) const = default;
};

struct node_record {
  std::string id;
  std::string name;
  std::string address;
  std::string datacenter;
  std::map<std::string, std::string> tagged_addresses;
  std::map<std::string, std::string> meta;
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;
};

// structs.ConnectProxyConfig, the Proxy of a connect-proxy or gateway, with its Upstream and
// ExposePath parts. Config members are free JSON objects, kept as given.
struct upstream_record {
  std::string destination_type;
  std::string destination_namespace;
  std::string destination_partition;
  std::string destination_peer;
  std::string destination_name;
  std::string datacenter;
  std::string local_bind_address;
  int local_bind_port = 0;
  std::string local_bind_socket_path;
  std::string local_bind_socket_mode;
  boost::json::object config;
  std::string mesh_gateway_mode;
  bool centrally_configured = false;
  bool operator==(const upstream_record&) const = default;
};

struct expose_path_record {
  int listener_port = 0;
  std::string path;
  int local_path_port = 0;
  std::string protocol;
  bool parsed_from_check = false;
  bool operator==(const expose_path_record&) const = default;
};

struct proxy_record {
  std::string destination_service_name;
  std::string destination_service_id;
  std::string local_service_address;
  int local_service_port = 0;
  std::string local_service_socket_path;
  std::string mode;
  int transparent_outbound_listener_port = 0;
  bool transparent_dialed_directly = false;
  boost::json::object config;
  std::vector<upstream_record> upstreams;
  std::string mesh_gateway_mode;
  bool expose_checks = false;
  std::vector<expose_path_record> expose_paths;
  bool operator==(const proxy_record&) const = default;
};

struct service_record {
  std::string node;
  std::string kind;
  std::string id;
  std::string name;
  std::vector<std::string> tags;
  std::string address;
  std::map<std::string, service_tagged_address> tagged_addresses;
  std::map<std::string, std::string> meta;
  int port = 0;
  std::string socket_path;
  int weight_passing = 1;
  int weight_warning = 1;
  bool enable_tag_override = false;
  proxy_record proxy;
  bool connect_native = false;
  // The agent registered it for a parent's Connect.SidecarService (not in the catalog's JSON):
  // deregistering the parent deregisters it.
  bool locally_registered_as_sidecar = false;
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;
};

// Consul's HealthCheckDefinition: how the check runs, shown in "Definition".
struct check_definition {
  std::string http;
  std::string tls_server_name;
  bool tls_skip_verify = false;
  std::map<std::string, std::vector<std::string>> header;
  std::string method;
  std::string body;
  bool disable_redirects = false;
  std::string tcp;
  std::string udp;
  std::string grpc;
  bool grpc_use_tls = false;
  std::string h2ping;
  std::string os_service;
  std::chrono::nanoseconds interval{0};
  std::chrono::nanoseconds timeout{0};
  std::chrono::nanoseconds deregister_critical_service_after{0};
  std::chrono::nanoseconds ttl{0};
  std::vector<std::string> script_args;
  std::string docker_container_id;
  std::string shell;
  std::string alias_node;
  std::string alias_service;
  int output_max_size = 0;
  bool operator==(const check_definition&) const = default;
};

struct check_record {
  std::string node;
  std::string check_id;
  std::string name;
  std::string status = "critical";
  std::string notes;
  std::string output;
  std::string service_id;
  std::string service_name;
  std::vector<std::string> service_tags;
  std::string type;
  check_definition definition;
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;
};

struct kv_entry {
  std::string key;
  std::uint64_t flags = 0;
  std::optional<std::string> value;  // nullopt is Go's nil []byte: "Value": null
  std::string session;
  std::uint64_t lock_index = 0;
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;
};

// structs.MaxLockDelay: the store applies a session's lock delay up to this (here, because the
// store applies it; endpoints/limits.hpp lists it with the other endpoint limits).
inline constexpr std::chrono::seconds max_lock_delay{60};

struct session_record {
  std::string id;
  std::string name;
  std::string node;
  std::chrono::nanoseconds lock_delay{0};
  std::string behavior = "release";
  std::string ttl;
  std::optional<std::vector<std::string>> node_checks;
  std::optional<std::vector<std::string>> service_checks;  // service check IDs
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;
};

// structs.AutopilotConfig: kept by the leader in raft, written once at start with Consul's
// defaults (agent/config/default.go's autopilot block).
struct autopilot_config {
  bool cleanup_dead_servers = true;
  std::string last_contact_threshold = "200ms";
  std::uint64_t max_trailing_logs = 250;
  std::uint64_t min_quorum = 0;
  std::string server_stabilization_time = "10s";
  std::string redundancy_zone_tag;
  bool disable_upgrade_migration = false;
  std::string upgrade_version_tag;
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;
};

// A user event (gossip in Consul; this agent keeps the newest 256).
struct event_record {
  std::string id;
  std::string name;
  std::optional<std::string> payload;
  std::string node_filter;
  std::string service_filter;
  std::string tag_filter;
  std::uint64_t ltime = 0;
};

}  // namespace coconsul::dev
