// watch_service (and the KV watches) against the dev agent: diffs, shared queries, a slow
// consumer, churn, index resets, error storms, multiplexing, restarts, cancellation, lifetime.

#define BOOST_TEST_MODULE watch_service
#include <boost/test/unit_test.hpp>

#include "agent_fixture.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using coconsul::errc;
using coconsul::test::agent_fixture;
using coconsul::test::until;

namespace {

asio::awaitable<void> pause(std::chrono::milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  co_await t.async_wait(asio::use_awaitable);
}

// Fast pacing for tests: a 50 ms bucket and short backoff.
coconsul::service_watch_options fast() {
  coconsul::service_watch_options o;
  o.pacing.refill = 50ms;
  o.pacing.backoff_base = 10ms;
  o.pacing.backoff_cap = 200ms;
  return o;
}

coconsul::service_registration instance(std::string id, int port) {
  coconsul::service_registration reg{.id = id, .name = "echo", .port = port};
  reg.address = "127.0.0.1";
  coconsul::service_check ttl;
  ttl.check_id = id + ":ttl";
  ttl.ttl = 30s;
  reg.check = ttl;
  return reg;
}

// Registers an instance and makes it healthy.
asio::awaitable<void> up(coconsul::client& c, std::string id, int port) {
  co_await c.agent().register_service(instance(id, port));
  co_await c.agent().pass_ttl(id + ":ttl");
}

std::vector<std::string> ids(const std::vector<const coconsul::endpoint*>& list) {
  std::vector<std::string> out;
  for (const auto* e : list) out.push_back(e->service_id);
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(first_state_then_each_change_with_its_diff, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    co_await up(consul, "echo-1", 9001);
    auto w = consul.watch_service("echo", fast());
    auto s = co_await w.next();
    BOOST_TEST_REQUIRE(s.endpoints().size() == 1u);
    BOOST_TEST(s.endpoints()[0].address == "127.0.0.1");
    BOOST_TEST(s.endpoints()[0].port == 9001);
    BOOST_TEST((s.endpoints()[0].health == coconsul::health_status::passing));
    BOOST_TEST(ids(s.added) == std::vector<std::string>{"echo-1"}, boost::test_tools::per_element());
    BOOST_TEST(s.index() > 0u);

    co_await up(consul, "echo-2", 9002);
    s = co_await w.next();
    BOOST_TEST(s.endpoints().size() == 2u);
    BOOST_TEST(ids(s.added) == std::vector<std::string>{"echo-2"}, boost::test_tools::per_element());
    BOOST_TEST(s.removed.empty());

    // A failing check takes the instance out of the passing state.
    co_await consul.agent().fail_ttl("echo-1:ttl", "dead");
    s = co_await w.next();
    BOOST_TEST(ids(s.removed) == std::vector<std::string>{"echo-1"}, boost::test_tools::per_element());
    BOOST_TEST_REQUIRE(s.endpoints().size() == 1u);
    BOOST_TEST(s.endpoints()[0].service_id == "echo-2");
  }());
}

BOOST_FIXTURE_TEST_CASE(watches_of_the_same_service_share_one_query_and_one_state, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    co_await up(consul, "echo-1", 9001);
    auto a = consul.watch_service("echo", fast());
    auto b = consul.watch_service("echo", fast());
    auto sa = co_await a.next();
    auto sb = co_await b.next();
    BOOST_TEST(sa.state.get() == sb.state.get());  // shared, not copied
    // Both waiting: one blocking query on the agent.
    bool a_done = false, b_done = false;
    auto wait_a = [&]() -> asio::awaitable<void> { co_await a.next(); a_done = true; };
    auto wait_b = [&]() -> asio::awaitable<void> { co_await b.next(); b_done = true; };
    asio::co_spawn(ioc, wait_a(), asio::detached);
    asio::co_spawn(ioc, wait_b(), asio::detached);
    co_await until([&] { return agent.waiting_queries() == 1; });
    co_await pause(100ms);
    BOOST_TEST(agent.waiting_queries() == 1u);
    co_await up(consul, "echo-2", 9002);
    co_await until([&] { return a_done && b_done; });
    BOOST_TEST(a.status().queries_sent == b.status().queries_sent);
    // Other options make another query.
    auto all = fast();
    all.passing_only = false;
    auto c = consul.watch_service("echo", all);
    BOOST_TEST((co_await c.next()).endpoints().size() == 2u);
  }());
}

BOOST_FIXTURE_TEST_CASE(a_slow_consumer_gets_the_newest_state_and_memory_stays_flat, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    co_await up(consul, "echo-1", 9001);
    auto w = consul.watch_service("echo", fast());
    auto first = co_await w.next();
    BOOST_TEST(first.endpoints().size() == 1u);
    // The consumer takes its first state, then is busy for 100 changes.
    co_await until([&] { return agent.waiting_queries() == 1; });  // the query for the next one
    const auto queries_before = w.status().queries_sent;
    for (int i = 2; i <= 101; ++i) {
      co_await up(consul, "echo-" + std::to_string(i), 9000 + i);
      BOOST_TEST_REQUIRE(agent.waiting_queries() <= 1u);
    }
    // Nobody asked: the watch answered one wakeup, then stopped querying.
    co_await pause(200ms);
    BOOST_TEST(agent.waiting_queries() == 0u);
    BOOST_TEST(w.status().queries_sent <= queries_before + 1);
    BOOST_TEST(w.status().snapshots <= 2u);
    // When it comes back it gets the newest state, the intermediate ones coalesced.
    auto s = co_await w.next();
    if (s.endpoints().size() < 101u) s = co_await w.next();  // the held one was taken mid-burst
    BOOST_TEST(s.endpoints().size() == 101u);
    BOOST_TEST(w.status().queries_sent <= queries_before + 3);
  }());
}

BOOST_FIXTURE_TEST_CASE(index_churn_without_change_yields_nothing_and_is_rate_limited, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    co_await up(consul, "echo-1", 9001);
    auto opts = fast();
    opts.pacing.refill = 100ms;
    auto w = consul.watch_service("echo", opts);
    co_await w.next();
    bool woke = false;
    auto waiter = [&]() -> asio::awaitable<void> { co_await w.next(); woke = true; };
    asio::co_spawn(ioc, waiter(), asio::detached);
    co_await until([&] { return agent.waiting_queries() == 1; });
    const auto before = w.status().queries_sent;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 50; ++i) {
      agent.churn_index();
      co_await pause(10ms);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    BOOST_TEST(!woke);
    // At most the burst plus one query per refill while the index churned.
    const double allowed = 2 + seconds / 0.1 + 1;
    BOOST_TEST(static_cast<double>(w.status().queries_sent - before) <= allowed);
    co_await up(consul, "echo-2", 9002);
    co_await until([&] { return woke; });
  }());
}

BOOST_FIXTURE_TEST_CASE(an_index_reset_is_recovered_within_one_query, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    co_await up(consul, "echo-1", 9001);
    auto w = consul.watch_service("echo", fast());
    co_await w.next();
    co_await until([&] { return agent.waiting_queries() == 1; });
    agent.reset_index(1);
    co_await until([&] { return w.status().index_resets == 1; });
    co_await up(consul, "echo-2", 9002);
    auto s = co_await w.next();
    BOOST_TEST(s.endpoints().size() == 2u);
    BOOST_TEST(w.status().index_resets == 1u);
  }());
}

BOOST_FIXTURE_TEST_CASE(error_storms_back_off_and_recover, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    co_await up(consul, "echo-1", 9001);
    auto w = consul.watch_service("echo", fast());
    co_await w.next();
    for (unsigned status : {500u, 429u}) {
      co_await until([&] { return agent.waiting_queries() == 1; });
      const auto sent = w.status().queries_sent;  // the waiting query included
      const auto errors = w.status().errors;
      agent.fail_next_requests(status, 6);
      agent.churn_index();  // wake the waiting query: it succeeds, the six after it fail
      // Back to a blocking query after the six failures, each retried with backoff.
      co_await until([&] { return w.status().queries_sent >= sent + 7 && agent.waiting_queries() == 1; });
      BOOST_TEST(w.status().errors == errors + 6);
      BOOST_TEST(w.status().last_error.value() != 0);
    }
    co_await up(consul, "echo-2", 9002);
    auto s = co_await w.next();
    BOOST_TEST(s.endpoints().size() == 2u);
    BOOST_TEST(w.status().consecutive_errors == 0u);
  }());
}

BOOST_FIXTURE_TEST_CASE(a_bad_filter_fails_the_watch_with_consuls_message, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto opts = fast();
    opts.filter = "Service.Port ==";
    auto w = consul.watch_service("echo", opts);
    try {
      co_await w.next();
      BOOST_FAIL("no exception");
    } catch (const coconsul::error& e) {
      BOOST_TEST((e.code() == errc::bad_request));
      BOOST_TEST(!e.message().empty());
    }
  }());
}

BOOST_FIXTURE_TEST_CASE(cancelling_next_leaves_the_watch_usable, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    co_await up(consul, "echo-1", 9001);
    auto w = consul.watch_service("echo", fast());
    co_await w.next();
    asio::cancellation_signal cancel;
    std::optional<coconsul::error_code> result;
    w.next(asio::bind_cancellation_slot(cancel.slot(), [&](coconsul::error_code ec, coconsul::service_snapshot) { result = ec; }));
    co_await until([&] { return agent.waiting_queries() == 1; });
    cancel.emit(asio::cancellation_type::terminal);
    co_await until([&] { return result.has_value(); });
    BOOST_TEST((*result == asio::error::operation_aborted));
    co_await up(consul, "echo-2", 9002);
    BOOST_TEST((co_await w.next()).endpoints().size() == 2u);
  }());
}

BOOST_FIXTURE_TEST_CASE(kv_watches, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    coconsul::watch_options o;
    o.pacing.refill = 50ms;
    auto key = consul.watch_key("config/port", o);
    auto prefix = consul.watch_prefix("config/", o);
    BOOST_TEST(!(*co_await key.next()).has_value());  // absent at first
    BOOST_TEST((co_await prefix.next())->empty());
    co_await consul.kv().put("config/port", "8080");
    auto v = co_await key.next();
    BOOST_TEST_REQUIRE(v->has_value());
    BOOST_TEST((*v)->value == "8080");
    co_await consul.kv().put("config/host", "a");
    auto list = co_await prefix.next();
    if (list->size() < 2u) list = co_await prefix.next();
    BOOST_TEST(list->size() == 2u);
  }());
}

BOOST_FIXTURE_TEST_CASE(many_services_through_few_connections, agent_fixture) {
  // A client allowed 4 connections and 2 blocking watches watches 20 services.
  coconsul::config cfg = consul.get_config();
  cfg.limits.max_connections = 4;
  cfg.limits.max_blocking_watches = 2;
  coconsul::client small(ioc, cfg);
  run([&]() -> asio::awaitable<void> {
    std::vector<coconsul::service_watch> watches;
    for (int i = 0; i < 20; ++i) {
      auto reg = instance("svc-" + std::to_string(i) + "-a", 10000 + i);
      reg.name = "svc-" + std::to_string(i);
      co_await consul.agent().register_service(reg);
      co_await consul.agent().pass_ttl(reg.id + ":ttl");
      watches.push_back(small.watch_service(reg.name, fast()));
    }
    for (auto& w : watches) BOOST_TEST((co_await w.next()).endpoints().size() == 1u);
    int multiplexed = 0;
    for (auto& w : watches) multiplexed += w.status().multiplexed ? 1 : 0;
    BOOST_TEST(multiplexed == 18);
    // One change to each service reaches each watch.
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 20; ++i) co_await consul.agent().fail_ttl("svc-" + std::to_string(i) + "-a:ttl");
    for (auto& w : watches) BOOST_TEST((co_await w.next()).endpoints().empty());
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    BOOST_TEST_MESSAGE("20 changes delivered through 4 connections in " << ms << " ms");
  }());
}

BOOST_AUTO_TEST_CASE(an_agent_restart_resumes_the_watch_with_a_fresh_index) {
  asio::io_context ioc;
  auto options = coconsul::test::fast_agent_options();
  std::optional<coconsul::dev_agent> agent;
  agent.emplace(ioc.get_executor(), options);
  agent->start();
  coconsul::config cfg;
  cfg.address = agent->http_address();
  coconsul::client consul(ioc, cfg);
  coconsul::test::run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    // Churn the first agent's index well above where a new agent starts.
    for (int i = 0; i < 30; ++i) co_await consul.kv().put("filler", std::to_string(i));
    co_await up(consul, "echo-1", 9001);
    auto w = consul.watch_service("echo", fast());
    auto s = co_await w.next();
    BOOST_TEST(s.endpoints().size() == 1u);
    const auto old_index = s.index();
    co_await until([&] { return agent->waiting_queries() == 1; });

    // Stop the agent, start a new one on the same port with another instance.
    options.port = agent->port();
    agent.reset();
    BOOST_TEST_MESSAGE("agent stopped");
    co_await until([&] { return w.status().errors > 0; });  // the watch noticed
    agent.emplace(ioc.get_executor(), options);
    agent->start();
    BOOST_TEST_MESSAGE("new agent started");
    co_await up(consul, "echo-9", 9009);
    BOOST_TEST_MESSAGE("instance registered on the new agent");
    s = co_await w.next();
    BOOST_TEST_REQUIRE(s.endpoints().size() == 1u);
    BOOST_TEST(s.endpoints()[0].service_id == "echo-9");
    BOOST_TEST(s.index() < old_index);
    BOOST_TEST(w.status().index_resets >= 1u);
  }());
}

BOOST_FIXTURE_TEST_CASE(a_dead_endpoint_leaves_within_one_interval_plus_timeout, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    // A real TCP endpoint for the agent's TCP check.
    asio::ip::tcp::acceptor listener(ioc, {asio::ip::make_address("127.0.0.1"), 0});
    const auto port = listener.local_endpoint().port();
    coconsul::service_registration reg{.id = "tcp-1", .name = "tcp-echo", .port = port};
    reg.address = "127.0.0.1";
    coconsul::service_check tcp;
    tcp.tcp = "127.0.0.1:" + std::to_string(port);
    const auto interval = 200ms, timeout = 100ms;
    tcp.interval = interval;
    tcp.timeout = timeout;
    reg.check = tcp;
    co_await consul.agent().register_service(reg);
    auto w = consul.watch_service("tcp-echo", fast());
    auto s = co_await w.next();
    while (s.endpoints().empty()) s = co_await w.next();  // until its first check passes
    listener.close();  // the endpoint dies
    const auto died = std::chrono::steady_clock::now();
    s = co_await w.next();
    const auto took = std::chrono::steady_clock::now() - died;
    BOOST_TEST(s.endpoints().empty());
    BOOST_TEST(ids(s.removed) == std::vector<std::string>{"tcp-1"}, boost::test_tools::per_element());
    // One interval until the next check, its timeout at most, and the watch's own pacing.
    const double took_ms = std::chrono::duration<double, std::milli>(took).count();
    BOOST_TEST_MESSAGE("the dead endpoint left the passing state after " << took_ms << " ms");
    BOOST_TEST((took < interval + timeout + fast().pacing.refill + 100ms));
  }());
}

BOOST_FIXTURE_TEST_CASE(a_thousand_watches_opened_and_closed_leave_no_query_behind, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    co_await up(consul, "echo-1", 9001);
    std::vector<std::optional<coconsul::error_code>> results(1000);
    {
      // Distinct services: 32 hold blocking queries of their own, the rest are multiplexed
      // through the health index watch (two more blocking queries).
      std::vector<coconsul::service_watch> watches;
      for (int i = 0; i < 1000; ++i)
        watches.push_back(consul.watch_service(i % 2 ? "echo" : "svc-" + std::to_string(i), fast()));
      for (auto& w : watches) co_await w.next();
      // Everyone waits for the next state: the agent holds the blocking queries.
      for (std::size_t i = 0; i < watches.size(); ++i)
        watches[i].next([&results, i](coconsul::error_code ec, coconsul::service_snapshot) { results[i] = ec; });
      co_await until([&] { return agent.waiting_queries() >= 32; });
      BOOST_TEST(agent.waiting_queries() <= consul.get_config().limits.max_connections);
    }  // every watch destroyed here: their pending next() end, their queries with them
    co_await until([&] {
      return std::all_of(results.begin(), results.end(), [](const auto& r) { return r.has_value(); });
    });
    BOOST_TEST(std::all_of(results.begin(), results.end(),
                           [](const auto& r) { return *r == asio::error::operation_aborted; }));
    co_await until([&] { return agent.waiting_queries() == 0; });
    // The agent holds only the client's idle keep-alive connections, none of the watches'.
    co_await until([&] { return agent.open_connections() == consul.stats().open_connections; });
    const auto s = consul.stats();
    BOOST_TEST(s.open_connections == s.idle_connections);
    BOOST_TEST(agent.open_connections() == s.idle_connections);
    BOOST_TEST(s.waiting_requests == 0u);
  }());
}
