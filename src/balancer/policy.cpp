// The balancing policies as pure functions over the endpoint slots (see policy.hpp): smooth
// weighted round robin, weighted random, power of two choices. No I/O, no clock.

#include "balancer/policy.hpp"

#include <algorithm>

namespace coconsul::detail {

int weight_of(const endpoint& e) noexcept {
  int w = 0;
  switch (e.health) {
    case health_status::passing: w = e.weights.passing; break;
    case health_status::warning: w = e.weights.warning; break;
    case health_status::critical:
    case health_status::maintenance: w = 0; break;
  }
  return std::max(w, 0);
}

namespace {

std::size_t smooth_round_robin(std::span<policy_slot* const> c) {
  long long total = 0;
  std::size_t best = 0;
  for (std::size_t i = 0; i < c.size(); ++i) {
    c[i]->current += c[i]->weight;
    total += c[i]->weight;
    if (c[i]->current > c[best]->current) best = i;
  }
  c[best]->current -= total;
  return best;
}

// Weighted random among the candidates, skipping index `skip` (c.size() for none).
std::size_t weighted_random(std::span<policy_slot* const> c, std::size_t skip, std::mt19937_64& rng) {
  long long total = 0;
  for (std::size_t i = 0; i < c.size(); ++i)
    if (i != skip) total += c[i]->weight;
  long long r = std::uniform_int_distribution<long long>(0, total - 1)(rng);
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (i == skip) continue;
    if (r < c[i]->weight) return i;
    r -= c[i]->weight;
  }
  return c.size() - 1;  // not reached: r < total
}

}  // namespace

std::size_t choose(balance_policy policy, std::span<policy_slot* const> c, std::mt19937_64& rng) {
  if (c.size() == 1) return 0;
  switch (policy) {
    case balance_policy::round_robin: return smooth_round_robin(c);
    case balance_policy::random: return weighted_random(c, c.size(), rng);
    case balance_policy::power_of_two: {
      const std::size_t a = weighted_random(c, c.size(), rng);
      const std::size_t b = weighted_random(c, a, rng);
      // in_flight(b)/weight(b) < in_flight(a)/weight(a), without division.
      const auto load_b = static_cast<long long>(c[b]->in_flight) * c[a]->weight;
      const auto load_a = static_cast<long long>(c[a]->in_flight) * c[b]->weight;
      return load_b < load_a ? b : a;
    }
  }
  return 0;
}

}  // namespace coconsul::detail
