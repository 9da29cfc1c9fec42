// Request bodies decoded as Consul's structs (see decode.hpp).

#include "dev_agent/endpoints/decode.hpp"

#include "core/base64.hpp"
#include "core/text.hpp"
#include "dev_agent/endpoints/limits.hpp"
#include "dev_agent/http/error.hpp"

namespace coconsul::dev {
namespace json = boost::json;

namespace {

// Fields shared by CheckType and CheckDefinition (agent/structs/check_type.go,
// check_definition.go), with the snake_case aliases their UnmarshalJSON accepts.
void add_check_fields(std::vector<json_field>& f, check_spec& c, go_duration& interval, go_duration& timeout,
                      go_duration& ttl, go_duration& dereg) {
  auto& d = c.definition;
  f.push_back(field("Name", c.name));
  f.push_back(field("Status", c.status));
  f.push_back(field("Notes", c.notes));
  f.push_back(field("ScriptArgs", d.script_args));
  f.push_back(field("Args", d.script_args));
  f.push_back(field("script_args", d.script_args));
  f.push_back(field("HTTP", d.http));
  f.push_back(field("Header", d.header));
  f.push_back(field("Method", d.method));
  f.push_back(field("Body", d.body));
  f.push_back(field("DisableRedirects", d.disable_redirects));
  f.push_back(field("TCP", d.tcp));
  f.push_back(ignored_field("TCPUseTLS"));
  f.push_back(field("UDP", d.udp));
  f.push_back(field("Interval", interval));
  f.push_back(field("AliasNode", d.alias_node));
  f.push_back(field("AliasService", d.alias_service));
  f.push_back(field("DockerContainerID", d.docker_container_id));
  f.push_back(field("docker_container_id", d.docker_container_id));
  f.push_back(field("Shell", d.shell));
  f.push_back(field("GRPC", d.grpc));
  f.push_back(field("GRPCUseTLS", d.grpc_use_tls));
  f.push_back(field("grpc_use_tls", d.grpc_use_tls));
  f.push_back(field("TLSServerName", d.tls_server_name));
  f.push_back(field("tls_server_name", d.tls_server_name));
  f.push_back(field("TLSSkipVerify", d.tls_skip_verify));
  f.push_back(field("tls_skip_verify", d.tls_skip_verify));
  f.push_back(field("Timeout", timeout));
  f.push_back(field("TTL", ttl));
  f.push_back(field("SuccessBeforePassing", c.success_before_passing));
  f.push_back(field("FailuresBeforeWarning", c.failures_before_warning));
  f.push_back(field("FailuresBeforeCritical", c.failures_before_critical));
  f.push_back(field("DeregisterCriticalServiceAfter", dereg));
  f.push_back(field("deregister_critical_service_after", dereg));
  f.push_back(field("OutputMaxSize", d.output_max_size));
  f.push_back(field("H2PING", d.h2ping));
  f.push_back(ignored_field("H2PingUseTLS"));
  f.push_back(ignored_field("h2ping_use_tls"));
  f.push_back(field("OSService", d.os_service));
}

void finish_durations(check_spec& c, const go_duration& interval, const go_duration& timeout, const go_duration& ttl,
                      const go_duration& dereg) {
  c.definition.interval = interval.value;
  c.definition.timeout = timeout.value;
  c.definition.ttl = ttl.value;
  c.definition.deregister_critical_service_after = dereg.value;
}

check_spec decode_check_type(const json::value& v, const json_context& ctx) {
  check_spec c;
  go_duration interval, timeout, ttl, dereg;
  std::string ignored_service_id;
  std::vector<json_field> f;
  f.push_back(field("CheckID", c.check_id));
  add_check_fields(f, c, interval, timeout, ttl, dereg);
  f.push_back(ignored_field("ProxyHTTP"));
  f.push_back(ignored_field("ProxyGRPC"));
  // A service's check may name its ServiceID; Consul accepts and ignores it.
  f.push_back(field("ServiceID", ignored_service_id));
  f.push_back(field("service_id", ignored_service_id));
  decode_object(v, ctx, f);
  finish_durations(c, interval, timeout, ttl, dereg);
  return c;
}

void decode_service_addresses(const json::value& v, std::map<std::string, service_tagged_address>& out,
                              const json_context& ctx) {
  if (!v.is_object()) throw_type_error(v, ctx, "map[string]structs.ServiceAddress");
  for (const auto& kv : v.get_object()) {
    service_tagged_address a;
    json_context c{"ServiceAddress", ""};
    decode_object(kv.value(), c, {field("Address", a.address), field("Port", a.port)});
    out[std::string(kv.key())] = a;
  }
}

}  // namespace

service_definition decode_service_definition(const json::value& v) {
  service_definition d;
  auto& s = d.service;
  json::value tagged, weights, check, checks, proxy, connect;
  std::vector<json_field> f{
      field("Kind", s.kind),
      field("ID", s.id),
      field("Name", s.name),
      field("Tags", s.tags),
      field("Address", s.address),
      field("TaggedAddresses", tagged),
      field("tagged_addresses", tagged),
      field("Meta", s.meta),
      field("Port", s.port),
      field("SocketPath", s.socket_path),
      field("Check", check),
      field("Checks", checks),
      field("Weights", weights),
      field("Token", d.token),
      field("EnableTagOverride", s.enable_tag_override),
      field("enable_tag_override", s.enable_tag_override),
      field("Proxy", proxy),
      field("Connect", connect),
      ignored_field("Namespace"),
      ignored_field("Partition"),
      ignored_field("Locality"),
  };
  json_context ctx{"ServiceDefinition", ""};
  decode_object(v, ctx, f);
  if (!proxy.is_null()) s.proxy = decode_proxy(proxy);
  if (!connect.is_null()) {
    json::value sidecar;
    decode_object(connect, {"ServiceConnect", ""},
                  {field("Native", s.connect_native), field("SidecarService", sidecar),
                   field("sidecar_service", sidecar)});
    if (!sidecar.is_null()) d.sidecar = std::make_shared<service_definition>(decode_service_definition(sidecar));
  }
  if (!tagged.is_null()) decode_service_addresses(tagged, s.tagged_addresses, {"ServiceDefinition", "TaggedAddresses"});
  if (!weights.is_null()) {
    d.weights_given = true;
    s.weight_passing = 0;
    s.weight_warning = 0;
    decode_object(weights, {"Weights", ""}, {field("Passing", s.weight_passing), field("Warning", s.weight_warning)});
  }
  if (!check.is_null()) {
    check_spec c = decode_check_type(check, {"CheckType", ""});
    // CheckType.Empty(): a "Check": {} is no check at all.
    if (c.has_type() || !c.name.empty() || !c.check_id.empty() || !c.status.empty() || !c.notes.empty())
      d.check = std::move(c);
  }
  if (!checks.is_null()) {
    if (!checks.is_array()) throw_type_error(checks, {"ServiceDefinition", "Checks"}, "structs.CheckTypes");
    for (const auto& e : checks.get_array()) d.checks.push_back(decode_check_type(e, {"CheckType", ""}));
  }
  return d;
}

check_spec decode_check_definition(const json::value& v) {
  check_spec c;
  go_duration interval, timeout, ttl, dereg;
  std::vector<json_field> f;
  f.push_back(field("ID", c.check_id));
  f.push_back(field("ServiceID", c.service_id));
  f.push_back(field("service_id", c.service_id));
  f.push_back(ignored_field("Token"));
  f.push_back(ignored_field("Namespace"));
  f.push_back(ignored_field("Partition"));
  add_check_fields(f, c, interval, timeout, ttl, dereg);
  decode_object(v, {"CheckDefinition", ""}, f);
  finish_durations(c, interval, timeout, ttl, dereg);
  return c;
}

ttl_check_update decode_check_update(const json::value& v) {
  ttl_check_update u;
  decode_object(v, {"checkUpdate", ""}, {field("Status", u.status), field("Output", u.output)});
  return u;
}

session_request decode_session(const json::value& v, session_record defaults) {
  session_request r;
  r.session = std::move(defaults);
  auto& s = r.session;
  std::vector<std::string> node_checks, service_checks_raw, checks;
  json::value node_checks_v, service_checks_v, checks_v, lock_delay_v;
  std::uint64_t ignored_index = 0;
  std::vector<json_field> f{
      field("ID", s.id),
      field("Name", s.name),
      field("Node", s.node),
      field("LockDelay", lock_delay_v),
      field("Behavior", s.behavior),
      field("TTL", s.ttl),
      field("NodeChecks", node_checks_v),
      field("ServiceChecks", service_checks_v),
      field("Checks", checks_v),
      ignored_field("Namespace"),
      ignored_field("Partition"),
      field("CreateIndex", ignored_index),
      field("ModifyIndex", ignored_index),
  };
  decode_object(v, {"Session", ""}, f);
  if (!lock_delay_v.is_null()) {
    go_duration d;
    assign(lock_delay_v, d, {"Session", "LockDelay"});
    // lockDelayMinThreshold: small numbers mean seconds. Go's multiplication wraps on overflow
    // (a large negative number); so does this one, in unsigned arithmetic where wrapping is
    // defined. Whatever comes out, the store applies at most max_lock_delay (records.hpp).
    if (!lock_delay_v.is_string() && d.value < std::chrono::nanoseconds(1000)) {
      auto ns = static_cast<std::uint64_t>(d.value.count()) * std::uint64_t{1000000000};
      d.value = std::chrono::nanoseconds(static_cast<std::int64_t>(ns));
    }
    r.lock_delay = d;
    s.lock_delay = d.value;
  }
  if (!node_checks_v.is_null()) {
    assign(node_checks_v, node_checks, {"Session", "NodeChecks"});
    s.node_checks = node_checks;
  }
  if (!service_checks_v.is_null()) {
    if (!service_checks_v.is_array()) throw_type_error(service_checks_v, {"Session", "ServiceChecks"}, "[]structs.ServiceCheck");
    std::vector<std::string> ids;
    for (const auto& e : service_checks_v.get_array()) {
      std::string id, ns;
      decode_object(e, {"ServiceCheck", ""}, {field("ID", id), field("Namespace", ns)});
      ids.push_back(id);
    }
    s.service_checks = ids;
  }
  if (!checks_v.is_null()) {
    assign(checks_v, checks, {"Session", "Checks"});
    r.checks = checks;
  }
  return r;
}

namespace {
check_record decode_health_check(const json::value& v, const json_context& ctx) {
  check_record c;
  c.status.clear();
  std::uint64_t ignored_index = 0;
  int exposed = 0;
  json::value def;
  std::vector<json_field> f{
      field("Node", c.node),
      field("CheckID", c.check_id),
      field("Name", c.name),
      field("Status", c.status),
      field("Notes", c.notes),
      field("Output", c.output),
      field("ServiceID", c.service_id),
      field("ServiceName", c.service_name),
      field("ServiceTags", c.service_tags),
      field("Type", c.type),
      ignored_field("Interval"),
      ignored_field("Timeout"),
      field("ExposedPort", exposed),
      field("Definition", def),
      ignored_field("Namespace"),
      ignored_field("Partition"),
      ignored_field("PeerName"),
      field("CreateIndex", ignored_index),
      field("ModifyIndex", ignored_index),
  };
  decode_object(v, ctx, f);
  if (!def.is_null()) {
    auto& d = c.definition;
    go_duration interval, timeout, dereg, ttl;
    std::vector<json_field> df{
        field("HTTP", d.http), field("TLSServerName", d.tls_server_name), field("TLSSkipVerify", d.tls_skip_verify),
        field("Header", d.header), field("Method", d.method), field("Body", d.body),
        field("DisableRedirects", d.disable_redirects), field("TCP", d.tcp), ignored_field("TCPUseTLS"),
        field("UDP", d.udp), field("H2PING", d.h2ping), ignored_field("H2PingUseTLS"), field("OSService", d.os_service),
        field("Interval", interval), field("IntervalDuration", interval), field("OutputMaxSize", d.output_max_size),
        field("Timeout", timeout), field("TimeoutDuration", timeout), field("DeregisterCriticalServiceAfter", dereg),
        field("DeregisterCriticalServiceAfterDuration", dereg), field("ScriptArgs", d.script_args),
        field("DockerContainerID", d.docker_container_id), field("Shell", d.shell), field("GRPC", d.grpc),
        field("GRPCUseTLS", d.grpc_use_tls), field("AliasNode", d.alias_node), field("AliasService", d.alias_service),
        field("TTL", ttl), field("TTLDuration", ttl)};
    decode_object(def, {"HealthCheckDefinition", ""}, df);
    d.interval = interval.value;
    d.timeout = timeout.value;
    d.deregister_critical_service_after = dereg.value;
    d.ttl = ttl.value;
  }
  return c;
}
}  // namespace

catalog_register decode_catalog_register(const json::value& v) {
  catalog_register r;
  auto& n = r.node;
  json::value service_v, check_v, checks_v, node_tagged;
  std::string ignored_str;
  std::vector<json_field> f{
      field("Datacenter", r.datacenter),
      field("ID", n.id),
      field("Node", n.name),
      field("Address", n.address),
      field("TaggedAddresses", n.tagged_addresses),
      field("NodeMeta", n.meta),
      field("Service", service_v),
      field("Check", check_v),
      field("Checks", checks_v),
      field("SkipNodeUpdate", r.skip_node_update),
      ignored_field("Token"),
      ignored_field("WriteRequest"),
      ignored_field("Namespace"),
      ignored_field("Partition"),
      ignored_field("PeerName"),
      ignored_field("Locality"),
  };
  decode_object(v, {"RegisterRequest", ""}, f);
  if (!service_v.is_null()) {
    service_record s;
    json::value tagged, weights, proxy, connect;
    std::uint64_t ignored_index = 0;
    std::vector<json_field> sf{
        field("Kind", s.kind), field("ID", s.id), field("Service", s.name), field("Tags", s.tags),
        field("Address", s.address), field("TaggedAddresses", tagged), field("Meta", s.meta), field("Port", s.port),
        field("SocketPath", s.socket_path), field("Weights", weights), field("EnableTagOverride", s.enable_tag_override),
        field("Proxy", proxy), field("Connect", connect), ignored_field("Namespace"), ignored_field("Partition"),
        ignored_field("PeerName"), ignored_field("Locality"), ignored_field("LocallyRegisteredAsSidecar"),
        field("CreateIndex", ignored_index), field("ModifyIndex", ignored_index)};
    decode_object(service_v, {"NodeService", ""}, sf);
    if (!proxy.is_null()) s.proxy = decode_proxy(proxy);
    // A catalog registration's SidecarService is stored by Consul and used by no one: dropped.
    decode_object(connect, {"ServiceConnect", ""},
                  {field("Native", s.connect_native), ignored_field("SidecarService"),
                   ignored_field("sidecar_service")});
    if (!tagged.is_null()) decode_service_addresses(tagged, s.tagged_addresses, {"NodeService", "TaggedAddresses"});
    if (!weights.is_null())
      decode_object(weights, {"Weights", ""}, {field("Passing", s.weight_passing), field("Warning", s.weight_warning)});
    r.service = std::move(s);
  }
  if (!check_v.is_null()) r.check = decode_health_check(check_v, {"HealthCheck", ""});
  if (!checks_v.is_null()) {
    if (!checks_v.is_array()) throw_type_error(checks_v, {"RegisterRequest", "Checks"}, "structs.HealthChecks");
    for (const auto& e : checks_v.get_array()) r.checks.push_back(decode_health_check(e, {"HealthCheck", ""}));
  }
  return r;
}

catalog_deregister decode_catalog_deregister(const json::value& v) {
  catalog_deregister d;
  decode_object(v, {"DeregisterRequest", ""},
                {field("Datacenter", d.datacenter), field("Node", d.node), field("ServiceID", d.service_id),
                 field("CheckID", d.check_id), ignored_field("Address"), ignored_field("Token"),
                 ignored_field("WriteRequest"),
                 ignored_field("Namespace"), ignored_field("Partition"), ignored_field("PeerName")});
  return d;
}

namespace {
txn_kv_op decode_txn_op(const json::value& v, std::size_t i) {
  json::value kv, node, service, check;
  decode_object(v, {"TxnOp", ""}, {field("KV", kv), field("Node", node), field("Service", service), field("Check", check)});
  if (!node.is_null() || !service.is_null() || !check.is_null())
    throw http_error{400, "Operation " + std::to_string(i) +
                              ": the coconsul dev agent supports only KV operations in transactions"};
  if (kv.is_null()) throw http_error{400, "Operation " + std::to_string(i) + " has no KV operation"};
  txn_kv_op op;
  json::value value;
  decode_object(kv, {"TxnKVOp", ""},
                {field("Verb", op.verb), field("Key", op.key), field("Value", value), field("Flags", op.flags),
                 field("Index", op.index), field("Session", op.session), ignored_field("Namespace"),
                 ignored_field("Partition")});
  if (value.is_string()) {
    std::string raw;
    if (core::base64_decode(value.get_string(), raw, core::base64_mode::strict))
      op.value = std::move(raw);
    else
      op.bad_base64 = true;
  } else if (!value.is_null()) {
    throw_type_error(value, {"TxnKVOp", "Value"}, "[]uint8");
  }
  return op;
}
}  // namespace

std::vector<txn_kv_op> decode_txn(std::string_view body) {
  if (body.size() > limits::txn_max_body)
    throw http_error{413, "Request body(" + std::to_string(body.size()) + " bytes) too large, max size: " +
                              std::to_string(limits::txn_max_body) +
                              " bytes. See https://www.consul.io/docs/agent/config/config-files#txn_max_req_len."};
  auto parsed = parse_body(body);
  if (!parsed.is_array()) throw_type_error(parsed, {"", ""}, "structs.TxnOps");
  const auto& arr = parsed.get_array();
  if (arr.size() > limits::txn_max_ops)
    throw http_error{413, "Transaction contains too many operations (" + std::to_string(arr.size()) + " > " +
                              std::to_string(limits::txn_max_ops) + ")"};
  std::vector<txn_kv_op> ops;
  for (std::size_t i = 0; i < arr.size(); ++i) ops.push_back(decode_txn_op(arr[i], i));
  for (const auto& op : ops)
    if (op.value && op.value->size() > limits::kv_max_value_size)
      throw http_error{413, "Value for key " + core::quoted(op.key) + " is too large (" + std::to_string(op.value->size()) +
                                " > " + std::to_string(limits::kv_max_value_size) + " bytes)"};
  return ops;
}

}  // namespace coconsul::dev
