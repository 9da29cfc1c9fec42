#pragma once
// Runs a library coroutine as an ordinary coconsul operation: its result or its exception
// becomes (error_code, diagnostics, T) on the caller's handler, and the handler's cancellation
// slot cancels the coroutine (terminal, partial and total alike).

#include <coconsul/async.hpp>
#include <coconsul/error.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/this_coro.hpp>

#include <exception>

namespace coconsul::detail {

// What an exception out of a library coroutine means as an error code and diagnostics.
inline void describe_exception(std::exception_ptr e, error_code& ec, diagnostics& diag) {
  try {
    std::rethrow_exception(e);
  } catch (const error& x) {
    ec = x.code();
    diag = x.diag();
  } catch (const boost::system::system_error& x) {
    ec = x.code();
  } catch (const std::exception& x) {
    ec = make_error_code(errc::internal_error);
    diag.message = x.what();
  } catch (...) {
    ec = make_error_code(errc::internal_error);
    diag.message = "an exception of unknown type";
  }
}

// Lets every kind of cancellation through to the coroutine's operations (co_spawn passes only
// terminal cancellation by default).
inline boost::asio::awaitable<void> accept_all_cancellation() {
  co_await boost::asio::this_coro::reset_cancellation_state(boost::asio::enable_total_cancellation());
}

template <class T>
void spawn_operation(boost::asio::any_io_executor ex, boost::asio::awaitable<T> body, completion_handler<T> h) {
  auto slot = boost::asio::get_associated_cancellation_slot(h);
  if constexpr (std::is_void_v<T>) {
    auto done = [h = std::move(h)](std::exception_ptr e) mutable {
      error_code ec;
      diagnostics diag;
      if (e) describe_exception(e, ec, diag);
      boost::asio::dispatch(boost::asio::append(std::move(h), ec, std::move(diag)));
    };
    boost::asio::co_spawn(ex, std::move(body), boost::asio::bind_cancellation_slot(slot, std::move(done)));
  } else {
    auto done = [h = std::move(h)](std::exception_ptr e, T value) mutable {
      error_code ec;
      diagnostics diag;
      if (e) {
        describe_exception(e, ec, diag);
        value = T{};
      }
      boost::asio::dispatch(boost::asio::append(std::move(h), ec, std::move(diag), std::move(value)));
    };
    boost::asio::co_spawn(ex, std::move(body), boost::asio::bind_cancellation_slot(slot, std::move(done)));
  }
}

}  // namespace coconsul::detail
