// Runs the agent's checks: TTL timers, and HTTP/TCP probes on their interval, the first run
// staggered at a random point in [0, interval) as Consul does.

#include "dev_agent/core.hpp"
#include "dev_agent/probes.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <random>

namespace coconsul::dev {
namespace asio = boost::asio;
using clock = std::chrono::steady_clock;

namespace {

asio::awaitable<void> ttl_loop(std::shared_ptr<core> c, std::string id, std::shared_ptr<background_task> task) {
  for (;;) {
    task->timer.expires_at(task->deadline);
    co_await task->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (task->stopped || c->stopped) co_return;
    if (clock::now() < task->deadline) continue;  // re-armed by a TTL update
    std::string output = "TTL expired";
    if (const auto* rec = c->state.check(c->options.node_name, id); rec && !rec->output.empty())
      output += " (last output before timeout follows): " + rec->output;
    c->log.log(log_level::warn, "agent.checks", "Check missed TTL, is now critical: check=" + id);
    c->set_check_status(id, "critical", output);
    task->deadline = clock::time_point::max();
  }
}

asio::awaitable<void> interval_loop(std::shared_ptr<core> c, std::string id, check_definition def,
                                    std::shared_ptr<background_task> task) {
  auto interval = std::chrono::duration_cast<clock::duration>(def.interval);
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  auto stagger = clock::duration(std::uniform_int_distribution<clock::rep>(0, std::max<clock::rep>(interval.count() - 1, 0))(rng));
  task->deadline = clock::now() + stagger;
  for (;;) {
    task->timer.expires_at(task->deadline);
    co_await task->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (task->stopped || c->stopped) co_return;
    if (clock::now() < task->deadline) continue;
    probe_result r;
    if (def.http.empty()) {
      r = co_await probe_tcp(c->ex, def, task);
    } else {
      r = co_await probe_http(c->ex, def, task);
    }
    if (task->stopped || c->stopped) co_return;
    c->report_check_result(id, r.status, r.output);
    task->deadline = clock::now() + interval;
  }
}

}  // namespace

void core::start_check_runner(local_check& lc) {
  auto task = std::make_shared<background_task>(ex);
  lc.runner = task;
  const auto& d = lc.definition;
  if (d.ttl.count() > 0) {
    task->deadline = clock::now() + std::chrono::duration_cast<clock::duration>(d.ttl);
    asio::co_spawn(ex, ttl_loop(shared_from_this(), lc.check_id, task), asio::detached);
  } else if ((!d.http.empty() || !d.tcp.empty()) && d.interval.count() > 0) {
    asio::co_spawn(ex, interval_loop(shared_from_this(), lc.check_id, d, task), asio::detached);
  }
  // Script, Docker, gRPC, UDP, H2PING, OSService and alias checks are accepted but not run:
  // they keep their status (docs/dev-agent.md).
}

}  // namespace coconsul::dev
