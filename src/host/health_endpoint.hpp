#pragma once
// The host's HTTP health endpoint: a small HTTP/1.1 server (Beast, one coroutine per
// connection, keep-alive) that answers GET and HEAD on one path with what `responder` says.
// Beast stays in health_endpoint.cpp; this header is all the host needs.

#include <coconsul/error.hpp>
#include <coconsul/service_host.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace coconsul::detail {

// What the endpoint answers on its path.
struct health_answer {
  unsigned status = 200;
  std::string body;  // text/plain
};

class health_endpoint {
 public:
  using responder = std::function<health_answer()>;

  // Binds and starts accepting. On failure returns null with `ec` and `diag` set:
  // errc::invalid_address when the address does not parse, the system error when binding
  // fails (with the address in the message).
  static std::unique_ptr<health_endpoint> open(boost::asio::any_io_executor ex, const health_endpoint_options& opts,
                                               responder answer, error_code& ec, diagnostics& diag);
  // Closes (see close()).
  ~health_endpoint();
  health_endpoint(const health_endpoint&) = delete;
  health_endpoint& operator=(const health_endpoint&) = delete;

  std::uint16_t port() const noexcept;
  // http://address:port/path, with a wildcard bind address replaced by loopback so an agent
  // on this machine can use it.
  std::string url() const;
  // Requests answered so far (every path and method).
  std::uint64_t requests() const noexcept;
  // Stops accepting and closes every open connection. Idempotent.
  void close();

 private:
  health_endpoint(boost::asio::any_io_executor ex, const health_endpoint_options& opts, responder answer);

  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace coconsul::detail
