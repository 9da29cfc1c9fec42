#pragma once
// coconsul::dev_agent_options: how a dev agent listens, names itself, paces its timers and logs.
// A header of its own, so the agent's inner layers take the options without the agent class.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace coconsul {

struct dev_agent_options {
  // How much the agent logs (its own scale, named like Consul's -log-level values).
  enum class log_level { trace, debug, info, warn, error, off };
  // Parses "trace", "debug", "info", "warn" (or "warning"), "error" (or "err"), "off",
  // case-insensitively. Throws coconsul::error (errc::invalid_argument) for anything else.
  static log_level parse_log_level(std::string_view text);

  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 0;        // 0: an ephemeral port (see dev_agent::port())
  std::string node_name;         // empty: the host name, as Consul does
  std::string datacenter = "dc1";

  // Consul's fixed values, configurable here so tests run in milliseconds.
  std::chrono::milliseconds reap_interval = std::chrono::seconds(30);        // check_reap_interval
  std::chrono::milliseconds deregister_minimum = std::chrono::minutes(1);    // check_deregister_interval_min
  std::chrono::milliseconds check_min_interval = std::chrono::seconds(1);    // checks.MinInterval
  std::chrono::milliseconds session_ttl_min = std::chrono::seconds(10);      // session_ttl_min

  // What one request and one client may cost the agent's HTTP server (docs/dev-agent.md, "Limits":
  // each bound's reply and Consul's value). A request over a bound is answered and its
  // connection closed; the agent serves everyone else as before.
  struct http_limits {
    // The request line and header fields together: Go's http.Server MaxHeaderBytes (1 MiB, which
    // Consul keeps) plus the 4096 bytes of slack Go allows. Over it: 431.
    std::size_t max_header_bytes = (std::size_t(1) << 20) + 4096;
    // One request's body. Consul's own endpoint limits (KV and txn: 512 KiB) are far below it
    // and answer with their own 413 texts; this catches everything else. Over it: 413.
    std::size_t max_body_bytes = std::size_t(64) << 20;
    // The bodies of every request in flight together, reserved from the header (Content-Length,
    // or max_body_bytes for a chunked body) until the endpoint has handled it. Over it: 503.
    std::size_t max_body_bytes_in_flight = std::size_t(256) << 20;
    // Open connections from one IP address (Consul's limits.http_max_conns_per_client).
    // 0: no cap. Over it: 429 and close.
    std::size_t max_conns_per_client = 200;
    // From a connection's start (or a new request's first byte) until its header is complete.
    // Consul sets none; 0 disables. Over it: the connection is closed.
    std::chrono::milliseconds header_timeout = std::chrono::seconds(30);
    // A keep-alive connection waiting for its next request. Consul sets none; 0 disables.
    // Over it: the connection is closed. Never applies while a request (a blocking query) runs.
    std::chrono::milliseconds idle_timeout = std::chrono::minutes(2);
  };
  http_limits limits;

  // Requests are logged at debug; registrations, check changes and reaping at info.
  log_level level = log_level::warn;
  // Receives each formatted log line (without newline). Empty: lines go to std::clog.
  std::function<void(std::string_view line)> log_sink;
};

}  // namespace coconsul
