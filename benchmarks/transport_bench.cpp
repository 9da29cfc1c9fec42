// The transport's keep-alive request rate on one thread, against the scriptable test server of
// test/http/ in the same io_context, beside a baseline measured in the same run: a raw socket
// that writes fixed request bytes and reads the known response length (no parsing, pooling,
// timers or cancellation). Then concurrent requests through a capped pool, and a unix socket.
//
// Usage: transport_bench [requests]      (default 20000 per case)

// g++ 12 pairs the coroutine frame's operator new (Asio's recycling allocator) with a plain
// free() in an inlined destroy path and warns falsely (GCC bug 109224).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include "http/transport.hpp"
#include "test_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace asio = boost::asio;
namespace http = coconsul::http;
using coconsul::test::reply;
using coconsul::test::received_request;
using coconsul::test::server_options;
using coconsul::test::test_server;
using seconds = std::chrono::duration<double>;

namespace {

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown CPU";
}

void report(const char* what, int n, seconds took) {
  std::printf("  %-58s %9.0f requests/s\n", what, n / took.count());
}

http::request leader() {
  http::request r;
  r.target = "/v1/status/leader";
  return r;
}

asio::awaitable<seconds> raw_baseline(asio::io_context& ioc, std::uint16_t port, int n) {
  asio::ip::tcp::socket s(ioc);
  co_await s.async_connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), asio::use_awaitable);
  s.set_option(asio::ip::tcp::no_delay(true));
  const std::string request = "GET /v1/status/leader HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: coconsul/0.1\r\n\r\n";
  std::string response(coconsul::test::ok_response("\"127.0.0.1:8300\"").size(), '\0');
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    co_await asio::async_write(s, asio::buffer(request), asio::use_awaitable);
    co_await asio::async_read(s, asio::buffer(response), asio::use_awaitable);
  }
  co_return std::chrono::steady_clock::now() - start;
}

asio::awaitable<seconds> sequential(http::pool& pool, int n) {
  coconsul::diagnostics diag;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    auto [ec, r] = co_await pool.async_execute(leader(), diag, asio::as_tuple(asio::use_awaitable));
    if (ec || r.status != 200) {
      std::fprintf(stderr, "request failed: %s: %s\n", ec.message().c_str(), diag.message.c_str());
      std::exit(1);
    }
  }
  co_return std::chrono::steady_clock::now() - start;
}

// `in_flight` coroutines share `n` requests through one pool.
asio::awaitable<seconds> concurrent(asio::io_context& ioc, http::pool& pool, int n, int in_flight) {
  int started = 0, running = in_flight;
  asio::steady_timer all_done(ioc, asio::steady_timer::time_point::max());
  auto worker = [&]() -> asio::awaitable<void> {
    coconsul::diagnostics diag;
    while (started < n) {
      ++started;
      auto [ec, r] = co_await pool.async_execute(leader(), diag, asio::as_tuple(asio::use_awaitable));
      if (ec) {
        std::fprintf(stderr, "request failed: %s: %s\n", ec.message().c_str(), diag.message.c_str());
        std::exit(1);
      }
    }
    if (--running == 0) all_done.cancel();
  };
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < in_flight; ++i) asio::co_spawn(ioc, worker(), asio::detached);
  coconsul::error_code ignored;
  co_await all_done.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  co_return std::chrono::steady_clock::now() - start;
}

asio::awaitable<void> run_all(asio::io_context& ioc, test_server& tcp_server, test_server& unix_server, int n) {
  coconsul::config cfg;
  cfg.address = tcp_server.address();
  report("raw socket, fixed bytes (baseline)", n, co_await raw_baseline(ioc, tcp_server.port(), n));
  {
    http::pool pool(ioc.get_executor(), cfg);
    report("pool, sequential keep-alive GET", n, co_await sequential(pool, n));
  }
  static constexpr int caps[] = {1, 8, 64};
  for (int cap : caps) {
    cfg.limits.max_connections = static_cast<std::size_t>(cap);
    http::pool pool(ioc.get_executor(), cfg);
    auto took = co_await concurrent(ioc, pool, n, 256);
    std::string what = "pool, 256 requests in flight, max_connections " + std::to_string(cap);
    report(what.c_str(), n, took);
  }
  coconsul::config unix_cfg;
  unix_cfg.address = unix_server.address();
  http::pool pool(ioc.get_executor(), unix_cfg);
  report("pool over a unix socket, sequential", n, co_await sequential(pool, n));
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 20000;
  if (n <= 0) {
    std::fprintf(stderr, "usage: transport_bench [requests]\n");
    return 2;
  }
  std::printf("transport_bench: %d requests per case, one thread; %ld CPUs, %s\n", n, sysconf(_SC_NPROCESSORS_ONLN),
              cpu_model().c_str());

  asio::io_context ioc;
  auto answer = [](const received_request&) { return reply::ok("\"127.0.0.1:8300\""); };
  test_server tcp_server(ioc, answer);
  server_options unix_options;
  unix_options.transport = server_options::kind::unix_socket;
  test_server unix_server(ioc, answer, unix_options);

  asio::co_spawn(ioc, run_all(ioc, tcp_server, unix_server, n), [&](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
    ioc.stop();
  });
  ioc.run();
}
