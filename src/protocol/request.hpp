#pragma once
// Layer 2, request side: paths, query parameters, percent-encoding, token header and the
// refusal of bad input before anything is sent. Pure functions, no I/O.

#include <coconsul/config.hpp>
#include <coconsul/query.hpp>

#include "protocol/message.hpp"

#include <string>
#include <string_view>

namespace coconsul::protocol {

// Throws coconsul::error(errc::invalid_argument) when `value` is empty (unless allowed) or holds
// a control character; the message names `what` and the offending byte and offset.
void require_name(std::string_view what, std::string_view value);
void require_printable(std::string_view what, std::string_view value);

// Percent-encodes everything but RFC 3986 unreserved characters; keep_slash keeps '/' (KV keys
// and prefixes, whose slashes are path separators to Consul).
std::string percent_encode(std::string_view s, bool keep_slash = false);

// Builds one request to Consul's HTTP API.
class request_builder {
 public:
  // `path` is the already-encoded path, e.g. "/v1/kv/" + percent_encode(key, true).
  request_builder(verb method, std::string path);

  request_builder& flag(std::string_view name);  // "?recurse"
  request_builder& param(std::string_view name, std::string_view value);
  request_builder& param_if(std::string_view name, std::string_view value);  // only when non-empty

  // The read options: blocking, consistency, cache, dc, namespace, partition, filter, near,
  // node-meta and token. Throws errc::invalid_argument for conflicting or bad values.
  request_builder& read(const query_options& o, const config& cfg);
  // The write options: dc, namespace, partition and token.
  request_builder& write(const write_options& o, const config& cfg);

  request_builder& body(std::string content, std::string_view content_type = "application/json");
  request_builder& idempotent(bool yes);

  request finish() &&;

 private:
  void scope(std::string_view dc, std::string_view ns, std::string_view partition, std::string_view token,
             const config& cfg);

  request req_;
  bool has_query_ = false;
};

// The timeout for a blocking read: wait + wait/16 (Consul's jitter) + the configured margin,
// with Consul's default wait of 5 minutes when an index is given without a wait.
std::chrono::milliseconds blocking_timeout(const query_options& o, const config& cfg);

}  // namespace coconsul::protocol
