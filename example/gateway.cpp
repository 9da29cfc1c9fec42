// gateway: the game gateway the walkthrough was meant for. Players' sessions connect to the
// gateway; each session is routed to a live echo replica chosen by the balancer (power of two
// choices by sessions in flight, Consul's Weights respected), and moved to another replica,
// with the message in flight, the moment its replica fails. Replicas may die, restart and be
// added while it runs; every second it prints the messages served per replica, the failovers
// and the messages lost (none while a replica is alive). A failover is a session moved with its
// message after a failed exchange; a session that starts while a dead replica is still listed
// is moved inside the balancer's connect instead (a refused connect, the balancer's count).
//
// With --load N it also plays N players itself (sessions of --session-messages messages each,
// then a new session), so one command shows the whole behaviour.
//
//   gateway --help lists the options (the `usage` text below). The agent comes from
//   CONSUL_HTTP_ADDR (default http://127.0.0.1:8500) and CONSUL_HTTP_TOKEN.
//   Exit status: 0, or 1 when a message was lost.

// g++ 12 pairs the coroutine frame's operator new (Asio's recycling allocator) with a plain
// free() in an inlined destroy path and warns falsely (GCC bug 109224).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include "flags.hpp"

#include <coconsul/balancer.hpp>
#include <coconsul/client.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;
using coconsul::error_code;

namespace {

constexpr const char* usage =
    "usage: gateway [options]\n"
    "  --service NAME         the replicas' service (default serverNode)\n"
    "  --listen ADDR          address for players (default 127.0.0.1)\n"
    "  --port N               port for players (default 7000; 0: any free port)\n"
    "  --load N               simulated players (default 0)\n"
    "  --load-interval D      time between a player's messages (default 50ms)\n"
    "  --session-messages N   messages per player session before it reconnects (default 20)\n"
    "  --duration D           exit after this long (default 0: until SIGINT/SIGTERM)\n"
    "  --timeout D            limit of each upstream connect, and of one forwarded exchange (the\n"
    "                         lease's request deadline) (default 2s)\n"
    "  --cooldown D           how long a failed replica stays ejected (default 10s)\n"
    "The agent comes from CONSUL_HTTP_ADDR (default http://127.0.0.1:8500) and CONSUL_HTTP_TOKEN.\n"
    "Exit status: 0, or 1 when a message was lost.\n";

struct options {
  std::string service = "serverNode";
  std::string listen = "127.0.0.1";
  std::uint16_t port = 7000;
  unsigned load = 0;
  std::chrono::milliseconds load_interval = 50ms;
  unsigned session_messages = 20;
  std::chrono::milliseconds duration = 0ms;
  std::chrono::milliseconds timeout = 2s;
  std::chrono::milliseconds cooldown = 10s;
};

constexpr std::size_t max_line = 64 * 1024;

struct tally {
  std::map<std::string, std::uint64_t> served_total, served_this_second;  // by replica service ID
  std::uint64_t failovers = 0, lost = 0, sessions = 0;
};

// A line-oriented connection: what both sides of the gateway speak.
struct line_socket {
  explicit line_socket(tcp::socket s) : socket(std::move(s)), in(max_line) {}
  tcp::socket socket;
  asio::streambuf in;

  asio::awaitable<error_code> read_line(std::string& line) {
    auto [ec, n] = co_await asio::async_read_until(socket, in, '\n', asio::as_tuple(asio::use_awaitable));
    if (!ec) {
      line.assign(asio::buffers_begin(in.data()), asio::buffers_begin(in.data()) + n);
      in.consume(n);
    }
    co_return ec;
  }
  asio::awaitable<error_code> write(const std::string& data) {
    auto [ec, n] = co_await asio::async_write(socket, asio::buffer(data), asio::as_tuple(asio::use_awaitable));
    co_return ec;
  }
};

// Forwards one line to the session's replica and returns its answer; on a failure, ejects the
// replica and tries the next one with the same line, until the exchange's time is up.
asio::awaitable<bool> forward(coconsul::balancer& lb, line_socket& upstream, coconsul::lease& held,
                              const std::string& line, std::string& reply, const options& o, tally& t) {
  const auto give_up = std::chrono::steady_clock::now() + o.timeout;
  while (std::chrono::steady_clock::now() < give_up) {
    if (!held) {
      upstream.in.consume(upstream.in.size());
      auto [ec, l] = co_await lb.connect(upstream.socket, asio::as_tuple(asio::use_awaitable));
      if (ec) co_return false;  // no replica could take it
      held = std::move(l);
    }
    // The lease's request deadline bounds the exchange (a replica that accepts and never
    // answers is closed and ejected by the balancer); the session may idle between lines.
    held.expires_after(o.timeout);
    error_code ec = co_await upstream.write(line);
    if (!ec) ec = co_await upstream.read_line(reply);
    held.expires_never();
    if (!ec) {
      ++t.served_this_second[held.endpoint().service_id];
      co_return true;
    }
    held.fail();
    upstream.socket.close();
    ++t.failovers;
  }
  co_return false;
}

// One player's session: each line goes to the session's replica (sticky while it lives).
asio::awaitable<void> session(coconsul::balancer& lb, tcp::socket player_socket, const options& o, tally& t) {
  ++t.sessions;
  line_socket player(std::move(player_socket));
  line_socket upstream{tcp::socket(player.socket.get_executor())};
  coconsul::lease held;
  std::string line, reply;
  while (!co_await player.read_line(line)) {
    if (!co_await forward(lb, upstream, held, line, reply, o, t)) {
      ++t.lost;
      reply = "ERROR no replica answered\n";
    }
    if (co_await player.write(reply)) break;
  }
}

asio::awaitable<void> accept_players(coconsul::balancer& lb, tcp::acceptor& acceptor, const options& o, tally& t) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (!acceptor.is_open()) co_return;
    if (ec) continue;
    asio::co_spawn(acceptor.get_executor(), session(lb, std::move(socket), o, t), asio::detached);
  }
}

// A simulated player: sessions of `session_messages` numbered messages, each checked.
asio::awaitable<void> player(tcp::endpoint gateway, unsigned id, const options& o, tally& t) {
  auto ex = co_await asio::this_coro::executor;
  asio::steady_timer pace(ex);
  for (unsigned n = 0;;) {
    line_socket s{tcp::socket(ex)};
    auto [ec] = co_await s.socket.async_connect(gateway, asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    for (unsigned i = 0; i < o.session_messages; ++i, ++n) {
      const std::string msg = "player " + std::to_string(id) + " message " + std::to_string(n) + "\n";
      std::string reply;
      if (co_await s.write(msg) || co_await s.read_line(reply)) co_return;
      if (reply != msg && reply.rfind("ERROR", 0) != 0) ++t.lost;  // a wrong answer counts as lost too
      pace.expires_after(o.load_interval);
      co_await pace.async_wait(asio::use_awaitable);
    }
  }
}

std::string report_line(tally& t, const coconsul::balancer& lb, int second) {
  std::ostringstream out;
  out << "t=" << std::setw(3) << second << "s ";
  std::uint64_t served = 0;
  for (auto& [id, n] : t.served_this_second) {
    out << " " << id << ": " << std::setw(4) << n;
    t.served_total[id] += n;
    served += n;
  }
  out << "   served " << served << ", failovers " << t.failovers << ", refused connects "
      << lb.stats().connect_failures << ", lost " << t.lost;
  for (auto& [id, n] : t.served_this_second) n = 0;  // keep the replica's column, now idle
  return out.str();
}

// Prints a report line each second; returns when --duration has passed.
asio::awaitable<void> report_every_second(const options& o, const coconsul::balancer& lb, tally& t) {
  asio::steady_timer tick(co_await asio::this_coro::executor);
  const auto start = std::chrono::steady_clock::now();
  for (int second = 1;; ++second) {
    tick.expires_at(start + std::chrono::seconds(second));
    co_await tick.async_wait(asio::use_awaitable);
    std::cout << report_line(t, lb, second) << std::endl;
    if (o.duration.count() > 0 && std::chrono::seconds(second) >= o.duration) co_return;
  }
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  example::flags f("gateway", usage);
  f.text("--service", o.service)
      .text("--listen", o.listen)
      .number("--port", o.port)
      .number("--load", o.load)
      .duration("--load-interval", o.load_interval)
      .number("--session-messages", o.session_messages)
      .duration("--duration", o.duration)
      .duration("--timeout", o.timeout)
      .duration("--cooldown", o.cooldown);
  f.parse(argc, argv);
  if (o.session_messages == 0) f.fail("--session-messages must be at least 1");

  try {
    asio::io_context ioc(1);
    coconsul::client consul(ioc, coconsul::config::from_env());
    coconsul::balancer_options bo;
    bo.cooldown = o.cooldown;
    bo.connect_timeout = o.timeout;
    bo.request_timeout = o.timeout;  // re-armed per forwarded line
    coconsul::balancer lb(consul, o.service, bo);
    tally t;

    tcp::acceptor acceptor(ioc, tcp::endpoint(asio::ip::make_address(o.listen), o.port));
    const auto gateway = acceptor.local_endpoint();
    std::cout << "gateway: players connect to " << gateway << "; routing to " << o.service << std::endl;
    asio::co_spawn(ioc, accept_players(lb, acceptor, o, t), asio::detached);
    for (unsigned i = 0; i < o.load; ++i) asio::co_spawn(ioc, player(gateway, i, o, t), asio::detached);

    // The run ends on a signal or after --duration; stopping the io_context ends every session.
    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](error_code ec, int) {
      if (!ec) ioc.stop();
    });
    asio::co_spawn(ioc, report_every_second(o, lb, t), [&](std::exception_ptr) { ioc.stop(); });
    ioc.run();

    std::uint64_t total = 0;
    for (auto& [id, n] : t.served_total) total += n;
    std::cout << "gateway: " << total << " messages served in " << t.sessions << " sessions";
    for (auto& [id, n] : t.served_total) std::cout << ", " << id << " " << n;
    std::cout << "; " << t.failovers << " failovers, " << lb.stats().connect_failures << " refused connects, "
              << t.lost << " lost" << std::endl;
    return t.lost == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "gateway: " << e.what() << std::endl;
    return 1;
  }
}
