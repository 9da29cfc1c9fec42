// The connection cap under load, waiting for a connection, and the keep-alive round-trip rate.
#include <boost/test/unit_test.hpp>

#include "pool_helpers.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdio>
#include <optional>

namespace asio = boost::asio;
namespace http = coconsul::http;
using namespace std::chrono_literals;
using namespace coconsul::test;
using coconsul::errc;
using coconsul::make_error_code;

BOOST_AUTO_TEST_SUITE(connection_cap)

BOOST_AUTO_TEST_CASE(cap_holds_with_1000_concurrent_requests_on_one_thread) {
  asio::io_context ioc;
  test_server server(ioc, [](const received_request& r) { return reply::ok(r.target); });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    auto cfg = config_for(server);
    cfg.limits.max_connections = 8;
    http::pool pool(ioc.get_executor(), cfg);
    constexpr int total = 1000;
    int done = 0, correct = 0;
    std::size_t most_waiting = 0;
    asio::steady_timer all_done(ioc, asio::steady_timer::time_point::max());
    for (int i = 0; i < total; ++i) {
      auto one = [&, i]() -> asio::awaitable<void> {
        auto target = "/v1/kv/key-" + std::to_string(i);
        auto out = co_await send(pool, get(target));
        if (!out.ec && out.response.status == 200 && out.response.body == target) ++correct;
        if (!out.ec) most_waiting = std::max(most_waiting, pool.stats().waiting_requests);
        if (++done == total) all_done.cancel();
      };
      asio::co_spawn(ioc, one(), asio::detached);
    }
    if (done < total) {
      coconsul::error_code ignored;
      co_await all_done.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    }
    BOOST_TEST(done == total);
    BOOST_TEST(correct == total);
    BOOST_TEST(server.peak_open() <= 8u);
    BOOST_TEST(server.accepted() <= 8u);
    BOOST_TEST(pool.stats().connections_opened <= 8u);
    BOOST_TEST(pool.stats().open_connections <= 8u);
    BOOST_TEST(most_waiting > 0u);  // requests really queued
    BOOST_TEST(pool.stats().waiting_requests == 0u);
    BOOST_TEST_MESSAGE("1000 requests over " << server.accepted() << " connections, peak " << server.peak_open());
  }());
}

BOOST_AUTO_TEST_CASE(waiting_past_the_timeout_fails_with_connection_wait_timeout) {
  asio::io_context ioc;
  int n = 0;
  test_server server(ioc, [&](const received_request&) { return ++n == 1 ? reply::hang() : reply::ok(); });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    auto cfg = config_for(server);
    cfg.limits.max_connections = 1;
    http::pool pool(ioc.get_executor(), cfg);

    // The only connection hangs on a first request (cancelled at the end).
    asio::cancellation_signal stop_first;
    coconsul::diagnostics first_diag;
    std::optional<coconsul::error_code> first;
    pool.async_execute(get(), first_diag, asio::bind_cancellation_slot(stop_first.slot(), [&](coconsul::error_code ec, http::response) {
                         first = ec;
                       }));
    co_await server.wait_until([&] { return server.requests().size() == 1; });

    http::request waiting = get();
    waiting.timeout = 150ms;
    auto start = std::chrono::steady_clock::now();
    auto out = co_await send(pool, std::move(waiting));
    auto took = std::chrono::steady_clock::now() - start;
    BOOST_TEST((out.ec == make_error_code(errc::connection_wait_timeout)), out.ec.message());
    BOOST_TEST(contains(out.diag.message, "no connection became free within 150 ms"), out.diag.message);
    BOOST_TEST((took >= 150ms && took < 3s));
    BOOST_TEST(server.requests().size() == 1u);
    BOOST_TEST(pool.stats().waiting_requests == 0u);

    // Cancelling a queued request takes it out of the queue at once.
    asio::cancellation_signal stop_queued;
    coconsul::diagnostics queued_diag;
    std::optional<coconsul::error_code> queued;
    pool.async_execute(get(), queued_diag, asio::bind_cancellation_slot(stop_queued.slot(), [&](coconsul::error_code ec, http::response) {
                         queued = ec;
                       }));
    BOOST_TEST(pool.stats().waiting_requests == 1u);
    stop_queued.emit(asio::cancellation_type::terminal);
    BOOST_TEST(pool.stats().waiting_requests == 0u);

    stop_first.emit(asio::cancellation_type::terminal);
    co_await server.wait_until([&] { return server.closed_by_client() == 1; });
    asio::steady_timer settle(ioc, 0ms);
    co_await settle.async_wait(asio::use_awaitable);
    BOOST_TEST_REQUIRE(queued.has_value());
    BOOST_TEST((*queued == asio::error::operation_aborted));
    BOOST_TEST(contains(queued_diag.message, "while waiting for a connection"), queued_diag.message);
    BOOST_TEST_REQUIRE(first.has_value());
    BOOST_TEST((*first == asio::error::operation_aborted));

    // The freed place serves the next request.
    out = co_await send(pool, get());
    BOOST_TEST(!out.ec, out.diag.message);
  }());
}

BOOST_AUTO_TEST_CASE(a_freed_connection_goes_to_the_longest_waiting_request) {
  asio::io_context ioc;
  test_server server(ioc, [&](const received_request& r) {
    auto rep = reply::ok(r.target);
    if (r.target == "/first") rep.delay = 50ms;  // holds the only connection while the others queue
    return rep;
  });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    auto cfg = config_for(server);
    cfg.limits.max_connections = 1;
    http::pool pool(ioc.get_executor(), cfg);
    std::vector<std::string> order;
    int done = 0;
    asio::steady_timer all_done(ioc, asio::steady_timer::time_point::max());
    const char* targets[] = {"/first", "/a", "/b", "/c", "/d"};
    std::vector<coconsul::diagnostics> diags(5);
    for (int i = 0; i < 5; ++i) {
      pool.async_execute(get(targets[i]), diags[i], [&](coconsul::error_code ec, http::response r) {
        order.push_back(ec ? ec.message() : r.body);
        if (++done == 5) all_done.cancel();
      });
    }
    coconsul::error_code ignored;
    co_await all_done.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    std::vector<std::string> expected{"/first", "/a", "/b", "/c", "/d"};
    BOOST_TEST(order == expected, boost::test_tools::per_element());
    BOOST_TEST(server.accepted() == 1u);
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(throughput)

// The rate on this machine, logged, beside a baseline measured in the same run: a hand-written
// client on a raw socket that writes fixed request bytes and reads the known response size, with
// no parsing, pooling or timers. The ratio says what the pool costs; the absolute numbers vary
// with the load of the machine.
BOOST_AUTO_TEST_CASE(keep_alive_round_trips_per_second) {
  asio::io_context ioc;
  test_server server(ioc, [](const received_request&) { return reply::ok("{}"); });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    constexpr int rounds = 10000;
    using seconds = std::chrono::duration<double>;

    asio::ip::tcp::socket raw(ioc);
    co_await raw.async_connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.port()),
                               asio::use_awaitable);
    raw.set_option(asio::ip::tcp::no_delay(true));
    const std::string request_bytes = "GET /v1/status/leader HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: coconsul/0.1\r\n\r\n";
    std::string response_bytes(ok_response("{}").size(), '\0');
    auto baseline = [&]() -> asio::awaitable<double> {
      auto start = std::chrono::steady_clock::now();
      for (int i = 0; i < rounds; ++i) {
        co_await asio::async_write(raw, asio::buffer(request_bytes), asio::use_awaitable);
        co_await asio::async_read(raw, asio::buffer(response_bytes), asio::use_awaitable);
      }
      co_return rounds / seconds(std::chrono::steady_clock::now() - start).count();
    };

    http::pool pool(ioc.get_executor(), config_for(server));
    int ok = 0;
    auto pooled = [&]() -> asio::awaitable<double> {
      auto start = std::chrono::steady_clock::now();
      for (int i = 0; i < rounds; ++i) {
        auto out = co_await send(pool, get());
        ok += !out.ec && out.response.status == 200;
      }
      co_return rounds / seconds(std::chrono::steady_clock::now() - start).count();
    };

    // Interleaved, twice each, so both see the same machine.
    double raw_rate = co_await baseline();
    double pool_rate = co_await pooled();
    raw_rate = std::max(raw_rate, co_await baseline());
    pool_rate = std::max(pool_rate, co_await pooled());
    BOOST_TEST(ok == 2 * rounds);
    BOOST_TEST(pool.stats().connections_opened == 1u);
    std::printf("keep-alive GET round trips/s, one thread, client and test server in one io_context: "
                "pool %.0f, raw-socket baseline %.0f (pool at %.0f%%)\n",
                pool_rate, raw_rate, 100.0 * pool_rate / raw_rate);
  }(), std::chrono::seconds(60));
}

BOOST_AUTO_TEST_SUITE_END()
