#pragma once
// A broadcast event for coroutines: wait() suspends until the next notify(), which wakes every
// waiter at once; wait_until() also returns at a deadline. Built on one timer: its expiry is
// the earliest deadline of the waiters (never, without one), and cancel() completes all its
// waits. The one wake-up event of the library (watches, balancer, service host, the dev
// agent's background tasks).

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace coconsul::detail {

class broadcast_event {
 public:
  using clock = boost::asio::steady_timer::clock_type;

  explicit broadcast_event(const boost::asio::any_io_executor& ex) : timer_(ex, clock::time_point::max()) {}

  // Returns on the next notify(), or when this wait is cancelled (the caller tells which by
  // looking at the state it waits for).
  boost::asio::awaitable<void> wait() { return wait_until(clock::time_point::max()); }

  // As wait(), and at `deadline` at the latest. Why it exists: a waiter that also has a time
  // to act (the service host's next heartbeat, the balancer's next cool-down end) needs both
  // in one wait. The timer carries the earliest deadline of all waiters, so a waiter may also
  // return early, when another waiter's deadline passes: callers look at their state and
  // their clock, as after any wake-up.
  boost::asio::awaitable<void> wait_until(clock::time_point deadline) {
    // An expiry in the past would end every later wait at once, forever: move it. Moving it
    // (and shortening it) completes the other waits too, which simply look again.
    // (A plain wait() never reads the clock: an expiry of never cannot be in the past.)
    const auto expiry = timer_.expiry();
    if (deadline < expiry || (expiry != clock::time_point::max() && expiry <= clock::now()))
      timer_.expires_at(deadline);
    (void)co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  }

  void notify() { timer_.cancel(); }

 private:
  boost::asio::steady_timer timer_;
};

}  // namespace coconsul::detail
