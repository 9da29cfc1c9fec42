#define BOOST_TEST_MODULE scratch
#include <boost/test/unit_test.hpp>

#include "../support/agent_fixture.hpp"

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

namespace {

template <class Pred>
asio::awaitable<void> until(Pred pred) {
  asio::steady_timer t(co_await asio::this_coro::executor);
  while (!pred()) {
    t.expires_after(1ms);
    co_await t.async_wait(asio::use_awaitable);
  }
}

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
    BOOST_TEST_MESSAGE("puts done");
    co_await up(consul, "echo-1", 9001);
    BOOST_TEST_MESSAGE("up done");
    auto w = consul.watch_service("echo", fast());
    auto s = co_await w.next();
    BOOST_TEST(s.endpoints().size() == 1u);
    const auto old_index = s.index();
    BOOST_TEST_MESSAGE("first snapshot");
    for (int k = 0; k < 20; ++k) { co_await pause(50ms); BOOST_TEST_MESSAGE("waiting=" << agent->waiting_queries()); }
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

