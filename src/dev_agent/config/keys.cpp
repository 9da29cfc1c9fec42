// The table of Consul's configuration keys (see keys.hpp). Keys of blocks coconsul ignores
// whole (telemetry, tls, autopilot, ...) are not listed one by one: the block is opaque.

#include "dev_agent/config/keys.hpp"

#include <boost/beast/core/string.hpp>

namespace coconsul::dev::config {
namespace {

using t = key_type;
constexpr key_use U = key_use::used;
constexpr key_use I = key_use::ignored;

const std::vector<key_rule> table = {
    // --- identity and addresses ---
    {"node_name", t::string, U},
    {"node_id", t::string, U},
    {"node_meta", t::string_map, U},
    {"datacenter", t::string, U},
    {"primary_datacenter", t::string, U},
    {"bind_addr", t::string, U},
    {"client_addr", t::string, U},
    {"advertise_addr", t::string, I},
    {"advertise_addr_ipv4", t::string, I},
    {"advertise_addr_ipv6", t::string, I},
    {"advertise_addr_wan", t::string, I},
    {"advertise_addr_wan_ipv4", t::string, I},
    {"advertise_addr_wan_ipv6", t::string, I},
    {"advertise_reconnect_timeout", t::string, I},
    {"serf_lan", t::string, I},
    {"serf_wan", t::string, I},
    {"tagged_addresses", t::string_map, I},
    {"addresses", t::object, U},
    {"addresses.http", t::string, U},
    {"addresses.https", t::string, I},
    {"addresses.dns", t::string, I},
    {"addresses.grpc", t::string, I},
    {"addresses.grpc_tls", t::string, I},
    {"ports", t::object, U},
    {"ports.http", t::integer, U},
    {"ports.https", t::integer, U},
    {"ports.dns", t::integer, U},
    {"ports.grpc", t::integer, U},
    {"ports.grpc_tls", t::integer, U},
    {"ports.serf_lan", t::integer, U},
    {"ports.serf_wan", t::integer, U},
    {"ports.server", t::integer, U},
    {"ports.sidecar_min_port", t::integer, U},
    {"ports.sidecar_max_port", t::integer, U},
    {"ports.expose_min_port", t::integer, U},
    {"ports.expose_max_port", t::integer, U},
    {"ports.proxy_min_port", t::integer, I},
    {"ports.proxy_max_port", t::integer, I},
    // --- server role ---
    {"server", t::boolean, U},
    {"bootstrap", t::boolean, U},
    {"bootstrap_expect", t::integer, U},
    {"data_dir", t::string, I},  // required outside dev mode, as Consul; nothing is written there
    {"raft_protocol", t::integer, U},
    {"performance", t::object, U},
    {"performance.raft_multiplier", t::integer, U},
    {"performance.leave_drain_time", t::string, I},
    {"performance.rpc_hold_timeout", t::string, I},
    // --- logging ---
    {"log_level", t::string, U},
    {"log_json", t::boolean, U},
    {"log_file", t::string, I},
    {"log_rotate_duration", t::string, I},
    {"log_rotate_bytes", t::integer, I},
    {"log_rotate_max_files", t::integer, I},
    {"enable_syslog", t::boolean, I},
    {"syslog_facility", t::string, I},
    // --- UI ---
    {"ui_config", t::object, U},
    {"ui_config.enabled", t::boolean, U},
    {"ui_config.dir", t::string, I},
    {"ui_config.content_path", t::string, I},
    {"ui_config.metrics_provider", t::string, I},
    {"ui_config.metrics_provider_files", t::strings, I},
    {"ui_config.metrics_provider_options_json", t::string, I},
    {"ui_config.metrics_proxy", t::opaque, I},
    {"ui_config.dashboard_url_templates", t::string_map, I},
    {"ui", t::boolean, U},  // deprecated spelling of ui_config.enabled
    {"ui_dir", t::string, I},
    {"ui_content_path", t::string, I},
    // --- Connect ---
    {"connect", t::object, U},
    {"connect.enabled", t::boolean, U},
    {"connect.ca_provider", t::string, U},
    {"connect.ca_config", t::opaque, U},
    {"connect.enable_mesh_gateway_wan_federation", t::boolean, I},
    {"connect.enable_serverless_plugin", t::boolean, I},
    {"connect.test_ca_leaf_root_change_spread", t::string, I},
    // --- DNS ---
    {"domain", t::string, U},
    {"alt_domain", t::string, I},
    {"recursors", t::strings, I},
    {"dns_config", t::object, U},
    {"dns_config.only_passing", t::boolean, U},
    {"dns_config.enable_truncate", t::boolean, U},
    {"dns_config.udp_answer_limit", t::integer, U},
    {"dns_config.a_record_limit", t::integer, U},
    {"dns_config.node_ttl", t::string, U},
    {"dns_config.service_ttl", t::string_map, U},
    {"dns_config.enable_additional_node_meta_txt", t::boolean, U},
    {"dns_config.allow_stale", t::boolean, I},
    {"dns_config.max_stale", t::string, I},
    {"dns_config.disable_compression", t::boolean, I},
    {"dns_config.recursor_strategy", t::string, I},
    {"dns_config.recursor_timeout", t::string, I},
    {"dns_config.soa", t::opaque, I},
    {"dns_config.use_cache", t::boolean, I},
    {"dns_config.cache_max_age", t::string, I},
    {"dns_config.prefer_namespace", t::boolean, I},
    // --- HTTP ---
    {"limits", t::object, U},
    {"limits.http_max_conns_per_client", t::integer, U},
    {"limits.https_handshake_timeout", t::string, I},
    {"limits.rpc_handshake_timeout", t::string, I},
    {"limits.rpc_client_timeout", t::string, I},
    {"limits.rpc_rate", t::opaque, I},
    {"limits.rpc_max_burst", t::integer, I},
    {"limits.rpc_max_conns_per_client", t::integer, I},
    {"limits.kv_max_value_size", t::integer, I},
    {"limits.txn_max_req_len", t::integer, I},
    {"limits.request_limits", t::opaque, I},
    {"http_config", t::object, U},
    {"http_config.max_header_bytes", t::integer, U},
    {"http_config.block_endpoints", t::strings, I},
    {"http_config.allow_write_http_from", t::strings, I},
    {"http_config.response_headers", t::string_map, I},
    {"http_config.use_cache", t::boolean, I},
    {"disable_http_unprintable_char_filter", t::boolean, I},
    {"default_query_time", t::string, I},
    {"max_query_time", t::string, I},
    // --- service and check definitions ---
    {"services", t::definitions, U},
    {"service", t::definition, U},
    {"checks", t::definitions, U},
    {"check", t::definition, U},
    {"session_ttl_min", t::string, U},
    {"enable_script_checks", t::boolean, I},
    {"enable_local_script_checks", t::boolean, I},
    {"check_output_max_size", t::integer, I},
    {"check_update_interval", t::string, I},
    {"discard_check_output", t::boolean, I},
    {"enable_agent_tls_for_checks", t::boolean, I},
    {"watches", t::opaque, I},
    // --- ACL (enforcement is not implemented yet: every key is accepted and ignored) ---
    {"acl", t::opaque, I},
    {"acl_datacenter", t::string, I},
    {"acl_default_policy", t::string, I},
    {"acl_down_policy", t::string, I},
    {"acl_ttl", t::string, I},
    {"acl_token", t::string, I},
    {"acl_agent_token", t::string, I},
    {"acl_agent_master_token", t::string, I},
    {"acl_master_token", t::string, I},
    {"acl_replication_token", t::string, I},
    {"acl_enable_key_list_policy", t::boolean, I},
    {"acl_disabled_ttl", t::string, I},
    {"enable_acl_replication", t::boolean, I},
    // --- gossip, encryption and TLS (there is no cluster to talk to) ---
    {"encrypt", t::string, U},
    {"encrypt_verify_incoming", t::boolean, I},
    {"encrypt_verify_outgoing", t::boolean, I},
    {"disable_keyring_file", t::boolean, I},
    {"gossip_lan", t::opaque, I},
    {"gossip_wan", t::opaque, I},
    {"tls", t::opaque, I},
    {"ca_file", t::string, I},
    {"ca_path", t::string, I},
    {"cert_file", t::string, I},
    {"key_file", t::string, I},
    {"server_name", t::string, I},
    {"tls_cipher_suites", t::string, I},
    {"tls_min_version", t::string, I},
    {"tls_prefer_server_cipher_suites", t::boolean, I},
    {"verify_incoming", t::boolean, I},
    {"verify_incoming_https", t::boolean, I},
    {"verify_incoming_rpc", t::boolean, I},
    {"verify_outgoing", t::boolean, I},
    {"verify_server_hostname", t::boolean, I},
    {"auto_encrypt", t::opaque, I},
    {"auto_config", t::opaque, I},
    // --- joining a cluster (a single-node agent has none to join) ---
    {"start_join", t::strings, I},
    {"start_join_wan", t::strings, I},
    {"retry_join", t::strings, I},
    {"retry_join_wan", t::strings, I},
    {"retry_interval", t::string, I},
    {"retry_interval_wan", t::string, I},
    {"retry_max", t::integer, I},
    {"retry_max_wan", t::integer, I},
    {"rejoin_after_leave", t::boolean, I},
    {"leave_on_terminate", t::boolean, I},
    {"skip_leave_on_interrupt", t::boolean, I},
    {"reconnect_timeout", t::string, I},
    {"reconnect_timeout_wan", t::string, I},
    {"serf_lan_allowed_cidrs", t::strings, I},
    {"serf_wan_allowed_cidrs", t::strings, I},
    {"translate_wan_addrs", t::boolean, I},
    {"primary_gateways", t::strings, I},
    {"primary_gateways_interval", t::string, I},
    {"peering", t::opaque, I},
    // --- everything else Consul accepts ---
    {"autopilot", t::opaque, I},
    {"cache", t::opaque, I},
    {"config_entries", t::opaque, I},
    {"telemetry", t::opaque, I},
    {"raft_boltdb", t::opaque, I},
    {"raft_logstore", t::opaque, I},
    {"raft_snapshot_threshold", t::integer, I},
    {"raft_snapshot_interval", t::string, I},
    {"raft_trailing_logs", t::integer, I},
    {"rpc", t::opaque, I},
    {"xds", t::opaque, I},
    {"unix_sockets", t::opaque, I},
    {"snapshot_agent", t::opaque, I},
    {"auto_reload_config", t::boolean, I},
    {"disable_anonymous_signature", t::boolean, I},
    {"disable_coordinates", t::boolean, I},
    {"disable_host_node_id", t::boolean, I},
    {"disable_remote_exec", t::boolean, I},
    {"disable_update_check", t::boolean, I},
    {"discovery_max_stale", t::string, I},
    {"enable_central_service_config", t::boolean, I},
    {"enable_debug", t::boolean, I},
    {"pid_file", t::string, I},
    {"protocol", t::integer, I},
    {"use_streaming_backend", t::boolean, I},
    {"experiments", t::strings, I},
    // Values Consul itself sets last, whatever the user wrote (agent/config/default.go's
    // NonUserSource); coconsul has its own flags for the timers (-check-reap-interval, ...).
    {"ae_interval", t::string, I},
    {"check_deregister_interval_min", t::string, I},
    {"check_reap_interval", t::string, I},
    {"consul", t::opaque, I},
    {"revision", t::string, I},
    {"segment_limit", t::integer, I},
    {"segment_name_limit", t::integer, I},
    {"sync_coordinate_interval_min", t::string, I},
    {"sync_coordinate_rate_target", t::opaque, I},
    {"version", t::string, I},
    {"version_prerelease", t::string, I},
    {"version_metadata", t::string, I},
    {"build_date", t::string, I},
    // Enterprise-only keys, accepted by Consul CE with a warning or an error of its own.
    {"segment", t::string, U},  // refused when set, as Consul CE refuses network segments
    {"segments", t::opaque, U},  // null or empty; a segment is refused as Consul CE refuses it
    {"non_voting_server", t::boolean, I},
    {"read_replica", t::boolean, I},
    {"partition", t::string, I},
    {"audit", t::opaque, I},
    {"license_path", t::string, I},
};

}  // namespace

const key_rule* find_key(std::string_view parent, std::string_view key) {
  for (const auto& r : table) {
    std::string_view p = r.path;
    if (parent.empty()) {
      if (p.find('.') != std::string_view::npos) continue;
    } else {
      if (p.size() <= parent.size() + 1 || p.substr(0, parent.size()) != parent || p[parent.size()] != '.') continue;
      p = p.substr(parent.size() + 1);
      if (p.find('.') != std::string_view::npos) continue;
    }
    if (boost::beast::iequals(p, key)) return &r;
  }
  return nullptr;
}

const std::vector<key_rule>& all_keys() { return table; }

}  // namespace coconsul::dev::config
