#pragma once
// A result that carries its failure as a code (a lock's steps, the watches' fetches and next()),
// and the glue that runs a coroutine returning one as an ordinary coconsul operation. Not a
// second error mechanism: it is what `co_await op(..., no_throw)` gives, in a struct.

#include <coconsul/async.hpp>
#include <coconsul/error.hpp>

#include "client/spawn.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>

#include <exception>
#include <tuple>
#include <type_traits>
#include <utility>

namespace coconsul::detail {

template <class T>
struct coded {
  error_code ec;
  diagnostics diag;
  T value{};
};

// An operation that returns nothing: only whether it failed, and why.
template <>
struct coded<void> {
  error_code ec;
  diagnostics diag;
};

// `= diagnostics()`, not `= {}`: g++ 12 destroys a brace-initialised default argument twice
// when the call is part of a co_await expression.
template <class T>
coded<T> failed(error_code ec, diagnostics diag = diagnostics()) {
  coded<T> r;
  r.ec = ec;
  r.diag = std::move(diag);
  return r;
}

// What `co_await op(..., no_throw)` gave, as a coded result.
template <class T>
coded<T> to_coded(std::tuple<error_code, diagnostics, T> t) {
  coded<T> r;
  r.ec = std::get<0>(t);
  r.diag = std::move(std::get<1>(t));
  r.value = std::move(std::get<2>(t));
  return r;
}

// Runs `body` on `ex` and completes `h` with the code, diagnostics and value that `finish`
// makes of what `body` returned; the handler's cancellation slot cancels the coroutine. An
// exception escaping `body` (bad_alloc and the like: failures are codes here) still reaches
// `h` as an error code rather than being lost. `finish` lets a coroutine return less than a
// coded<T> (the watches' next() returns a pointer, null on failure), so that the coroutine
// frames of every pending operation need not carry an error code and diagnostics.
template <class T, class R, class Finish>
void spawn_coded(boost::asio::any_io_executor ex, boost::asio::awaitable<R> body, Finish finish,
                 completion_handler<T> h) {
  auto slot = boost::asio::get_associated_cancellation_slot(h);
  auto done = [h = std::move(h), finish = std::move(finish)](std::exception_ptr e, R raw) mutable {
    coded<T> r;
    if (e)
      describe_exception(e, r.ec, r.diag);
    else
      r = finish(std::move(raw));
    if constexpr (std::is_void_v<T>)
      boost::asio::dispatch(boost::asio::append(std::move(h), r.ec, std::move(r.diag)));
    else
      boost::asio::dispatch(boost::asio::append(std::move(h), r.ec, std::move(r.diag), std::move(r.value)));
  };
  boost::asio::co_spawn(ex, std::move(body), boost::asio::bind_cancellation_slot(slot, std::move(done)));
}

// The same for a coroutine that returns its coded result itself.
template <class T>
void spawn_coded(boost::asio::any_io_executor ex, boost::asio::awaitable<coded<T>> body, completion_handler<T> h) {
  auto as_is = [](coded<T> r) { return r; };
  spawn_coded<T>(std::move(ex), std::move(body), std::move(as_is), std::move(h));
}

}  // namespace coconsul::detail
