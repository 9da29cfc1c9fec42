// echo_client: the walkthrough's client. Finds the echo servers through Consul (a balancer over
// watch_service, not a poll of the agent's services), sends "Hello World, 001", "Hello World,
// 002", ... and prints each echo with the replica that answered. When a replica dies, the
// message in flight goes to another replica at once; when one stops answering (frozen, or cut
// off by a partition), its lease's request deadline (--timeout) ejects it and the message goes
// elsewhere: none is lost while one is alive.
//
// It also watches the service the two ways Consul can tell about a death, to show how late
// they come: the passing instances (the health check failed) and all instances (the agent
// deregistered it).
//
//   echo_client --help lists the options (the `usage` text below). The agent comes from
//   CONSUL_HTTP_ADDR (default http://127.0.0.1:8500) and CONSUL_HTTP_TOKEN.

// g++ 12 pairs the coroutine frame's operator new (Asio's recycling allocator) with a plain
// free() in an inlined destroy path and warns falsely (GCC bug 109224).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include "flags.hpp"

#include <coconsul/balancer.hpp>
#include <coconsul/client.hpp>
#include <coconsul/watch.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
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
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

constexpr const char* usage =
    "usage: echo_client [options]\n"
    "  --service NAME    the service to talk to (default serverNode)\n"
    "  --interval D      time between messages (default 1s)\n"
    "  --count N         stop after N echoed messages (default 0: until SIGINT/SIGTERM)\n"
    "  --timeout D       limit of a connect, and of one exchange (the lease's request deadline)\n"
    "                    (default 2s)\n"
    "  --policy P        round_robin, random or power_of_two (default power_of_two)\n"
    "  --cooldown D      how long a failed replica stays ejected (default 10s)\n"
    "  --events FILE     also append machine-readable events to FILE: \"EPOCH_MS EVENT SERVICE_ID\"\n"
    "The agent comes from CONSUL_HTTP_ADDR (default http://127.0.0.1:8500) and CONSUL_HTTP_TOKEN.\n";

struct options {
  std::string service = "serverNode";
  std::chrono::milliseconds interval = 1s;
  unsigned count = 0;
  std::chrono::milliseconds timeout = 2s;
  std::string policy = "power_of_two";
  std::chrono::milliseconds cooldown = 10s;
  std::string events;
};

// What happened, for people (stdout) and for scripts (the --events file, one clock for all).
class journal {
 public:
  explicit journal(const std::string& path) {
    if (!path.empty()) file_.open(path, std::ios::app);
  }
  void say(const std::string& line) { std::cout << line << std::endl; }
  void event(const std::string& what, const std::string& id) {
    if (file_.is_open()) file_ << example::epoch_ms() << ' ' << what << ' ' << id << std::endl;
  }

 private:
  std::ofstream file_;
};

struct counters {
  unsigned echoed = 0;
  unsigned failovers = 0;
};

// One message's round trip on an open connection. Its time limit is the lease's request
// deadline (armed by the caller): when it passes, the balancer closes the socket, which fails
// the pending read, and ejects the replica.
asio::awaitable<coconsul::error_code> exchange(tcp::socket& socket, const std::string& line, std::string& reply) {
  auto [wec, written] = co_await asio::async_write(socket, asio::buffer(line), asio::as_tuple(asio::use_awaitable));
  if (wec) co_return wec;
  asio::streambuf in(64 * 1024);
  auto [rec, n] = co_await asio::async_read_until(socket, in, '\n', asio::as_tuple(asio::use_awaitable));
  if (!rec) reply.assign(asio::buffers_begin(in.data()), asio::buffers_begin(in.data()) + n);
  co_return rec;
}

// Sends numbered messages over one connection at a time, as the walkthrough's client did;
// a broken connection ejects its replica and the same message goes to the next one.
asio::awaitable<void> talk(coconsul::balancer& lb, const options& o, journal& log, counters& c) {
  auto ex = co_await asio::this_coro::executor;
  tcp::socket socket(ex);
  coconsul::lease held;
  asio::steady_timer pace(ex);
  bool waiting_reported = false;
  for (unsigned n = 1; o.count == 0 || n <= o.count;) {
    if (!held) {
      auto [ec, why, l] = co_await lb.connect(socket, coconsul::pass_diagnostics(asio::as_tuple(asio::use_awaitable)));
      if (ec) {
        if (!waiting_reported)
          log.say("no live " + o.service + " instance (" + (why.message.empty() ? ec.message() : why.message) +
                  "); waiting");
        waiting_reported = true;
        pace.expires_after(o.interval);
        co_await pace.async_wait(asio::use_awaitable);
        continue;
      }
      waiting_reported = false;
      held = std::move(l);
      const auto& e = held.endpoint();
      log.say("connected to " + e.service_id + " at " + e.address + ":" + std::to_string(e.port));
      log.event("connected", e.service_id);
    }
    char text[64];
    std::snprintf(text, sizeof text, "Hello World, %03u", n);
    std::string reply;
    held.expires_after(o.timeout);  // a replica that accepts but never answers (SIGSTOP) is caught here
    const auto ec = co_await exchange(socket, std::string(text) + "\n", reply);
    held.expires_never();           // the pause between messages is not the replica's fault
    const std::string id = held.endpoint().service_id;
    if (ec || reply != std::string(text) + "\n") {
      const std::string why = held.timed_out()
                                  ? "no answer within " + std::to_string(o.timeout.count()) + " ms"
                                  : ec ? ec.message() : "a wrong echo";
      held.fail();  // ejected (a timeout already did): no pick returns it until it comes back
      socket.close();
      ++c.failovers;
      log.say(id + " failed (" + why + "): ejected; resending \"" + text + "\" to another replica");
      log.event("ejected", id);
      continue;  // the same message, at once
    }
    log.say(id + " echoed: " + text);
    log.event("echo", id);
    ++c.echoed;
    ++n;
    pace.expires_after(o.interval);
    co_await pace.async_wait(asio::use_awaitable);
  }
}

// Reports the endpoints a watch adds and removes: with passing_only, that is the health
// check's verdict; with all instances, a removal is the agent deregistering the service.
asio::awaitable<void> observe(coconsul::client& consul, const options& o, bool passing_only, journal& log) {
  coconsul::service_watch_options wo;
  wo.passing_only = passing_only;
  coconsul::service_watch w = consul.watch_service(o.service, wo);
  for (;;) {
    coconsul::service_snapshot s = co_await w.next();
    for (const coconsul::endpoint* e : s.added) {
      // The first snapshot is what was there before we looked: news to scripts, not to people.
      if (s.previous) log.say(std::string("watch: ") + e->service_id + (passing_only ? " is passing" : " registered"));
      log.event(passing_only ? "passing" : "registered", e->service_id);
    }
    for (const coconsul::endpoint* e : s.removed) {
      log.say(std::string("watch: ") + e->service_id +
              (passing_only ? " left the passing instances" : " deregistered") +
              ", index " + std::to_string(s.index()));
      log.event(passing_only ? "left_passing" : "deregistered", e->service_id);
    }
  }
}

coconsul::balance_policy parse_policy(const std::string& p, const example::flags& f) {
  if (p == "round_robin") return coconsul::balance_policy::round_robin;
  if (p == "random") return coconsul::balance_policy::random;
  if (p == "power_of_two") return coconsul::balance_policy::power_of_two;
  f.fail("--policy: \"" + p + "\" is not round_robin, random or power_of_two");
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  example::flags f("echo_client", usage);
  f.text("--service", o.service)
      .duration("--interval", o.interval)
      .number("--count", o.count)
      .duration("--timeout", o.timeout)
      .text("--policy", o.policy)
      .duration("--cooldown", o.cooldown)
      .text("--events", o.events);
  f.parse(argc, argv);

  coconsul::balancer_options bo;
  bo.policy = parse_policy(o.policy, f);
  bo.cooldown = o.cooldown;
  bo.connect_timeout = o.timeout;
  bo.request_timeout = o.timeout;  // re-armed per message in talk()
  bo.wait_when_all_ejected = false;  // say so, and retry each --interval, rather than wait silently

  try {
    asio::io_context ioc(1);
    coconsul::client consul(ioc, coconsul::config::from_env());
    coconsul::balancer lb(consul, o.service, bo);
    journal log(o.events);
    counters c;
    int status = 0;

    asio::cancellation_signal stop_passing_watch, stop_catalog_watch;
    asio::co_spawn(ioc, observe(consul, o, true, log),
                   asio::bind_cancellation_slot(stop_passing_watch.slot(), asio::detached));
    asio::co_spawn(ioc, observe(consul, o, false, log),
                   asio::bind_cancellation_slot(stop_catalog_watch.slot(), asio::detached));

    asio::cancellation_signal stop_talking;
    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](coconsul::error_code ec, int) {
      if (!ec) stop_talking.emit(asio::cancellation_type::terminal);
    });
    asio::co_spawn(ioc, talk(lb, o, log, c), asio::bind_cancellation_slot(stop_talking.slot(), [&](std::exception_ptr e) {
      try {
        if (e) std::rethrow_exception(e);
      } catch (const boost::system::system_error& x) {
        if (x.code() != asio::error::operation_aborted) {
          std::cerr << "echo_client: " << x.what() << std::endl;
          status = 1;
        }
      } catch (const std::exception& x) {
        std::cerr << "echo_client: " << x.what() << std::endl;
        status = 1;
      }
      log.say("echo_client: " + std::to_string(c.echoed) + " messages echoed, " + std::to_string(c.failovers) +
              " failovers");
      signals.cancel();
      stop_passing_watch.emit(asio::cancellation_type::terminal);
      stop_catalog_watch.emit(asio::cancellation_type::terminal);
      ioc.stop();
    }));
    ioc.run();
    return status;
  } catch (const std::exception& e) {
    std::cerr << "echo_client: " << e.what() << std::endl;
    return 1;
  }
}
