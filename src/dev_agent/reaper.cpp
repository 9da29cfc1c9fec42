// The reaper (Consul's reapServices): every reap interval (30 s), remove each service that has a
// check critical for strictly longer than its DeregisterCriticalServiceAfter (clamped to the
// 1-minute minimum when the check was added).

#include "dev_agent/core.hpp"

#include <coconsul/duration.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace coconsul::dev {
namespace asio = boost::asio;
using clock = std::chrono::steady_clock;

namespace {

void reap_once(core& c) {
  auto now = clock::now();
  std::vector<std::pair<std::string, std::string>> doomed;  // (service, check)
  for (const auto& [id, lc] : c.local_checks) {
    if (lc.service_id.empty() || lc.reap_after.count() <= 0 || !lc.critical_since) continue;
    if (now - *lc.critical_since > lc.reap_after) doomed.emplace_back(lc.service_id, id);
  }
  for (const auto& [service, check] : doomed) {
    if (!c.local_services.count(service)) continue;
    c.remove_service(service);
    c.log.log(log_level::info, "agent", "Check for service has been critical for too long; deregistered service: service=" +
                                            service + " check=" + check);
  }
}

asio::awaitable<void> reap_loop(std::shared_ptr<core> c, std::shared_ptr<background_task> task) {
  auto interval = std::chrono::duration_cast<clock::duration>(c->options.reap_interval);
  for (;;) {
    task->timer.expires_after(interval);
    co_await task->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (task->stopped || c->stopped) co_return;
    reap_once(*c);
  }
}

}  // namespace

void core::start_reaper() {
  reaper = std::make_shared<background_task>(ex);
  asio::co_spawn(ex, reap_loop(shared_from_this(), reaper), asio::detached);
}

}  // namespace coconsul::dev
