// /v1/agent/self, /v1/agent/members, /v1/agent/host and /v1/agent/metrics (and its stream): the agent describing
// itself as a Consul 1.14 server in dev mode would (agent/agent_endpoint.go, server_serf.go).

#include "dev_agent/endpoints/agent_self.hpp"

#include "dev_agent/common/versions.hpp"
#include "dev_agent/endpoints/agent_controls.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/json_out.hpp"
#include "dev_agent/http/responders.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <memory>
#include <cstdio>
#include <set>
#include <ctime>
#include <thread>

namespace coconsul::dev {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr std::string_view revision = agent_revision;
constexpr std::string_view build_date = "2022-11-18T00:00:00Z";
// The Envoy versions Consul 1.14.0 supports (xdscommon.EnvoyVersions).
constexpr std::string_view envoy_versions[] = {"1.23.1", "1.22.5", "1.21.5", "1.20.7"};

// Go's GOARCH for the architecture the agent was built for.
#if defined(__x86_64__)
constexpr std::string_view go_arch = "amd64";
#elif defined(__aarch64__)
constexpr std::string_view go_arch = "arm64";
#else
constexpr std::string_view go_arch = "unknown";
#endif

std::string address_of(const endpoint_context& c) { return c.local.self_node().address; }

// server_serf.go setupSerf: the tags a server gossips. Dev mode has no "bootstrap" tag unless
// bootstrap is set; no TLS here; "acls" is "1" with ACLs on (structs.ACLModeEnabled).
json::object server_tags(const endpoint_context& c) {
  const auto& o = c.options;
  json::object tags;
  tags["acls"] = c.controls.acl_enabled ? "1" : "0";
  if (o.bootstrap) tags["bootstrap"] = "1";
  tags["build"] = std::string(consul_version) + ":" + std::string(revision);
  tags["dc"] = o.datacenter;
  tags["ft_fs"] = "1";
  tags["ft_si"] = "1";
  if (o.ports.grpc > 0) tags["grpc_port"] = std::to_string(o.ports.grpc);
  if (o.ports.grpc_tls > 0) tags["grpc_tls_port"] = std::to_string(o.ports.grpc_tls);
  tags["id"] = c.local.node_id();
  tags["port"] = std::to_string(o.ports.server);
  tags["raft_vsn"] = "3";
  tags["role"] = o.server ? "consul" : "node";
  tags["segment"] = "";
  tags["vsn"] = std::to_string(consul_protocol_default);
  tags["vsn_max"] = std::to_string(consul_protocol_max);
  tags["vsn_min"] = std::to_string(consul_protocol_min);
  tags["wan_join_port"] = std::to_string(o.ports.serf_wan);
  return tags;
}

// serf.Member; memberlist's protocol range 1-5 (current 2), serf's delegate 2-5 (current 4).
json::object member_json(const endpoint_context& c) {
  json::object m;
  m["Name"] = c.options.node_name;
  m["Addr"] = address_of(c);
  m["Port"] = c.options.ports.serf_lan;
  m["Tags"] = server_tags(c);
  m["Status"] = 1;
  m["ProtocolMin"] = 1;
  m["ProtocolMax"] = 5;
  m["ProtocolCur"] = 2;
  m["DelegateMin"] = 2;
  m["DelegateMax"] = 5;
  m["DelegateCur"] = 4;
  return m;
}

http_response agent_members(endpoint_context& c, http_request& req) {
  if (auto refused = members_query_error(req)) throw *refused;  // agent_membership.cpp
  bool wan = !req.query.get_or("wan", "").empty();
  json::object member = member_json(c);
  if (wan) member["Name"] = c.options.node_name + "." + c.options.datacenter;  // WAN names carry the DC
  json::array a;
  // Members the caller may not read (node:read on the member's name) are left out.
  if (c.caller().visible(c.caller().authz().node_read(member.at("Name").as_string()))) a.emplace_back(std::move(member));
  return json_response(a);
}

json::object strings(std::initializer_list<std::pair<std::string_view, std::string>> items) {
  json::object o;
  for (const auto& [k, v] : items) o[k] = v;
  return o;
}

json::object serf_stats(std::size_t members) {
  return strings({{"coordinate_resets", "0"}, {"encrypted", "false"}, {"event_queue", "0"},
                  {"event_time", "1"}, {"failed", "0"}, {"health_score", "0"}, {"intent_queue", "0"},
                  {"left", "0"}, {"member_time", "1"}, {"members", std::to_string(members)},
                  {"query_queue", "0"}, {"query_time", "1"}});
}

// Agent.Stats(): string values only, as Consul's.
json::object stats(const endpoint_context& c) {
  std::string last = std::to_string(c.state.last_index());
  std::size_t ttls = 0, monitors = 0;
  for (const auto& [_, lc] : c.local.checks()) (lc.definition.ttl.count() > 0 ? ttls : monitors)++;
  unsigned cpus = std::max(1u, std::thread::hardware_concurrency());
  std::string leader = address_of(c) + ":" + std::to_string(c.options.ports.server);
  json::object s;
  s["agent"] = strings({{"check_monitors", std::to_string(monitors)},
                        {"check_ttls", std::to_string(ttls)},
                        {"checks", std::to_string(c.local.checks().size())},
                        {"services", std::to_string(c.local.services().size())}});
  s["build"] = strings({{"prerelease", ""}, {"revision", std::string(revision)},
                        {"version", std::string(consul_version)}, {"version_metadata", ""}});
  const char* acl_state_text = c.controls.acl_enabled ? "enabled" : "disabled";
  if (c.options.server) {
    s["consul"] = strings({{"acl", acl_state_text}, {"bootstrap", c.options.bootstrap ? "true" : "false"},
                           {"known_datacenters", "1"}, {"leader", "true"}, {"leader_addr", leader},
                           {"server", "true"}});
    s["raft"] = strings({{"applied_index", last}, {"commit_index", last}, {"fsm_pending", "0"},
                         {"last_contact", "0"}, {"last_log_index", last}, {"last_log_term", "2"},
                         {"last_snapshot_index", "0"}, {"last_snapshot_term", "0"},
                         {"latest_configuration",
                          "[{Suffrage:Voter ID:" + c.local.node_id() + " Address:" + leader + "}]"},
                         {"latest_configuration_index", "0"}, {"num_peers", "0"},
                         {"protocol_version", "3"}, {"protocol_version_max", "3"},
                         {"protocol_version_min", "0"}, {"snapshot_version_max", "1"},
                         {"snapshot_version_min", "0"}, {"state", "Leader"}, {"term", "2"}});
    s["serf_wan"] = serf_stats(1);
  } else {
    s["consul"] = strings({{"acl", acl_state_text}, {"known_servers", "1"}, {"server", "false"}});
  }
  // Go's runtime numbers stand for the agent's own: the requests being served (blocking queries
  // included) count as its goroutines.
  s["runtime"] = strings({{"arch", std::string(go_arch)}, {"cpu_count", std::to_string(cpus)},
                          {"goroutines", std::to_string(c.counters.in_flight)},
                          {"max_procs", std::to_string(cpus)}, {"os", "linux"},
                          {"version", "coconsul " + std::string(coconsul_version)}});
  s["serf_lan"] = serf_stats(1);
  return s;
}

http_response agent_self(endpoint_context& c, http_request&) {
  c.caller().require(c.caller().authz().agent_read(c.options.node_name));
  const auto& o = c.options;
  json::object config;
  config["Datacenter"] = o.datacenter;
  config["PrimaryDatacenter"] = o.datacenter;
  config["NodeName"] = o.node_name;
  config["NodeID"] = c.local.node_id();
  config["Revision"] = revision;
  config["Server"] = o.server;
  config["Version"] = consul_version;  // no prerelease suffix: Stats.build has it
  config["BuildDate"] = build_date;
  json::object coord;
  json::array vec;
  for (int i = 0; i < 8; ++i) vec.emplace_back(0.0);
  coord["Vec"] = std::move(vec);
  coord["Error"] = 1.5;
  coord["Adjustment"] = 0.0;
  coord["Height"] = 1e-05;
  json::object meta;
  for (const auto& [k, v] : c.local.self_node().meta) meta[k] = v;
  json::object out;
  out["Config"] = std::move(config);
  out["DebugConfig"] = debug_config(c);
  out["Coord"] = std::move(coord);
  out["Member"] = member_json(c);
  out["Stats"] = stats(c);
  out["Meta"] = std::move(meta);
  if (o.ports.grpc > 0) {
    json::array envoy;
    for (auto v : envoy_versions) envoy.emplace_back(v);
    json::object xds;
    xds["SupportedProxies"] = json::object{{"envoy", std::move(envoy)}};
    xds["Port"] = o.ports.grpc_tls > 0 ? o.ports.grpc_tls : o.ports.grpc;
    xds["Ports"] = json::object{{"Plaintext", o.ports.grpc}, {"TLS", o.ports.grpc_tls}};
    out["xDS"] = std::move(xds);
  }
  return json_response(out);
}

http_response agent_host(endpoint_context& c, http_request&) {
  c.caller().require(c.caller().authz().operator_read());
  return json_response(host_info());
}

// go-metrics' time format: "2017-08-08 02:55:10 +0000 UTC".
std::string metrics_timestamp(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S +0000 UTC", &tm);
  return buf;
}

json::object gauge(std::string_view name, double value) {
  return json::object{{"Name", name}, {"Value", value}, {"Labels", json::object()}};
}

json::object summary(std::string_view name, const timing_summary& t, double seconds, json::object labels) {
  json::object o;
  o["Name"] = name;
  o["Count"] = t.count;
  o["Rate"] = seconds > 0 ? t.sum / seconds : 0.0;
  o["Sum"] = t.sum;
  o["Min"] = t.min;
  o["Max"] = t.max;
  o["Mean"] = t.mean();
  o["Stddev"] = t.stddev();
  o["Labels"] = std::move(labels);
  return o;
}

// A counter bumped by 1 `n` times, as go-metrics aggregates IncrCounter calls.
timing_summary increments(std::uint64_t n) {
  timing_summary t;
  t.count = n;
  t.sum = t.sum_sq = static_cast<double>(n);
  t.min = t.max = n ? 1 : 0;
  return t;
}

json::object metrics_summary(endpoint_context& c);

// What go-metrics' inmem sink displays, over the agent's whole life rather than Consul's last
// 10-second interval: gauges of what is live now, the request counter, the request timings.
http_response agent_metrics(endpoint_context& c, http_request& req) {
  c.caller().require(c.caller().authz().agent_read(c.options.node_name));
  bool prometheus = req.query.get_or("format", "") == "prometheus";
  std::string accept(req.header("Accept"));
  if (accept.find("application/openmetrics-text") != std::string::npos) prometheus = true;
  if (prometheus) {
    // prometheus_retention_time is 0 here, as Consul's default: Consul's handler fails with a
    // payload error whose nil body wrap() drops, so the client sees 200, nothing, and a reason.
    http_response r = empty_response(200);
    r.set_header("X-Consul-Reason", "Prometheus is not enabled since its retention time is not positive");
    return r;
  }
  return json_response(metrics_summary(c));
}

// GET /v1/agent/metrics/stream: 200 at once, then one summary (the same JSON as
// /v1/agent/metrics, 4-space indented, one per line as Go's json.Encoder writes it) at the end of
// each telemetry interval (Consul's 10 s, `dev_agent_options::metrics_interval`), until the
// client hangs up or the agent stops (the wait is cancelled, the stream ends).
asio::awaitable<http_response> agent_metrics_stream(endpoint_context& c, http_request&) {
  c.caller().require(c.caller().authz().agent_read(c.options.node_name));
  http_response resp = empty_response(200);
  resp.set_header("Content-Type", "application/json");
  auto next = std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now());
  // A copy: `c` is this request's context, gone when the handler returns; the layers it refers
  // to outlive every connection's stream (dev_agent.cpp).
  auto ctx = std::make_shared<endpoint_context>(c);
  ctx->request_caller = nullptr;
  resp.stream = [ctx, next]() -> asio::awaitable<std::string> {
    *next += ctx->options.metrics_interval;
    asio::steady_timer t(co_await asio::this_coro::executor, *next);
    auto [ec] = co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return std::string();  // cancelled: the stream ends
    co_return render_pretty(metrics_summary(*ctx));
  };
  co_return resp;
}

json::object metrics_summary(endpoint_context& c) {
  auto now = std::chrono::system_clock::now();
  double seconds = std::chrono::duration<double>(now - c.counters.started).count();
  json::array gauges;
  gauges.emplace_back(gauge("consul.rpc.queries_blocking", static_cast<double>(c.hub.waiting())));
  gauges.emplace_back(gauge("consul.http.requests_in_flight", static_cast<double>(c.counters.in_flight)));
  gauges.emplace_back(gauge("consul.raft.applied_index", static_cast<double>(c.state.last_index())));
  // Consul's usage gauges (consul.state.*) and its count of TTL sessions.
  auto instances = c.state.all_services();
  std::set<std::string> names;
  for (const auto* s : instances) names.insert(s->name);
  std::size_t ttl_sessions = 0;
  for (const auto* s : c.state.sessions()) ttl_sessions += s->ttl.empty() ? 0 : 1;
  gauges.emplace_back(gauge("consul.state.nodes", static_cast<double>(c.state.nodes().size())));
  gauges.emplace_back(gauge("consul.state.services", static_cast<double>(names.size())));
  gauges.emplace_back(gauge("consul.state.service_instances", static_cast<double>(instances.size())));
  gauges.emplace_back(gauge("consul.session_ttl.active", static_cast<double>(ttl_sessions)));
  json::array counters;
  counters.emplace_back(summary("consul.http.requests", increments(c.counters.requests), seconds, json::object()));
  counters.emplace_back(summary("consul.http.errors", increments(c.counters.errors), seconds, json::object()));
  json::array samples;
  for (const auto& [key, t] : c.counters.http) {
    json::object labels{{"method", key.first}, {"path", key.second}};
    samples.emplace_back(summary("consul.api.http", t, seconds, std::move(labels)));
  }
  json::object out;
  out["Timestamp"] = metrics_timestamp(now);
  out["Gauges"] = std::move(gauges);
  out["Points"] = json::array();
  out["Counters"] = std::move(counters);
  out["Samples"] = std::move(samples);
  return out;
}

}  // namespace

void add_agent_self_routes(route_table& r) {
  r.add("/v1/agent/self", {"GET"}, &immediate<agent_self>);
  r.add("/v1/agent/members", {"GET"}, &immediate<agent_members>);
  r.add("/v1/agent/host", {"GET"}, &immediate<agent_host>);
  r.add("/v1/agent/metrics", {"GET"}, &immediate<agent_metrics>);
  r.add("/v1/agent/metrics/stream", {"GET"}, &agent_metrics_stream);
}

}  // namespace coconsul::dev
