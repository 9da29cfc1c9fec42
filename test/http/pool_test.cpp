// The pool against the scriptable test server on 127.0.0.1: keep-alive reuse, headers, the
// stale-connection retry rule, timeouts, cancellation and every kind of bad response. Over 500
// lines: every case scripts the same test server, and one program compiles Beast once.
#define BOOST_TEST_MODULE http_pool
#include <boost/test/unit_test.hpp>

#include "pool_helpers.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <variant>

namespace asio = boost::asio;
namespace http = coconsul::http;
using namespace std::chrono_literals;
using namespace coconsul::test;
using coconsul::config;
using coconsul::errc;
using coconsul::make_error_code;

BOOST_AUTO_TEST_SUITE(keep_alive)

BOOST_AUTO_TEST_CASE(sequential_requests_reuse_one_connection) {
  asio::io_context ioc;
  int n = 0;
  test_server server(ioc, [&](const received_request&) { return reply::ok("answer " + std::to_string(++n)); });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    http::pool pool(ioc.get_executor(), config_for(server));
    for (int i = 1; i <= 5; ++i) {
      auto out = co_await send(pool, get());
      BOOST_TEST_REQUIRE(!out.ec, out.ec.message() << ": " << out.diag.message);
      BOOST_TEST(out.response.status == 200u);
      BOOST_TEST(out.response.body == "answer " + std::to_string(i));
      BOOST_TEST_REQUIRE(out.response.find_header("content-type") != nullptr);
      BOOST_TEST(*out.response.find_header("content-type") == "text/plain");
    }
    BOOST_TEST(server.accepted() == 1u);
    auto st = pool.stats();
    BOOST_TEST(st.connections_opened == 1u);
    BOOST_TEST(st.requests_sent == 5u);
    BOOST_TEST(st.open_connections == 1u);
    BOOST_TEST(st.idle_connections == 1u);
  }());
}

BOOST_AUTO_TEST_CASE(sends_host_user_agent_token_and_content_length) {
  asio::io_context ioc;
  test_server server(ioc, [](const received_request&) { return reply::ok(); });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    auto cfg = config_for(server);
    cfg.token = "3f9b-secret";
    http::pool pool(ioc.get_executor(), cfg);

    http::request put;
    put.method = http::verb::put;
    put.target = "/v1/kv/a%2Fb?cas=0";
    put.body = "hello";
    put.headers.push_back({"Content-Type", "application/octet-stream"});
    auto out = co_await send(pool, std::move(put));
    BOOST_TEST_REQUIRE(!out.ec, out.diag.message);

    http::request own_token = get();
    own_token.headers.push_back({"X-Consul-Token", "per-request"});
    out = co_await send(pool, std::move(own_token));
    BOOST_TEST_REQUIRE(!out.ec, out.diag.message);

    http::request empty_put;
    empty_put.method = http::verb::put;
    empty_put.target = "/v1/agent/service/deregister/web";
    out = co_await send(pool, std::move(empty_put));
    BOOST_TEST_REQUIRE(!out.ec, out.diag.message);

    const auto& seen = server.requests();
    BOOST_TEST_REQUIRE(seen.size() == 3u);
    BOOST_TEST(seen[0].method == "PUT");
    BOOST_TEST(seen[0].target == "/v1/kv/a%2Fb?cas=0");
    BOOST_TEST(*seen[0].header("Host") == "127.0.0.1:" + std::to_string(server.port()));
    BOOST_TEST(*seen[0].header("User-Agent") == "coconsul/0.1");
    BOOST_TEST(*seen[0].header("X-Consul-Token") == "3f9b-secret");
    BOOST_TEST(*seen[0].header("Content-Length") == "5");
    BOOST_TEST(*seen[0].header("Content-Type") == "application/octet-stream");
    BOOST_TEST(seen[0].body == "hello");
    BOOST_TEST(*seen[1].header("X-Consul-Token") == "per-request");  // the request's own token wins, once
    std::size_t tokens = 0;
    for (const auto& h : seen[1].headers) tokens += h.first == "X-Consul-Token";
    BOOST_TEST(tokens == 1u);
    BOOST_TEST(seen[1].header("Content-Length") == nullptr);  // a GET without a body
    BOOST_TEST(*seen[2].header("Content-Length") == "0");
  }());
}

BOOST_AUTO_TEST_CASE(no_token_header_without_a_token) {
  asio::io_context ioc;
  test_server server(ioc, [](const received_request&) { return reply::ok(); });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    http::pool pool(ioc.get_executor(), config_for(server));
    auto out = co_await send(pool, get());
    BOOST_TEST_REQUIRE(!out.ec);
    BOOST_TEST(server.requests().at(0).header("X-Consul-Token") == nullptr);
  }());
}

BOOST_AUTO_TEST_CASE(header_injection_is_refused_before_sending) {
  asio::io_context ioc;
  test_server server(ioc, [](const received_request&) { return reply::ok(); });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    http::pool pool(ioc.get_executor(), config_for(server));
    http::request bad = get();
    bad.headers.push_back({"X-Filter", "a\r\nX-Evil: 1"});
    auto out = co_await send(pool, std::move(bad));
    BOOST_TEST((out.ec == make_error_code(errc::invalid_argument)));
    BOOST_TEST(contains(out.diag.message, "X-Filter"), out.diag.message);
    BOOST_TEST(!contains(out.diag.message, "Evil"));  // a value is never echoed: it may be a secret

    out = co_await send(pool, get("/v1/kv/a b"));
    BOOST_TEST((out.ec == make_error_code(errc::invalid_argument)));
    BOOST_TEST(contains(out.diag.message, "request target"), out.diag.message);

    http::request host = get();
    host.headers.push_back({"Host", "elsewhere"});
    out = co_await send(pool, std::move(host));
    BOOST_TEST((out.ec == make_error_code(errc::invalid_argument)));
    BOOST_TEST(server.requests().empty());

    out = co_await send(pool, get());
    BOOST_TEST(!out.ec);
  }());
}

BOOST_AUTO_TEST_CASE(completes_on_the_handlers_executor) {
  asio::io_context ioc;
  test_server server(ioc, [](const received_request&) { return reply::ok(); });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    http::pool pool(ioc.get_executor(), config_for(server));
    auto strand = asio::make_strand(ioc);
    coconsul::diagnostics diag, bad_diag;
    bool ran = false, on_strand = false, bad_on_strand = false;
    int done = 0;
    asio::steady_timer both(ioc, asio::steady_timer::time_point::max());
    pool.async_execute(get(), diag, asio::bind_executor(strand, [&](coconsul::error_code ec, http::response) {
                         ran = !ec;
                         on_strand = strand.running_in_this_thread();
                         if (++done == 2) both.cancel();
                       }));
    pool.async_execute(get("no slash"), bad_diag, asio::bind_executor(strand, [&](coconsul::error_code, http::response) {
                         bad_on_strand = strand.running_in_this_thread();  // failed at once, still not inline
                         if (++done == 2) both.cancel();
                       }));
    BOOST_TEST(done == 0);
    coconsul::error_code ignored;
    co_await both.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    BOOST_TEST(ran);
    BOOST_TEST(on_strand);
    BOOST_TEST(bad_on_strand);
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(stale_connections)

// The server answers as if keeping the connection, then closes it while it sits in the pool.
BOOST_AUTO_TEST_CASE(idempotent_request_is_retried_once_and_succeeds) {
  asio::io_context ioc;
  int n = 0;
  test_server server(ioc, [&](const received_request&) {
    return reply::raw(ok_response("answer " + std::to_string(++n)), reply::then::close);
  });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    http::pool pool(ioc.get_executor(), config_for(server));
    auto out = co_await send(pool, get());
    BOOST_TEST_REQUIRE(!out.ec, out.diag.message);
    co_await server.wait_until([&] { return server.closed_by_server() == 1; });
    BOOST_TEST(pool.stats().idle_connections == 1u);  // we have not noticed yet

    http::request put;  // PUT is idempotent: the same body sent twice has the same effect
    put.method = http::verb::put;
    put.target = "/v1/kv/k";
    put.body = "value 2";
    out = co_await send(pool, std::move(put));
    BOOST_TEST_REQUIRE(!out.ec, out.ec.message() << ": " << out.diag.message);
    BOOST_TEST(out.response.body == "answer 2");
    BOOST_TEST(pool.stats().retries == 1u);
    BOOST_TEST(server.accepted() == 2u);
    BOOST_TEST_REQUIRE(server.requests().size() == 2u);
    BOOST_TEST(server.requests()[1].body == "value 2");  // the retry carries the whole request
    BOOST_TEST(server.requests()[1].connection == 2u);
  }());
}

BOOST_AUTO_TEST_CASE(non_idempotent_request_is_not_retried) {
  asio::io_context ioc;
  test_server server(ioc, [&](const received_request&) { return reply::raw(ok_response("first"), reply::then::close); });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    http::pool pool(ioc.get_executor(), config_for(server));
    auto out = co_await send(pool, get());
    BOOST_TEST_REQUIRE(!out.ec, out.diag.message);
    co_await server.wait_until([&] { return server.closed_by_server() == 1; });

    http::request post;
    post.method = http::verb::post;
    post.target = "/v1/txn";
    post.body = "[]";
    post.idempotent = false;
    out = co_await send(pool, std::move(post));
    BOOST_TEST((out.ec == make_error_code(errc::truncated_response)), out.ec.message());
    BOOST_TEST(contains(out.diag.message, "not retried"), out.diag.message);
    BOOST_TEST(pool.stats().retries == 0u);
    BOOST_TEST(server.requests().size() == 1u);  // the POST never reached a live connection

    out = co_await send(pool, get());  // the pool still works
    BOOST_TEST(!out.ec, out.diag.message);
  }());
}

BOOST_AUTO_TEST_CASE(retry_happens_at_most_once) {
  asio::io_context ioc;
  int n = 0;
  test_server server(ioc, [&](const received_request&) {
    // First an answer, then the connection closed; afterwards every request is dropped unanswered.
    return ++n == 1 ? reply::raw(ok_response("first"), reply::then::close) : reply::close();
  });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    http::pool pool(ioc.get_executor(), config_for(server));
    auto out = co_await send(pool, get());
    BOOST_TEST_REQUIRE(!out.ec, out.diag.message);
    co_await server.wait_until([&] { return server.closed_by_server() == 1; });

    out = co_await send(pool, get());
    BOOST_TEST((out.ec == make_error_code(errc::truncated_response)), out.ec.message());
    BOOST_TEST(contains(out.diag.message, "before sending a response"), out.diag.message);
    BOOST_TEST(contains(out.diag.message, "already retried once"), out.diag.message);
    BOOST_TEST(pool.stats().retries == 1u);
    BOOST_TEST(server.requests().size() == 2u);  // the first, and the one retry
  }());
}

BOOST_AUTO_TEST_CASE(no_retry_once_response_bytes_arrived) {
  asio::io_context ioc;
  int n = 0;
  test_server server(ioc, [&](const received_request&) {
    // The second request, on the kept-alive connection, gets part of a status line, then a close.
    return ++n == 1 ? reply::ok("first") : reply::raw("HTTP/1.1 2", reply::then::close);
  });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    http::pool pool(ioc.get_executor(), config_for(server));
    auto out = co_await send(pool, get());
    BOOST_TEST_REQUIRE(!out.ec, out.diag.message);
    out = co_await send(pool, get());
    BOOST_TEST((out.ec == make_error_code(errc::truncated_response)), out.ec.message());
    BOOST_TEST(contains(out.diag.message, "in the middle of the response header (10 bytes received)"), out.diag.message);
    BOOST_TEST(pool.stats().retries == 0u);
    BOOST_TEST(server.requests().size() == 2u);
    BOOST_TEST(server.accepted() == 1u);
  }());
}

BOOST_AUTO_TEST_CASE(a_response_with_connection_close_is_not_kept) {
  asio::io_context ioc;
  test_server server(ioc, [&](const received_request&) {
    return reply::raw(ok_response("bye", "Connection: close\r\n"), reply::then::close);
  });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    http::pool pool(ioc.get_executor(), config_for(server));
    for (int i = 0; i < 3; ++i) {
      auto out = co_await send(pool, get());
      BOOST_TEST_REQUIRE(!out.ec, out.diag.message);
      BOOST_TEST(out.response.body == "bye");
    }
    BOOST_TEST(pool.stats().retries == 0u);
    BOOST_TEST(server.accepted() == 3u);
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(timeouts_and_cancellation)

BOOST_AUTO_TEST_CASE(request_timeout_fires_and_closes_the_connection) {
  asio::io_context ioc;
  int n = 0;
  test_server server(ioc, [&](const received_request&) { return ++n == 1 ? reply::hang() : reply::ok(); });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    http::pool pool(ioc.get_executor(), config_for(server));
    http::request slow = get();
    slow.timeout = 200ms;
    auto start = std::chrono::steady_clock::now();
    auto out = co_await send(pool, std::move(slow));
    auto took = std::chrono::steady_clock::now() - start;
    BOOST_TEST((out.ec == make_error_code(errc::request_timeout)), out.ec.message());
    BOOST_TEST(contains(out.diag.message, "within 200 ms"), out.diag.message);
    BOOST_TEST(contains(out.diag.message, "before any byte of the response"), out.diag.message);
    BOOST_TEST((took >= 200ms && took < 3s));
    co_await server.wait_until([&] { return server.closed_by_client() == 1; });
    BOOST_TEST(pool.stats().open_connections == 0u);

    out = co_await send(pool, get());
    BOOST_TEST(!out.ec, out.diag.message);
  }());
}

BOOST_AUTO_TEST_CASE(config_request_timeout_is_the_default) {
  asio::io_context ioc;
  test_server server(ioc, [&](const received_request&) {
    return reply::raw("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", reply::then::hang);
  });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    auto cfg = config_for(server);
    cfg.timeouts.request = 150ms;
    http::pool pool(ioc.get_executor(), cfg);
    auto out = co_await send(pool, get());
    BOOST_TEST((out.ec == make_error_code(errc::request_timeout)), out.ec.message());
    BOOST_TEST(contains(out.diag.message, "within 150 ms"), out.diag.message);
    BOOST_TEST(contains(out.diag.message, "after 3 of 10 body bytes"), out.diag.message);
  }());
}

BOOST_AUTO_TEST_CASE(a_huge_timeout_does_not_overflow) {
  asio::io_context ioc;
  test_server server(ioc, [&](const received_request&) { return reply::ok(); });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    auto cfg = config_for(server);
    cfg.timeouts.connect = std::chrono::milliseconds::max();
    cfg.timeouts.idle = std::chrono::milliseconds::max();
    http::pool pool(ioc.get_executor(), cfg);
    http::request patient = get();
    patient.timeout = std::chrono::milliseconds::max();
    auto out = co_await send(pool, std::move(patient));
    BOOST_TEST(!out.ec, out.ec.message() << ": " << out.diag.message);
    BOOST_TEST(pool.stats().idle_connections == 1u);
  }());
}

BOOST_AUTO_TEST_CASE(cancellation_by_a_racing_timer_closes_the_socket) {
  using namespace asio::experimental::awaitable_operators;
  asio::io_context ioc;
  int n = 0;
  test_server server(ioc, [&](const received_request&) { return ++n == 1 ? reply::hang() : reply::ok(); });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    http::pool pool(ioc.get_executor(), config_for(server));
    coconsul::diagnostics diag;
    asio::steady_timer timer(ioc, 100ms);
    auto request = pool.async_execute(get(), diag, asio::use_awaitable);
    auto timeout = timer.async_wait(asio::use_awaitable);
    auto winner = co_await (std::move(request) || std::move(timeout));
    BOOST_TEST(winner.index() == 1u);  // the timer
    co_await server.wait_until([&] { return server.closed_by_client() == 1; });
    BOOST_TEST(pool.stats().open_connections == 0u);

    auto out = co_await send(pool, get());
    BOOST_TEST(!out.ec, out.diag.message);
  }());
}

BOOST_AUTO_TEST_CASE(every_cancellation_type_aborts_the_request) {
  for (auto type : {asio::cancellation_type::terminal, asio::cancellation_type::partial, asio::cancellation_type::total}) {
    asio::io_context ioc;
    test_server server(ioc, [&](const received_request&) { return reply::hang(); });
    run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
      http::pool pool(ioc.get_executor(), config_for(server));
      asio::cancellation_signal signal;
      coconsul::diagnostics diag;
      std::optional<coconsul::error_code> result;
      pool.async_execute(get(), diag, asio::bind_cancellation_slot(signal.slot(), [&](coconsul::error_code ec, http::response) {
                           result = ec;
                         }));
      co_await server.wait_until([&] { return server.requests().size() == 1; });
      signal.emit(type);
      co_await server.wait_until([&] { return server.closed_by_client() == 1; });
      asio::steady_timer settle(ioc, 0ms);  // the handler runs from the aborted read, queued by now
      co_await settle.async_wait(asio::use_awaitable);
      BOOST_TEST_REQUIRE(result.has_value());
      BOOST_TEST((*result == asio::error::operation_aborted));
      BOOST_TEST(diag.message == "the request was cancelled");
      BOOST_TEST(pool.stats().open_connections == 0u);
    }());
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(bad_responses)

struct bad_case {
  const char* what;
  std::string bytes;
  reply::then after;
  errc expected;
  const char* says;
};

BOOST_AUTO_TEST_CASE(each_gives_a_distinct_clear_error_and_the_pool_recovers) {
  const std::string big(2048, 'x');
  const bad_case cases[] = {
      {"oversize body", ok_response(big), reply::then::keep_open, errc::body_too_large,
       "response body exceeds the limit of 1024 bytes (Content-Length: 2048)"},
      {"oversize chunked body", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" + big + "\r\n0\r\n\r\n",
       reply::then::keep_open, errc::body_too_large, "response body exceeds the limit of 1024 bytes"},
      {"oversize header", "HTTP/1.1 200 OK\r\nX-Big: " + big + "\r\nContent-Length: 0\r\n\r\n", reply::then::keep_open,
       errc::header_too_large, "response header exceeds the limit of 1024 bytes"},
      {"truncated body", "HTTP/1.1 200 OK\r\nContent-Length: 512\r\n\r\n" + std::string(120, 'y'), reply::then::close,
       errc::truncated_response, "the server closed the connection after 120 of 512 body bytes"},
      {"close in the header", "HTTP/1.1 200 OK\r\nContent-Le", reply::then::close, errc::truncated_response,
       "in the middle of the response header"},
      {"close in a chunked body", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", reply::then::close,
       errc::truncated_response, "after 5 body bytes of a chunked response"},
      {"malformed status line", "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n", reply::then::keep_open,
       errc::malformed_response, "malformed status line \"HTTP/1.1 2x0 OK\""},
      {"not HTTP", "SSH-2.0-OpenSSH_9.2\r\n\r\n", reply::then::keep_open, errc::malformed_response,
       "malformed status line \"SSH-2.0-OpenSSH_9.2\""},
      {"bad chunked encoding", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
       reply::then::keep_open, errc::malformed_response, "bad chunked encoding"},
      {"malformed header line", "HTTP/1.1 200 OK\r\nNo colon here\r\nContent-Length: 0\r\n\r\n", reply::then::keep_open,
       errc::malformed_response, "malformed response header"},
      {"two Content-Lengths", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
       reply::then::keep_open, errc::malformed_response, "Content-Length"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      asio::io_context ioc;
      int n = 0;
      test_server server(ioc, [&](const received_request&) {
        return ++n == 1 ? reply::raw(c.bytes, c.after) : reply::ok("fine");
      });
      run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
        auto cfg = config_for(server);
        cfg.limits.max_body_bytes = 1024;
        cfg.limits.max_header_bytes = 1024;
        http::pool pool(ioc.get_executor(), cfg);
        auto out = co_await send(pool, get());
        BOOST_TEST((out.ec == make_error_code(c.expected)), out.ec.message() << ": " << out.diag.message);
        BOOST_TEST(contains(out.diag.message, c.says), out.diag.message);
        BOOST_TEST_MESSAGE(c.what << ": " << out.ec.message() << ": " << out.diag.message);
        BOOST_TEST(pool.stats().retries == 0u);
        BOOST_TEST(pool.stats().open_connections == 0u);  // never reused after an error

        out = co_await send(pool, get());
        BOOST_TEST_REQUIRE(!out.ec, out.ec.message() << ": " << out.diag.message);
        BOOST_TEST(out.response.body == "fine");
      }());
    }
  }
}

BOOST_AUTO_TEST_CASE(a_body_delimited_by_close_is_complete) {
  asio::io_context ioc;
  test_server server(ioc, [&](const received_request&) { return reply::raw("HTTP/1.1 200 OK\r\n\r\nuntil the end", reply::then::close); });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    http::pool pool(ioc.get_executor(), config_for(server));
    auto out = co_await send(pool, get());
    BOOST_TEST_REQUIRE(!out.ec, out.diag.message);
    BOOST_TEST(out.response.body == "until the end");
    BOOST_TEST(pool.stats().open_connections == 0u);
  }());
}

BOOST_AUTO_TEST_CASE(interim_100_continue_is_skipped) {
  asio::io_context ioc;
  test_server server(ioc, [&](const received_request&) {
    return reply::raw("HTTP/1.1 100 Continue\r\n\r\n" + ok_response("after continue"), reply::then::keep_open);
  });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    http::pool pool(ioc.get_executor(), config_for(server));
    auto out = co_await send(pool, get());
    BOOST_TEST_REQUIRE(!out.ec, out.diag.message);
    BOOST_TEST(out.response.status == 200u);
    BOOST_TEST(out.response.body == "after continue");
  }());
}

BOOST_AUTO_TEST_CASE(error_statuses_are_responses_not_errors) {
  asio::io_context ioc;
  test_server server(ioc, [&](const received_request&) {
    return reply::raw("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 21\r\n\r\nrpc error: no leader\n",
                      reply::then::keep_open);
  });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    http::pool pool(ioc.get_executor(), config_for(server));
    auto out = co_await send(pool, get());
    BOOST_TEST_REQUIRE(!out.ec, out.diag.message);
    BOOST_TEST(out.response.status == 500u);
    BOOST_TEST(out.response.body == "rpc error: no leader\n");
    BOOST_TEST(pool.stats().idle_connections == 1u);
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(connecting)

BOOST_AUTO_TEST_CASE(refused_connection_is_connection_failed) {
  asio::io_context ioc;
  std::uint16_t port;
  {
    // A port that was free a moment ago and has no listener now.
    asio::ip::tcp::acceptor probe(ioc, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = probe.local_endpoint().port();
  }
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    config cfg;
    cfg.address = "127.0.0.1:" + std::to_string(port);
    http::pool pool(ioc.get_executor(), cfg);
    auto out = co_await send(pool, get());
    BOOST_TEST((out.ec == make_error_code(errc::connection_failed)), out.ec.message());
    BOOST_TEST(contains(out.diag.message, "connecting to 127.0.0.1:" + std::to_string(port) + " failed"), out.diag.message);
    BOOST_TEST(contains(out.diag.message, "refused"), out.diag.message);
    BOOST_TEST(pool.stats().open_connections == 0u);
  }());
}

BOOST_AUTO_TEST_CASE(host_names_are_resolved) {
  asio::io_context ioc;
  test_server server(ioc, [](const received_request&) { return reply::ok("by name"); });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    config cfg;
    cfg.address = "http://localhost:" + std::to_string(server.port());  // may try ::1 first: refused, then 127.0.0.1
    http::pool pool(ioc.get_executor(), cfg);
    auto out = co_await send(pool, get());
    BOOST_TEST_REQUIRE(!out.ec, out.ec.message() << ": " << out.diag.message);
    BOOST_TEST(out.response.body == "by name");
    BOOST_TEST(*server.requests().at(0).header("Host") == "localhost:" + std::to_string(server.port()));
  }());
}

BOOST_AUTO_TEST_CASE(idle_connections_close_after_the_idle_timeout) {
  asio::io_context ioc;
  test_server server(ioc, [](const received_request&) { return reply::ok(); });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    auto cfg = config_for(server);
    cfg.timeouts.idle = 100ms;
    http::pool pool(ioc.get_executor(), cfg);
    auto out = co_await send(pool, get());
    BOOST_TEST_REQUIRE(!out.ec);
    BOOST_TEST(pool.stats().idle_connections == 1u);
    co_await server.wait_until([&] { return server.closed_by_client() == 1; });
    BOOST_TEST(pool.stats().idle_connections == 0u);
    BOOST_TEST(pool.stats().open_connections == 0u);
  }());
}

BOOST_AUTO_TEST_CASE(close_fails_pending_and_later_requests) {
  asio::io_context ioc;
  test_server server(ioc, [](const received_request&) { return reply::hang(); });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    auto cfg = config_for(server);
    cfg.limits.max_connections = 1;
    http::pool pool(ioc.get_executor(), cfg);
    coconsul::diagnostics d1, d2;
    std::optional<coconsul::error_code> r1, r2;
    pool.async_execute(get(), d1, [&](coconsul::error_code ec, http::response) { r1 = ec; });
    pool.async_execute(get(), d2, [&](coconsul::error_code ec, http::response) { r2 = ec; });
    co_await server.wait_until([&] { return server.requests().size() == 1; });
    BOOST_TEST(pool.stats().waiting_requests == 1u);
    pool.close();
    co_await server.wait_until([&] { return server.closed_by_client() == 1; });
    asio::steady_timer settle(ioc, 0ms);
    co_await settle.async_wait(asio::use_awaitable);
    BOOST_TEST_REQUIRE((r1 && r2));
    BOOST_TEST((*r1 == make_error_code(errc::closed)));
    BOOST_TEST((*r2 == make_error_code(errc::closed)));
    BOOST_TEST(d2.message == "the connection pool was closed");

    auto out = co_await send(pool, get());
    BOOST_TEST((out.ec == make_error_code(errc::closed)));
    BOOST_TEST(pool.stats().open_connections == 0u);
  }());
}

// An io_context destroyed with a request in flight drops the request's handlers without running
// them, which frees the request; the pool, destroyed after them (inside the coroutine frame the
// context destroys last), must not reach it through its table of active requests. ASan saw that
// use after free when a test's deadline passed mid-request; this is the sanitized suite's case.
BOOST_AUTO_TEST_CASE(an_io_context_destroyed_mid_request_frees_cleanly) {
  asio::io_context ioc;
  asio::ip::tcp::acceptor silent(ioc, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  asio::ip::tcp::socket peer(ioc);
  std::array<char, 256> bytes{};
  std::size_t received = 0;
  silent.async_accept(peer, [&](coconsul::error_code ec) {
    if (!ec) peer.async_read_some(asio::buffer(bytes), [&](coconsul::error_code, std::size_t n) { received = n; });
  });
  config cfg;
  cfg.address = "127.0.0.1:" + std::to_string(silent.local_endpoint().port());
  asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<void> {
        http::pool pool(ioc.get_executor(), cfg);
        co_await send(pool, get());  // never answered: the frame is still here when ioc goes
      },
      asio::detached);
  const auto give_up = std::chrono::steady_clock::now() + 10s;
  while (received == 0 && std::chrono::steady_clock::now() < give_up) ioc.run_one_for(100ms);
  BOOST_TEST_REQUIRE(received > 0u);  // the request is on the wire, its read pending
}

BOOST_AUTO_TEST_CASE(bad_addresses_and_limits_throw_at_construction) {
  asio::io_context ioc;
  config cfg;
  cfg.address = "ftp://agent:8500";
  BOOST_CHECK_THROW(http::pool(ioc.get_executor(), cfg), coconsul::error);
  cfg.address = "127.0.0.1:8500";
  cfg.limits.max_connections = 0;
  try {
    http::pool p(ioc.get_executor(), cfg);
    BOOST_FAIL("no exception");
  } catch (const coconsul::error& e) {
    BOOST_TEST((e.code() == make_error_code(errc::invalid_config)));
    BOOST_TEST(contains(e.message(), "max_connections"));
  }
}

BOOST_AUTO_TEST_SUITE_END()
