// leader_election: campaigns for leadership with coconsul::lock and says when it becomes the
// leader and when it stops being one. Start several; one leads at a time, and another takes
// over when the leader steps down, exits or loses its session.
//
//   usage: leader_election [--key KEY] [--name NAME] [--terms N] [--term SECONDS] [--duration SECONDS]
//     --key KEY           the KV key of the election (default "service/leader_election/leader")
//     --name NAME         this candidate's name, stored in the key while it leads (default: host-pid)
//     --terms N           exit after N terms as leader (default 0: no limit)
//     --term SECONDS      step down after leading this long (default 0: lead until the lock is lost)
//     --duration SECONDS  exit after this long in all (default 0: no limit)
//   The agent comes from Consul's environment: CONSUL_HTTP_ADDR, CONSUL_HTTP_TOKEN, ...

// g++ 12 pairs the coroutine frame's operator new (Asio's recycling allocator) with a plain
// free() in an inlined destroy path and warns falsely (GCC bug 109224).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include <coconsul/client.hpp>
#include <coconsul/lock.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <unistd.h>

#include <charconv>
#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr std::string_view usage =
    "usage: leader_election [--key KEY] [--name NAME] [--terms N] [--term SECONDS] [--duration SECONDS]\n"
    "  --key KEY           the KV key of the election (default \"service/leader_election/leader\")\n"
    "  --name NAME         this candidate's name, stored in the key while it leads (default: host-pid)\n"
    "  --terms N           exit after N terms as leader (default 0: no limit)\n"
    "  --term SECONDS      step down after leading this long (default 0: lead until the lock is lost)\n"
    "  --duration SECONDS  exit after this long in all (default 0: no limit)\n"
    "The agent comes from CONSUL_HTTP_ADDR (default http://127.0.0.1:8500) and CONSUL_HTTP_TOKEN.\n";

struct options {
  std::string key = "service/leader_election/leader";
  std::string name;
  unsigned terms = 0;
  std::chrono::milliseconds term{0};
  std::chrono::milliseconds duration{0};
};

void say(const options& o, const std::string& what) { std::cout << o.name << ": " << what << std::endl; }

// Ends the run: on SIGINT or SIGTERM, or when --duration has passed. Whatever the campaign
// is waiting for (leadership, or the end of its term) is cancelled, and it steps down cleanly.
struct stopper {
  asio::cancellation_signal signal;
  bool stopping = false;
  void stop() {
    stopping = true;
    signal.emit(asio::cancellation_type::terminal);
  }
};

// Why a term ended: the lock was lost (with Consul's reason), or we stepped down.
struct term_end {
  bool lost = false;
  std::string reason;
};

// Leads until the lock is lost, the term is over (`until`) or the run is stopped; then steps
// down (releases the lock) if it still holds it.
asio::awaitable<term_end> lead(coconsul::lock& l, clock_type::time_point until, stopper& stop) {
  // Shared with wait_lost's callback, which may run after this coroutine has moved on.
  struct watch {
    explicit watch(asio::any_io_executor ex) : wake(ex) {}
    asio::steady_timer wake;
    std::optional<std::string> lost;
  };
  auto w = std::make_shared<watch>(co_await asio::this_coro::executor);
  w->wake.expires_at(until);
  l.wait_lost([w](coconsul::error_code ec, std::string reason) {
    w->lost = ec ? "watching the lock failed: " + ec.message() : std::move(reason);
    w->wake.cancel();
  });
  if (!stop.stopping)
    co_await w->wake.async_wait(asio::bind_cancellation_slot(stop.signal.slot(), asio::as_tuple(asio::use_awaitable)));
  if (w->lost) co_return term_end{true, *w->lost};
  co_await l.release();  // wait_lost now completes with "released"
  co_return term_end{false, "stepped down"};
}

asio::awaitable<void> campaign(coconsul::client& consul, options o, stopper& stop) {
  coconsul::lock_options lo;
  lo.key = o.key;
  lo.value = o.name;
  lo.session_name = "leader_election " + o.name;
  coconsul::lock l(consul, lo);
  say(o, "campaigning for " + o.key);
  for (unsigned term = 1; o.terms == 0 || term <= o.terms; ++term) {
    if (stop.stopping) break;
    auto [ec] = co_await l.acquire(asio::bind_cancellation_slot(stop.signal.slot(), asio::as_tuple(asio::use_awaitable)));
    if (ec == asio::error::operation_aborted) {  // stopped while waiting
      say(o, "stopped before becoming leader");
      break;
    }
    if (ec) throw coconsul::error(ec);
    say(o, "became leader (term " + std::to_string(term) + ")");
    const auto term_over = o.term.count() > 0 ? clock_type::now() + o.term : clock_type::time_point::max();
    const term_end how = co_await lead(l, term_over, stop);
    if (how.lost)
      say(o, "lost leadership: " + how.reason);
    else
      say(o, "stepped down after term " + std::to_string(term));
    if (o.terms != 0 && term == o.terms) {
      say(o, "served " + std::to_string(term) + (term == 1 ? " term" : " terms") + "; exiting");
      break;
    }
    if (stop.stopping) say(o, "stopped");
  }
  co_await l.release();  // destroys the session, if a campaign left one, before the client closes
}

bool parse_number(std::string_view text, unsigned& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool parse_seconds(std::string_view text, std::chrono::milliseconds& out) {
  double seconds = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || end != text.data() + text.size() || seconds < 0) return false;
  out = std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
  return true;
}

std::string default_name() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host[0] ? host : "candidate") + "-" + std::to_string(getpid());
}

}  // namespace

int main(int argc, char** argv) {
  options opts;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::cout << usage;
      return 0;
    }
    if (i + 1 >= argc) {
      std::cerr << "leader_election: " << arg << " needs a value\n" << usage;
      return 2;
    }
    std::string_view value = argv[++i];
    bool ok = true;
    if (arg == "--key")
      opts.key = value;
    else if (arg == "--name")
      opts.name = value;
    else if (arg == "--terms")
      ok = parse_number(value, opts.terms);
    else if (arg == "--term")
      ok = parse_seconds(value, opts.term);
    else if (arg == "--duration")
      ok = parse_seconds(value, opts.duration);
    else {
      std::cerr << "leader_election: unknown option " << arg << "\n" << usage;
      return 2;
    }
    if (!ok) {
      std::cerr << "leader_election: " << arg << ": \"" << value << "\" is not a valid value\n" << usage;
      return 2;
    }
  }
  if (opts.name.empty()) opts.name = default_name();

  try {
    asio::io_context ioc;
    coconsul::client consul(ioc, coconsul::config::from_env());
    int status = 0;
    stopper stop;
    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code ec, int) {
      if (!ec) stop.stop();
    });
    asio::steady_timer deadline(ioc, clock_type::time_point::max());
    if (opts.duration.count() > 0) deadline.expires_after(opts.duration);
    deadline.async_wait([&](boost::system::error_code ec) {
      if (!ec) stop.stop();
    });
    asio::co_spawn(ioc, campaign(consul, opts, stop), [&](std::exception_ptr e) {
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& x) {
          std::cerr << "leader_election: " << x.what() << "\n";
          status = 1;
        }
      }
      signals.cancel();
      deadline.cancel();
      consul.close();  // idle keep-alive connections would keep run() going
    });
    ioc.run();
    return status;
  } catch (const std::exception& e) {
    std::cerr << "leader_election: " << e.what() << "\n";
    return 1;
  }
}
