#pragma once
// Layer 3, the transport: HTTP/1.1 to one Consul agent address over a keep-alive connection
// pool. No Beast in this header: the client layer and the tests see only these plain types.
//
// Guarantees:
// - at most config.limits.max_connections open connections; a request beyond that waits for
//   one and fails with errc::connection_wait_timeout if its timeout passes first;
// - an idempotent request that finds its pooled connection closed by the server (before any
//   response byte) is retried once on a fresh connection;
// - every failure says what was wrong in `diagnostics.message` beside a distinct errc;
// - cancellation (terminal, partial and total are all honoured as terminal) closes the
//   connection in use, which is not returned to the pool;
// - destroying the pool, or calling close(), fails every pending request with errc::closed.

#include <coconsul/config.hpp>
#include <coconsul/error.hpp>

#include "protocol/message.hpp"

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace coconsul::http {

// The message types belong to the protocol layer below (src/protocol/message.hpp); the
// transport sends them under its own names so that callers can say http::request.
using protocol::header;
using protocol::request;
using protocol::response;
using protocol::verb;

// Counters for tests, benchmarks and diagnostics.
struct pool_stats {
  std::size_t open_connections = 0;   // connecting, busy or idle: what counts against the cap
  std::size_t idle_connections = 0;
  std::size_t waiting_requests = 0;   // queued for a free connection
  std::uint64_t connections_opened = 0;
  std::uint64_t requests_sent = 0;
  std::uint64_t retries = 0;          // stale keep-alive retries
};

class pool;

// A response body read as it arrives (pool::async_open_stream): the connection is this stream's
// alone, counted against the pool's cap until the stream is destroyed, and never reused.
class body_stream {
 public:
  using read_handler = boost::asio::any_completion_handler<void(error_code, std::string)>;

  body_stream() = default;
  body_stream(body_stream&&) noexcept = default;
  body_stream& operator=(body_stream&&) noexcept;
  ~body_stream();  // closes the connection; a read in flight completes with operation_aborted

  // The body bytes that have arrived since the last read (waits for at least one), or
  // boost::asio::error::eof once the body has ended. No deadline: the caller's cancellation
  // (terminal, partial and total, all honoured as terminal) ends a wait and closes the
  // connection. On failure `diag.message` says what was wrong; `diag` must outlive the read.
  template <class CompletionToken>
  auto async_read(diagnostics& diag, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(error_code, std::string)>(
        [this](auto handler, diagnostics* d) { read(*d, std::move(handler)); }, token, &diag);
  }

  explicit operator bool() const noexcept { return op_ != nullptr; }

 private:
  friend class pool;
  void read(diagnostics& diag, read_handler handler);
  void reset() noexcept;
  std::shared_ptr<void> op_;  // the pool's request, which owns the connection
};

class pool {
 public:
  using handler_type = boost::asio::any_completion_handler<void(error_code, response)>;

  // Uses cfg.address, cfg.token, cfg.tls, cfg.timeouts and cfg.limits. Throws coconsul::error
  // for an address that does not parse or TLS files that cannot be loaded.
  pool(boost::asio::any_io_executor ex, const config& cfg);
  ~pool();  // fails pending requests with errc::closed and closes every connection
  pool(const pool&) = delete;
  pool& operator=(const pool&) = delete;

  boost::asio::any_io_executor get_executor() const noexcept;

  // Sends `req` and completes with the whole response (any status: mapping statuses to errors
  // is the protocol layer's job). On failure `diag.message` says what was wrong; `diag` must
  // outlive the operation. The token header is added when the config has one.
  template <class CompletionToken>
  auto async_execute(request req, diagnostics& diag, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(error_code, response)>(
        [this](auto handler, request r, diagnostics* d) { execute(std::move(r), *d, std::move(handler)); },
        token, std::move(req), &diag);
  }

  // Sends `req` and completes once the response's status and headers have arrived, with those
  // (the body bytes that came with them in response.body) and a body_stream for the rest. The
  // request's timeout covers the wait for the header only. Failures as async_execute.
  using stream_handler_type = boost::asio::any_completion_handler<void(error_code, response, body_stream)>;
  template <class CompletionToken>
  auto async_open_stream(request req, diagnostics& diag, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(error_code, response, body_stream)>(
        [this](auto handler, request r, diagnostics* d) { open_stream(std::move(r), *d, std::move(handler)); },
        token, std::move(req), &diag);
  }

  // Fails every pending request with errc::closed and closes every connection; later requests
  // fail at once with errc::closed.
  void close();

  pool_stats stats() const noexcept;

 private:
  void execute(request req, diagnostics& diag, handler_type handler);
  void open_stream(request req, diagnostics& diag, stream_handler_type handler);
  friend class body_stream;
  static body_stream make_body_stream(std::shared_ptr<void> op);

  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace coconsul::http
