#pragma once
// A steady-clock deadline `d` from now that saturates instead of overflowing: durations from a
// request reach Go's 292 years ("2562047h"), more than the clock has left after now.

#include <chrono>

namespace coconsul::dev {

// now + d, or the clock's last instant when that is past it; a negative d is now.
inline std::chrono::steady_clock::time_point deadline_after(std::chrono::nanoseconds d) {
  using clock = std::chrono::steady_clock;
  const auto now = clock::now();
  const auto step = std::chrono::duration_cast<clock::duration>(d);
  if (step <= clock::duration::zero()) return now;
  if (step > clock::time_point::max() - now) return clock::time_point::max();
  return now + step;
}

}  // namespace coconsul::dev
