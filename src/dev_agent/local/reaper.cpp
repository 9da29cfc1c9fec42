// The reaper (Consul's reapServices): every reap interval (30 s), remove each service that has a
// check critical for strictly longer than its DeregisterCriticalServiceAfter (clamped to the
// 1-minute minimum when the check was added).

#include "dev_agent/local/local_agent.hpp"

#include <boost/asio/this_coro.hpp>

namespace coconsul::dev {
namespace asio = boost::asio;
using clock = std::chrono::steady_clock;

void local_agent::reap_once() {
  auto now = clock::now();
  std::vector<std::pair<std::string, std::string>> doomed;  // (service, check)
  for (const auto& [id, lc] : checks_) {
    if (lc.service_id.empty() || lc.reap_after.count() <= 0 || !lc.critical_since) continue;
    if (now - *lc.critical_since > lc.reap_after) doomed.emplace_back(lc.service_id, id);
  }
  for (const auto& [service, check] : doomed) {
    if (!services_.count(service)) continue;
    remove_service(service);
    log_.log(log_level::info, "agent", "Check for service has been critical for too long; deregistered service: service=" +
                                           service + " check=" + check);
  }
}

asio::awaitable<void> local_agent::reap_loop(std::shared_ptr<local_agent> c, std::shared_ptr<background_task> task) {
  co_await asio::this_coro::throw_if_cancelled(false);
  asio::cancellation_state cancel = co_await asio::this_coro::cancellation_state;
  auto interval = std::chrono::duration_cast<clock::duration>(c->options_.reap_interval);
  for (;;) {
    task->deadline = clock::now() + interval;
    co_await task->sleep();
    if (cancel.cancelled() != asio::cancellation_type::none) co_return;
    c->reap_once();
  }
}

void local_agent::start_reaper() {
  if (stopped_) return;
  reaper_ = std::make_shared<background_task>(ex_);
  reaper_->spawn(reap_loop(shared_from_this(), reaper_));
}

}  // namespace coconsul::dev
