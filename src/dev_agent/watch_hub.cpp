#include "dev_agent/watch_hub.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace coconsul::dev {
namespace asio = boost::asio;

struct watch_hub::waiter {
  asio::steady_timer timer;
  unsigned tables;
  bool changed = false;
  bool abandoned = false;
  waiter* prev = nullptr;
  waiter* next = nullptr;
};

asio::awaitable<watch_hub::wake> watch_hub::wait(unsigned tables, std::chrono::steady_clock::time_point deadline) {
  if (closed_) co_return wake::abandoned;
  waiter w{asio::steady_timer(ex_, deadline), tables};
  // Link at the head; unlinked below on every path out.
  w.next = head_;
  if (head_) head_->prev = &w;
  head_ = &w;
  ++count_;
  auto [ec] = co_await w.timer.async_wait(asio::as_tuple(asio::use_awaitable));
  (void)ec;
  if (w.prev) w.prev->next = w.next; else head_ = w.next;
  if (w.next) w.next->prev = w.prev;
  --count_;
  if (w.abandoned) co_return wake::abandoned;
  if (w.changed) co_return wake::changed;
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
