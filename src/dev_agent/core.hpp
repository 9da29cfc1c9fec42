#pragma once
// The dev agent's shared state: options, the store, the blocking-query hub, the router, the
// agent's own services and checks (with their runners), session timers and faults. Everything
// here runs on one strand.

#include "dev_agent/faults.hpp"
#include "dev_agent/log.hpp"
#include "dev_agent/router.hpp"
#include "dev_agent/state.hpp"
#include "dev_agent/watch_hub.hpp"

#include <coconsul/dev_agent.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace coconsul::dev {

class server;

// A timer a background coroutine sleeps on; stop() ends the coroutine.
struct background_task {
  explicit background_task(const boost::asio::any_io_executor& ex) : timer(ex) {}
  boost::asio::steady_timer timer;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  bool stopped = false;
  // Set while a probe is in flight, so stop() can cut it short.
  std::function<void()> on_stop;
  void stop() {
    stopped = true;
    timer.cancel();
    if (on_stop) on_stop();
  }
  // Moves the deadline and wakes the sleeper so it re-arms.
  void rearm(std::chrono::steady_clock::time_point when) {
    deadline = when;
    timer.cancel();
  }
};

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

// A check from a request body (Consul's CheckType / CheckDefinition).
struct check_spec {
  std::string check_id;
  std::string name;
  std::string notes;
  std::string status;
  std::string service_id;
  check_definition definition;
  int success_before_passing = 0;
  int failures_before_warning = 0;
  int failures_before_critical = 0;
  std::string type() const;  // Consul's CheckType.Type(): "http", "tcp", "ttl", ...
  bool has_type() const;      // CheckType.Valid()
  // CheckType.Validate(): "" or the reason.
  std::string validate() const;
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

class core : public std::enable_shared_from_this<core> {
 public:
  core(boost::asio::any_io_executor ex, dev_agent_options options);
  ~core();

  boost::asio::any_io_executor ex;
  dev_agent_options options;
  logger log;
  watch_hub hub;
  state_store state;
  fault_state faults;
  router routes;
  std::unique_ptr<server> http;
  std::string node_id;
  std::string version = "1.17.1";
  std::chrono::system_clock::time_point started_at = std::chrono::system_clock::now();
  bool stopped = false;

  std::set<std::string> local_services;
  std::map<std::string, local_check> local_checks;
  std::map<std::string, std::shared_ptr<background_task>> session_timers;
  std::shared_ptr<background_task> reaper;
  std::uint64_t event_ltime = 0;
  std::deque<event_record> events;

  void start();
  void stop();

  // --- the agent's own services and checks (agent_local.cpp) ---
  // Errors come back as http_error exceptions with Consul's status and text.
  void add_service(service_record s, std::vector<check_spec> checks, bool replace_existing_checks);
  bool remove_service(const std::string& id);
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

  // --- background work ---
  void start_check_runner(local_check& lc);  // checks/*.cpp
  void start_reaper();                        // reaper.cpp

  // Node record of this agent.
  node_record self_node() const;
};

// An error a handler reports: Consul's status and plain-text body.
struct http_error {
  unsigned status;
  std::string reason;
};

// Installs every endpoint family's routes.
void add_agent_routes(router& r);
void add_catalog_routes(router& r);
void add_health_routes(router& r);
void add_kv_routes(router& r);
void add_session_routes(router& r);
void add_status_routes(router& r);
void add_event_routes(router& r);
void add_txn_routes(router& r);

// Serves one request: faults, routing, 404/405 handling, common headers.
boost::asio::awaitable<http_response> dispatch(core& c, http_request& req);

}  // namespace coconsul::dev
