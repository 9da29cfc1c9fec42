#pragma once
// coconsul::dev_agent_options: how a dev agent listens, names itself, paces its timers and logs.
// A header of its own, so the agent's inner layers take the options without the agent class.

#include <chrono>
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

  // Requests are logged at debug; registrations, check changes and reaping at info.
  log_level level = log_level::warn;
  // Receives each formatted log line (without newline). Empty: lines go to std::clog.
  std::function<void(std::string_view line)> log_sink;
};

}  // namespace coconsul
