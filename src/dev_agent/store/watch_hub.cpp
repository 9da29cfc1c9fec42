// The blocking-query hub: one timer per waiter, woken by publish(), abandon() or cancellation.

#include "dev_agent/store/watch_hub.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace coconsul::dev {
namespace asio = boost::asio;

// Lives in the waiting coroutine's frame; linked into the hub while it exists, so a frame
// destroyed without resuming (io_context shutdown) leaves no dangling pointer behind.
struct watch_hub::waiter {
  waiter(watch_hub& h, std::chrono::steady_clock::time_point deadline, unsigned t)
      : hub(h), timer(h.ex_, deadline), tables(t), next(h.head_) {
    if (next) next->prev = this;
    hub.head_ = this;
    ++hub.count_;
  }
  ~waiter() {
    if (prev) prev->next = next; else hub.head_ = next;
    if (next) next->prev = prev;
    --hub.count_;
  }
  waiter(const waiter&) = delete;
  waiter& operator=(const waiter&) = delete;

  watch_hub& hub;
  asio::steady_timer timer;
  unsigned tables;
  bool changed = false;
  bool abandoned = false;
  waiter* prev = nullptr;
  waiter* next = nullptr;
};

asio::awaitable<watch_hub::wake> watch_hub::wait(unsigned tables, std::chrono::steady_clock::time_point deadline) {
  // The timer's wait below is bound to this coroutine's cancellation slot (use_awaitable does
  // that), so a cancellation ends it with operation_aborted; the state tells it from a wake-up.
  asio::cancellation_state cancel = co_await asio::this_coro::cancellation_state;
  if (closed_ || cancel.cancelled() != asio::cancellation_type::none) co_return wake::abandoned;
  bool abandoned = false, changed = false;
  {
    waiter w(*this, deadline, tables);
    auto [ec] = co_await w.timer.async_wait(asio::as_tuple(asio::use_awaitable));
    (void)ec;
    abandoned = w.abandoned;
    changed = w.changed;
  }
  if (abandoned || cancel.cancelled() != asio::cancellation_type::none) co_return wake::abandoned;
  if (changed) co_return wake::changed;
  co_return wake::timeout;
}

void watch_hub::wake_matching(unsigned tables, bool abandoned) {
  // cancel() only queues the completion, so the list stays intact while we walk it.
  for (waiter* w = head_; w; w = w->next) {
    if (!abandoned && !(w->tables & tables)) continue;
    if (abandoned) w->abandoned = true; else w->changed = true;
    w->timer.cancel();
  }
}

void watch_hub::publish(unsigned tables) { wake_matching(tables, false); }

void watch_hub::abandon() {
  ++generation_;
  wake_matching(0, true);
}

void watch_hub::close() {
  closed_ = true;
  abandon();
}

}  // namespace coconsul::dev
