// The local agent's identity and its own services and checks: what /v1/agent/service/register
// and friends change, with Consul's defaults (check IDs and names, initial status critical, the
// DeregisterCriticalServiceAfter clamp, the StatusHandler thresholds).

#include "dev_agent/local/local_agent.hpp"

#include "dev_agent/local/sidecar.hpp"

#include "dev_agent/common/deadline.hpp"
#include "dev_agent/common/uuid.hpp"
#include "dev_agent/http/error.hpp"

#include <coconsul/duration.hpp>

#include <boost/asio/ip/address.hpp>

#include <algorithm>

namespace coconsul::dev {

namespace {

constexpr std::size_t default_output_max = 4096;

bool valid_status(const std::string& s) { return s == "passing" || s == "warning" || s == "critical"; }

// Consul caps TTL outputs: "<first N bytes> ... (captured N of M bytes)".
std::string cap_output(std::string output, int max_size) {
  std::size_t cap = max_size > 0 ? static_cast<std::size_t>(max_size) : default_output_max;
  if (output.size() <= cap) return output;
  std::string total = std::to_string(output.size());
  output.resize(cap);
  return output + " ... (captured " + std::to_string(cap) + " of " + total + " bytes)";
}

void add_default_tagged_addresses(service_record& s) {
  if (s.address.empty()) return;
  boost::system::error_code ec;
  auto ip = boost::asio::ip::make_address(s.address, ec);
  if (ec) return;
  service_tagged_address a{s.address, s.port};
  const char* lan = ip.is_v4() ? "lan_ipv4" : "lan_ipv6";
  const char* wan = ip.is_v4() ? "wan_ipv4" : "wan_ipv6";
  s.tagged_addresses.emplace(lan, a);
  s.tagged_addresses.emplace(wan, a);
}

}  // namespace

local_agent::local_agent(boost::asio::any_io_executor ex, const dev_agent_options& options, std::shared_ptr<store> st)
    : ex_(std::move(ex)),
      options_(options),
      log_(options),
      store_(std::move(st)),
      state_(store_->state),
      node_id_(options.node_id.empty() ? generate_uuid() : options.node_id) {}

node_record local_agent::self_node() const {
  node_record n;
  n.id = node_id_;
  n.name = options_.node_name;
  n.address = options_.bind_address == "0.0.0.0" ? "127.0.0.1" : options_.bind_address;
  n.datacenter = options_.datacenter;
  n.tagged_addresses = {{"lan", n.address}, {"lan_ipv4", n.address}, {"wan", n.address}, {"wan_ipv4", n.address}};
  // The agent's node_meta, plus the segment key Consul always adds (it cannot be overridden).
  n.meta = options_.node_meta;
  n.meta["consul-network-segment"] = "";
  return n;
}

service_record local_agent::consul_service() const {
  // leader.go handleAliveMember: the server's own service, from its serf tags.
  service_record s;
  s.node = options_.node_name;
  s.id = "consul";
  s.name = "consul";
  s.port = options_.ports.server > 0 ? options_.ports.server : 0;
  s.meta = {{"non_voter", "false"},
            {"read_replica", "false"},
            {"raft_version", "3"},
            {"serf_protocol_current", "2"},
            {"serf_protocol_min", "1"},
            {"serf_protocol_max", "5"},
            {"version", std::string(consul_version)}};
  if (options_.ports.grpc > 0) s.meta["grpc_port"] = std::to_string(options_.ports.grpc);
  if (options_.ports.grpc_tls > 0) s.meta["grpc_tls_port"] = std::to_string(options_.ports.grpc_tls);
  return s;
}

void local_agent::start() {
  // What a fresh `consul agent -dev` has written by the time it answers, one raft write at a
  // time as its leader makes them, so the table indexes are spread as Consul's are (the Go test
  // server waits for /v1/catalog/nodes at index 2 or more): the raft configuration, the new
  // leader's barrier, autopilot's defaults (establishLeadership), the node with its serfHealth
  // check and consul service (handleAliveMember), then anti-entropy's node update with the
  // tagged addresses and meta. No write leaves a table at index 1.
  { write_txn raft_configuration(state_); }
  { write_txn leader_barrier(state_); }
  {
    write_txn w(state_);
    state_.set_autopilot(w, autopilot_config{});
  }
  {
    write_txn w(state_);
    node_record alive = self_node();
    alive.tagged_addresses.clear();
    alive.meta.clear();
    state_.ensure_node(w, std::move(alive));
    state_.ensure_service(w, consul_service());
    check_record serf;
    serf.node = options_.node_name;
    serf.check_id = "serfHealth";
    serf.name = "Serf Health Status";
    serf.status = "passing";
    serf.output = "Agent alive and reachable";
    state_.ensure_check(w, serf);
  }
  {
    write_txn anti_entropy(state_);
    state_.ensure_node(anti_entropy, self_node());
  }
  start_reaper();
}

void local_agent::stop() {
  stopped_ = true;  // no new runner or timer starts after this
  for (auto& [_, lc] : checks_)
    if (lc.runner) lc.runner->stop();
  for (auto& [_, t] : session_timers_) t->stop();
  if (reaper_) reaper_->stop();
}

void local_agent::clamp_interval(const std::string& check_id, check_definition& d) const {
  if (d.interval.count() <= 0 || d.interval >= std::chrono::nanoseconds(options_.check_min_interval)) return;
  log_.log(log_level::warn, "agent", "check has interval below minimum: check=" + check_id +
                                        " minimum_interval=" + format_duration(options_.check_min_interval));
  d.interval = options_.check_min_interval;
}

local_check local_agent::track(const check_spec& c, const check_definition& definition) const {
  local_check lc;
  lc.check_id = c.check_id;
  lc.service_id = c.service_id;
  lc.definition = definition;
  lc.success_before_passing = c.success_before_passing;
  lc.failures_before_critical = c.failures_before_critical;
  lc.failures_before_warning = c.failures_before_warning == 0 ? c.failures_before_critical : c.failures_before_warning;
  lc.successes = lc.success_before_passing;  // StatusHandler's counters start at the thresholds
  lc.failures = lc.failures_before_critical;
  lc.reap_after = c.definition.deregister_critical_service_after;
  if (lc.reap_after.count() > 0 && lc.reap_after < std::chrono::nanoseconds(options_.deregister_minimum)) {
    log_.log(log_level::warn, "agent", "check has deregister interval below minimum: check=" + c.check_id +
                                          " minimum_interval=" + format_duration(options_.deregister_minimum));
    lc.reap_after = options_.deregister_minimum;
  }
  return lc;
}

void local_agent::add_service(service_record s, std::vector<check_spec> checks, bool replace_existing_checks) {
  s.node = options_.node_name;
  add_default_tagged_addresses(s);

  // Consul's defaults for embedded checks: "service:<id>" (":<n>" when several) and
  // "Service '<name>' check".
  for (std::size_t i = 0; i < checks.size(); ++i) {
    auto& c = checks[i];
    if (c.check_id.empty())
      c.check_id = checks.size() > 1 ? "service:" + s.id + ":" + std::to_string(i + 1) : "service:" + s.id;
    if (c.name.empty()) c.name = "Service '" + s.name + "' check";
    c.service_id = s.id;
  }

  std::vector<std::string> obsolete;
  if (replace_existing_checks) {
    // Not a structured binding: clang before 16 refuses to capture one in a lambda.
    for (const auto& entry : checks_) {
      const std::string& id = entry.first;
      if (entry.second.service_id != s.id) continue;
      bool kept = std::any_of(checks.begin(), checks.end(), [&](const check_spec& c) { return c.check_id == id; });
      if (!kept) obsolete.push_back(id);
    }
  }

  std::vector<std::string> started;
  {
    write_txn w(state_);
    state_.ensure_service(w, s);
    services_.insert(s.id);
    for (const auto& id : obsolete) {
      if (auto it = checks_.find(id); it != checks_.end()) {
        if (it->second.runner) it->second.runner->stop();
        checks_.erase(it);
      }
      state_.delete_check(w, options_.node_name, id);
    }
    for (auto& c : checks) {
      check_record rec;
      rec.node = options_.node_name;
      rec.check_id = c.check_id;
      rec.name = c.name;
      rec.notes = c.notes;
      rec.status = c.status.empty() ? "critical" : c.status;
      rec.service_id = s.id;
      rec.type = c.type();
      rec.definition = c.definition;
      // A re-registered check keeps the status and output it had.
      if (const auto* prev = state_.check(options_.node_name, c.check_id); prev && c.status.empty()) {
        rec.status = prev->status;
        rec.output = prev->output;
      }
      clamp_interval(c.check_id, rec.definition);
      state_.ensure_check(w, rec);

      local_check lc = track(c, rec.definition);
      if (auto it = checks_.find(c.check_id); it != checks_.end()) {
        if (it->second.runner) it->second.runner->stop();
        lc.critical_since = it->second.critical_since;
      }
      checks_[c.check_id] = std::move(lc);
      started.push_back(c.check_id);
    }
  }
  for (const auto& id : started) start_check_runner(checks_[id]);
  log_.log(log_level::info, "agent", "Synced service: service=" + s.id);
}

bool local_agent::remove_service(const std::string& id) {
  if (!services_.count(id)) return false;
  for (auto it = checks_.begin(); it != checks_.end();) {
    if (it->second.service_id == id) {
      if (it->second.runner) it->second.runner->stop();
      it = checks_.erase(it);
    } else {
      ++it;
    }
  }
  {
    write_txn w(state_);
    state_.delete_service(w, options_.node_name, id);
  }
  services_.erase(id);
  log_.log(log_level::info, "agent", "Deregistered service: service=" + id);
  // Consul's removeServiceLocked: the sidecar the agent registered for this service goes too.
  remove_sidecar_of(id);
  return true;
}

bool local_agent::remove_sidecar_of(const std::string& parent_id) {
  std::string sidecar_id = parent_id + sidecar_suffix;
  const service_record* sc = state_.service(options_.node_name, sidecar_id);
  // Only one this agent registered as a sidecar: a service that merely has that ID stays.
  if (!sc || !sc->locally_registered_as_sidecar) return false;
  return remove_service(sidecar_id);
}

void local_agent::add_check(check_spec c) {
  if (c.check_id.empty()) c.check_id = c.name;
  check_record rec;
  rec.node = options_.node_name;
  rec.check_id = c.check_id;
  rec.name = c.name;
  rec.notes = c.notes;
  rec.status = c.status.empty() ? "critical" : c.status;
  rec.service_id = c.service_id;
  rec.type = c.type();
  rec.definition = c.definition;
  clamp_interval(c.check_id, rec.definition);

  local_check lc = track(c, rec.definition);
  if (auto it = checks_.find(c.check_id); it != checks_.end() && it->second.runner) it->second.runner->stop();
  {
    write_txn w(state_);
    state_.ensure_check(w, rec);
  }
  checks_[c.check_id] = std::move(lc);
  start_check_runner(checks_[c.check_id]);
  log_.log(log_level::info, "agent", "Synced check: check=" + c.check_id);
}

bool local_agent::remove_check(const std::string& id) {
  auto it = checks_.find(id);
  if (it == checks_.end()) return false;
  if (it->second.runner) it->second.runner->stop();
  checks_.erase(it);
  write_txn w(state_);
  state_.delete_check(w, options_.node_name, id);
  return true;
}

void local_agent::update_ttl_check(const std::string& id, const std::string& status, std::string output) {
  auto it = checks_.find(id);
  if (it == checks_.end())
    throw http_error{404, "Unknown check ID \"" + id + "\". Ensure that the check ID is passed, not the check name."};
  auto& lc = it->second;
  if (lc.definition.ttl.count() <= 0) throw http_error{500, "CheckID \"" + id + "\" does not have associated TTL"};
  if (!valid_status(status)) throw http_error{400, "Invalid check status: '" + status + "'"};
  set_check_status(id, status, cap_output(std::move(output), lc.definition.output_max_size));
  if (lc.runner)
    lc.runner->rearm(deadline_after(lc.definition.ttl));
}

void local_agent::report_check_result(const std::string& id, const std::string& status, const std::string& output) {
  auto it = checks_.find(id);
  if (it == checks_.end()) return;
  auto& lc = it->second;
  if (status == "passing" || status == "warning") {
    ++lc.successes;
    lc.failures = 0;
    if (lc.successes >= lc.success_before_passing) set_check_status(id, status, output);
    return;
  }
  ++lc.failures;
  lc.successes = 0;
  if (lc.failures >= lc.failures_before_critical) {
    set_check_status(id, "critical", output);
  } else if (lc.failures >= lc.failures_before_warning) {
    set_check_status(id, "warning", output);
  } else {
    // Below both thresholds: Consul keeps the previous status but updates the output.
    if (const auto* rec = state_.check(options_.node_name, id)) set_check_status(id, rec->status, output);
  }
}

void local_agent::set_check_status(const std::string& id, const std::string& status, const std::string& output) {
  if (auto it = checks_.find(id); it != checks_.end()) {
    auto& lc = it->second;
    if (status == "critical") {
      if (!lc.critical_since) lc.critical_since = std::chrono::steady_clock::now();
    } else {
      lc.critical_since.reset();
    }
  }
  const auto* before = state_.check(options_.node_name, id);
  bool changed = before && before->status != status;
  state_.set_check_status(options_.node_name, id, status, output);
  if (changed) {
    log_.log(status == "critical" ? log_level::warn : log_level::info, "agent",
            (status == "critical" ? "Check is now critical: check=" : "Synced check: check=") + id);
  }
}

void local_agent::enable_service_maintenance(const std::string& service_id, const std::string& reason) {
  const auto* s = state_.service(options_.node_name, service_id);
  if (!s || !services_.count(service_id))
    throw http_error{404, "Unknown service ID \"" + service_id +
                              "\". Ensure that the service ID is passed, not the service name."};
  std::string id = "_service_maintenance:" + service_id;
  if (state_.check(options_.node_name, id)) return;
  check_record rec;
  rec.node = options_.node_name;
  rec.check_id = id;
  rec.name = "Service Maintenance Mode";
  rec.notes = reason.empty()
                  ? "Maintenance mode is enabled for this service, but no reason was provided. This is a default message."
                  : reason;
  rec.status = "critical";
  rec.service_id = service_id;
  rec.type = "maintenance";
  write_txn w(state_);
  state_.ensure_check(w, rec);
}

void local_agent::disable_service_maintenance(const std::string& service_id) {
  if (!state_.service(options_.node_name, service_id) || !services_.count(service_id))
    throw http_error{404, "Unknown service ID \"" + service_id +
                              "\". Ensure that the service ID is passed, not the service name."};
  write_txn w(state_);
  state_.delete_check(w, options_.node_name, "_service_maintenance:" + service_id);
}

}  // namespace coconsul::dev
