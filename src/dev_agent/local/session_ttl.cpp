// Session TTLs: a session is invalidated when it is not renewed within twice its TTL
// (SessionTTLMultiplier), as Consul's servers do. Each timer is a background_task.

#include "dev_agent/local/local_agent.hpp"

#include <coconsul/duration.hpp>

#include <boost/asio/this_coro.hpp>

namespace coconsul::dev {
namespace asio = boost::asio;
using clock = std::chrono::steady_clock;

namespace {

constexpr int session_ttl_multiplier = 2;

clock::duration invalidation_delay(const std::string& ttl) {
  auto d = try_parse_duration(ttl);
  return std::chrono::duration_cast<clock::duration>(d ? *d * session_ttl_multiplier : std::chrono::nanoseconds(0));
}

}  // namespace

asio::awaitable<void> local_agent::session_loop(std::shared_ptr<local_agent> c, std::string id,
                                                std::shared_ptr<background_task> task) {
  co_await asio::this_coro::throw_if_cancelled(false);
  asio::cancellation_state cancel = co_await asio::this_coro::cancellation_state;
  for (;;) {
    co_await task->sleep();
    if (cancel.cancelled() != asio::cancellation_type::none) co_return;
    if (clock::now() < task->deadline) continue;  // renewed
    c->log_.log(log_level::info, "agent.server.session", "Session TTL expired, invalidating: session=" + id);
    c->session_timers_.erase(id);
    write_txn w(c->state_);
    c->state_.destroy_session(w, id);
    co_return;
  }
}

void local_agent::start_session_timer(const session_record& s) {
  if (stopped_) return;
  auto delay = invalidation_delay(s.ttl);
  if (delay.count() <= 0) return;
  auto task = std::make_shared<background_task>(ex_);
  task->deadline = clock::now() + delay;
  session_timers_[s.id] = task;
  task->spawn(session_loop(shared_from_this(), s.id, task));
}

void local_agent::renew_session_timer(const std::string& id) {
  auto it = session_timers_.find(id);
  const auto* s = state_.session(id);
  if (it == session_timers_.end() || !s) return;
  it->second->rearm(clock::now() + invalidation_delay(s->ttl));
}

void local_agent::stop_session_timer(const std::string& id) {
  auto it = session_timers_.find(id);
  if (it == session_timers_.end()) return;
  it->second->stop();
  session_timers_.erase(it);
}

}  // namespace coconsul::dev
