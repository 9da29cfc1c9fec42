#pragma once
// Layer 2, request side: paths, query parameters, percent-encoding, token header and the
// refusal of bad input before anything is sent. Pure functions, no I/O.

#include <coconsul/config.hpp>
#include <coconsul/error.hpp>
#include <coconsul/query.hpp>

#include "protocol/message.hpp"

#include <string>
#include <string_view>

namespace coconsul::protocol {

// Bad input, refused before anything is sent: errc::invalid_argument with a message saying what
// is wrong. Empty (false) when the input is fine. A value, not an exception: the caller
// completes its operation with it (src/client/operation.hpp).
struct [[nodiscard]] refusal {
  std::string message;

  explicit operator bool() const noexcept { return !message.empty(); }
  error_code code() const noexcept {
    return message.empty() ? error_code() : make_error_code(errc::invalid_argument);
  }
  diagnostics diag() const { return diagnostics{0, message}; }
};

// Refused when `value` is empty (require_name only) or holds a control character; the message
// names `what` and the offending byte and offset.
refusal require_name(std::string_view what, std::string_view value);
refusal require_printable(std::string_view what, std::string_view value);

// Percent-encodes everything but RFC 3986 unreserved characters; keep_slash keeps '/' (KV keys
// and prefixes, whose slashes are path separators to Consul).
std::string percent_encode(std::string_view s, bool keep_slash = false);

// Builds one request to Consul's HTTP API. Bad input does not stop the building: the first
// refusal is kept (later ones do not replace it), and a refused request must not be sent.
class request_builder {
 public:
  // `path` is the already-encoded path, e.g. "/v1/kv/" + percent_encode(key, true).
  request_builder(verb method, std::string path);

  request_builder& flag(std::string_view name);  // "?recurse"
  request_builder& param(std::string_view name, std::string_view value);
  request_builder& param_if(std::string_view name, std::string_view value);  // only when non-empty

  // The read options: blocking, consistency, cache, dc, namespace, partition, filter, near,
  // node-meta and token. Conflicting or bad values are refused.
  request_builder& read(const query_options& o, const config& cfg);
  // The write options: dc, namespace, partition and token (bad values refused).
  request_builder& write(const write_options& o, const config& cfg);

  // The checks of bad input that are not options: the first refusal is kept.
  request_builder& require_name(std::string_view what, std::string_view value);
  request_builder& require_printable(std::string_view what, std::string_view value);
  request_builder& refuse(refusal r);
  const refusal& refused() const noexcept { return refused_; }

  request_builder& body(std::string content, std::string_view content_type = "application/json");
  request_builder& idempotent(bool yes);

  request finish() &&;

 private:
  void scope(std::string_view dc, std::string_view ns, std::string_view partition, std::string_view token,
             const config& cfg);

  request req_;
  bool has_query_ = false;
  refusal refused_;
};

// The timeout for a blocking read: wait + wait/16 (Consul's jitter) + the configured margin,
// with Consul's default wait of 5 minutes when an index is given without a wait.
std::chrono::milliseconds blocking_timeout(const query_options& o, const config& cfg);

}  // namespace coconsul::protocol
