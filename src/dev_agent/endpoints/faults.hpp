#pragma once
// Fault injection for tests: latency, forced error statuses, dropped responses, lost servers. Index churn and
// reset act on the store directly (dev_agent.cpp).

#include <chrono>
#include <cstddef>
#include <optional>
#include <random>

namespace coconsul::dev {

struct fault_state {
  std::chrono::milliseconds latency{0};
  unsigned fail_status = 0;
  std::size_t fail_remaining = 0;
  double fail_fraction = 0;
  std::size_t drop_remaining = 0;
  // Set while the agent plays a client agent that has lost its servers: every request that
  // needs them fails with Consul's "No known Consul servers"; ?cached reads answer from the cache.
  std::optional<std::chrono::steady_clock::time_point> server_contact_lost_since;
  std::mt19937_64 rng{std::random_device{}()};

  // The status this request must fail with, or 0.
  unsigned take_failure();
  // Whether this response must be cut off.
  bool take_drop();
  void clear();
};

}  // namespace coconsul::dev
