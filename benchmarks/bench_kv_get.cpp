// KV get round trips per second through coconsul, beside a raw Beast client that sends the
// identical request bytes to the same agent in the same run, so coconsul's overhead is a ratio.
//
//   usage: bench_kv_get [--requests N] [--connections C]
//     --requests N     KV gets per client, per round (default 20000)
//     --connections C  concurrent requests, each on its own keep-alive connection (default 1)
//
// The agent is the in-process dev agent on the same io_context and the same thread as both
// clients. Why not a separate `coconsul agent -dev` process: on this kind of machine a
// cross-process round trip is dominated by cross-CPU wake-ups (measured: ~90 us per round
// trip between two processes, ~20 us in one thread) and varies from run to run more than the
// client's own cost; in one thread the measurement is steady. Both clients pay the same agent cost per request, so the ratio understates coconsul's
// own overhead; the absolute difference per request (printed too) does not depend on it.
//
// What each side does per request:
//   coconsul   kv().get("bench/key"): request building and validation, the pool, the HTTP
//              exchange, status and X-Consul-* header interpretation, JSON and base64 decoding;
//   raw Beast  writes the bytes coconsul sends (captured from its own transport, once, with the
//              Host header pointed at the agent) and parses the response with Beast; no JSON.
// Rounds alternate (raw, coconsul, raw, coconsul, ...) and each side's best round is reported.

// g++ 12 pairs the coroutine frame's operator new (Asio's recycling allocator) with a plain
// free() in an inlined destroy path and warns falsely (GCC bug 109224).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include <coconsul/client.hpp>
#include <coconsul/dev_agent.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/version.hpp>

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <functional>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using seconds = std::chrono::duration<double>;

namespace {

constexpr std::string_view usage =
    "usage: bench_kv_get [--requests N] [--connections C]\n"
    "  --requests N     KV gets per client, per round (default 20000)\n"
    "  --connections C  concurrent requests, each on its own keep-alive connection (default 1)\n";

constexpr const char* key = "bench/key";
constexpr int rounds = 5;

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown CPU";
}

// Runs `workers` coroutines made by `make(i)` to completion on `ioc` (which also runs the
// agent) and returns how long they took. A worker's exception is rethrown.
template <class Make>
seconds run_workers(asio::io_context& ioc, unsigned workers, Make make) {
  unsigned remaining = workers;
  std::exception_ptr failure;
  const auto start = std::chrono::steady_clock::now();
  for (unsigned i = 0; i < workers; ++i)
    asio::co_spawn(ioc, make(i), [&](std::exception_ptr e) {
      if (e && !failure) failure = e;
      --remaining;
    });
  while (remaining > 0) ioc.run_one();
  const seconds took = std::chrono::steady_clock::now() - start;
  if (failure) std::rethrow_exception(failure);
  return took;
}

asio::awaitable<void> read_one_request(tcp::acceptor& listener, std::string& bytes) {
  auto peer = co_await listener.async_accept(asio::use_awaitable);
  co_await asio::async_read_until(peer, asio::dynamic_buffer(bytes), "\r\n\r\n", asio::use_awaitable);
}

// The request bytes coconsul's transport sends for kv().get(key): a listener on another port
// reads them from a throwaway client, then the Host header is pointed at the agent.
std::string capture_request(asio::io_context& ioc, const std::string& agent_authority) {
  tcp::acceptor listener(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const std::string capture_authority = "127.0.0.1:" + std::to_string(listener.local_endpoint().port());
  coconsul::config cfg;
  cfg.address = "http://" + capture_authority;
  cfg.timeouts.request = std::chrono::seconds(2);
  coconsul::client throwaway(ioc, cfg);
  throwaway.kv().get(key, coconsul::query_options(), [](coconsul::error_code, auto) {});  // never answered
  std::string bytes;
  run_workers(ioc, 1, [&](unsigned) { return read_one_request(listener, bytes); });
  throwaway.close();
  const std::string from = "\r\nHost: " + capture_authority + "\r\n";
  const auto at = bytes.find(from);
  if (at == std::string::npos || bytes.find("\r\n\r\n") + 4 != bytes.size())
    throw std::runtime_error("unexpected request from coconsul's transport:\n" + bytes);
  bytes.replace(at, from.size(), "\r\nHost: " + agent_authority + "\r\n");
  return bytes;
}

asio::awaitable<void> coconsul_worker(coconsul::client& consul, int n) {
  auto kv = consul.kv();
  for (int i = 0; i < n; ++i) {
    auto got = co_await kv.get(key);
    if (!got.value) throw std::runtime_error("coconsul: the key is missing");
  }
}

asio::awaitable<void> raw_worker(tcp::endpoint agent, const std::string& request, int n) {
  tcp::socket socket(co_await asio::this_coro::executor);
  co_await socket.async_connect(agent, asio::use_awaitable);
  socket.set_option(tcp::no_delay(true));
  beast::flat_buffer buffer;
  for (int i = 0; i < n; ++i) {
    co_await asio::async_write(socket, asio::buffer(request), asio::use_awaitable);
    beast::http::response<beast::http::string_body> res;
    co_await beast::http::async_read(socket, buffer, res, asio::use_awaitable);
    if (res.result_int() != 200 || res.body().empty()) throw std::runtime_error("raw: unexpected response");
  }
}

bool parse_positive(std::string_view text, unsigned& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && out > 0;
}

}  // namespace

int main(int argc, char** argv) {
  unsigned requests = 20000, connections = 1;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::cout << usage;
      return 0;
    }
    unsigned* target = arg == "--requests" ? &requests : arg == "--connections" ? &connections : nullptr;
    if (!target) {
      std::cerr << "bench_kv_get: unknown option " << arg << "\n" << usage;
      return 2;
    }
    if (i + 1 >= argc || !parse_positive(argv[i + 1], *target)) {
      std::cerr << "bench_kv_get: " << arg << " needs a positive number\n" << usage;
      return 2;
    }
    ++i;
  }
  if (connections > requests) connections = requests;

  try {
    asio::io_context ioc(1);
    coconsul::dev_agent_options agent_options;
    agent_options.node_name = "bench";
    coconsul::dev_agent agent(ioc.get_executor(), agent_options);
    agent.start();
    coconsul::config cfg;
    cfg.address = agent.http_address();
    coconsul::client consul(ioc, cfg);
    const tcp::endpoint agent_endpoint(asio::ip::make_address("127.0.0.1"), agent.port());

    // A 64-byte value, as a small configuration entry would be.
    auto put = [](coconsul::client& c) -> asio::awaitable<void> {
      co_await c.kv().put(key, std::string(64, 'v'));
    };
    run_workers(ioc, 1, [&](unsigned) { return put(consul); });
    const std::string request = capture_request(ioc, agent.address());

    const unsigned per_worker = requests / connections;
    const unsigned total = per_worker * connections;
    auto raw_round = [&](unsigned n) {
      return run_workers(ioc, connections, [&](unsigned) { return raw_worker(agent_endpoint, request, n); });
    };
    auto coconsul_round = [&](unsigned n) {
      return run_workers(ioc, connections, [&](unsigned) { return coconsul_worker(consul, static_cast<int>(n)); });
    };

    std::printf("machine: %ld CPUs (nproc), %s; compiler: %s %s; Boost %d.%d.%d; %s build\n",
                sysconf(_SC_NPROCESSORS_ONLN), cpu_model().c_str(),
#if defined(__clang__)
                "clang", __clang_version__,
#else
                "g++", __VERSION__,
#endif
                BOOST_VERSION / 100000, BOOST_VERSION / 100 % 1000, BOOST_VERSION % 100,
#ifdef NDEBUG
                "optimised (NDEBUG)"
#else
                "debug (no NDEBUG: numbers are not representative)"
#endif
    );
    std::printf("setup: in-process dev agent on the same thread; GET %s (64-byte value); %u requests per round "
                "over %u connection(s); best of %d alternating rounds per side\n",
                key, total, connections, rounds);
    std::string shown = "  " + request.substr(0, request.find("\r\n\r\n"));
    for (std::size_t at; (at = shown.find("\r\n")) != std::string::npos;) shown.replace(at, 2, "\n  ");
    std::printf("request bytes (both sides):\n%s\n", shown.c_str());

    raw_round(std::max(1u, std::min(per_worker, 200u)));  // warm-up: connections, allocator caches
    coconsul_round(std::max(1u, std::min(per_worker, 200u)));
    seconds best_raw{1e9}, best_coconsul{1e9};
    for (int r = 0; r < rounds; ++r) {
      const seconds raw = raw_round(per_worker);
      const seconds ours = coconsul_round(per_worker);
      std::printf("  round %d: raw Beast %9.0f requests/s   coconsul %9.0f requests/s\n", r + 1, total / raw.count(),
                  total / ours.count());
      best_raw = std::min(best_raw, raw);
      best_coconsul = std::min(best_coconsul, ours);
    }
    const double raw_rps = total / best_raw.count();
    const double coconsul_rps = total / best_coconsul.count();
    std::printf("per request (agent included): coconsul %.1f us, raw Beast %.1f us, difference %+.1f us\n",
                1e6 * best_coconsul.count() / total, 1e6 * best_raw.count() / total,
                1e6 * (best_coconsul.count() - best_raw.count()) / total);
    std::printf("kv_get: coconsul_rps=%.0f raw_beast_rps=%.0f ratio=%.3f\n", coconsul_rps, raw_rps,
                coconsul_rps / raw_rps);
    consul.close();
    agent.stop();
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_kv_get: %s\n", e.what());
    return 1;
  }
}
