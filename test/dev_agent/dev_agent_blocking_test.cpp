// Blocking queries and fault injection: wake on change, time out with the same index, index
// rules, what tests can do to the agent (latency, errors, drops, churn, reset), and what it counts.
#define BOOST_TEST_MODULE dev_agent_blocking
#include <boost/test/unit_test.hpp>

#include "agent_client.hpp"
#include "agent_fixture.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>

using namespace coconsul;
using namespace coconsul::test;
namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {
asio::awaitable<void> put_later(agent_client& c, std::string target, std::string body, std::chrono::milliseconds d) {
  co_await sleep_for(d);
  co_await c.put(std::move(target), std::move(body));
}
// One parked query; counts itself when it comes back with a higher index. (A free function:
// a lambda's captures would die with the lambda while the coroutine still runs.)
asio::awaitable<void> wait_and_count(agent_client& c, std::uint64_t idx, int& woken) {
  auto r = co_await c.get("/v1/kv/k?wait=10s&index=" + std::to_string(idx));
  if (r.index() > idx) ++woken;
}
// Polls until the agent counts `want` open connections or `limit` passes; returns its count.
asio::awaitable<std::size_t> await_open_connections(const dev_agent& agent, std::size_t want,
                                                    std::chrono::milliseconds limit = 2s) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (agent.open_connections() != want && std::chrono::steady_clock::now() < until) co_await sleep_for(5ms);
  co_return agent.open_connections();
}
// Reads one response (head and Content-Length body) off `s`; bytes after it stay in `buf`.
asio::awaitable<std::string> read_response(asio::ip::tcp::socket& s, std::string& buf) {
  std::size_t head = co_await asio::async_read_until(s, asio::dynamic_buffer(buf), "\r\n\r\n", asio::use_awaitable);
  auto at = buf.find("Content-Length: ");
  std::size_t length = at < head ? std::stoul(buf.substr(at + 16)) : 0;
  if (buf.size() < head + length)
    co_await asio::async_read(s, asio::dynamic_buffer(buf), asio::transfer_exactly(head + length - buf.size()),
                              asio::use_awaitable);
  std::string whole = buf.substr(0, head + length);
  buf.erase(0, head + length);
  co_return whole;
}
// The value of header `name` in a raw response, as a number (0 when absent).
std::uint64_t header_value(const std::string& response, const std::string& name) {
  auto at = response.find("\r\n" + name + ": ");
  return at == std::string::npos ? 0 : std::stoull(response.substr(at + name.size() + 4));
}
}  // namespace

BOOST_AUTO_TEST_CASE(a_blocking_get_wakes_when_its_key_changes) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto writer = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/kv/watched", "1");
    auto r = co_await c.get("/v1/kv/watched");
    auto idx = r.index();
    auto started = std::chrono::steady_clock::now();
    asio::co_spawn(f.ioc, put_later(writer, "/v1/kv/watched", "2", 100ms), asio::detached);
    r = co_await c.get("/v1/kv/watched?index=" + std::to_string(idx) + "&wait=10s");
    auto elapsed = std::chrono::steady_clock::now() - started;
    BOOST_TEST(r.index() > idx);
    BOOST_TEST(r.json().at(0).at("Value").as_string() == "Mg==");
    BOOST_TEST((elapsed >= 90ms));
    BOOST_TEST((elapsed < 5s));
  }());
}

BOOST_AUTO_TEST_CASE(a_write_elsewhere_does_not_end_the_wait) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto writer = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/kv/mine", "1");
    auto r = co_await c.get("/v1/kv/mine");
    auto idx = r.index();
    asio::co_spawn(f.ioc, put_later(writer, "/v1/kv/other", "x", 20ms), asio::detached);
    auto started = std::chrono::steady_clock::now();
    r = co_await c.get("/v1/kv/mine?index=" + std::to_string(idx) + "&wait=300ms");
    auto elapsed = std::chrono::steady_clock::now() - started;
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.index() == idx);   // timed out: same data, same index
    BOOST_TEST((elapsed >= 300ms));
    BOOST_TEST(elapsed < 300ms + 300ms / 16 + 200ms);  // jitter is at most wait/16
  }());
}

BOOST_AUTO_TEST_CASE(health_service_blocks_until_that_service_changes) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto writer = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/agent/service/register", R"({"Name":"web","Check":{"TTL":"1h"}})");
    auto r = co_await c.get("/v1/health/service/web?passing");
    BOOST_TEST(r.body == "[]\n");
    auto idx = r.index();
    asio::co_spawn(f.ioc, put_later(writer, "/v1/kv/noise", "x", 10ms), asio::detached);
    asio::co_spawn(f.ioc, put_later(writer, "/v1/agent/check/pass/service:web", "", 100ms), asio::detached);
    r = co_await c.get("/v1/health/service/web?passing&index=" + std::to_string(idx));
    BOOST_TEST(r.json().as_array().size() == 1u);
    BOOST_TEST(r.index() > idx);
  }());
}

BOOST_AUTO_TEST_CASE(many_waiters_all_wake_on_one_change) {
  constexpr int waiters = 200;
  auto options = agent_test_options();
  options.limits.max_conns_per_client = waiters + 1;  // the waiters and `c` share 127.0.0.1 (Consul's cap: 200)
  agent_fixture f(options);
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/kv/k", "1");
    auto idx = (co_await c.get("/v1/kv/k")).index();
    int woken = 0;
    std::vector<std::unique_ptr<agent_client>> clients;
    for (int i = 0; i < waiters; ++i) {
      clients.push_back(std::make_unique<agent_client>(f.ioc.get_executor(), "127.0.0.1", f.agent.port()));
      asio::co_spawn(f.ioc, wait_and_count(*clients.back(), idx, woken), asio::detached);
    }
    while (f.agent.waiting_queries() < waiters) co_await sleep_for(5ms);
    co_await c.put("/v1/kv/k", "2");
    for (int i = 0; i < 400 && woken < waiters; ++i) co_await sleep_for(5ms);
    BOOST_TEST(woken == waiters);
    BOOST_TEST(f.agent.waiting_queries() == 0u);
  }());
}

BOOST_AUTO_TEST_CASE(index_is_never_zero) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/v1/session/list");
    BOOST_TEST(r.index() >= 1u);
    r = co_await c.get("/v1/kv/?keys");
    BOOST_TEST(r.index() >= 1u);
    BOOST_TEST(r.body == "[]\n");
  }());
}

BOOST_AUTO_TEST_CASE(injected_latency_and_errors) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    f.agent.inject_latency(100ms);
    auto started = std::chrono::steady_clock::now();
    co_await c.get("/v1/status/leader");
    BOOST_TEST((std::chrono::steady_clock::now() - started >= 100ms));
    f.agent.clear_faults();
    f.agent.fail_next_requests(500, 2);
    auto r = co_await c.get("/v1/status/leader");
    BOOST_TEST(r.status == 500u);
    r = co_await c.get("/v1/status/leader");
    BOOST_TEST(r.status == 500u);
    r = co_await c.get("/v1/status/leader");
    BOOST_TEST(r.status == 200u);
    f.agent.fail_next_requests(429, 1);
    r = co_await c.get("/v1/status/leader");
    BOOST_TEST(r.status == 429u);
    BOOST_TEST(r.body.empty());
    f.agent.fail_fraction_of_requests(503, 1.0);
    r = co_await c.get("/v1/status/leader");
    BOOST_TEST(r.status == 503u);
    f.agent.clear_faults();
    r = co_await c.get("/v1/status/leader");
    BOOST_TEST(r.status == 200u);
  }());
}

BOOST_AUTO_TEST_CASE(dropped_connections_cut_the_response) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    f.agent.drop_next_responses(1);
    bool failed = false;
    try {
      co_await c.get("/v1/status/leader");
    } catch (const boost::system::system_error&) {
      failed = true;
    }
    BOOST_TEST(failed);
    auto r = co_await c.get("/v1/status/leader");
    BOOST_TEST(r.status == 200u);
  }());
}

BOOST_AUTO_TEST_CASE(churn_wakes_waiters_with_the_same_content) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/agent/service/register", R"({"Name":"web"})");
    auto first = co_await c.get("/v1/health/service/web");
    auto idx = first.index();
    auto churn = [&]() -> asio::awaitable<void> {
      co_await sleep_for(50ms);
      f.agent.churn_index();
    };
    asio::co_spawn(f.ioc, churn(), asio::detached);
    auto r = co_await c.get("/v1/health/service/web?index=" + std::to_string(idx) + "&wait=5s");
    BOOST_TEST(r.index() > idx);
    BOOST_TEST(r.body == first.body);
  }());
}

BOOST_AUTO_TEST_CASE(reset_sends_indexes_backwards_and_ends_waits) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    for (int i = 0; i < 5; ++i) co_await c.put("/v1/kv/k" + std::to_string(i), "x");
    auto r = co_await c.get("/v1/kv/?recurse");
    auto idx = r.index();
    BOOST_TEST(idx > 5u);
    auto reset = [&]() -> asio::awaitable<void> {
      co_await sleep_for(50ms);
      f.agent.reset_index(1);
    };
    asio::co_spawn(f.ioc, reset(), asio::detached);
    auto started = std::chrono::steady_clock::now();
    r = co_await c.get("/v1/kv/?recurse&index=" + std::to_string(idx) + "&wait=5s");
    BOOST_TEST((std::chrono::steady_clock::now() - started < 2s));
    BOOST_TEST(r.index() < idx);
    BOOST_TEST(r.index() >= 1u);
  }());
}

BOOST_AUTO_TEST_CASE(stop_closes_everything) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/kv/k", "1");
    auto idx = (co_await c.get("/v1/kv/k")).index();
    auto stopper = [&]() -> asio::awaitable<void> {
      co_await sleep_for(50ms);
      f.agent.stop();
    };
    asio::co_spawn(f.ioc, stopper(), asio::detached);
    bool failed = false;
    try {
      co_await c.get("/v1/kv/k?wait=10s&index=" + std::to_string(idx));
    } catch (const boost::system::system_error&) {
      failed = true;  // the connection was closed under the waiting query
    }
    BOOST_TEST(failed);
  }());
  // Nothing of the agent is left on the io_context: run() returns at once.
  f.ioc.restart();
  auto started = std::chrono::steady_clock::now();
  f.ioc.run_for(2s);
  BOOST_TEST((std::chrono::steady_clock::now() - started < 1s));
}

BOOST_AUTO_TEST_CASE(a_waiting_query_ends_when_its_client_hangs_up) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/kv/k", "1");
    auto idx = (co_await c.get("/v1/kv/k")).index();
    auto quitter = std::make_shared<agent_client>(f.ioc.get_executor(), "127.0.0.1", f.agent.port());
    auto park = [](std::shared_ptr<agent_client> cl, std::uint64_t i) -> asio::awaitable<void> {
      try {
        co_await cl->get("/v1/kv/k?wait=60s&index=" + std::to_string(i));
      } catch (const boost::system::system_error&) {
      }
    };
    asio::co_spawn(f.ioc, park(quitter, idx), asio::detached);
    while (f.agent.waiting_queries() < 1) co_await sleep_for(5ms);
    quitter->close();
    auto started = std::chrono::steady_clock::now();
    while (f.agent.waiting_queries() > 0 && std::chrono::steady_clock::now() - started < 2s) co_await sleep_for(5ms);
    BOOST_TEST(f.agent.waiting_queries() == 0u);  // freed at once, not after 60 s
    auto r = co_await c.get("/v1/kv/k");  // and the agent still serves
    BOOST_TEST(r.status == 200u);
  }());
}

BOOST_AUTO_TEST_CASE(a_pipelined_request_does_not_cancel_the_waiting_one) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/kv/k", "1");
    auto idx = (co_await c.get("/v1/kv/k")).index();
    using tcp = asio::ip::tcp;
    tcp::socket raw(f.ioc);
    co_await raw.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), f.agent.port()), asio::use_awaitable);
    std::string first_request = "GET /v1/kv/k?wait=10s&index=" + std::to_string(idx) + " HTTP/1.1\r\nHost: agent\r\n\r\n";
    co_await asio::async_write(raw, asio::buffer(first_request), asio::use_awaitable);
    auto until = std::chrono::steady_clock::now() + 2s;
    while (f.agent.waiting_queries() < 1 && std::chrono::steady_clock::now() < until) co_await sleep_for(5ms);
    BOOST_TEST_REQUIRE(f.agent.waiting_queries() == 1u);
    // The next request arrives while the first waits: the agent's socket is readable, with bytes.
    std::string second_request = "GET /v1/kv/other HTTP/1.1\r\nHost: agent\r\n\r\n";
    co_await asio::async_write(raw, asio::buffer(second_request), asio::use_awaitable);
    // A round trip on another connection: by its end the agent has seen the raw socket readable.
    BOOST_TEST((co_await c.get("/v1/status/leader")).status == 200u);
    BOOST_TEST(f.agent.waiting_queries() == 1u);  // still waiting: bytes are not a hang-up
    co_await c.put("/v1/kv/k", "2");
    std::string buf;
    auto first = co_await read_response(raw, buf);
    auto second = co_await read_response(raw, buf);
    // Woken by the write, not ended early: it carries the write's index.
    BOOST_TEST(first.rfind("HTTP/1.1 200", 0) == 0u);
    BOOST_TEST(header_value(first, "X-Consul-Index") > idx);
    BOOST_TEST(second.rfind("HTTP/1.1 404", 0) == 0u);  // the pipelined one, answered after it
  }());
}

BOOST_AUTO_TEST_CASE(open_connections_counts_what_clients_hold) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    BOOST_TEST(f.agent.open_connections() == 0u);
    using tcp = asio::ip::tcp;
    const tcp::endpoint agent_ep(asio::ip::make_address("127.0.0.1"), f.agent.port());
    tcp::socket first(f.ioc), second(f.ioc);
    co_await first.async_connect(agent_ep, asio::use_awaitable);
    co_await second.async_connect(agent_ep, asio::use_awaitable);
    auto both = co_await await_open_connections(f.agent, 2);
    BOOST_TEST(both == 2u);
    first.close();  // the agent sees the end of the stream and closes its side
    auto one = co_await await_open_connections(f.agent, 1);
    BOOST_TEST(one == 1u);
  }());
}
