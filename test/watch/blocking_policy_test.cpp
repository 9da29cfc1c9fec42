// The blocking-query policy stepped with a fake clock: index rules, churn rate limit, backoff
// with jitter, giving up, stale reads and a watch's pacing.

#define BOOST_TEST_MODULE blocking_policy
#include <boost/test/unit_test.hpp>

#include "watch/blocking_policy.hpp"

#include <coconsul/watch.hpp>

using namespace std::chrono_literals;
using coconsul::query_meta;
using coconsul::detail::blocking_policy;
using coconsul::detail::blocking_policy_options;
using outcome = blocking_policy::outcome;

namespace {

const blocking_policy::time_point t0{std::chrono::hours(1)};

query_meta answer(std::uint64_t index, bool known_leader = true, std::chrono::milliseconds last_contact = 0ms) {
  query_meta m;
  m.last_index = index;
  m.known_leader = known_leader;
  m.last_contact = last_contact;
  return m;
}

// Sends the planned query at the earliest allowed time and returns that time.
blocking_policy::time_point send(blocking_policy& p, blocking_policy::time_point now) {
  auto plan = p.plan(now);
  auto at = std::max(now, plan.not_before);
  p.sent(at);
  return at;
}

}  // namespace

BOOST_AUTO_TEST_CASE(first_query_is_a_plain_read_then_blocks_on_the_returned_index) {
  blocking_policy p({.wait = 30s}, 1);
  auto plan = p.plan(t0);
  BOOST_TEST(plan.index == 0u);
  BOOST_TEST(plan.wait.count() == 0);
  BOOST_TEST((plan.not_before == t0));
  p.sent(t0);
  BOOST_TEST((p.on_answer(t0, answer(42), false) == outcome::deliver));  // the first answer always counts
  plan = p.plan(t0);
  BOOST_TEST(plan.index == 42u);
  BOOST_TEST((plan.wait == 30s));
}

BOOST_AUTO_TEST_CASE(index_is_never_zero_after_an_answer) {
  blocking_policy p({}, 1);
  p.sent(t0);
  p.on_answer(t0, answer(0), true);
  BOOST_TEST(p.plan(t0).index == 1u);
}

BOOST_AUTO_TEST_CASE(an_index_going_backwards_resets_to_a_plain_read) {
  blocking_policy p({}, 1);
  p.sent(t0);
  p.on_answer(t0, answer(100), true);
  p.sent(t0 + 1s);
  BOOST_TEST((p.on_answer(t0 + 1s, answer(7), true) == outcome::deliver));
  BOOST_TEST(p.resets() == 1u);
  auto plan = p.plan(t0 + 1s);
  BOOST_TEST(plan.index == 0u);
  BOOST_TEST(plan.wait.count() == 0);
  p.sent(t0 + 2s);
  p.on_answer(t0 + 2s, answer(8), false);
  BOOST_TEST(p.plan(t0 + 2s).index == 8u);
}

BOOST_AUTO_TEST_CASE(a_wakeup_without_change_delivers_nothing) {
  blocking_policy p({}, 1);
  p.sent(t0);
  p.on_answer(t0, answer(5), true);
  p.sent(t0);
  BOOST_TEST((p.on_answer(t0, answer(6), false) == outcome::suppress));
  BOOST_TEST(p.index() == 6u);  // but the index moves on
  p.sent(t0);
  BOOST_TEST((p.on_answer(t0, answer(9), true) == outcome::deliver));
}

BOOST_AUTO_TEST_CASE(churn_is_rate_limited_by_the_token_bucket) {
  const blocking_policy_options o{.burst = 2, .refill = 500ms, .rate_jitter = 0.25};
  blocking_policy p(o, 7);
  // The burst goes out at once.
  BOOST_TEST((send(p, t0) == t0));
  p.on_answer(t0, answer(1), true);
  BOOST_TEST((send(p, t0) == t0));
  p.on_answer(t0, answer(2), false);
  // Then one query per refill, plus at most rate_jitter of a refill.
  auto at = send(p, t0);
  BOOST_TEST((at >= t0 + 500ms));
  BOOST_TEST((at <= t0 + 625ms));
  // Answers that come back at once (index churn) for a simulated minute.
  auto now = at;
  int queries = 3;
  std::uint64_t index = 3;
  while (now < t0 + 60s) {
    p.on_answer(now, answer(++index), false);
    now = send(p, now);
    ++queries;
  }
  BOOST_TEST(queries <= 2 + 60 * 2 + 1);
  BOOST_TEST(queries >= 60 * 2 * 0.8);  // jitter delays, but not by more than a quarter
}

BOOST_AUTO_TEST_CASE(errors_back_off_exponentially_with_full_jitter) {
  // The bucket is off (refill 0) so that only the backoff delays.
  const blocking_policy_options o{.refill = 0ms, .backoff_base = 100ms, .backoff_cap = 10s};
  // For each error count n, the delay is uniform in [0, min(cap, base * 2^(n-1))].
  for (unsigned n = 1; n <= 10; ++n) {
    const double ceiling_ms = std::min(10'000.0, 100.0 * (1u << (n - 1)));
    double sum = 0, largest = 0;
    const int runs = 300;
    for (int seed = 0; seed < runs; ++seed) {
      blocking_policy p(o, static_cast<std::uint64_t>(seed));
      auto now = t0;
      for (unsigned i = 0; i < n; ++i) {
        p.sent(now);
        BOOST_REQUIRE((p.on_error(now, make_error_code(coconsul::errc::server_error)) ==
                       blocking_policy::error_action::retry));
      }
      const double delay = std::chrono::duration<double, std::milli>(p.plan(now).not_before - now).count();
      BOOST_TEST_REQUIRE(delay <= ceiling_ms + 1e-6);
      sum += delay;
      largest = std::max(largest, delay);
    }
    BOOST_TEST_CONTEXT("after " << n << " errors") {
      BOOST_TEST(sum / runs > 0.4 * ceiling_ms);  // uniform: the mean is half the ceiling
      BOOST_TEST(sum / runs < 0.6 * ceiling_ms);
      BOOST_TEST(largest > 0.9 * ceiling_ms);
    }
  }
}

BOOST_AUTO_TEST_CASE(the_query_after_a_failure_is_a_plain_read) {
  // A restarted agent starts from a low index: blocking on the old one would wait the whole wait.
  blocking_policy p({.refill = 0ms, .backoff_base = 0ms}, 1);
  p.sent(t0);
  p.on_answer(t0, answer(500), true);
  BOOST_TEST(p.plan(t0).index == 500u);
  p.sent(t0);
  p.on_error(t0, make_error_code(coconsul::errc::connection_failed));
  auto plan = p.plan(t0);
  BOOST_TEST(plan.index == 0u);
  BOOST_TEST(plan.wait.count() == 0);
  p.sent(t0);
  BOOST_TEST((p.on_answer(t0, answer(3), true) == outcome::deliver));
  BOOST_TEST(p.resets() == 1u);  // it did go backwards
  p.sent(t0);
  p.on_answer(t0, answer(3), false);
  BOOST_TEST(p.plan(t0).index == 3u);  // and blocks from the new agent's index
}

BOOST_AUTO_TEST_CASE(an_answer_ends_the_backoff) {
  blocking_policy p({.backoff_base = 1s, .backoff_cap = 1s}, 3);
  p.sent(t0);
  p.on_error(t0, make_error_code(coconsul::errc::too_many_requests));
  p.sent(t0 + 1s);
  p.on_answer(t0 + 1s, answer(3), true);
  BOOST_TEST(p.consecutive_errors() == 0u);
  BOOST_TEST((p.plan(t0 + 1s).not_before == t0 + 1s));
}

BOOST_AUTO_TEST_CASE(gives_up_only_when_told_or_when_the_query_is_wrong) {
  {
    blocking_policy p({}, 1);
    for (int i = 0; i < 1000; ++i)
      BOOST_TEST_REQUIRE((p.on_error(t0, make_error_code(coconsul::errc::service_unavailable)) ==
                          blocking_policy::error_action::retry));
  }
  {
    blocking_policy p({.max_consecutive_errors = 3}, 1);
    BOOST_TEST((p.on_error(t0, make_error_code(coconsul::errc::server_error)) == blocking_policy::error_action::retry));
    BOOST_TEST((p.on_error(t0, make_error_code(coconsul::errc::server_error)) == blocking_policy::error_action::retry));
    BOOST_TEST((p.on_error(t0, make_error_code(coconsul::errc::server_error)) == blocking_policy::error_action::give_up));
  }
  {
    blocking_policy p({}, 1);
    BOOST_TEST((p.on_error(t0, make_error_code(coconsul::errc::bad_request)) == blocking_policy::error_action::give_up));
  }
}

BOOST_AUTO_TEST_CASE(stale_reads_fall_back_to_the_leader_once) {
  blocking_policy p({.stale = true, .max_stale = 2s}, 1);
  BOOST_TEST((p.plan(t0).consistency == coconsul::consistency_mode::stale));
  p.sent(t0);
  BOOST_TEST((p.on_answer(t0, answer(10, true, 5s), true) == outcome::suppress));  // too old
  auto plan = p.plan(t0);
  BOOST_TEST((plan.consistency == coconsul::consistency_mode::default_mode));
  BOOST_TEST(plan.index == 0u);  // the stale answer was not taken
  p.sent(t0);
  BOOST_TEST((p.on_answer(t0, answer(11), true) == outcome::deliver));
  BOOST_TEST((p.plan(t0).consistency == coconsul::consistency_mode::stale));
  p.sent(t0);
  BOOST_TEST((p.on_answer(t0, answer(12, false), true) == outcome::suppress));  // no known leader
  BOOST_TEST((p.plan(t0).consistency == coconsul::consistency_mode::default_mode));
}

// policy_options: a watch's public pacing and stale options are the rules its loop follows.
BOOST_AUTO_TEST_CASE(a_watchs_pacing_becomes_its_rules) {
  coconsul::watch_pacing pacing;
  pacing.wait = 30s;
  pacing.burst = 1;
  pacing.refill = 2s;
  pacing.backoff_base = 100ms;
  pacing.backoff_cap = 400ms;
  pacing.max_consecutive_errors = 3;
  blocking_policy p(coconsul::detail::policy_options(pacing, false, 0ms), 1);

  p.sent(t0);
  p.on_answer(t0, answer(5), true);
  auto plan = p.plan(t0);
  BOOST_TEST(plan.index == 5u);
  BOOST_TEST((plan.wait == 30s));                   // pacing.wait
  BOOST_TEST((plan.not_before >= t0 + 2s));          // burst 1 spent: one query per refill
  BOOST_TEST((plan.not_before < t0 + 2s + 500ms));  // plus at most the jitter (a quarter of refill)
  BOOST_TEST((plan.consistency == coconsul::consistency_mode::default_mode));

  // Backoff within [0, min(cap, base * 2^(n-1))], and give up at the third error in a row
  // (at t0 + 3 s the bucket has its token back: only the backoff delays).
  const auto at = t0 + 3s;
  BOOST_TEST((p.on_error(at, make_error_code(coconsul::errc::server_error)) == blocking_policy::error_action::retry));
  BOOST_TEST((p.plan(at).not_before <= at + 100ms));
  BOOST_TEST((p.on_error(at, make_error_code(coconsul::errc::server_error)) == blocking_policy::error_action::retry));
  BOOST_TEST((p.plan(at).not_before <= at + 200ms));
  BOOST_TEST((p.on_error(at, make_error_code(coconsul::errc::server_error)) == blocking_policy::error_action::give_up));
}

BOOST_AUTO_TEST_CASE(a_stale_watch_reads_stale_within_its_max_stale) {
  blocking_policy p(coconsul::detail::policy_options(coconsul::watch_pacing(), true, 3s), 1);
  BOOST_TEST((p.plan(t0).consistency == coconsul::consistency_mode::stale));
  BOOST_TEST((p.plan(t0).wait.count() == 0));  // the first query is a plain read
  p.sent(t0);
  BOOST_TEST((p.on_answer(t0, answer(9, true, 4s), true) == outcome::suppress));  // older than 3 s
  BOOST_TEST((p.plan(t0).consistency == coconsul::consistency_mode::default_mode));
  p.sent(t0);
  BOOST_TEST((p.on_answer(t0, answer(9), true) == outcome::deliver));
  BOOST_TEST((p.plan(t0).consistency == coconsul::consistency_mode::stale));
  BOOST_TEST((p.plan(t0).wait == std::chrono::minutes(5)));  // watch_pacing's default wait
}

BOOST_AUTO_TEST_CASE(a_watch_without_stale_never_reads_stale) {
  blocking_policy p(coconsul::detail::policy_options(coconsul::watch_pacing(), false, 3s), 1);
  p.sent(t0);
  p.on_answer(t0, answer(9, false, 10s), true);  // no leader, old: irrelevant to a leader read
  BOOST_TEST((p.plan(t0).consistency == coconsul::consistency_mode::default_mode));
  BOOST_TEST(p.plan(t0).index == 9u);
}
