#pragma once
// The agent-local side as one object: this agent's identity, the services and checks it owns
// (registered through /v1/agent/*), its check runners and probes, the session TTL timers and
// the reaper. It writes what it decides to the store; its refusals are http_error values (Consul's
// status and text), the only thing it takes from the HTTP layer.

#include "dev_agent/common/log.hpp"
#include "dev_agent/common/versions.hpp"
#include "dev_agent/local/background_task.hpp"
#include "dev_agent/local/check_spec.hpp"
#include "dev_agent/store/records.hpp"
#include "dev_agent/store/store.hpp"

#include <coconsul/dev_agent_options.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace coconsul::dev {

// What the agent knows about a check it owns, beyond the catalog record.
struct local_check {
  std::string check_id;
  std::string service_id;
  check_definition definition;
  int success_before_passing = 0;
  int failures_before_warning = 0;
  int failures_before_critical = 0;
  int successes = 0;  // StatusHandler counters; they start at the thresholds
  int failures = 0;
  std::chrono::nanoseconds reap_after{0};  // DeregisterCriticalServiceAfter after the clamp; 0: never
  std::optional<std::chrono::steady_clock::time_point> critical_since;
  std::shared_ptr<background_task> runner;
};

class local_agent : public std::enable_shared_from_this<local_agent> {
 public:
  // `options` has its defaults resolved (node name, datacenter). Everything runs on `ex`.
  local_agent(boost::asio::any_io_executor ex, const dev_agent_options& options, std::shared_ptr<store> st);
  local_agent(const local_agent&) = delete;
  local_agent& operator=(const local_agent&) = delete;

  // Writes what a fresh `consul agent -dev` has (its node, serfHealth, the consul service,
  // autopilot's configuration) and starts the reaper.
  void start();
  // Stops every check runner, session timer and the reaper. Idempotent.
  void stop();

  // --- identity ---
  const std::string& node_id() const { return node_id_; }
  const std::string& version() const { return version_; }
  const dev_agent_options& options() const { return options_; }
  // Node record of this agent (as anti-entropy writes it: tagged addresses and meta).
  node_record self_node() const;
  // The `consul` service a server registers for itself.
  service_record consul_service() const;

  // --- the agent's own services and checks (local_agent.cpp) ---
  // Errors come back as http_error exceptions with Consul's status and text.
  const std::set<std::string>& services() const { return services_; }
  const std::map<std::string, local_check>& checks() const { return checks_; }
  void add_service(service_record s, std::vector<check_spec> checks, bool replace_existing_checks);
  bool remove_service(const std::string& id);
  // Consul's removeServiceSidecars: deregisters the sidecar the agent registered for the
  // service `parent_id` (not a service that only has its ID). False when there was none.
  bool remove_sidecar_of(const std::string& parent_id);
  void add_check(check_spec spec);
  bool remove_check(const std::string& id);
  // A TTL update (pass/warn/fail/update): resets the TTL timer.
  void update_ttl_check(const std::string& id, const std::string& status, std::string output);
  // A runner's result, through Consul's StatusHandler thresholds.
  void report_check_result(const std::string& id, const std::string& status, const std::string& output);
  // Records a status (critical time tracking included) and writes it to the store.
  void set_check_status(const std::string& id, const std::string& status, const std::string& output);
  void enable_service_maintenance(const std::string& service_id, const std::string& reason);
  void disable_service_maintenance(const std::string& service_id);

  // --- sessions (session_ttl.cpp) ---
  void start_session_timer(const session_record& s);
  void renew_session_timer(const std::string& id);
  void stop_session_timer(const std::string& id);

 private:
  // Raises an interval below check_min_interval to it, with Consul's warning.
  void clamp_interval(const std::string& check_id, check_definition& d) const;
  // What the agent keeps of a check it runs: StatusHandler thresholds and counters, and
  // DeregisterCriticalServiceAfter raised to deregister_minimum (with Consul's warning).
  local_check track(const check_spec& c, const check_definition& definition) const;
  void start_check_runner(local_check& lc);  // check_runner.cpp
  void start_reaper();                        // reaper.cpp
  void reap_once();
  // The background coroutines; `c` keeps the agent (and its store) alive while they run.
  static boost::asio::awaitable<void> ttl_loop(std::shared_ptr<local_agent> c, std::string id,
                                               std::shared_ptr<background_task> task);
  static boost::asio::awaitable<void> interval_loop(std::shared_ptr<local_agent> c, std::string id,
                                                    check_definition def, std::shared_ptr<background_task> task);
  static boost::asio::awaitable<void> session_loop(std::shared_ptr<local_agent> c, std::string id,
                                                   std::shared_ptr<background_task> task);
  static boost::asio::awaitable<void> reap_loop(std::shared_ptr<local_agent> c, std::shared_ptr<background_task> task);

  boost::asio::any_io_executor ex_;
  dev_agent_options options_;
  logger log_;
  std::shared_ptr<store> store_;
  state_store& state_;
  std::string node_id_;
  std::string version_{consul_version};

  std::set<std::string> services_;
  std::map<std::string, local_check> checks_;
  std::map<std::string, std::shared_ptr<background_task>> session_timers_;
  std::shared_ptr<background_task> reaper_;
  bool stopped_ = false;
};

}  // namespace coconsul::dev
