#pragma once
// Layer 2, the HTTP message as the protocol layer builds and reads it: plain values, no I/O, no
// Asio or Beast. The transport (src/http/transport.hpp) sends these; it does not define them.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul::protocol {

enum class verb { get, put, post, delete_ };

struct header {
  std::string name;
  std::string value;
};

struct request {
  verb method = verb::get;
  std::string target;           // origin-form, already percent-encoded: "/v1/kv/a%2Fb?recurse="
  std::vector<header> headers;  // beyond Host, User-Agent, Content-Length and the token
  std::string body;
  bool idempotent = true;       // may be retried once on a stale keep-alive connection
  // Time for the whole exchange; zero means config.timeouts.request. Blocking queries pass
  // wait + wait/16 + config.timeouts.blocking_margin.
  std::chrono::milliseconds timeout{0};
};

struct response {
  unsigned status = 0;
  std::vector<header> headers;  // as received, in order
  std::string body;

  // The value of the first header with this name, compared case-insensitively (Go
  // canonicalises "X-Consul-KnownLeader" to "X-Consul-Knownleader"); nullptr when absent.
  const std::string* find_header(std::string_view name) const noexcept;
};

}  // namespace coconsul::protocol
