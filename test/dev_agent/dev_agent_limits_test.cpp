// The dev agent's HTTP server bounds over real loopback sockets (dev_agent_options::http_limits):
// header size, body size and the body budget, connections per client, header and idle timeouts,
// unsupported transfer codings. Each attack is answered as Go's server (or Consul) answers it,
// and the agent goes on serving everyone else. First, the server's parts without sockets.
#define BOOST_TEST_MODULE dev_agent_limits
#include <boost/test/unit_test.hpp>

#include "agent_client.hpp"
#include "agent_fixture.hpp"

#include "dev_agent/http/body_budget.hpp"
#include "dev_agent/http/conn_limit.hpp"
#include "dev_agent/http/request_reader.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

using namespace coconsul;
using namespace coconsul::test;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

const std::string go_headers = "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n";

asio::awaitable<tcp::socket> connect(std::uint16_t port) {
  tcp::socket s(co_await asio::this_coro::executor);
  tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
  co_await s.async_connect(ep, asio::use_awaitable);
  co_return s;
}

// Everything the agent sends until it closes the connection.
asio::awaitable<std::string> read_to_close(tcp::socket& s) {
  std::string reply;
  auto [ec, n] = co_await asio::async_read(s, asio::dynamic_buffer(reply), asio::as_tuple(asio::use_awaitable));
  BOOST_TEST((ec == asio::error::eof || ec == asio::error::connection_reset), ec.message());
  co_return reply;
}

// Sends `bytes` on a new connection and returns everything the agent answers until it closes.
asio::awaitable<std::string> exchange(std::uint16_t port, const std::string& bytes) {
  tcp::socket s = co_await connect(port);
  co_await asio::async_write(s, asio::buffer(bytes), asio::use_awaitable);
  co_return co_await read_to_close(s);
}

// read_to_close into `out`, then counts itself `finished`.
asio::awaitable<void> read_into(tcp::socket& s, std::string& out, std::size_t& finished) {
  out = co_await read_to_close(s);
  ++finished;
}

// The agent still answers a plain request on a new connection.
asio::awaitable<void> still_serves(const dev_agent& agent) {
  agent_client c(agent, co_await asio::this_coro::executor);
  auto r = co_await c.get("/v1/status/leader");
  BOOST_TEST(r.status == 200u);
}

// The process's peak resident set since the last reset_peak_rss(), in bytes (Linux).
void reset_peak_rss() { std::ofstream("/proc/self/clear_refs") << "5"; }
std::size_t peak_rss() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stoul(line.substr(6)) * 1024;
  return 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sans_io)

// What the server does with a reader: read a piece, feed what it has, keep what was not
// consumed. Returns how many bytes the reader consumed.
std::size_t feed_all(dev::request_reader& reader, std::string_view bytes, std::size_t piece) {
  std::string pending;
  std::size_t at = 0;
  while (at < bytes.size() && !reader.done() && reader.refused() == dev::refusal::none) {
    pending.append(bytes.substr(at, piece));
    at += std::min(piece, bytes.size() - at);
    for (std::size_t n = 1; n > 0 && !pending.empty();) {
      n = reader.feed(pending);
      pending.erase(0, n);
    }
  }
  return at - pending.size();
}

BOOST_AUTO_TEST_CASE(the_reader_gives_the_same_request_whatever_the_split) {
  const std::string bytes =
      "PUT /v1/kv/a%20b?flags=3&cas=0 HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(70000, 'v') +
      "\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\nGET /next HTTP/1.1\r\n\r\n";
  for (std::size_t piece : {std::size_t(1), std::size_t(7), std::size_t(4096), bytes.size()}) {
    dev::request_reader reader(1 << 20, 1 << 20);
    std::size_t consumed = feed_all(reader, bytes, piece);
    BOOST_TEST_REQUIRE(reader.done());
    BOOST_TEST(reader.chunked());
    BOOST_TEST(reader.keep_alive());
    auto r = reader.take("127.0.0.1:1");
    BOOST_TEST(r.method == "PUT");
    BOOST_TEST(r.path == "/v1/kv/a b");
    BOOST_TEST(r.query.get_or("flags", "") == "3");
    BOOST_TEST(r.header("x-big").size() == 70000u);
    BOOST_TEST(r.body == "hello");
    BOOST_TEST(r.remote == "127.0.0.1:1");
    BOOST_TEST(bytes.substr(consumed) == "GET /next HTTP/1.1\r\n\r\n");  // left for the next request
  }
}

BOOST_AUTO_TEST_CASE(the_reader_refuses_with_the_reason) {
  const std::string start = "PUT /x HTTP/1.1\r\nHost: x\r\n";
  auto refusal_of = [](const std::string& bytes, std::size_t max_header, std::size_t max_body) {
    dev::request_reader reader(max_header, max_body);
    feed_all(reader, bytes, 100);
    return reader.refused();
  };
  BOOST_TEST((refusal_of(start + "X: " + std::string(5000, 'v') + "\r\n\r\n", 4096, 100) == dev::refusal::header_too_large));
  BOOST_TEST((refusal_of(start + "Content-Length: 101\r\n\r\n", 4096, 100) == dev::refusal::body_too_large));
  BOOST_TEST((refusal_of(start + "Content-Length: 100\r\n\r\n", 4096, 100) == dev::refusal::none));
  std::string chunks = start + "Transfer-Encoding: chunked\r\n\r\n40\r\n" + std::string(64, 'c') + "\r\n40\r\n";
  BOOST_TEST((refusal_of(chunks, 4096, 100) == dev::refusal::body_too_large));
  BOOST_TEST((refusal_of(start + "Transfer-Encoding: gzip\r\n\r\n", 4096, 100) == dev::refusal::unsupported_transfer_encoding));
  BOOST_TEST((refusal_of(start + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 4096, 100) ==
              dev::refusal::unsupported_transfer_encoding));
  BOOST_TEST((refusal_of("HELLO THERE\r\n\r\n", 4096, 100) == dev::refusal::bad_request));
}

BOOST_AUTO_TEST_CASE(the_body_budget_counts_what_is_held) {
  dev::body_budget budget(100);
  auto a = budget.reserve(60);
  BOOST_TEST_REQUIRE(a.has_value());
  BOOST_TEST(!budget.reserve(41).has_value());
  {
    auto b = budget.reserve(40);
    BOOST_TEST(b.has_value());
    BOOST_TEST(budget.in_use() == 100u);
  }
  BOOST_TEST(budget.in_use() == 60u);
  a.reset();
  BOOST_TEST(budget.in_use() == 0u);
  BOOST_TEST(budget.peak() == 100u);
  BOOST_TEST(!budget.reserve(101).has_value());
}

BOOST_AUTO_TEST_CASE(the_connection_cap_counts_per_address) {
  dev::conn_limit limit(2);
  auto a1 = limit.admit("10.0.0.1");
  auto a2 = limit.admit("10.0.0.1");
  BOOST_TEST((a1 && a2));
  BOOST_TEST(!limit.admit("10.0.0.1").has_value());
  BOOST_TEST(limit.admit("10.0.0.2").has_value());  // another address has its own count
  a1.reset();
  BOOST_TEST(limit.admit("10.0.0.1").has_value());
  dev::conn_limit none(0);
  std::vector<dev::conn_limit::slot> many;
  for (int i = 0; i < 500; ++i) many.push_back(std::move(*none.admit("10.0.0.1")));
  BOOST_TEST(many.size() == 500u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(header_size)

// Boost 1.81's Beast threw std::length_error through io_context::run() for a field of 65,534
// bytes or more; Go serves any field inside its 1 MiB header block.
BOOST_AUTO_TEST_CASE(a_70000_byte_field_name_or_value_is_served) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    // Raw bytes: Beast's own fields (the test client's too) cannot hold such a field.
    const std::string start = "GET /v1/status/leader HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
    // (Requests named first: gcc 12 destroys temporaries inside a co_await expression twice.)
    std::string request = start + "X-Big: " + std::string(70000, 'v') + "\r\n\r\n";
    std::string reply = co_await exchange(f.agent.port(), request);
    BOOST_TEST(reply.rfind("HTTP/1.1 200 OK\r\n", 0) == 0u);
    request = start + std::string(70000, 'N') + ": 1\r\n\r\n";
    reply = co_await exchange(f.agent.port(), request);
    BOOST_TEST(reply.rfind("HTTP/1.1 200 OK\r\n", 0) == 0u);
    // Many large fields up to just under 1 MiB in total are served too.
    std::string many = start;
    for (int i = 0; i < 17; ++i) many += "X-Big-" + std::to_string(i) + ": " + std::string(60000, 'v') + "\r\n";
    many += "\r\n";
    reply = co_await exchange(f.agent.port(), many);
    BOOST_TEST(reply.rfind("HTTP/1.1 200 OK\r\n", 0) == 0u);
  }());
}

BOOST_AUTO_TEST_CASE(a_header_block_over_1_mib_gets_gos_431_and_a_close) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    std::string request = "GET /v1/status/leader HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 20; ++i) request += "X-Big-" + std::to_string(i) + ": " + std::string(60000, 'v') + "\r\n";
    request += "\r\n";
    std::string reply = co_await exchange(f.agent.port(), request);
    BOOST_TEST(reply == "HTTP/1.1 431 Request Header Fields Too Large" + go_headers + "431 Request Header Fields Too Large");
    co_await still_serves(f.agent);
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(body_size)

BOOST_AUTO_TEST_CASE(a_body_over_the_bound_gets_413_before_it_is_read) {
  auto options = agent_test_options();
  options.limits.max_body_bytes = 1 << 20;
  agent_fixture f(options);
  f.run([&]() -> asio::awaitable<void> {
    // Only the header is sent: the answer comes from the Content-Length alone.
    std::string request = "PUT /v1/kv/big HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n\r\n";
    std::string reply = co_await exchange(f.agent.port(), request);
    BOOST_TEST(reply == "HTTP/1.1 413 Request Entity Too Large" + go_headers +
                            "Request body(2097152 bytes) too large, max size: 1048576 bytes.");
    // A chunked body is refused when its chunks pass the bound.
    std::string chunked = "PUT /v1/kv/big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 3; ++i) chunked += "80000\r\n" + std::string(0x80000, 'c') + "\r\n";
    chunked += "0\r\n\r\n";
    reply = co_await exchange(f.agent.port(), chunked);
    BOOST_TEST(reply == "HTTP/1.1 413 Request Entity Too Large" + go_headers +
                            "Request body too large, max size: 1048576 bytes.");
    agent_client c(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/v1/kv/big");
    BOOST_TEST(r.status == 404u);  // nothing was stored
  }());
}

// The budget is reserved from the header: with 128 MiB, two 60 MiB bodies are admitted and the
// other six are refused at once, before a byte of their bodies is read.
BOOST_AUTO_TEST_CASE(bodies_in_flight_share_one_budget_and_the_rest_get_503) {
  auto options = agent_test_options();
  options.limits.max_body_bytes_in_flight = 128 << 20;
  agent_fixture f(options);
  f.run([&]() -> asio::awaitable<void> {
    const std::size_t size = 60 << 20;
    const std::string header = "PUT /v1/kv/big HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " +
                               std::to_string(size) + "\r\n\r\n";
    std::vector<tcp::socket> sockets;
    std::vector<std::string> replies(8);
    std::size_t finished = 0;
    for (int i = 0; i < 8; ++i) {
      sockets.push_back(co_await connect(f.agent.port()));
      co_await asio::async_write(sockets.back(), asio::buffer(header), asio::use_awaitable);
    }
    for (std::size_t i = 0; i < 8; ++i) asio::co_spawn(f.ioc, read_into(sockets[i], replies[i], finished), asio::detached);
    // The six refused answer and close; the two admitted wait for their bodies.
    co_await until([&] { return finished == 6; });
    std::vector<std::size_t> admitted;
    for (std::size_t i = 0; i < 8; ++i) {
      if (replies[i].empty()) {
        admitted.push_back(i);
        continue;
      }
      BOOST_TEST(replies[i].rfind("HTTP/1.1 503 Service Unavailable" + go_headers + "Request body(62914560 bytes)", 0) == 0u,
                 replies[i]);
    }
    BOOST_TEST_REQUIRE(admitted.size() == 2u);
    std::string body(size, 'b');
    for (auto i : admitted) co_await asio::async_write(sockets[i], asio::buffer(body), asio::use_awaitable);
    co_await until([&] { return finished == 8; });
    for (auto i : admitted) {
      // Admitted: the KV endpoint refuses it with Consul's own 413.
      BOOST_TEST(replies[i].rfind("HTTP/1.1 413", 0) == 0u, replies[i]);
      BOOST_TEST(replies[i].find("Request body(62914560 bytes) too large, max size: 524288 bytes.") != std::string::npos);
    }
    co_await still_serves(f.agent);
  }(), 60s);
}

// The attack: 8 parallel 60 MiB bodies grew the agent to 762 MB. With a 128 MiB
// budget the process (agent and the test's one shared 60 MiB buffer) stays near 190 MiB.
BOOST_AUTO_TEST_CASE(parallel_large_bodies_keep_the_agent_within_its_budget) {
  auto options = agent_test_options();
  options.limits.max_body_bytes_in_flight = 128 << 20;
  agent_fixture f(options);
  const std::size_t size = 60 << 20;
  const std::string request = "PUT /v1/txn HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(size) +
                              "\r\n\r\n" + std::string(size, '[');
  reset_peak_rss();
  const std::size_t before = peak_rss();
  f.run([&]() -> asio::awaitable<void> {
    using namespace asio::experimental::awaitable_operators;
    auto one = [&]() -> asio::awaitable<void> {
      tcp::socket s = co_await connect(f.agent.port());
      // The agent may answer and close before the whole body is sent (503): a failed write is
      // expected then, and what matters is that it answered.
      auto [we, wn] = co_await asio::async_write(s, asio::buffer(request), asio::as_tuple(asio::use_awaitable));
      (void)we;
      (void)wn;
      std::string reply(256, '\0');
      auto [re, rn] = co_await s.async_read_some(asio::buffer(reply), asio::as_tuple(asio::use_awaitable));
      reply.resize(rn);
      if (!re) BOOST_TEST((reply.rfind("HTTP/1.1 503", 0) == 0u || reply.rfind("HTTP/1.1 4", 0) == 0u), reply);
    };
    co_await ((one() && one() && one() && one()) && (one() && one() && one() && one()));
    co_await still_serves(f.agent);
  }(), 120s);
  const std::size_t grown = peak_rss() - before;
  BOOST_TEST_MESSAGE("peak RSS grew by " << grown / (1 << 20) << " MiB");
  BOOST_TEST(grown < std::size_t(128 + 64) << 20);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(connections)

BOOST_AUTO_TEST_CASE(over_the_per_client_cap_a_connection_gets_connlimits_429) {
  auto options = agent_test_options();
  options.limits.max_conns_per_client = 3;
  agent_fixture f(options);
  f.run([&]() -> asio::awaitable<void> {
    std::vector<std::unique_ptr<agent_client>> clients;
    for (int i = 0; i < 3; ++i) {
      clients.push_back(std::make_unique<agent_client>(f.agent, f.ioc.get_executor()));
      auto r = co_await clients.back()->get("/v1/status/leader");
      BOOST_TEST(r.status == 200u);
    }
    tcp::socket fourth = co_await connect(f.agent.port());
    std::string reply = co_await read_to_close(fourth);
    BOOST_TEST(reply ==
               "HTTP/1.1 429 Too Many Requests\r\nContent-Type: text/plain\r\nContent-Length: 81\r\n"
               "Connection: close\r\n\r\nYour IP is issuing too many concurrent connections, please rate limit your calls\n");
    for (auto& c : clients) {
      auto r = co_await c->get("/v1/status/leader");
      BOOST_TEST(r.status == 200u);
    }
    // A closed connection frees its place.
    clients.back()->close();
    co_await until([&] { return f.agent.open_connections() == 2; });
    co_await still_serves(f.agent);
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(timeouts)

dev_agent_options short_timeouts() {
  auto options = agent_test_options();
  options.limits.header_timeout = 200ms;
  options.limits.idle_timeout = 300ms;
  return options;
}

BOOST_AUTO_TEST_CASE(a_partial_header_is_closed_after_the_header_timeout) {
  agent_fixture f(short_timeouts());
  f.run([&]() -> asio::awaitable<void> {
    auto start = std::chrono::steady_clock::now();
    std::string partial = "GET /v1/status/leader HTTP/1.1\r\nHost: x\r\n";
    std::string reply = co_await exchange(f.agent.port(), partial);
    auto took = std::chrono::steady_clock::now() - start;
    BOOST_TEST(reply.empty());
    BOOST_TEST((took >= 190ms && took < 3s));
    // A connection that sends nothing at all, too.
    tcp::socket silent = co_await connect(f.agent.port());
    reply = co_await read_to_close(silent);
    BOOST_TEST(reply.empty());
    BOOST_TEST(f.agent.open_connections() == 0u);
  }(), 10s);
}

BOOST_AUTO_TEST_CASE(an_idle_keep_alive_connection_is_closed_after_the_idle_timeout) {
  agent_fixture f(short_timeouts());
  f.run([&]() -> asio::awaitable<void> {
    tcp::socket s = co_await connect(f.agent.port());
    std::string request = "GET /v1/status/leader HTTP/1.1\r\nHost: x\r\n\r\n";
    co_await asio::async_write(s, asio::buffer(request), asio::use_awaitable);
    auto start = std::chrono::steady_clock::now();
    std::string reply = co_await read_to_close(s);
    auto took = std::chrono::steady_clock::now() - start;
    BOOST_TEST(reply.rfind("HTTP/1.1 200 OK\r\n", 0) == 0u);  // answered, then kept until idle
    BOOST_TEST((took >= 290ms && took < 3s));
  }(), 10s);
}

BOOST_AUTO_TEST_CASE(a_blocking_query_outlasts_both_timeouts) {
  agent_fixture f(short_timeouts());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/v1/catalog/services");
    auto start = std::chrono::steady_clock::now();
    std::string target = "/v1/catalog/services?index=" + std::to_string(r.index()) + "&wait=1s";
    r = co_await c.get(target);
    BOOST_TEST(r.status == 200u);
    BOOST_TEST((std::chrono::steady_clock::now() - start) >= 900ms);
  }(), 10s);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(framing)

BOOST_AUTO_TEST_CASE(a_transfer_coding_other_than_chunked_gets_gos_501) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    const std::string expected = "HTTP/1.1 501 Not Implemented" + go_headers + "Unsupported transfer encoding";
    std::string request = "PUT /v1/kv/gz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nxyz";
    std::string reply = co_await exchange(f.agent.port(), request);
    BOOST_TEST(reply == expected);
    request = "PUT /v1/kv/gz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nxyz\r\n0\r\n\r\n";
    reply = co_await exchange(f.agent.port(), request);
    BOOST_TEST(reply == expected);
    agent_client c(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/v1/kv/gz");
    BOOST_TEST(r.status == 404u);  // nothing was stored as an empty value
  }());
}

BOOST_AUTO_TEST_CASE(chunked_bodies_and_pipelined_requests_are_served) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    std::string requests =
        "PUT /v1/kv/c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n"
        "GET /v1/kv/c?raw HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    std::string reply = co_await exchange(f.agent.port(), requests);
    auto second = reply.find("HTTP/1.1 200 OK", 1);
    BOOST_TEST(reply.rfind("HTTP/1.1 200 OK", 0) == 0u);
    BOOST_TEST_REQUIRE(second != std::string::npos);
    BOOST_TEST(reply.substr(0, second).find("\r\n\r\ntrue") != std::string::npos);
    BOOST_TEST(reply.substr(second).find("\r\n\r\nhello") != std::string::npos);
  }());
}

BOOST_AUTO_TEST_SUITE_END()
