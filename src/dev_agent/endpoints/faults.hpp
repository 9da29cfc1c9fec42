#pragma once
// Fault injection for tests: latency, forced error statuses, dropped responses. Index churn and
// reset act on the store directly (dev_agent.cpp).

#include <chrono>
#include <cstddef>
#include <random>

namespace coconsul::dev {

struct fault_state {
  std::chrono::milliseconds latency{0};
  unsigned fail_status = 0;
  std::size_t fail_remaining = 0;
  double fail_fraction = 0;
  std::size_t drop_remaining = 0;
  std::mt19937_64 rng{std::random_device{}()};

  // The status this request must fail with, or 0.
  unsigned take_failure();
  // Whether this response must be cut off.
  bool take_drop();
  void clear();
};

}  // namespace coconsul::dev
