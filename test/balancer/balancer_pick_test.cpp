// balancer::pick against the dev agent: each policy's shares by weight, an empty service,
// waiting picks, cancellation and destruction, a failed watch, bad options.

#define BOOST_TEST_MODULE balancer_pick
#include <boost/test/unit_test.hpp>

#include "agent_fixture.hpp"
#include "replicas.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>

#include <map>
#include <optional>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using coconsul::balance_policy;
using coconsul::errc;
using coconsul::test::agent_fixture;
using coconsul::test::fast_balancer;
using coconsul::test::instance;
using coconsul::test::until;

namespace {

// An instance whose check warns, with Weights {Passing: 1, Warning: 0}: weight 0 while it warns.
// (Consul refuses a Passing weight of 0.)
coconsul::service_registration warning_with_weight_zero(std::string name, std::string id, int port) {
  auto reg = instance(std::move(name), id, port, 1);
  reg.weights->warning = 0;
  coconsul::service_check ttl;
  ttl.ttl = 1h;
  ttl.status = "warning";
  reg.check = ttl;
  return reg;
}

// Balancer options that also list instances whose checks warn.
coconsul::balancer_options with_warnings(balance_policy policy) {
  auto o = fast_balancer(policy);
  o.watch.passing_only = false;
  return o;
}

// Registers a (weight 1), b (weight 3) and z (warning, weight 0). Nothing needs to listen: picks
// do not connect.
asio::awaitable<void> register_weighted(coconsul::client& consul) {
  co_await consul.agent().register_service(instance("web", "a", 9001, 1));
  co_await consul.agent().register_service(instance("web", "b", 9002, 3));
  co_await consul.agent().register_service(warning_with_weight_zero("web", "z", 9003));
}

asio::awaitable<std::map<std::string, int>> count_picks(coconsul::balancer& lb, int n) {
  std::map<std::string, int> seen;
  for (int i = 0; i < n; ++i) {
    coconsul::lease l = co_await lb.pick();  // released at once: nothing stays in flight
    ++seen[l.endpoint().service_id];
  }
  co_return seen;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(each_policy_shares_picks_by_weight_and_never_picks_weight_zero, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    co_await register_weighted(consul);
    for (auto policy : {balance_policy::round_robin, balance_policy::random, balance_policy::power_of_two}) {
      BOOST_TEST_CONTEXT("policy " << static_cast<int>(policy)) {
        coconsul::balancer lb(consul, "web", with_warnings(policy));
        const int n = 4000;
        auto seen = co_await count_picks(lb, n);
        BOOST_TEST(seen["z"] == 0);
        BOOST_TEST(seen["a"] + seen["b"] == n);
        BOOST_TEST(seen["b"] / double(n) == 0.75, boost::test_tools::tolerance(0.04));
        if (policy == balance_policy::round_robin) BOOST_TEST(seen["b"] == 3000);  // exact, not statistical
        auto st = lb.stats();
        BOOST_TEST(st.picks == std::uint64_t(n));
        BOOST_TEST(st.snapshots >= 1u);
        BOOST_TEST_REQUIRE(st.endpoints.size() == 3u);
        BOOST_TEST(st.endpoints[0].endpoint.service_id == "a");  // the snapshot's order
        BOOST_TEST(st.endpoints[0].picks == std::uint64_t(seen["a"]));
        BOOST_TEST((st.endpoints[2].endpoint.health == coconsul::health_status::warning));
        BOOST_TEST(st.endpoints[2].picks == 0u);
        for (auto& e : st.endpoints) BOOST_TEST(e.in_flight == 0u);
      }
    }
  }());
}

BOOST_FIXTURE_TEST_CASE(round_robin_gives_the_smooth_sequence, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    co_await consul.agent().register_service(instance("web", "a", 9001, 5));
    co_await consul.agent().register_service(instance("web", "b", 9002, 1));
    co_await consul.agent().register_service(instance("web", "c", 9003, 1));
    coconsul::balancer lb(consul, "web", fast_balancer(balance_policy::round_robin));
    std::string order;
    for (int i = 0; i < 14; ++i) {
      auto l = co_await lb.pick();
      order += l.endpoint().service_id;
    }
    BOOST_TEST(order == "aabacaaaabacaa");
  }());
}

BOOST_FIXTURE_TEST_CASE(power_of_two_prefers_the_endpoint_with_fewer_leases_in_flight, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    co_await consul.agent().register_service(instance("web", "a", 9001));
    co_await consul.agent().register_service(instance("web", "b", 9002));
    coconsul::balancer lb(consul, "web", fast_balancer(balance_policy::power_of_two));
    // Held leases: each pick goes to the one with fewer, so they stay balanced.
    std::map<std::string, std::vector<coconsul::lease>> held;
    for (int i = 0; i < 20; ++i) {
      auto l = co_await lb.pick();
      auto id = l.endpoint().service_id;
      held[id].push_back(std::move(l));
      const auto diff = static_cast<int>(held["a"].size()) - static_cast<int>(held["b"].size());
      BOOST_TEST(std::abs(diff) <= 1);
    }
    BOOST_TEST(coconsul::test::entry_of(lb, "a")->in_flight == 10u);
    // Ending a's leases makes it the less loaded one: the next five picks all go there.
    held["a"].clear();
    BOOST_TEST(coconsul::test::entry_of(lb, "a")->in_flight == 0u);
    for (int i = 0; i < 5; ++i) {
      auto l = co_await lb.pick();
      BOOST_TEST(l.endpoint().service_id == "a");
      held["a"].push_back(std::move(l));
    }
    // Released leases (and moved-from ones) count no more.
    held["b"].front().release();
    BOOST_TEST(!held["b"].front());
    BOOST_TEST(coconsul::test::entry_of(lb, "b")->in_flight == 9u);
  }());
}

BOOST_FIXTURE_TEST_CASE(an_empty_service_fails_with_no_endpoints_when_not_waiting, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto opts = fast_balancer();
    opts.wait_when_all_ejected = false;
    coconsul::balancer lb(consul, "nobody", opts);
    auto [ec, l] = co_await lb.pick(asio::as_tuple(asio::use_awaitable));
    BOOST_TEST((ec == errc::no_endpoints));
    BOOST_TEST(!l);
    try {
      co_await lb.pick();
      BOOST_FAIL("pick succeeded with no endpoint");
    } catch (const coconsul::error& e) {
      BOOST_TEST((e.code() == errc::no_endpoints));
      BOOST_TEST(e.message() == "service 'nobody': no passing instance");
      BOOST_TEST(std::string(e.what()).find("no passing instance") != std::string::npos);
    }
    // Only weight 0: said so.
    co_await consul.agent().register_service(warning_with_weight_zero("zero", "z", 9003));
    opts.watch.passing_only = false;
    coconsul::balancer zero(consul, "zero", opts);
    auto [zec, diag, zl] = co_await zero.pick(coconsul::pass_diagnostics(asio::as_tuple(asio::use_awaitable)));
    BOOST_TEST((zec == errc::no_endpoints));
    BOOST_TEST(diag.message == "service 'zero': every instance has weight 0");
  }());
}

BOOST_FIXTURE_TEST_CASE(a_waiting_pick_gets_the_first_instance_that_registers, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    coconsul::balancer lb(consul, "later", fast_balancer());
    std::optional<std::string> got;
    auto waiter = [&]() -> asio::awaitable<void> {
      auto l = co_await lb.pick();
      got = l.endpoint().service_id;
    };
    asio::co_spawn(ioc, waiter(), asio::detached);
    co_await until([&] { return lb.stats().snapshots == 1; });  // the empty first snapshot
    BOOST_TEST(!got);
    co_await consul.agent().register_service(instance("later", "l1", 9001));
    co_await until([&] { return got.has_value(); });
    BOOST_TEST(*got == "l1");
  }());
}

BOOST_FIXTURE_TEST_CASE(destroying_the_balancer_ends_a_pending_pick_with_operation_aborted, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    std::optional<coconsul::balancer> lb(std::in_place, consul, "nobody", fast_balancer());
    std::optional<coconsul::error_code> result;
    auto waiter = [&]() -> asio::awaitable<void> {
      auto [ec, l] = co_await lb->pick(asio::as_tuple(asio::use_awaitable));
      result = ec;
    };
    asio::co_spawn(ioc, waiter(), asio::detached);
    co_await until([&] { return lb->stats().snapshots == 1; });
    BOOST_TEST(!result);
    lb.reset();
    co_await until([&] { return result.has_value(); });
    BOOST_TEST((*result == asio::error::operation_aborted));
  }());
}

BOOST_FIXTURE_TEST_CASE(a_cancelled_pick_ends_and_the_balancer_stays_usable, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    coconsul::balancer lb(consul, "web", fast_balancer());
    asio::cancellation_signal cancel;
    std::optional<coconsul::error_code> result;
    auto waiter = [&]() -> asio::awaitable<void> {
      auto [ec, l] = co_await lb.pick(asio::bind_cancellation_slot(cancel.slot(), asio::as_tuple(asio::use_awaitable)));
      result = ec;
    };
    asio::co_spawn(ioc, waiter(), asio::detached);
    co_await until([&] { return lb.stats().snapshots == 1; });
    cancel.emit(asio::cancellation_type::total);
    co_await until([&] { return result.has_value(); });
    BOOST_TEST((*result == asio::error::operation_aborted));
    co_await consul.agent().register_service(instance("web", "a", 9001));
    auto l = co_await lb.pick();
    BOOST_TEST(l.endpoint().service_id == "a");
  }());
}

BOOST_FIXTURE_TEST_CASE(a_watch_that_fails_for_good_fails_picks_with_consul_s_message, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    co_await consul.agent().register_service(instance("web", "a", 9001));
    auto opts = fast_balancer();
    opts.watch.filter = "Service.Port ==";  // not an expression
    coconsul::balancer lb(consul, "web", opts);
    auto [ec, diag, l] = co_await lb.pick(coconsul::pass_diagnostics(asio::as_tuple(asio::use_awaitable)));
    BOOST_TEST((ec == errc::bad_request));
    BOOST_TEST(diag.message.starts_with("watching service 'web' failed: "), diag.message);
    auto [again, l2] = co_await lb.pick(asio::as_tuple(asio::use_awaitable));
    BOOST_TEST((again == errc::bad_request));
    BOOST_TEST((lb.watch().last_error == errc::bad_request));
  }());
}

BOOST_FIXTURE_TEST_CASE(bad_options_are_refused_with_a_clear_error, agent_fixture) {
  auto opts = fast_balancer();
  opts.connect_timeout = 0ms;
  BOOST_CHECK_EXCEPTION(coconsul::balancer(consul, "web", opts), coconsul::error, [](const coconsul::error& e) {
    return e.code() == errc::invalid_argument && e.message() == "balancer connect_timeout must be above zero";
  });
  BOOST_CHECK_EXCEPTION(coconsul::balancer(consul, "", fast_balancer()), coconsul::error,
                        [](const coconsul::error& e) { return e.code() == errc::invalid_argument; });
}
