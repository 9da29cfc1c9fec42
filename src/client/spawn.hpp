#pragma once
// What library coroutines run as operations share (client/coded.hpp's spawn_coded runs them):
// the meaning of an exception that escapes one (bad_alloc and the like: failures are codes),
// and letting every kind of cancellation through.

#include <coconsul/error.hpp>

#include <boost/asio/awaitable.hpp>
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

}  // namespace coconsul::detail
