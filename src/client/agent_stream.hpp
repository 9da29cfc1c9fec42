#pragma once
// An agent answer whose body does not end (GET /v1/agent/monitor, /v1/agent/metrics/stream):
// opened on the first read, then read piece by piece as it arrives (http::body_stream). The
// framing (lines, JSON values) is the caller's; opening, an error answer's text, the bound on
// bytes waiting to be framed and the end of the stream are here, once.

#include <coconsul/error.hpp>

#include "client/client_state.hpp"
#include "http/transport.hpp"
#include "protocol/request.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace coconsul::detail {

struct agent_stream {
  explicit agent_stream(std::shared_ptr<client_state> s) : st(std::move(s)) {}

  std::shared_ptr<client_state> st;
  std::optional<http::body_stream> body;  // open after open()
  std::string pending;                    // bytes that arrived and are not framed yet
  error_code ended;                       // once set, every read fails with it
  diagnostics ended_diag;

  bool open_now() const { return body.has_value(); }

  // Sends the request `make` builds (after the client's token is brought up to date: a token
  // file may have changed). On a 2xx answer the stream is open and `pending` holds the body
  // bytes that came with the head; otherwise the stream ends with the agent's answer (its
  // status and text, read up to the client's body limit).
  boost::asio::awaitable<error_code> open(std::function<protocol::request_builder()> make);

  // Appends the bytes that arrive next to `pending`. boost::asio::error::eof when the agent
  // ended the body (the stream is not ended by it: `pending` may hold a last piece); any other
  // failure, or `pending` growing past the client's body limit without a whole `what` in it,
  // ends the stream.
  boost::asio::awaitable<error_code> read_more(std::string_view what);

  // Ends the stream with `ec` and closes the connection; later reads fail with it.
  error_code end(error_code ec, diagnostics d);
};

}  // namespace coconsul::detail
