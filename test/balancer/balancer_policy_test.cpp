// The balancing policies alone (no I/O): the sequences each one picks for given weights.

#define BOOST_TEST_MODULE balancer_policy
#include <boost/test/unit_test.hpp>

#include "balancer/policy.hpp"

#include <map>
#include <string>
#include <vector>

using coconsul::balance_policy;
using coconsul::detail::choose;
using coconsul::detail::policy_slot;

namespace {

std::vector<policy_slot*> pointers(std::vector<policy_slot>& slots) {
  std::vector<policy_slot*> out;
  for (auto& s : slots) out.push_back(&s);
  return out;
}

std::string sequence(balance_policy p, std::vector<policy_slot> slots, int n) {
  std::mt19937_64 rng(1);
  auto c = pointers(slots);
  std::string out;
  for (int i = 0; i < n; ++i) out += static_cast<char>('a' + choose(p, c, rng));
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(smooth_round_robin_interleaves_the_heavy_endpoint) {
  // nginx's example: weights 5, 1, 1 give a a b a c a a, not a a a a a b c.
  BOOST_TEST(sequence(balance_policy::round_robin, {{.weight = 5}, {.weight = 1}, {.weight = 1}}, 14) ==
             "aabacaaaabacaa");
  BOOST_TEST(sequence(balance_policy::round_robin, {{.weight = 1}, {.weight = 3}}, 8) == "babbbabb");
  BOOST_TEST(sequence(balance_policy::round_robin, {{.weight = 1}, {.weight = 1}, {.weight = 1}}, 6) == "abcabc");
}

BOOST_AUTO_TEST_CASE(power_of_two_takes_the_less_loaded_per_weight) {
  std::mt19937_64 rng(7);
  // Two candidates: both are always drawn, so the comparison alone decides.
  std::vector<policy_slot> slots{{.weight = 1, .in_flight = 3}, {.weight = 1, .in_flight = 2}};
  auto c = pointers(slots);
  for (int i = 0; i < 50; ++i) BOOST_TEST(choose(balance_policy::power_of_two, c, rng) == 1u);
  // Per unit of weight: 3 in flight on weight 4 is less loaded than 1 on weight 1.
  slots = {{.weight = 1, .in_flight = 1}, {.weight = 4, .in_flight = 3}};
  c = pointers(slots);
  for (int i = 0; i < 50; ++i) BOOST_TEST(choose(balance_policy::power_of_two, c, rng) == 1u);
}

BOOST_AUTO_TEST_CASE(weighted_random_follows_the_weights) {
  std::mt19937_64 rng(3);
  std::vector<policy_slot> slots{{.weight = 1}, {.weight = 3}};
  auto c = pointers(slots);
  int heavy = 0;
  const int n = 8000;
  for (int i = 0; i < n; ++i) heavy += choose(balance_policy::random, c, rng) == 1u;
  BOOST_TEST(heavy / double(n) == 0.75, boost::test_tools::tolerance(0.03));
}

BOOST_AUTO_TEST_CASE(weight_of_follows_health) {
  coconsul::endpoint e;
  e.weights.passing = 5;
  e.weights.warning = 2;
  BOOST_TEST(coconsul::detail::weight_of(e) == 5);
  e.health = coconsul::health_status::warning;
  BOOST_TEST(coconsul::detail::weight_of(e) == 2);
  e.health = coconsul::health_status::critical;
  BOOST_TEST(coconsul::detail::weight_of(e) == 0);
  e.health = coconsul::health_status::passing;
  e.weights.passing = -3;
  BOOST_TEST(coconsul::detail::weight_of(e) == 0);
}
