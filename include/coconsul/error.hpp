#pragma once
// Errors: a code (coconsul::errc, or an Asio/system code) plus diagnostics that keep
// Consul's own message beside it, never folded into it.

#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>

#include <string>
#include <type_traits>

namespace coconsul {

using boost::system::error_code;

enum class errc {
  // Consul answered with an HTTP error status (the body, Consul's plain text, is in diagnostics).
  bad_request = 1,        // 400: Consul refused the request (bad parameter, invalid body)
  forbidden,              // 403: ACL permission denied (Consul's text names the missing permission)
  acl_not_found,          // 403 "ACL not found": the token sent is unknown (or expired), or the ACL object is
  not_found,              // 404: unknown service, check, session or key
  method_not_allowed,     // 405
  conflict,               // 409: a transaction was rolled back
  payload_too_large,      // 413: e.g. a KV value over kv_max_value_size
  too_many_requests,      // 429: rate limited (or a warning status on agent health endpoints)
  server_error,           // 500
  bad_gateway,            // 502
  service_unavailable,    // 503: no leader, or a critical status on agent health endpoints
  gateway_timeout,        // 504
  unexpected_status,      // any other non-2xx status

  // The response could not be used.
  malformed_response,     // not valid HTTP: bad status line, bad header, bad chunked encoding
  truncated_response,     // the server closed the connection before the response was complete
  body_too_large,         // the body exceeds config.limits.max_body_bytes
  header_too_large,       // the header exceeds config.limits.max_header_bytes
  decode_error,           // the body is not the JSON Consul documents for this endpoint

  // The request was not sent.
  invalid_argument,       // an empty required name, control characters, a bad option value
  invalid_duration,       // a Go duration string that does not parse, overflows or is negative
  invalid_address,        // an agent address we cannot use (bad scheme, host or port)
  invalid_config,         // a TLS file that cannot be read, a token file missing, ...

  // The transport gave up.
  connect_timeout,        // no connection within config.timeouts.connect
  request_timeout,        // no complete response within the request's timeout
  connection_wait_timeout,// every pooled connection was busy for longer than the request's timeout
  connection_failed,      // connecting failed (refused, unreachable, TLS handshake failed)
  closed,                 // the client was closed or destroyed while the operation was pending

  // The balancer.
  no_endpoints,           // the service has no endpoint to offer (none registered, or all ejected)

  internal_error,         // an unexpected failure inside coconsul (the message says what)
};

const boost::system::error_category& error_category() noexcept;

inline error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), error_category()};
}

// The errc for a non-2xx HTTP status (any 2xx maps to no error).
errc errc_from_http_status(unsigned status) noexcept;

// What we know beyond the code: the HTTP status (0 when no response came) and a message,
// which is Consul's plain-text error body when Consul answered, or our own explanation of
// what was wrong when it did not.
struct diagnostics {
  unsigned http_status = 0;
  std::string message;

  void clear() {
    http_status = 0;
    message.clear();
  }
};

// The exception thrown by co_await on a failed operation: a system_error with diagnostics.
class error : public boost::system::system_error {
 public:
  error(error_code ec, diagnostics diag);
  explicit error(error_code ec) : error(ec, diagnostics{}) {}

  const diagnostics& diag() const noexcept { return diag_; }
  unsigned http_status() const noexcept { return diag_.http_status; }
  // Consul's message (or ours); empty when there is nothing beyond the code.
  const std::string& message() const noexcept { return diag_.message; }

  // "<what the code means>[ <status>]: <Consul's message>", without category noise.
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  diagnostics diag_;
  std::string what_;
};

// Throws coconsul::error when ec is set.
void throw_if(error_code ec, const diagnostics& diag);

}  // namespace coconsul

template <>
struct boost::system::is_error_code_enum<coconsul::errc> : std::true_type {};
