#pragma once
// The one shape of every single-request operation: build the request (refusing bad input before
// anything is sent), send it through the pool, interpret the response, complete the handler on
// its own executor. Cancellation flows from the handler's slot to the transport, which closes
// the connection in use.

#include <coconsul/async.hpp>
#include <coconsul/error.hpp>
#include <coconsul/query.hpp>

#include "client/client_state.hpp"
#include "protocol/response.hpp"

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>

#include <chrono>
#include <memory>

namespace coconsul::detail {

// Completes `h` on its associated executor, never from inside the initiating call.
template <class T>
void complete_later(const boost::asio::any_io_executor& fallback, completion_handler<T> h, error_code ec,
                    diagnostics diag, T value) {
  auto ex = boost::asio::get_associated_executor(h, fallback);
  boost::asio::post(ex, [h = std::move(h), ec, diag = std::move(diag), value = std::move(value)]() mutable {
    std::move(h)(ec, std::move(diag), std::move(value));
  });
}

// build() -> http::request, may throw coconsul::error (bad input).
// interpret(const http::response&, diagnostics&, T&) -> error_code: status, headers and body.
template <class T, class Build, class Interpret>
void run_request(client_state& st, completion_handler<T> handler, Build build, Interpret interpret) {
  http::request req;
  try {
    req = build();
  } catch (const error& e) {
    complete_later(st.pool.get_executor(), std::move(handler), e.code(), e.diag(), T{});
    return;
  }

  struct op_state {
    completion_handler<T> handler;
    Interpret interpret;
    diagnostics diag;
  };
  auto op = std::make_shared<op_state>(op_state{std::move(handler), std::move(interpret), {}});
  auto slot = boost::asio::get_associated_cancellation_slot(op->handler);
  auto ex = boost::asio::get_associated_executor(op->handler, st.pool.get_executor());
  auto on_response = [op](error_code ec, http::response r) {
    T value{};
    if (!ec) {
      try {
        ec = op->interpret(r, op->diag, value);
      } catch (const error& e) {  // a decoder's clear error about the body
        ec = e.code();
        op->diag = e.diag();
        op->diag.http_status = r.status;
      }
    }
    std::move(op->handler)(ec, std::move(op->diag), std::move(value));
  };
  st.pool.async_execute(std::move(req), op->diag,
                        boost::asio::bind_cancellation_slot(slot, boost::asio::bind_executor(ex, std::move(on_response))));
}

// The usual interpretation of a read: 2xx required, query_meta from the headers, then the body.
template <class T, class DecodeBody>
auto read_with_meta(DecodeBody decode_body) {
  return [decode_body](const http::response& r, diagnostics& diag, query_result<T>& out) -> error_code {
    if (auto ec = protocol::check_status(r, diag)) return ec;
    if (auto ec = protocol::read_query_meta(r, out.meta, diag)) return ec;
    out.value = decode_body(r.body);
    return {};
  };
}

}  // namespace coconsul::detail
