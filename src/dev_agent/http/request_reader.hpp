#pragma once
// The dev agent's HTTP request parser, sans I/O: bytes in, one http_request out, or the reason it
// must be refused. The server and the agent_request fuzz target drive the same code. It knows
// nothing of sockets, limits other than the ones it is given, or Consul.

#include "dev_agent/http/message.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace coconsul::dev {

// Why a request cannot be served; each has one reply (rejection.hpp).
enum class refusal {
  none,
  bad_request,                    // not HTTP/1.x: 400
  header_too_large,               // over the header bound: 431
  body_too_large,                 // over the body bound: 413
  unsupported_transfer_encoding,  // a Transfer-Encoding other than "chunked": 501
};

class request_reader {
 public:
  // `max_header_bytes` bounds the request line and fields together; no single field is bounded
  // on its own (Go's server has no per-field limit either). A body over `max_body_bytes` is
  // refused before it is stored: from its Content-Length at once, or as its chunks arrive.
  request_reader(std::size_t max_header_bytes, std::size_t max_body_bytes);
  ~request_reader();
  request_reader(const request_reader&) = delete;
  request_reader& operator=(const request_reader&) = delete;

  // Parses what it can of `bytes` and returns how many it consumed; the caller keeps the rest
  // and feeds it again with more. Stops after the header (so the caller can decide on the body
  // before any of it is read) and after the message. Never throws.
  std::size_t feed(std::string_view bytes);

  bool header_done() const;
  bool done() const;
  refusal refused() const { return refused_; }

  // After the header: what the body will be.
  std::optional<std::uint64_t> content_length() const;
  bool chunked() const;
  bool keep_alive() const;
  unsigned version() const;  // 10 or 11
  bool expects_continue() const;

  // The request, once done(). Moves the body out; `remote` is the client's "ip:port".
  http_request take(std::string remote);

  struct parser;

 private:
  std::unique_ptr<parser> parser_;
  refusal refused_ = refusal::none;
};

}  // namespace coconsul::dev
