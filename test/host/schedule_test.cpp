// The service host's schedule (src/host/schedule.hpp) stepped with a fake clock: when it
// heartbeats, re-registers and reads the agent's copy, and what each result changes.
#define BOOST_TEST_MODULE host_schedule
#include <boost/test/unit_test.hpp>

#include "host/schedule.hpp"

using namespace std::chrono_literals;
using coconsul::detail::host_schedule;
using kind = host_schedule::job_kind;

namespace {

const host_schedule::time_point t0{std::chrono::hours(1)};
const auto never = host_schedule::time_point::max();

bool is(const host_schedule::job& j, kind k, std::size_t check = 0) { return j.kind == k && j.check == check; }
bool waits_until(const host_schedule::job& j, host_schedule::time_point at) { return j.kind == kind::wait && j.at == at; }

}  // namespace

BOOST_AUTO_TEST_CASE(heartbeats_at_a_third_of_each_ttl) {
  host_schedule s({30s, 3s}, 0ms, 1s, t0);  // no anti-entropy
  BOOST_TEST(waits_until(s.next_job(t0), t0 + 1s));  // the 3 s check first
  BOOST_TEST(is(s.next_job(t0 + 1s), kind::heartbeat, 1));
  s.on_heartbeat_ok(1, t0 + 1s);
  BOOST_TEST(waits_until(s.next_job(t0 + 1s), t0 + 2s));
  BOOST_TEST(is(s.next_job(t0 + 10s), kind::heartbeat, 0));  // both due: in check order
  s.on_heartbeat_ok(0, t0 + 10s);
  BOOST_TEST(is(s.next_job(t0 + 10s), kind::heartbeat, 1));
  s.on_heartbeat_ok(1, t0 + 10s);
  BOOST_TEST(waits_until(s.next_job(t0 + 10s), t0 + 11s));
}

BOOST_AUTO_TEST_CASE(a_tiny_ttl_heartbeats_every_millisecond_not_in_a_busy_loop) {
  BOOST_TEST((host_schedule::heartbeat_interval(1ns) == std::chrono::milliseconds(1)));
  host_schedule s({1ns}, 0ms, 1s, t0);
  BOOST_TEST(waits_until(s.next_job(t0), t0 + 1ms));
}

BOOST_AUTO_TEST_CASE(nothing_to_do_waits_for_a_poke) {
  host_schedule s({}, 0ms, 1s, t0);
  BOOST_TEST(waits_until(s.next_job(t0 + 1h), never));
  s.register_soon();
  BOOST_TEST(is(s.next_job(t0 + 1h), kind::register_service));
}

BOOST_AUTO_TEST_CASE(a_failed_heartbeat_is_retried_after_retry_or_the_interval_if_shorter) {
  host_schedule s({30s, 600ms}, 0ms, 1s, t0);
  BOOST_TEST(is(s.next_job(t0 + 10s), kind::heartbeat, 0));
  s.on_heartbeat_failed(0, t0 + 10s);
  BOOST_TEST(is(s.next_job(t0 + 10s), kind::heartbeat, 1));
  s.on_heartbeat_failed(1, t0 + 10s);
  BOOST_TEST(waits_until(s.next_job(t0 + 10s), t0 + 10s + 200ms));  // check 1: its 200 ms interval
  s.on_heartbeat_ok(1, t0 + 10s + 200ms);
  BOOST_TEST(waits_until(s.next_job(t0 + 10s + 200ms), t0 + 10s + 400ms));
  BOOST_TEST(is(s.next_job(t0 + 11s), kind::heartbeat, 0));  // check 0: after retry
}

BOOST_AUTO_TEST_CASE(a_heartbeat_answered_404_registers_again_then_heartbeats_every_check) {
  host_schedule s({30s, 3s}, 10s, 1s, t0);
  BOOST_TEST(is(s.next_job(t0 + 1s), kind::heartbeat, 1));
  s.on_heartbeat_not_found(t0 + 1s);
  BOOST_TEST(is(s.next_job(t0 + 1s), kind::register_service));
  s.on_register_failed(t0 + 1s);
  // While the registration is retried it is the only job: no heartbeat, no anti-entropy.
  BOOST_TEST(waits_until(s.next_job(t0 + 1s), t0 + 2s));
  BOOST_TEST(is(s.next_job(t0 + 20s), kind::register_service));
  s.on_registered(t0 + 20s);
  BOOST_TEST(is(s.next_job(t0 + 20s), kind::heartbeat, 0));
  s.on_heartbeat_ok(0, t0 + 20s);
  BOOST_TEST(is(s.next_job(t0 + 20s), kind::heartbeat, 1));
  s.on_heartbeat_ok(1, t0 + 20s);
  BOOST_TEST(is(s.next_job(t0 + 20s), kind::anti_entropy));  // overdue since t0 + 10 s
}

BOOST_AUTO_TEST_CASE(anti_entropy_reads_every_interval_and_registers_when_the_service_is_gone) {
  host_schedule s({}, 10s, 1s, t0);
  BOOST_TEST(waits_until(s.next_job(t0), t0 + 10s));
  BOOST_TEST(is(s.next_job(t0 + 10s), kind::anti_entropy));
  s.on_service_present(t0 + 10s);
  BOOST_TEST(waits_until(s.next_job(t0 + 10s), t0 + 20s));
  BOOST_TEST(is(s.next_job(t0 + 20s), kind::anti_entropy));
  s.on_anti_entropy_failed(t0 + 20s);  // agent unreachable: read again after retry
  BOOST_TEST(waits_until(s.next_job(t0 + 20s), t0 + 21s));
  BOOST_TEST(is(s.next_job(t0 + 21s), kind::anti_entropy));
  s.on_service_missing(t0 + 21s);
  BOOST_TEST(is(s.next_job(t0 + 21s), kind::register_service));
  s.on_registered(t0 + 21s);
  BOOST_TEST(waits_until(s.next_job(t0 + 21s), t0 + 31s));
}

BOOST_AUTO_TEST_CASE(set_health_heartbeats_every_check_at_once_even_during_a_heartbeat) {
  host_schedule s({30s, 30s}, 0ms, 1s, t0);
  BOOST_TEST(waits_until(s.next_job(t0 + 1s), t0 + 10s));
  s.heartbeat_soon();
  BOOST_TEST(is(s.next_job(t0 + 1s), kind::heartbeat, 0));
  s.heartbeat_soon();  // the application changed its health again while check 0 was sent
  s.on_heartbeat_ok(0, t0 + 1s);
  BOOST_TEST(is(s.next_job(t0 + 1s), kind::heartbeat, 0));  // so check 0 goes again
  s.on_heartbeat_ok(0, t0 + 1s);
  BOOST_TEST(is(s.next_job(t0 + 1s), kind::heartbeat, 1));
  s.on_heartbeat_ok(1, t0 + 1s);
  BOOST_TEST(waits_until(s.next_job(t0 + 1s), t0 + 11s));
}

BOOST_AUTO_TEST_CASE(a_maintenance_404_registers_at_the_next_job) {
  host_schedule s({30s}, 10s, 1s, t0);
  BOOST_TEST(is(s.next_job(t0 + 10s), kind::heartbeat, 0));
  s.register_soon();  // during the heartbeat
  s.on_heartbeat_ok(0, t0 + 10s);
  BOOST_TEST(is(s.next_job(t0 + 10s), kind::register_service));
}
