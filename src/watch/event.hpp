#pragma once
// A broadcast event for coroutines: wait() suspends until the next notify(), which wakes every
// waiter at once. Built on a timer that never expires: cancel() completes all its waits.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace coconsul::detail {

class broadcast_event {
 public:
  explicit broadcast_event(const boost::asio::any_io_executor& ex)
      : timer_(ex, boost::asio::steady_timer::time_point::max()) {}

  // Returns on the next notify(), or when this wait is cancelled (the caller tells which by
  // looking at the state it waits for).
  boost::asio::awaitable<void> wait() {
    (void)co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  }

  void notify() { timer_.cancel(); }

 private:
  boost::asio::steady_timer timer_;
};

}  // namespace coconsul::detail
