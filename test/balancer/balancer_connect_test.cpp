// balancer::connect against the dev agent and real listeners: fail-over within one connect,
// ejection and its end, timeouts, attempt bounds, leases, cancellation and destruction.

#define BOOST_TEST_MODULE balancer_connect
#include <boost/test/unit_test.hpp>

#include "agent_fixture.hpp"
#include "replicas.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>

#include <optional>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using coconsul::balance_policy;
using coconsul::errc;
using coconsul::test::agent_fixture;
using coconsul::test::dead_port;
using coconsul::test::echo_replica;
using coconsul::test::entry_of;
using coconsul::test::fast_balancer;
using coconsul::test::instance;
using coconsul::test::until;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

BOOST_FIXTURE_TEST_CASE(a_dead_port_fails_over_in_the_same_connect_and_stays_out_for_the_cooldown, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    echo_replica live(ioc.get_executor());
    // Round robin tries "a-dead" first (the snapshot's order): the failover is certain.
    co_await consul.agent().register_service(instance("web", "a-dead", dead_port(ioc.get_executor())));
    co_await consul.agent().register_service(instance("web", "b-live", live.port()));
    auto opts = fast_balancer(balance_policy::round_robin);
    opts.cooldown = 300ms;
    coconsul::balancer lb(consul, "web", opts);

    tcp::socket s(ioc);
    const auto before_eject = clock_type::now();
    coconsul::lease l = co_await lb.connect(s);
    BOOST_TEST(l.endpoint().service_id == "b-live");
    BOOST_TEST(s.is_open());
    BOOST_TEST(s.remote_endpoint().port() == live.port());
    auto st = lb.stats();
    BOOST_TEST(st.connect_failures == 1u);
    BOOST_TEST(st.ejections == 1u);
    BOOST_TEST(st.picks == 2u);
    BOOST_TEST(entry_of(lb, "a-dead")->ejected);
    BOOST_TEST(entry_of(lb, "a-dead")->failures == 1u);
    BOOST_TEST(entry_of(lb, "b-live")->in_flight == 1u);
    l.release();
    BOOST_TEST(entry_of(lb, "b-live")->in_flight == 0u);

    // During the cool-down no pick returns it.
    for (int i = 0; i < 50; ++i) {
      auto p = co_await lb.pick();
      BOOST_TEST(p.endpoint().service_id == "b-live");
    }
    // Once the cool-down is over it is back: round robin alternates again.
    co_await until([&] { return !entry_of(lb, "a-dead")->ejected; });
    BOOST_TEST((clock_type::now() - before_eject >= 300ms));
    int dead_picks = 0;
    for (int i = 0; i < 10; ++i) {
      auto p = co_await lb.pick();
      dead_picks += p.endpoint().service_id == "a-dead";
    }
    BOOST_TEST(dead_picks == 5);

    // With every endpoint ejected, a waiting pick gets the first to come back.
    const auto all_ejected = clock_type::now();
    lb.eject("a-dead");
    lb.eject("b-live");
    auto back = co_await lb.pick();
    BOOST_TEST((clock_type::now() - all_ejected >= 300ms));
    BOOST_TEST(!entry_of(lb, back.endpoint().service_id)->ejected);
  }());
}

BOOST_FIXTURE_TEST_CASE(only_a_snapshot_that_reports_the_endpoint_again_ends_its_ejection, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    echo_replica live(ioc.get_executor());
    const int dead = dead_port(ioc.get_executor());
    co_await consul.agent().register_service(instance("web", "a", dead));
    co_await consul.agent().register_service(instance("web", "b", live.port()));
    auto opts = fast_balancer(balance_policy::round_robin);
    opts.cooldown = 1h;  // only a snapshot can bring it back within this test
    opts.wait_when_all_ejected = false;
    coconsul::balancer lb(consul, "web", opts);
    tcp::socket s(ioc);
    auto l = co_await lb.connect(s);
    BOOST_TEST(l.endpoint().service_id == "b");
    BOOST_TEST(entry_of(lb, "a")->ejected);

    // A snapshot that still lists "a" unchanged (Consul has not noticed): it stays out.
    const auto seen = lb.stats().snapshots;
    co_await consul.agent().register_service(instance("web", "c", live.port()));
    co_await until([&] { return lb.stats().snapshots > seen; });
    BOOST_TEST(lb.stats().endpoints.size() == 3u);
    BOOST_TEST(entry_of(lb, "a")->ejected);

    // Changed (re-registered on a live port): back at once.
    co_await consul.agent().register_service(instance("web", "a", live.port()));
    co_await until([&] { return !entry_of(lb, "a")->ejected; });
    BOOST_TEST(entry_of(lb, "a")->endpoint.port == live.port());

    // Removed, then added again: back as a new endpoint.
    lb.eject("a");
    BOOST_TEST(entry_of(lb, "a")->ejected);
    co_await consul.agent().deregister_service("a");
    co_await until([&] { return !entry_of(lb, "a"); });
    co_await consul.agent().register_service(instance("web", "a", live.port()));
    co_await until([&] { return entry_of(lb, "a").has_value(); });
    BOOST_TEST(!entry_of(lb, "a")->ejected);
    lb.eject("b");
    lb.eject("c");
    auto p = co_await lb.pick();
    BOOST_TEST(p.endpoint().service_id == "a");
  }());
}

BOOST_FIXTURE_TEST_CASE(when_every_endpoint_fails_connect_reports_the_last_error, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    co_await consul.agent().register_service(instance("web", "a", dead_port(ioc.get_executor())));
    co_await consul.agent().register_service(instance("web", "b", dead_port(ioc.get_executor())));
    auto opts = fast_balancer();
    opts.wait_when_all_ejected = false;
    coconsul::balancer lb(consul, "web", opts);
    tcp::socket s(ioc);
    auto [ec, diag, l] = co_await lb.connect(s, coconsul::pass_diagnostics(asio::as_tuple(asio::use_awaitable)));
    BOOST_TEST((ec == asio::error::connection_refused));
    BOOST_TEST(diag.message.starts_with("service 'web': connecting to 127.0.0.1:"), diag.message);
    BOOST_TEST(!l);
    BOOST_TEST(!s.is_open());
    BOOST_TEST(lb.stats().connect_failures == 2u);
    BOOST_TEST(lb.stats().ejections == 2u);
    // Nothing left: no_endpoints, saying why.
    auto [ec2, diag2, l2] = co_await lb.connect(s, coconsul::pass_diagnostics(asio::as_tuple(asio::use_awaitable)));
    BOOST_TEST((ec2 == errc::no_endpoints));
    BOOST_TEST(diag2.message == "service 'web': every instance is ejected (2 cooling down)");
  }());
}

BOOST_FIXTURE_TEST_CASE(a_connect_that_gets_no_answer_in_time_is_a_failure, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    // A listener whose accept queue is full (backlog 0, one connection never accepted): the
    // kernel drops further SYNs, so a connect hangs as it would to a frozen host.
    tcp::acceptor frozen(ioc, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    frozen.listen(0);
    tcp::socket filler(ioc);
    filler.connect(frozen.local_endpoint());
    echo_replica live(ioc.get_executor());
    co_await consul.agent().register_service(instance("web", "a-frozen", frozen.local_endpoint().port()));
    co_await consul.agent().register_service(instance("web", "b-live", live.port()));
    auto opts = fast_balancer(balance_policy::round_robin);  // a-frozen first
    opts.connect_timeout = 100ms;
    opts.wait_when_all_ejected = false;
    coconsul::balancer lb(consul, "web", opts);
    tcp::socket s(ioc);
    const auto start = clock_type::now();
    auto l = co_await lb.connect(s);
    BOOST_TEST(l.endpoint().service_id == "b-live");
    BOOST_TEST((clock_type::now() - start >= 100ms));
    BOOST_TEST(entry_of(lb, "a-frozen")->ejected);
    BOOST_TEST(lb.stats().connect_failures == 1u);

    // Alone, the timeout is the error, and the diagnostics say where.
    lb.eject("b-live");
    auto r = fast_balancer();
    r.connect_timeout = 100ms;
    r.watch.filter = "Service.ID == \"a-frozen\"";
    coconsul::balancer only_frozen(consul, "web", r);
    auto [ec, diag, l2] = co_await only_frozen.connect(s, coconsul::pass_diagnostics(asio::as_tuple(asio::use_awaitable)));
    BOOST_TEST((ec == errc::connect_timeout), ec.message());
    BOOST_TEST(diag.message == "service 'web': connecting to 127.0.0.1:" + std::to_string(frozen.local_endpoint().port()) +
                                   " timed out after 100 ms");
    BOOST_TEST(!s.is_open());
  }());
}

BOOST_FIXTURE_TEST_CASE(destroying_the_balancer_ends_a_connect_in_progress, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    tcp::acceptor frozen(ioc, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    frozen.listen(0);
    tcp::socket filler(ioc);
    filler.connect(frozen.local_endpoint());
    co_await consul.agent().register_service(instance("web", "frozen", frozen.local_endpoint().port()));
    auto opts = fast_balancer();
    opts.connect_timeout = 1h;
    std::optional<coconsul::balancer> lb(std::in_place, consul, "web", opts);
    tcp::socket s(ioc);
    std::optional<coconsul::error_code> result;
    auto connecting = [&]() -> asio::awaitable<void> {
      auto [ec, l] = co_await lb->connect(s, asio::as_tuple(asio::use_awaitable));
      result = ec;
    };
    asio::co_spawn(ioc, connecting(), asio::detached);
    co_await until([&] { return lb->stats().picks == 1; });  // the attempt has started
    BOOST_TEST(!result);
    lb.reset();
    co_await until([&] { return result.has_value(); });
    BOOST_TEST((*result == asio::error::operation_aborted));
    BOOST_TEST(!s.is_open());
  }());
}

BOOST_FIXTURE_TEST_CASE(max_attempts_bounds_the_endpoints_one_connect_tries, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    for (const char* id : {"a", "b", "c"})
      co_await consul.agent().register_service(instance("web", id, dead_port(ioc.get_executor())));
    auto opts = fast_balancer();
    opts.max_attempts = 2;
    coconsul::balancer lb(consul, "web", opts);
    tcp::socket s(ioc);
    auto [ec, l] = co_await lb.connect(s, asio::as_tuple(asio::use_awaitable));
    BOOST_TEST((ec == asio::error::connection_refused));
    BOOST_TEST(lb.stats().connect_failures == 2u);
    int ejected = 0;
    for (auto& e : lb.stats().endpoints) ejected += e.ejected;
    BOOST_TEST(ejected == 2);
  }());
}

BOOST_FIXTURE_TEST_CASE(a_failed_lease_ejects_its_endpoint_and_leases_outlive_the_balancer, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    echo_replica a(ioc.get_executor()), b(ioc.get_executor());
    co_await consul.agent().register_service(instance("web", "a", a.port()));
    co_await consul.agent().register_service(instance("web", "b", b.port()));
    std::optional<coconsul::balancer> lb(std::in_place, consul, "web", fast_balancer());
    tcp::socket s(ioc);
    auto l = co_await lb->connect(s);
    const std::string id = l.endpoint().service_id;
    l.fail();  // say the peer misbehaved
    BOOST_TEST(!l);
    BOOST_TEST(entry_of(*lb, id)->ejected);
    BOOST_TEST(entry_of(*lb, id)->failures == 1u);
    BOOST_TEST(lb->stats().ejections == 1u);
    BOOST_TEST(entry_of(*lb, id)->in_flight == 0u);

    auto kept = co_await lb->connect(s);
    BOOST_TEST(kept.endpoint().service_id != id);
    const int port = kept.endpoint().port;
    lb.reset();
    BOOST_TEST(kept.endpoint().port == port);  // still valid
    kept.fail();                               // and harmless
    BOOST_TEST(!kept);
  }());
}

BOOST_FIXTURE_TEST_CASE(a_cancelled_connect_ends_with_the_socket_closed, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    coconsul::balancer lb(consul, "nobody", fast_balancer());  // waits: nothing registered
    tcp::socket s(ioc);
    s.open(tcp::v4());
    asio::cancellation_signal cancel;
    std::optional<coconsul::error_code> result;
    auto waiter = [&]() -> asio::awaitable<void> {
      auto [ec, l] = co_await lb.connect(s, asio::bind_cancellation_slot(cancel.slot(), asio::as_tuple(asio::use_awaitable)));
      result = ec;
    };
    asio::co_spawn(ioc, waiter(), asio::detached);
    co_await until([&] { return lb.stats().snapshots == 1; });
    BOOST_TEST(!result);
    cancel.emit(asio::cancellation_type::terminal);
    co_await until([&] { return result.has_value(); });
    BOOST_TEST((*result == asio::error::operation_aborted));
    BOOST_TEST(!s.is_open());
  }());
}
