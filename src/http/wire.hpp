#pragma once
// HTTP/1.1 on the wire, without I/O: writing a request and reading a response from the bytes a
// connection delivers. Beast's parser stays inside wire.cpp.

#include "http/transport.hpp"

#include <boost/asio/buffer.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace coconsul::http::detail {

// The request line and header block: Host, User-Agent (unless the request has its own),
// X-Consul-Token (unless the request carries its own), the request's headers, Content-Length.
// The body is not copied: it is written after these bytes. Returns an
// invalid_argument code with `why` filled for a target or header that would break the framing
// (control characters, CR or LF) or a header the transport sets itself.
error_code serialize_request(const request& req, const std::string& authority, const std::string& token,
                             std::string& out, std::string& why);

// Reads one response. Feed it what the connection reads until it is done or failed.
class response_reader {
 public:
  enum class state { need_more, done, failed };

  response_reader(std::size_t max_header_bytes, std::size_t max_body_bytes);
  ~response_reader();
  response_reader(const response_reader&) = delete;
  response_reader& operator=(const response_reader&) = delete;

  // Space to read into, then commit() how much was read.
  boost::asio::mutable_buffer prepare();
  state commit(std::size_t bytes);
  // The server closed the stream: done when the body runs to EOF, failed otherwise. With
  // `reset` the close was a reset rather than an orderly EOF (only the message differs).
  state finish_at_eof(bool reset = false);

  std::uint64_t bytes_received() const noexcept { return received_; }
  // After done: whether the connection can carry another request (keep-alive, nothing extra).
  bool reusable() const noexcept;
  // After done: the response.
  response take();

  // Streaming (pool::async_open_stream): the body is taken out as it arrives, so it has no
  // limit. Call before the first commit().
  void stream_body();
  bool header_done() const noexcept;
  bool done() const noexcept;
  // After header_done: the status and headers, with an empty body.
  response head() const;
  // The body bytes parsed since the last call.
  std::string take_body();
  // After failed: the code (errc::malformed_response, truncated_response, body_too_large,
  // header_too_large) and what was wrong.
  error_code error() const noexcept { return error_; }
  const std::string& message() const noexcept { return message_; }

  // Where a read stands, for a timeout's message: "after 120 of 512 body bytes".
  std::string progress() const;

 private:
  struct impl;
  state parse();
  state fail_parse(const error_code& ec, std::string_view raw);
  state fail(errc e, std::string message);

  std::unique_ptr<impl> impl_;
  std::uint64_t received_ = 0;
  error_code error_;
  std::string message_;
};

}  // namespace coconsul::http::detail
