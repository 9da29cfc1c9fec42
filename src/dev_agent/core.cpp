#include "dev_agent/core.hpp"

#include "dev_agent/respond.hpp"
#include "dev_agent/server.hpp"
#include "dev_agent/uuid.hpp"

#include <boost/asio/ip/host_name.hpp>
#include <boost/asio/strand.hpp>

namespace coconsul::dev {

core::core(boost::asio::any_io_executor executor, dev_agent_options opts)
    : ex(boost::asio::make_strand(executor)),
      options(std::move(opts)),
      log(options.level, options.log_sink),
      hub(ex),
      state([this](unsigned tables) { hub.publish(tables); }),
      node_id(generate_uuid()) {
  if (options.node_name.empty()) {
    boost::system::error_code ec;
    options.node_name = boost::asio::ip::host_name(ec);
    if (ec || options.node_name.empty()) options.node_name = "dev";
  }
  if (options.datacenter.empty()) options.datacenter = "dc1";
  add_agent_routes(routes);
  add_catalog_routes(routes);
  add_health_routes(routes);
  add_kv_routes(routes);
  add_session_routes(routes);
  add_status_routes(routes);
  add_event_routes(routes);
  add_txn_routes(routes);
}

core::~core() = default;

node_record core::self_node() const {
  node_record n;
  n.id = node_id;
  n.name = options.node_name;
  n.address = options.bind_address == "0.0.0.0" ? "127.0.0.1" : options.bind_address;
  n.datacenter = options.datacenter;
  n.tagged_addresses = {{"lan", n.address}, {"lan_ipv4", n.address}, {"wan", n.address}, {"wan_ipv4", n.address}};
  n.meta = {{"consul-network-segment", ""}};
  return n;
}

void core::start() {
  // What a fresh `consul agent -dev` has: its node, the serfHealth check, the consul service.
  write_txn w(state);
  state.ensure_node(w, self_node());
  service_record consul;
  consul.node = options.node_name;
  consul.id = "consul";
  consul.name = "consul";
  consul.port = 8300;
  state.ensure_service(w, consul);
  check_record serf;
  serf.node = options.node_name;
  serf.check_id = "serfHealth";
  serf.name = "Serf Health Status";
  serf.status = "passing";
  serf.output = "Agent alive and reachable";
  state.ensure_check(w, serf);
  start_reaper();
}

void core::stop() {
  if (stopped) return;
  stopped = true;
  if (http) http->stop();
  hub.close();
  for (auto& [_, lc] : local_checks)
    if (lc.runner) lc.runner->stop();
  for (auto& [_, t] : session_timers) t->stop();
  if (reaper) reaper->stop();
}

std::string check_spec::type() const {
  const auto& d = definition;
  if (!d.grpc.empty()) return "grpc";
  if (!d.http.empty()) return "http";
  if (d.ttl.count() > 0) return "ttl";
  if (!d.tcp.empty()) return "tcp";
  if (!d.udp.empty()) return "udp";
  if (!d.alias_node.empty() || !d.alias_service.empty()) return "alias";
  if (!d.docker_container_id.empty()) return "docker";
  if (!d.script_args.empty()) return "script";
  if (!d.h2ping.empty()) return "h2ping";
  if (!d.os_service.empty()) return "os_service";
  return "";
}

bool check_spec::has_type() const { return !type().empty(); }

std::string check_spec::validate() const {
  const auto& d = definition;
  bool interval_check = !d.script_args.empty() || !d.http.empty() || !d.tcp.empty() || !d.udp.empty() ||
                        !d.grpc.empty() || !d.h2ping.empty() || !d.os_service.empty();
  if (d.interval.count() > 0 && d.ttl.count() > 0) return "Interval and TTL cannot both be specified";
  if (interval_check && d.interval.count() <= 0)
    return "Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks";
  if (d.output_max_size < 0) return "MaxOutputMaxSize must be positive";
  if (failures_before_warning > failures_before_critical)
    return "FailuresBeforeWarning can't be higher than FailuresBeforeCritical";
  return {};
}

}  // namespace coconsul::dev
