#pragma once
// The one shape of every single-request operation: build the request (refusing bad input before
// anything is sent), send it through the pool, interpret the response, complete the handler on
// its own executor. Cancellation flows from the handler's slot to the transport, which closes
// the connection in use.

#include <coconsul/async.hpp>
#include <coconsul/error.hpp>
#include <coconsul/query.hpp>

#include "client/client_state.hpp"
#include "protocol/request.hpp"
#include "protocol/response.hpp"

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include <chrono>
#include <memory>

namespace coconsul::detail {

// Completes `h` through its associated executor (a strand stays a strand).
template <class T, class... Args>
void complete(completion_handler<T> h, Args&&... args) {
  boost::asio::dispatch(boost::asio::append(std::move(h), std::forward<Args>(args)...));
}

// Completes `h` with a failure, never from inside the initiating call.
template <class T>
void fail_later(const boost::asio::any_io_executor& io, completion_handler<T> h, error_code ec, diagnostics diag) {
  boost::asio::post(io, [h = std::move(h), ec, diag = std::move(diag)]() mutable {
    if constexpr (std::is_void_v<T>)
      complete<T>(std::move(h), ec, std::move(diag));
    else
      complete<T>(std::move(h), ec, std::move(diag), T{});
  });
}

// build() -> protocol::request_builder; when it refused bad input (refused()), the operation
// fails with that errc::invalid_argument and nothing is sent.
// interpret(const http::response&, diagnostics&, T&) -> error_code reads status, headers and body
// (for T = void: interpret(const http::response&, diagnostics&)) and never throws: a body that
// does not decode is an error code (interpret.hpp's decode_body).
template <class T, class Build, class Interpret>
void run_request(client_state& st, completion_handler<T> handler, Build build, Interpret interpret) {
  if (diagnostics diag; auto ec = st.refresh_token(diag)) {
    fail_later<T>(st.pool.get_executor(), std::move(handler), ec, std::move(diag));
    return;
  }
  protocol::request_builder built = build();
  if (const auto& refused = built.refused()) {
    fail_later<T>(st.pool.get_executor(), std::move(handler), refused.code(), refused.diag());
    return;
  }
  http::request req = std::move(built).finish();

  struct op_state {
    completion_handler<T> handler;
    Interpret interpret;
    diagnostics diag;
  };
  auto op = std::make_shared<op_state>(op_state{std::move(handler), std::move(interpret), {}});
  auto slot = boost::asio::get_associated_cancellation_slot(op->handler);
  auto on_response = [op](error_code ec, http::response r) {
    if constexpr (std::is_void_v<T>) {
      if (!ec) ec = op->interpret(r, op->diag);
      complete<T>(std::move(op->handler), ec, std::move(op->diag));
    } else {
      T value{};
      if (!ec) ec = op->interpret(r, op->diag, value);
      if (ec) value = T{};  // a failed operation never hands out a half-decoded value
      complete<T>(std::move(op->handler), ec, std::move(op->diag), std::move(value));
    }
  };
  st.pool.async_execute(std::move(req), op->diag,
                        boost::asio::bind_cancellation_slot(slot, std::move(on_response)));
}

}  // namespace coconsul::detail
