// Replicas that accept and never answer (a SIGSTOP'd process, seen from the network): the
// lease's request deadline, and the balancer under traffic while one replica freezes and thaws.

#define BOOST_TEST_MODULE balancer_hung
#include <boost/test/unit_test.hpp>

#include "agent_fixture.hpp"
#include "hung_traffic.hpp"
#include "replicas.hpp"

#include <array>
#include <memory>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using coconsul::test::agent_fixture;
using coconsul::test::echo_replica;
using coconsul::test::entry_of;
using coconsul::test::fast_balancer;
using coconsul::test::http_instance;
using coconsul::test::instance;
using coconsul::test::until;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

namespace {

std::chrono::milliseconds since(clock_type::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - t);
}

// Reads one line; the read ends when the socket is closed under it.
asio::awaitable<coconsul::error_code> read_line(tcp::socket& s, std::string& reply) {
  auto [ec, n] = co_await asio::async_read_until(s, asio::dynamic_buffer(reply), '\n', asio::as_tuple(asio::use_awaitable));
  co_return ec;
}

}  // namespace

// The kernel completes a connect into a listener's backlog whether or not anything accepts, which
// is what a frozen process does: connect() succeeds and then no answer ever comes.
BOOST_FIXTURE_TEST_CASE(the_request_deadline_closes_a_silent_connection_and_ejects_its_endpoint, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    tcp::acceptor silent(ioc, tcp::endpoint(asio::ip::address_v4::loopback(), 0));  // listens, never accepts
    co_await consul.agent().register_service(instance("web", "silent", silent.local_endpoint().port()));
    auto opts = fast_balancer(coconsul::balance_policy::round_robin);
    opts.request_timeout = 200ms;
    coconsul::balancer lb(consul, "web", opts);

    tcp::socket s(ioc);
    coconsul::lease l = co_await lb.connect(s);
    const auto connected = clock_type::now();
    const std::string request = "ping\n";
    co_await asio::async_write(s, asio::buffer(request), asio::use_awaitable);
    std::string reply;
    const auto ec = co_await read_line(s, reply);
    const auto waited = since(connected);
    BOOST_TEST(ec.failed());  // the balancer closed the socket: the read did not hang
    BOOST_TEST(!s.is_open());
    BOOST_TEST(l.timed_out());
    BOOST_TEST((waited >= 200ms));
    BOOST_TEST((waited < 1500ms));
    auto e = entry_of(lb, "silent");
    BOOST_TEST(e->ejected);
    BOOST_TEST(e->timeouts == 1u);
    BOOST_TEST(e->failures == 1u);
    l.fail();  // already ejected and counted: fail() only ends the lease
    BOOST_TEST(entry_of(lb, "silent")->failures == 1u);
    BOOST_TEST(lb.stats().request_timeouts == 1u);
    BOOST_TEST(lb.stats().ejections == 1u);
  }());
}

BOOST_FIXTURE_TEST_CASE(a_disarmed_or_released_lease_is_never_timed_out, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    echo_replica live(ioc.get_executor());
    co_await consul.agent().register_service(instance("web", "live", live.port()));
    auto opts = fast_balancer();
    opts.request_timeout = 100ms;
    coconsul::balancer lb(consul, "web", opts);

    // Idle past the deadline with it disarmed, then one request under a re-armed deadline.
    tcp::socket s(ioc);
    coconsul::lease l = co_await lb.connect(s);
    l.expires_never();
    co_await coconsul::test::sleep_for(300ms);  // the time that passes is what is tested
    BOOST_TEST(!l.timed_out());
    BOOST_TEST(s.is_open());
    l.expires_after(2s);
    const std::string request = "ping\n";
    co_await asio::async_write(s, asio::buffer(request), asio::use_awaitable);
    std::string reply;
    BOOST_TEST(!(co_await read_line(s, reply)).failed());
    BOOST_TEST(reply == request);
    l.expires_after(50ms);
    l.expires_after(1s);  // re-arming replaces the earlier deadline
    co_await coconsul::test::sleep_for(200ms);
    BOOST_TEST(!l.timed_out());
    l.release();

    // A lease released before its deadline leaves the socket and the endpoint alone.
    tcp::socket s2(ioc);
    {
      coconsul::lease l2 = co_await lb.connect(s2);
    }
    co_await coconsul::test::sleep_for(300ms);
    BOOST_TEST(s2.is_open());
    BOOST_TEST(!entry_of(lb, "live")->ejected);
    BOOST_TEST(lb.stats().request_timeouts == 0u);
  }());
}

// Three replicas with Consul HTTP checks under four clients' traffic; echo-2 freezes, then thaws.
BOOST_FIXTURE_TEST_CASE(a_frozen_replica_is_ejected_turns_critical_loses_no_request_and_comes_back, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto ex = ioc.get_executor();
    constexpr auto check_interval = 100ms, check_timeout = 400ms, request_timeout = 300ms;
    std::array<std::unique_ptr<echo_replica>, 3> replicas;
    for (int i = 0; i < 3; ++i) {
      replicas[i] = std::make_unique<echo_replica>(ex, true);
      co_await consul.agent().register_service(http_instance("echo", "echo-" + std::to_string(i + 1), "127.0.0.1",
                                                             replicas[i]->port(), replicas[i]->health_port(),
                                                             check_interval, check_timeout));
    }
    auto opts = fast_balancer();
    opts.request_timeout = request_timeout;
    opts.cooldown = 60s;  // the way back is Consul's: the check passes again, the snapshot adds it
    coconsul::balancer lb(consul, "echo", opts);
    coconsul::test::traffic t;
    constexpr int workers = 4;
    for (int i = 0; i < workers; ++i) asio::co_spawn(ex, coconsul::test::worker(lb, t, i), asio::detached);

    co_await until([&] { return t.answered >= 100 && replicas[1]->served() > 0; });
    replicas[1]->freeze();
    const auto frozen_at = clock_type::now();
    // Ejected, or (a failure of what is tested) gone from the passing instances first.
    co_await until([&] {
      auto e = entry_of(lb, "echo-2");
      return !e || e->ejected;
    });
    const auto ejected_after = since(frozen_at);
    BOOST_TEST_REQUIRE(entry_of(lb, "echo-2").has_value(), "Consul's check noticed before the balancer did");
    co_await until([&] { return !entry_of(lb, "echo-2"); });  // its check timed out: not passing
    const auto critical_after = since(frozen_at);
    const auto verdict = co_await coconsul::test::check_of(consul, "echo", "echo-2");
    BOOST_TEST(verdict.starts_with("critical: "), verdict);
    BOOST_TEST(verdict.find("Timeout exceeded") != std::string::npos, verdict);  // its Timeout, not a refusal
    const auto answered_while_frozen = t.answered;
    co_await until([&] { return t.answered >= answered_while_frozen + 50; });

    const auto served_before_thaw = replicas[1]->served();
    replicas[1]->thaw();
    const auto thawed_at = clock_type::now();
    co_await until([&] {
      auto e = entry_of(lb, "echo-2");
      return e && !e->ejected;
    });
    const auto back_after = since(thawed_at);
    co_await until([&] { return replicas[1]->served() >= served_before_thaw + 20; });  // picked again
    t.stop = true;
    co_await until([&] { return t.workers_done == workers; });

    BOOST_TEST_MESSAGE("ejected after " << ejected_after.count() << " ms, not passing after " << critical_after.count()
                                        << " ms, back " << back_after.count() << " ms after the thaw; answered "
                                        << t.answered << ", timed out and re-sent " << t.timed_out);
    // Ejected within the request timeout of the first request it swallowed (one sent just
    // before the freeze may end a little earlier), long before Consul's check noticed.
    BOOST_TEST((ejected_after <= request_timeout + 700ms));
    BOOST_TEST((ejected_after < critical_after));
    // Critical once a check has waited out its Timeout (one started up to an interval before
    // the freeze ends up to an interval earlier), reported by the next snapshot.
    BOOST_TEST((critical_after >= check_timeout - check_interval));
    BOOST_TEST((critical_after <= check_interval + check_timeout + 1000ms));
    // Back with its next passing check (the cool-down of 60 s is not what let it in).
    BOOST_TEST((back_after <= check_interval + 1000ms));
    BOOST_TEST(t.connect_errors == 0u);  // no message lost: each timed-out one went elsewhere
    BOOST_TEST(t.timed_out >= 1u);
    BOOST_TEST(t.timed_out <= std::size_t(workers));  // the first timeout ejects: each worker meets it once at most
    BOOST_TEST(t.other_errors == 0u);
    BOOST_TEST(t.leases_on_ejected == 0u);
    BOOST_TEST(lb.stats().request_timeouts == t.timed_out);
  }());
}
