#pragma once
// A background coroutine of the agent (a check runner, a session timer, the reaper): it sleeps
// until a deadline on the library's one wake-up event (watch/event.hpp), and stop() ends it through Asio's per-operation cancellation
// (a terminal cancellation on the signal it was spawned with), which also aborts a probe in
// flight: every operation it awaits completes with operation_aborted.

#include "watch/event.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>

#include <chrono>
#include <memory>

namespace coconsul::dev {

class background_task : public std::enable_shared_from_this<background_task> {
 public:
  explicit background_task(const boost::asio::any_io_executor& ex) : ex_(ex), wake_(ex) {}

  // Runs `body` on the timer's executor, bound to this task's cancellation signal. The task
  // stays alive until the coroutine has completed. The body starts with
  // `co_await this_coro::throw_if_cancelled(false)` and, after each wait, returns once its
  // cancellation state is cancelled.
  void spawn(boost::asio::awaitable<void> body);
  // Ends the coroutine (terminal cancellation). Idempotent.
  void stop();
  // Returns at `deadline`, after rearm(), or on stop(); the body looks at its cancellation
  // state and the clock to tell which.
  boost::asio::awaitable<void> sleep() { return wake_.wait_until(deadline); }
  // Moves the deadline and wakes the sleeper so it sleeps again until the new one.
  void rearm(std::chrono::steady_clock::time_point when) {
    deadline = when;
    wake_.notify();
  }

  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();

 private:
  boost::asio::any_io_executor ex_;
  detail::broadcast_event wake_;
  boost::asio::cancellation_signal signal_;
};

}  // namespace coconsul::dev
