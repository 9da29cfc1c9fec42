#pragma once
// What the agent counts while it serves, for /v1/agent/metrics and /v1/agent/self: requests
// served and in flight, and a timing summary per (method, route), as go-metrics' in-memory sink
// keeps Consul's consul.api.http samples. Plain data, updated by dispatch on the agent's strand.

#include <chrono>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

namespace coconsul::dev {

// go-metrics' AggregateSample: enough to report count, sum, min, max, mean and stddev.
struct timing_summary {
  std::uint64_t count = 0;
  double sum = 0, sum_sq = 0, min = 0, max = 0;

  void add(double v) {
    min = count == 0 ? v : std::min(min, v);
    max = count == 0 ? v : std::max(max, v);
    ++count;
    sum += v;
    sum_sq += v * v;
  }
  double mean() const { return count ? sum / static_cast<double>(count) : 0; }
  double stddev() const {
    if (count < 2) return 0;
    double n = static_cast<double>(count);
    double var = (sum_sq - sum * sum / n) / (n - 1);
    return var > 0 ? std::sqrt(var) : 0;
  }
};

struct agent_counters {
  std::chrono::system_clock::time_point started = std::chrono::system_clock::now();
  std::uint16_t http_port = 0;  // the port the HTTP listener got (set at start)
  std::uint64_t requests = 0;   // answered, whatever their status
  std::uint64_t in_flight = 0;
  std::uint64_t errors = 0;     // answered with a 5xx
  // Consul's consul.api.http labels: method and path ("v1_kv_" for the /v1/kv/ route), in ms.
  std::map<std::pair<std::string, std::string>, timing_summary> http;

  void record(const std::string& method, const std::string& route, unsigned status, std::chrono::nanoseconds took) {
    ++requests;
    if (status >= 500) ++errors;
    if (route.empty()) return;
    std::string label = route.substr(route.front() == '/' ? 1 : 0);
    for (char& ch : label)
      if (ch == '/') ch = '_';
    http[{method, label}].add(std::chrono::duration<double, std::milli>(took).count());
  }
};

}  // namespace coconsul::dev
