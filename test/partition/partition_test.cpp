// A replica behind a network partition (packets dropped, never refused), inside network
// namespaces the test makes itself: the balancer ejects it within its connect timeout, Consul's
// HTTP check turns it critical, no message is lost, and it comes back when the partition heals.

#define BOOST_TEST_MODULE partition
#include <boost/test/unit_test.hpp>

#include "agent_fixture.hpp"
#include "hung_traffic.hpp"
#include "netns.hpp"
#include "replicas.hpp"

#include <array>
#include <iostream>
#include <memory>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using coconsul::test::agent_fixture;
using coconsul::test::echo_replica;
using coconsul::test::entry_of;
using coconsul::test::fast_balancer;
using coconsul::test::http_instance;
using coconsul::test::netns_pair;
using coconsul::test::until;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

namespace {

boost::test_tools::assertion_result netns_available(boost::unit_test::test_unit_id) {
  const auto why = coconsul::test::netns_unavailable();
  boost::test_tools::assertion_result r(why.empty());
  if (!why.empty()) {
    r.message() << "skipped: " << why;
    std::cout << "partition_test skipped: " << why << std::endl;
  }
  return r;
}

// The namespaces first (the agent and everything else are then made inside C), then the agent.
struct partition_fixture : netns_pair, agent_fixture {};

std::chrono::milliseconds since(clock_type::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - t);
}

// How a connect to `to` ends within `limit`: "connected", "timed out", or the error.
asio::awaitable<std::string> probe(tcp::endpoint to, std::chrono::milliseconds limit) {
  auto ex = co_await asio::this_coro::executor;
  tcp::socket s(ex);
  asio::steady_timer timer(ex, limit);
  bool expired = false;
  auto on_expiry = [&](coconsul::error_code ec) {
    if (ec) return;
    expired = true;
    s.cancel();
  };
  timer.async_wait(on_expiry);
  auto [ec] = co_await s.async_connect(to, asio::as_tuple(asio::use_awaitable));
  timer.cancel();
  if (!ec) co_return "connected";
  if (expired) co_return "timed out";
  co_return ec.message();
}

}  // namespace

BOOST_TEST_DECORATOR(*boost::unit_test::precondition(netns_available))
BOOST_FIXTURE_TEST_CASE(a_partitioned_replica_is_ejected_turns_critical_loses_no_request_and_comes_back,
                        partition_fixture) {
  BOOST_TEST_REQUIRE(ok(), "could not set up the namespaces and their veth pair");
  run([&]() -> asio::awaitable<void> {
    auto ex = ioc.get_executor();
    constexpr auto check_interval = 100ms, check_timeout = 400ms, connect_timeout = 300ms;
    const auto r_address = asio::ip::make_address(netns_pair::r_address);
    std::array<std::unique_ptr<echo_replica>, 3> replicas;
    replicas[0] = std::make_unique<echo_replica>(ex, true);
    replicas[1] = in_r([&] { return std::make_unique<echo_replica>(ex, true, r_address); });
    replicas[2] = std::make_unique<echo_replica>(ex, true);
    for (int i = 0; i < 3; ++i) {
      const std::string address = i == 1 ? netns_pair::r_address : "127.0.0.1";
      co_await consul.agent().register_service(http_instance("echo", "echo-" + std::to_string(i + 1), address,
                                                             replicas[i]->port(), replicas[i]->health_port(),
                                                             check_interval, check_timeout));
    }
    const tcp::endpoint partitioned(r_address, static_cast<unsigned short>(replicas[1]->port()));
    BOOST_TEST(co_await probe(partitioned, 1s) == "connected");  // reachable over the veth pair

    auto opts = fast_balancer();
    opts.connect_timeout = connect_timeout;
    opts.request_timeout = connect_timeout;  // an exchange in flight when the link is cut
    opts.cooldown = 60s;  // the way back is Consul's: the check passes again, the snapshot adds it
    coconsul::balancer lb(consul, "echo", opts);
    coconsul::test::traffic t;
    constexpr int workers = 4;
    for (int i = 0; i < workers; ++i) asio::co_spawn(ex, coconsul::test::worker(lb, t, i), asio::detached);
    co_await until([&] { return t.answered >= 100 && replicas[1]->served() > 0; });

    const std::string how = partition();
    const auto cut_at = clock_type::now();
    std::cout << "partition_test: partitioned by " << how << std::endl;
    BOOST_TEST_MESSAGE("partitioned by " << how);
    co_await until([&] {
      auto e = entry_of(lb, "echo-2");
      return !e || e->ejected;
    });
    const auto ejected_after = since(cut_at);
    BOOST_TEST_REQUIRE(entry_of(lb, "echo-2").has_value(), "Consul's check noticed before the balancer did");
    // Dropped, not refused: a connect neither succeeds nor fails, it times out.
    BOOST_TEST(co_await probe(partitioned, 500ms) == "timed out");
    co_await until([&] { return !entry_of(lb, "echo-2"); });  // its check timed out: not passing
    const auto critical_after = since(cut_at);
    const auto verdict = co_await coconsul::test::check_of(consul, "echo", "echo-2");
    BOOST_TEST(verdict.starts_with("critical: "), verdict);
    BOOST_TEST(verdict.find("Timeout exceeded") != std::string::npos, verdict);  // its Timeout, not a refusal
    const auto answered_while_cut = t.answered;
    co_await until([&] { return t.answered >= answered_while_cut + 50; });

    const auto served_before_heal = replicas[1]->served();
    heal();
    const auto healed_at = clock_type::now();
    co_await until([&] {
      auto e = entry_of(lb, "echo-2");
      return e && !e->ejected;
    });
    const auto back_after = since(healed_at);
    co_await until([&] { return replicas[1]->served() >= served_before_heal + 20; });  // picked again
    t.stop = true;
    co_await until([&] { return t.workers_done == workers; });

    const auto st = lb.stats();
    std::cout << "partition_test: ejected after " << ejected_after.count() << " ms, not passing after "
              << critical_after.count() << " ms, back " << back_after.count() << " ms after the heal; answered "
              << t.answered << ", re-sent " << t.timed_out << " timed out, " << st.connect_failures
              << " connects failed over" << std::endl;
    // Ejected by the first connect (or exchange) the partition swallowed: within its timeout.
    BOOST_TEST((ejected_after <= connect_timeout + 700ms));
    BOOST_TEST((ejected_after < critical_after));
    BOOST_TEST((critical_after >= check_timeout - check_interval));
    BOOST_TEST((critical_after <= check_interval + check_timeout + 1000ms));
    BOOST_TEST((back_after <= check_interval + 1000ms));
    BOOST_TEST(t.connect_errors == 0u);  // no message lost
    BOOST_TEST(t.other_errors == 0u);
    BOOST_TEST(t.leases_on_ejected == 0u);
    BOOST_TEST(st.connect_failures + t.timed_out >= 1u);
    BOOST_TEST(st.connect_failures + t.timed_out <= std::uint64_t(workers));  // each worker meets it once at most
  }(), std::chrono::seconds(30));
}
