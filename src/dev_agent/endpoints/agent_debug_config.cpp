// /v1/agent/self's DebugConfig: Consul's RuntimeConfig, sanitized (agent/config/runtime.go), for
// the keys that mean something for this agent, each from the options it runs with. Consul's
// field names and formats: durations as Go strings ("1m0s"), bind and advertise addresses as
// "tcp://ip:port", ports -1 when disabled, secrets "hidden".

#include "dev_agent/endpoints/agent_self.hpp"

#include "dev_agent/common/versions.hpp"

#include <coconsul/duration.hpp>

#include <boost/json.hpp>

namespace coconsul::dev {
namespace json = boost::json;

namespace {

std::string level_name(log_level l) {
  switch (l) {
    case log_level::trace: return "TRACE";
    case log_level::debug: return "DEBUG";
    case log_level::info: return "INFO";
    case log_level::warn: return "WARN";
    case log_level::error: return "ERROR";
    case log_level::off: return "OFF";
  }
  return "INFO";
}

json::array addrs(std::initializer_list<std::string> scheme_hostports) {
  json::array a;
  for (const auto& s : scheme_hostports) a.emplace_back(s);
  return a;
}

std::string go_duration(std::chrono::nanoseconds d) { return format_duration(d); }

}  // namespace

json::object debug_config(const endpoint_context& c) {
  const auto& o = c.options;
  std::string ip = c.local.self_node().address;
  std::string client = o.bind_address;
  int http_port = o.serve_http ? static_cast<int>(c.counters.http_port) : -1;
  int dns_port = o.dns_port ? static_cast<int>(*o.dns_port) : -1;
  auto at = [](const std::string& scheme, const std::string& host, int port) {
    return scheme + "://" + host + ":" + std::to_string(port);
  };
  json::object d;
  // The ACL settings as RuntimeConfig.Sanitized() shows them: secrets "hidden" when set.
  auto secret = [](const std::string& v) { return v.empty() ? std::string() : std::string("hidden"); };
  auto go_seconds = [](std::chrono::seconds s) { return format_duration(std::chrono::nanoseconds(s)); };
  const auto& acl = o.acl;
  d["ACLEnableKeyListPolicy"] = acl.enable_key_list_policy;
  d["ACLInitialManagementToken"] = secret(acl.tokens.initial_management);
  d["ACLResolverSettings"] = json::object{{"ACLsEnabled", c.controls.acl_enabled},
                                          {"Datacenter", o.datacenter},
                                          {"NodeName", o.node_name},
                                          {"EnterpriseMeta", json::object()},
                                          {"ACLPolicyTTL", go_seconds(acl.policy_ttl)},
                                          {"ACLTokenTTL", go_seconds(acl.token_ttl)},
                                          {"ACLRoleTTL", go_seconds(acl.role_ttl)},
                                          {"ACLDownPolicy", acl.down_policy},
                                          {"ACLDefaultPolicy", acl.default_policy}};
  d["ACLTokenReplication"] = false;
  d["ACLTokens"] = json::object{{"DataDir", acl.data_dir},
                                {"EnablePersistence", false},
                                {"ACLDefaultToken", secret(acl.tokens.default_token)},
                                {"ACLAgentToken", secret(acl.tokens.agent)},
                                {"ACLAgentRecoveryToken", secret(acl.tokens.agent_recovery)},
                                {"ACLReplicationToken", secret(acl.tokens.replication)},
                                {"ACLConfigFileRegistrationToken", ""},
                                {"EnterpriseConfig", json::object()}};
  d["ACLsEnabled"] = c.controls.acl_enabled;
  d["AdvertiseAddrLAN"] = ip;
  d["AdvertiseAddrWAN"] = ip;
  autopilot_config ap = c.state.autopilot().value_or(autopilot_config{});
  d["AutopilotCleanupDeadServers"] = ap.cleanup_dead_servers;
  d["AutopilotDisableUpgradeMigration"] = ap.disable_upgrade_migration;
  d["AutopilotLastContactThreshold"] = ap.last_contact_threshold;
  d["AutopilotMaxTrailingLogs"] = ap.max_trailing_logs;
  d["AutopilotMinQuorum"] = ap.min_quorum;
  d["AutopilotRedundancyZoneTag"] = ap.redundancy_zone_tag;
  d["AutopilotServerStabilizationTime"] = ap.server_stabilization_time;
  d["AutopilotUpgradeVersionTag"] = ap.upgrade_version_tag;
  d["BindAddr"] = ip;
  d["Bootstrap"] = o.bootstrap;
  d["BootstrapExpect"] = 0;
  d["CheckDeregisterIntervalMin"] = go_duration(o.deregister_minimum);
  d["CheckReapInterval"] = go_duration(o.reap_interval);
  d["ClientAddrs"] = addrs({client});
  d["ConnectCAProvider"] = o.connect.enabled ? "consul" : "";
  d["ConnectEnabled"] = o.connect.enabled;
  d["ConnectSidecarMaxPort"] = o.ports.sidecar_max;
  d["ConnectSidecarMinPort"] = o.ports.sidecar_min;
  d["DNSARecordLimit"] = o.dns.a_record_limit;
  d["DNSAddrs"] = dns_port > 0 ? addrs({at("tcp", client, dns_port), at("udp", client, dns_port)}) : json::array();
  d["DNSDomain"] = o.dns.domain;
  d["DNSEnableTruncate"] = o.dns.enable_truncate;
  d["DNSNodeMetaTXT"] = o.dns.enable_additional_node_meta_txt;
  d["DNSNodeTTL"] = go_duration(o.dns.node_ttl);
  d["DNSOnlyPassing"] = o.dns.only_passing;
  d["DNSPort"] = dns_port;
  json::object service_ttl;
  for (const auto& [name, ttl] : o.dns.service_ttl) service_ttl[name] = go_duration(ttl);
  d["DNSServiceTTL"] = std::move(service_ttl);
  d["DNSUDPAnswerLimit"] = o.dns.udp_answer_limit;
  d["DataDir"] = "";
  d["Datacenter"] = o.datacenter;
  d["DevMode"] = o.dev_mode;
  d["DisableCoordinates"] = false;
  d["EnableDebug"] = o.dev_mode;
  d["EncryptKey"] = "hidden";
  d["ExposeMaxPort"] = o.ports.expose_max;
  d["ExposeMinPort"] = o.ports.expose_min;
  d["GRPCAddrs"] = o.ports.grpc > 0 ? addrs({at("tcp", client, o.ports.grpc)}) : json::array();
  d["GRPCPort"] = o.ports.grpc;
  d["GRPCTLSAddrs"] = o.ports.grpc_tls > 0 ? addrs({at("tcp", client, o.ports.grpc_tls)}) : json::array();
  d["GRPCTLSPort"] = o.ports.grpc_tls;
  d["HTTPAddrs"] = http_port > 0 ? addrs({at("tcp", client, http_port)}) : json::array();
  d["HTTPMaxConnsPerClient"] = o.limits.max_conns_per_client;
  d["HTTPMaxHeaderBytes"] = o.limits.max_header_bytes;
  d["HTTPPort"] = http_port;
  d["HTTPSAddrs"] = o.ports.https > 0 ? addrs({at("tcp", client, o.ports.https)}) : json::array();
  d["HTTPSPort"] = o.ports.https;
  d["HTTPUseCache"] = true;
  d["Logging"] = json::object{{"EnableSyslog", false}, {"LogFilePath", ""}, {"LogJSON", o.log_json},
                              {"LogLevel", level_name(o.level)}, {"Name", ""}};
  d["NodeID"] = c.local.node_id();
  json::object meta;
  for (const auto& [k, v] : o.node_meta) meta[k] = v;
  d["NodeMeta"] = std::move(meta);
  d["NodeName"] = o.node_name;
  d["PrimaryDatacenter"] = o.datacenter;
  d["RPCAdvertiseAddr"] = at("tcp", ip, o.ports.server);
  d["RPCBindAddr"] = at("tcp", ip, o.ports.server);
  d["Revision"] = agent_revision;
  d["SegmentName"] = "";
  d["SerfAdvertiseAddrLAN"] = at("tcp", ip, o.ports.serf_lan);
  d["SerfAdvertiseAddrWAN"] = at("tcp", ip, o.ports.serf_wan);
  d["SerfBindAddrLAN"] = at("tcp", ip, o.ports.serf_lan);
  d["SerfBindAddrWAN"] = at("tcp", ip, o.ports.serf_wan);
  d["SerfPortLAN"] = o.ports.serf_lan;
  d["SerfPortWAN"] = o.ports.serf_wan;
  d["ServerMode"] = o.server;
  d["ServerPort"] = o.ports.server;
  d["SessionTTLMin"] = go_duration(o.session_ttl_min);
  d["UIConfig"] = json::object{{"ContentPath", "/ui/"}, {"Dir", ""}, {"Enabled", o.ui_enabled},
                               {"MetricsProvider", ""}};
  d["Version"] = consul_version;
  d["VersionMetadata"] = "";
  d["VersionPrerelease"] = "";
  return d;
}

}  // namespace coconsul::dev
