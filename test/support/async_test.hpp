#pragma once
// Runs coroutines under a deadline: a test that does not finish in time fails, it never hangs.

#include <coconsul/error.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <exception>
#include <string>

namespace coconsul::test {

// Runs `main` on `ioc` until it finishes or `deadline` passes. An exception from `main` or the
// deadline fails the current test. Work left on `ioc` afterwards is stopped, not awaited.
inline void run_with_deadline(boost::asio::io_context& ioc, boost::asio::awaitable<void> main,
                              std::chrono::steady_clock::duration deadline = std::chrono::seconds(20)) {
  bool done = false;
  std::exception_ptr failure;
  boost::asio::co_spawn(ioc, std::move(main), [&](std::exception_ptr e) {
    done = true;
    failure = e;
    ioc.stop();
  });
  ioc.restart();
  ioc.run_for(deadline);
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      BOOST_FAIL(std::string("coroutine threw: ") + e.what());
    }
  }
  if (!done) BOOST_FAIL("deadline passed before the coroutine finished");
}

// The same on a fresh io_context.
inline void run_with_deadline(boost::asio::awaitable<void> main,
                              std::chrono::steady_clock::duration deadline = std::chrono::seconds(20)) {
  boost::asio::io_context ioc;
  run_with_deadline(ioc, std::move(main), deadline);
}

// Waits until `pred` holds, checking every millisecond: for states that raise no event of their
// own (an agent's count of waiting queries). Bounded by the test's deadline.
template <class Pred>
boost::asio::awaitable<void> until(Pred pred) {
  boost::asio::steady_timer t(co_await boost::asio::this_coro::executor);
  while (!pred()) {
    t.expires_after(std::chrono::milliseconds(1));
    co_await t.async_wait(boost::asio::use_awaitable);
  }
}

// The coconsul::error an operation failed with (a default one, of error_code{}, when it
// succeeded): for tests that check a failure's code and message.
template <class Awaitable>
boost::asio::awaitable<coconsul::error> failure_of(Awaitable op) {
  try {
    co_await std::move(op);
  } catch (const coconsul::error& e) {
    co_return e;
  }
  co_return coconsul::error(coconsul::error_code{});
}

}  // namespace coconsul::test
