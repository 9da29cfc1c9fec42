#pragma once
// The picking policies, without I/O: each chooses one of the usable candidates by weight.

#include <coconsul/balancer.hpp>

#include <cstddef>
#include <random>
#include <span>

namespace coconsul::detail {

// What a policy knows of an endpoint.
struct policy_slot {
  int weight = 0;           // > 0 for every candidate
  unsigned in_flight = 0;   // leases not yet ended
  long long current = 0;    // smooth round robin's running credit
};

// An endpoint's share: Weights.Passing, or Weights.Warning while its checks warn. Critical or
// in maintenance (listed only with passing_only off): 0. Negative weights count as 0.
int weight_of(const endpoint& e) noexcept;

// The index of the chosen candidate. `candidates` is not empty and every weight is above 0.
// round_robin: nginx's smooth weighted round robin (each candidate gains its weight, the
//   richest is chosen and pays the total), which spreads a weight-3 endpoint's turns between
//   the others' instead of serving it three times in a row.
// random: weighted random.
// power_of_two: two distinct weighted-random candidates; the one with fewer leases in flight per
//   unit of weight wins (the first drawn on a tie).
std::size_t choose(balance_policy policy, std::span<policy_slot* const> candidates, std::mt19937_64& rng);

}  // namespace coconsul::detail
