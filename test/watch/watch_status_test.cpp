// watch_status during an error streak against the dev agent: its length, when it started, the
// last error and Consul's message; and how it reads once the watch recovers.

#define BOOST_TEST_MODULE watch_status
#include <boost/test/unit_test.hpp>

#include "agent_fixture.hpp"

namespace asio = boost::asio;
using namespace std::chrono_literals;
using coconsul::test::agent_fixture;
using coconsul::test::until;
using system_clock = std::chrono::system_clock;

BOOST_FIXTURE_TEST_CASE(an_error_streak_shows_its_length_start_and_last_error_and_ends_on_success, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    coconsul::service_registration reg{.id = "echo-1", .name = "echo", .port = 9001};
    co_await consul.agent().register_service(reg);
    coconsul::service_watch_options o;
    o.passing_only = false;
    o.pacing.refill = 20ms;
    o.pacing.backoff_base = 100ms;  // long enough to look at each error of the streak
    o.pacing.backoff_cap = 200ms;
    auto w = consul.watch_service("echo", o);
    co_await w.next();
    BOOST_TEST(w.status().consecutive_errors == 0u);
    BOOST_TEST((w.status().streak_started == system_clock::time_point()));
    BOOST_TEST(!w.status().last_error);

    co_await until([&] { return agent.waiting_queries() == 1; });
    const auto before = system_clock::now();
    agent.fail_next_requests(500, 3);
    agent.churn_index();  // the waiting query returns; the three after it fail
    co_await until([&] { return w.status().consecutive_errors >= 1; });
    const auto first = w.status();
    BOOST_TEST((first.streak_started >= before));
    BOOST_TEST((first.streak_started <= system_clock::now()));
    BOOST_TEST(first.last_error.value() != 0);
    BOOST_TEST(!first.last_error_message.empty());
    co_await until([&] { return w.status().consecutive_errors >= 2; });
    BOOST_TEST((w.status().streak_started == first.streak_started));  // the streak's start, not the last error's

    co_await until([&] { return w.status().consecutive_errors == 0 && agent.waiting_queries() == 1; });
    const auto after = w.status();
    BOOST_TEST((after.streak_started == system_clock::time_point()));
    BOOST_TEST(after.errors == 3u);
    BOOST_TEST((after.last_error == first.last_error));  // the last error stays for the record
    BOOST_TEST(after.last_error_message == first.last_error_message);
    BOOST_TEST_MESSAGE("streak error: " << first.last_error.message() << ": " << first.last_error_message);
  }());
}
