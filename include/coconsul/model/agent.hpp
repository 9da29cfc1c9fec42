#pragma once
// The agent itself: cluster members (GET /v1/agent/members returns std::vector<member>) and
// GET /v1/agent/self, of which only Config is promised to stay stable. Host and metrics are in
// model/agent_host.hpp. Over 200 lines: the DebugConfig table is long by nature.

#include <coconsul/model/wire.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coconsul {

// A gossip pool member (Consul's AgentMember).
struct member {
  std::string name{};
  std::string addr{};
  std::uint16_t port = 0;
  std::map<std::string, std::string> tags{};  // "role": "consul" on servers, "dc", ...
  int status = 0;  // 0 none, 1 alive, 2 leaving, 3 left, 4 failed
  int protocol_min = 0;
  int protocol_max = 0;
  int protocol_cur = 0;
  int delegate_min = 0;
  int delegate_max = 0;
  int delegate_cur = 0;

  bool operator==(const member&) const = default;
};
COCONSUL_WIRE_STRUCT(member,
                     (name, "Name"), (addr, "Addr"), (port, "Port"), (tags, "Tags"),
                     (status, "Status"), (protocol_min, "ProtocolMin"),
                     (protocol_max, "ProtocolMax"), (protocol_cur, "ProtocolCur"),
                     (delegate_min, "DelegateMin"), (delegate_max, "DelegateMax"),
                     (delegate_cur, "DelegateCur"))

// The Config part of /v1/agent/self (the part Consul promises to keep stable).
struct agent_config {
  std::string datacenter{};
  std::string primary_datacenter{};
  std::string node_name{};
  std::string node_id{};
  std::string partition{};
  bool server = false;
  std::string revision{};
  std::string version{};     // without a prerelease suffix: "1.14.0"
  std::string build_date{};  // RFC 3339

  bool operator==(const agent_config&) const = default;
};
COCONSUL_WIRE_STRUCT(agent_config,
                     (datacenter, "Datacenter"), (primary_datacenter, "PrimaryDatacenter"),
                     (node_name, "NodeName"), (node_id, "NodeID"), (partition, "Partition"),
                     (server, "Server"), (revision, "Revision"), (version, "Version"),
                     (build_date, "BuildDate"))

// DebugConfig's Logging block.
struct agent_logging_config {
  std::string log_level{};  // "DEBUG", "INFO", ...
  bool log_json = false;
  std::string log_file_path{};
  bool enable_syslog = false;
  std::string name{};

  bool operator==(const agent_logging_config&) const = default;
};
COCONSUL_WIRE_STRUCT(agent_logging_config, (log_level, "LogLevel"), (log_json, "LogJSON"),
                     (log_file_path, "LogFilePath"), (enable_syslog, "EnableSyslog"), (name, "Name"))

// DebugConfig's UIConfig block.
struct agent_ui_config {
  bool enabled = false;
  std::string dir{};
  std::string content_path{};
  std::string metrics_provider{};

  bool operator==(const agent_ui_config&) const = default;
};
COCONSUL_WIRE_STRUCT(agent_ui_config, (enabled, "Enabled"), (dir, "Dir"), (content_path, "ContentPath"),
                     (metrics_provider, "MetricsProvider"))

// DebugConfig: Consul's sanitized RuntimeConfig, whose format Consul says may change. These are
// the keys the dev agent sends that say how it is set up (a real Consul sends about 200; the
// others are ignored). At most 52 members: Boost.Describe's limit.
// Durations are Go strings ("1m0s"), addresses "tcp://ip:port", a disabled port -1, secrets
// "hidden".
struct agent_debug_config {
  bool acls_enabled = false;
  std::string advertise_addr_lan{};
  std::string bind_addr{};
  bool bootstrap = false;
  int bootstrap_expect = 0;
  std::string check_deregister_interval_min{};
  std::string check_reap_interval{};
  std::vector<std::string> client_addrs{};
  std::string connect_ca_provider{};
  bool connect_enabled = false;
  int dns_a_record_limit = 0;
  std::vector<std::string> dns_addrs{};
  std::string dns_domain{};
  bool dns_enable_truncate = false;
  bool dns_node_meta_txt = false;
  std::string dns_node_ttl{};
  bool dns_only_passing = false;
  int dns_port = 0;
  std::map<std::string, std::string> dns_service_ttl{};
  int dns_udp_answer_limit = 0;
  std::string datacenter{};
  bool dev_mode = false;
  bool enable_debug = false;
  std::string encrypt_key{};  // "hidden" when set, as every secret
  std::vector<std::string> grpc_addrs{};
  int grpc_port = 0;
  std::vector<std::string> grpc_tls_addrs{};
  int grpc_tls_port = 0;
  std::vector<std::string> http_addrs{};
  std::uint64_t http_max_conns_per_client = 0;
  int http_port = 0;
  std::vector<std::string> https_addrs{};
  int https_port = 0;
  bool http_use_cache = false;
  agent_logging_config logging{};
  std::string node_id{};
  std::map<std::string, std::string> node_meta{};
  std::string node_name{};
  std::string primary_datacenter{};
  std::string rpc_bind_addr{};
  std::string revision{};
  std::string serf_advertise_addr_lan{};
  int serf_port_lan = 0;
  int serf_port_wan = 0;
  bool server_mode = false;
  int server_port = 0;
  std::string session_ttl_min{};
  agent_ui_config ui_config{};
  std::string version{};
  std::string version_metadata{};
  std::string version_prerelease{};

  bool operator==(const agent_debug_config&) const = default;
};
COCONSUL_WIRE_STRUCT(agent_debug_config,
                     (acls_enabled, "ACLsEnabled"), (advertise_addr_lan, "AdvertiseAddrLAN"), (bind_addr, "BindAddr"),
                     (bootstrap, "Bootstrap"), (bootstrap_expect, "BootstrapExpect"),
                     (check_deregister_interval_min, "CheckDeregisterIntervalMin"),
                     (check_reap_interval, "CheckReapInterval"), (client_addrs, "ClientAddrs"),
                     (connect_ca_provider, "ConnectCAProvider"), (connect_enabled, "ConnectEnabled"),
                     (dns_a_record_limit, "DNSARecordLimit"),
                     (dns_addrs, "DNSAddrs"), (dns_domain, "DNSDomain"), (dns_enable_truncate, "DNSEnableTruncate"),
                     (dns_node_meta_txt, "DNSNodeMetaTXT"), (dns_node_ttl, "DNSNodeTTL"),
                     (dns_only_passing, "DNSOnlyPassing"), (dns_port, "DNSPort"), (dns_service_ttl, "DNSServiceTTL"),
                     (dns_udp_answer_limit, "DNSUDPAnswerLimit"), (datacenter, "Datacenter"),
                     (dev_mode, "DevMode"), (enable_debug, "EnableDebug"), (encrypt_key, "EncryptKey"),
                     (grpc_addrs, "GRPCAddrs"), (grpc_port, "GRPCPort"),
                     (grpc_tls_addrs, "GRPCTLSAddrs"), (grpc_tls_port, "GRPCTLSPort"), (http_addrs, "HTTPAddrs"),
                     (http_max_conns_per_client, "HTTPMaxConnsPerClient"), (http_port, "HTTPPort"),
                     (https_addrs, "HTTPSAddrs"), (https_port, "HTTPSPort"), (http_use_cache, "HTTPUseCache"),
                     (logging, "Logging"), (node_id, "NodeID"), (node_meta, "NodeMeta"), (node_name, "NodeName"),
                     (primary_datacenter, "PrimaryDatacenter"),
                     (rpc_bind_addr, "RPCBindAddr"), (revision, "Revision"),
                     (serf_advertise_addr_lan, "SerfAdvertiseAddrLAN"), (serf_port_lan, "SerfPortLAN"),
                     (serf_port_wan, "SerfPortWAN"), (server_mode, "ServerMode"), (server_port, "ServerPort"),
                     (session_ttl_min, "SessionTTLMin"), (ui_config, "UIConfig"), (version, "Version"),
                     (version_metadata, "VersionMetadata"), (version_prerelease, "VersionPrerelease"))

// The agent's network coordinate (Vivaldi), Consul's coordinate.Coordinate.
struct coordinate {
  std::vector<double> vec{};
  double error = 0;
  double adjustment = 0;
  double height = 0;

  bool operator==(const coordinate&) const = default;
};
COCONSUL_WIRE_STRUCT(coordinate, (vec, "Vec"), (error, "Error"), (adjustment, "Adjustment"), (height, "Height"))

// The gRPC ports an agent's xDS server listens on.
struct grpc_ports {
  int plaintext = 0;
  int tls = 0;

  bool operator==(const grpc_ports&) const = default;
};
COCONSUL_WIRE_STRUCT(grpc_ports, (plaintext, "Plaintext"), (tls, "TLS"))

// xDS: present when the agent serves gRPC (Envoy's configuration).
struct agent_xds {
  std::map<std::string, std::vector<std::string>> supported_proxies{};  // "envoy" -> versions
  int port = 0;  // the TLS port when there is one, else the plaintext one (deprecated by Consul)
  grpc_ports ports{};

  bool operator==(const agent_xds&) const = default;
};
COCONSUL_WIRE_STRUCT(agent_xds, (supported_proxies, "SupportedProxies"), (port, "Port"), (ports, "Ports"))

// GET /v1/agent/self. Consul promises only Config to stay stable; the rest is as 1.14 sends it.
struct agent_self {
  agent_config config{};
  agent_debug_config debug_config{};
  coconsul::coordinate coord{};
  coconsul::member member{};
  // Agent.Stats(): "agent", "build", "consul", "raft", "runtime", "serf_lan", "serf_wan" -> key
  // -> value, every value a string.
  std::map<std::string, std::map<std::string, std::string>> stats{};
  std::map<std::string, std::string> meta{};  // the node's metadata
  std::optional<agent_xds> xds{};

  bool operator==(const agent_self&) const = default;
};
COCONSUL_WIRE_STRUCT(agent_self, (config, "Config"), (debug_config, "DebugConfig"), (coord, "Coord"),
                     (member, "Member"), (stats, "Stats"), (meta, "Meta"), (xds, "xDS"))

}  // namespace coconsul
