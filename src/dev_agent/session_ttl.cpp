// Session TTLs: a session is invalidated when it is not renewed within twice its TTL
// (SessionTTLMultiplier), as Consul's servers do.

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

constexpr int session_ttl_multiplier = 2;

clock::duration invalidation_delay(const std::string& ttl) {
  auto d = try_parse_duration(ttl);
  return std::chrono::duration_cast<clock::duration>(d ? *d * session_ttl_multiplier : std::chrono::nanoseconds(0));
}

asio::awaitable<void> session_loop(std::shared_ptr<core> c, std::string id, std::shared_ptr<background_task> task) {
  for (;;) {
    task->timer.expires_at(task->deadline);
    co_await task->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (task->stopped || c->stopped) co_return;
    if (clock::now() < task->deadline) continue;  // renewed
    c->log.log(log_level::info, "agent.server.session", "Session TTL expired, invalidating: session=" + id);
    c->session_timers.erase(id);
    write_txn w(c->state);
    c->state.destroy_session(w, id);
    co_return;
  }
}

}  // namespace

void core::start_session_timer(const session_record& s) {
  auto delay = invalidation_delay(s.ttl);
  if (delay.count() <= 0) return;
  auto task = std::make_shared<background_task>(ex);
  task->deadline = clock::now() + delay;
  session_timers[s.id] = task;
  asio::co_spawn(ex, session_loop(shared_from_this(), s.id, task), asio::detached);
}

void core::renew_session_timer(const std::string& id) {
  auto it = session_timers.find(id);
  const auto* s = state.session(id);
  if (it == session_timers.end() || !s) return;
  it->second->rearm(clock::now() + invalidation_delay(s->ttl));
}

void core::stop_session_timer(const std::string& id) {
  auto it = session_timers.find(id);
  if (it == session_timers.end()) return;
  it->second->stop();
  session_timers.erase(it);
}

}  // namespace coconsul::dev
