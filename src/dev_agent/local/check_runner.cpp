// Runs the agent's checks: TTL timers, and HTTP/TCP probes on their interval, the first run
// staggered at a random point in [0, interval) as Consul does. Each runner is a background_task:
// stopping it cancels its timer or its probe.

#include "dev_agent/common/deadline.hpp"
#include "dev_agent/local/local_agent.hpp"
#include "dev_agent/local/probes.hpp"

#include <boost/asio/this_coro.hpp>

#include <random>

namespace coconsul::dev {
namespace asio = boost::asio;
using clock = std::chrono::steady_clock;

asio::awaitable<void> local_agent::ttl_loop(std::shared_ptr<local_agent> c, std::string id,
                                            std::shared_ptr<background_task> task) {
  co_await asio::this_coro::throw_if_cancelled(false);
  asio::cancellation_state cancel = co_await asio::this_coro::cancellation_state;
  for (;;) {
    co_await task->sleep();
    if (cancel.cancelled() != asio::cancellation_type::none) co_return;
    if (clock::now() < task->deadline) continue;  // re-armed by a TTL update
    std::string output = "TTL expired";
    if (const auto* rec = c->state_.check(c->options_.node_name, id); rec && !rec->output.empty())
      output += " (last output before timeout follows): " + rec->output;
    c->log_.log(log_level::warn, "agent.checks", "Check missed TTL, is now critical: check=" + id);
    c->set_check_status(id, "critical", output);
    task->deadline = clock::time_point::max();
  }
}

asio::awaitable<void> local_agent::interval_loop(std::shared_ptr<local_agent> c, std::string id, check_definition def,
                                                 std::shared_ptr<background_task> task) {
  co_await asio::this_coro::throw_if_cancelled(false);
  asio::cancellation_state cancel = co_await asio::this_coro::cancellation_state;
  auto interval = std::chrono::duration_cast<clock::duration>(def.interval);
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  auto stagger = clock::duration(std::uniform_int_distribution<clock::rep>(0, std::max<clock::rep>(interval.count() - 1, 0))(rng));
  task->deadline = deadline_after(stagger);
  for (;;) {
    co_await task->sleep();
    if (cancel.cancelled() != asio::cancellation_type::none) co_return;
    if (clock::now() < task->deadline) continue;
    // A stop() while the probe runs aborts its connect, handshake, write or read.
    probe_result r;
    if (def.http.empty()) {
      r = co_await probe_tcp(c->ex_, def);
    } else {
      r = co_await probe_http(c->ex_, def);
    }
    if (cancel.cancelled() != asio::cancellation_type::none) co_return;
    c->report_check_result(id, r.status, r.output);
    task->deadline = deadline_after(def.interval);
  }
}

void local_agent::start_check_runner(local_check& lc) {
  if (stopped_) return;
  auto task = std::make_shared<background_task>(ex_);
  lc.runner = task;
  const auto& d = lc.definition;
  if (d.ttl.count() > 0) {
    task->deadline = deadline_after(d.ttl);
    task->spawn(ttl_loop(shared_from_this(), lc.check_id, task));
  } else if ((!d.http.empty() || !d.tcp.empty()) && d.interval.count() > 0) {
    task->spawn(interval_loop(shared_from_this(), lc.check_id, d, task));
  }
  // Script, Docker, gRPC, UDP, H2PING, OSService and alias checks are accepted but not run:
  // they keep their status (docs/dev-agent.md).
}

}  // namespace coconsul::dev
