// bench_watch_fanout --watchers N --services S
//
// N watchers of S services (S = 1: N subscribers of one service; S = N: N distinct services)
// on one thread against an in-process dev agent, with the client's default connection budget
// (64 connections, so at most 32 blocking service queries: the rest go through the health
// index watch). Measures, for one change that every watcher must see, the time until all N
// snapshots are delivered, the requests it took, and the resident memory per watcher.
//
// The change: with one service, its instance's TTL check fails; with several, a node-level
// check fails, which takes every instance on the node out of the passing state at once (a node
// dying). The agent runs in the same process and on the same thread as the client, so its work
// is in the time and its memory in the baseline.

#include <coconsul/client.hpp>

#include "bench_support.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <unistd.h>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

long rss_kib() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

template <class Pred>
asio::awaitable<void> until(Pred pred) {
  asio::steady_timer t(co_await asio::this_coro::executor);
  while (!pred()) {
    t.expires_after(1ms);
    co_await t.async_wait(asio::use_awaitable);
  }
}

struct options {
  std::size_t watchers = 1000;
  std::size_t services = 1;
};

int usage() {
  std::cerr << "usage: bench_watch_fanout [--watchers N] [--services S]   (1 <= S <= N)\n";
  return 2;
}

struct results {
  double fanout_ms = 0;
  double setup_ms = 0;
  double first_ms = 0;
  long rss_before = 0, rss_after = 0;
  std::uint64_t requests = 0;
  std::size_t connections = 0;
  std::uint64_t connections_opened = 0;
  int multiplexed = 0;
  bool ok = false;
};

asio::awaitable<void> run(const options& opt, coconsul::client& consul, results& r) {
  const auto setup_start = clock_type::now();
  auto agent_api = consul.agent();
  for (std::size_t s = 0; s < opt.services; ++s) {
    const std::string name = "svc-" + std::to_string(s);
    coconsul::service_registration reg{.id = name + "-1", .name = name, .port = static_cast<int>(20000 + s % 40000)};
    reg.address = "127.0.0.1";
    coconsul::service_check ttl;
    ttl.check_id = name + "-1:ttl";
    ttl.ttl = 1h;
    reg.check = ttl;
    co_await agent_api.register_service(reg);
    co_await agent_api.pass_ttl(name + "-1:ttl");
  }
  coconsul::check_registration node_check{.id = "node-alive", .name = "node alive"};
  node_check.ttl = 1h;
  co_await agent_api.register_check(node_check);
  co_await agent_api.pass_ttl("node-alive");
  r.setup_ms = std::chrono::duration<double, std::milli>(clock_type::now() - setup_start).count();

  r.rss_before = rss_kib();
  const auto first_start = clock_type::now();
  std::vector<coconsul::service_watch> watches;
  watches.reserve(opt.watchers);
  for (std::size_t i = 0; i < opt.watchers; ++i)
    watches.push_back(consul.watch_service("svc-" + std::to_string(i % opt.services)));

  std::size_t first = 0, second = 0, wrong = 0;
  clock_type::time_point all_delivered;
  // One closure for every consumer: a lambda coroutine's captures live in its closure, which
  // must outlive the coroutines (this frame does).
  auto consume = [&](coconsul::service_watch& watch) -> asio::awaitable<void> {
    co_await watch.next();
    ++first;
    auto s = co_await watch.next();  // waits for the change
    if (!s.endpoints().empty()) ++wrong;
    if (++second == watches.size()) all_delivered = clock_type::now();
  };
  const auto ex = co_await asio::this_coro::executor;
  for (auto& w : watches) asio::co_spawn(ex, consume(w), asio::detached);
  co_await until([&] { return first == watches.size(); });
  r.first_ms = std::chrono::duration<double, std::milli>(clock_type::now() - first_start).count();
  r.rss_after = rss_kib();
  for (auto& w : watches) r.multiplexed += w.status().multiplexed ? 1 : 0;

  const auto requests_before = consul.stats().requests_sent;
  const auto change = clock_type::now();
  if (opt.services == 1)
    co_await agent_api.fail_ttl("svc-0-1:ttl", "down");
  else
    co_await agent_api.fail_ttl("node-alive", "node down");
  co_await until([&] { return second == watches.size(); });
  r.fanout_ms = std::chrono::duration<double, std::milli>(all_delivered - change).count();
  r.requests = consul.stats().requests_sent - requests_before - 1;  // less the change itself
  r.connections = consul.stats().open_connections;
  r.connections_opened = consul.stats().connections_opened;
  r.ok = wrong == 0;
}

}  // namespace

int main(int argc, char** argv) {
  options opt;
  if (!parse_size_flags(argc, argv, {{"--watchers", &opt.watchers}, {"--services", &opt.services}})) return usage();
  if (opt.services > opt.watchers) return usage();

  results r;
  if (!run_with_dev_agent("bench_watch_fanout", [&](coconsul::client& c) { return run(opt, c, r); })) return 1;
  if (!r.ok) {
    std::cerr << "bench_watch_fanout: not every watcher saw the change\n";
    return 1;
  }

  const double per_watcher = static_cast<double>(r.rss_after - r.rss_before) / static_cast<double>(opt.watchers);
  std::cout << "machine: " << std::thread::hardware_concurrency() << " cores, " <<
#if defined(__clang__)
      "clang " << __clang_major__ << "." << __clang_minor__
#else
      "g++ " << __GNUC__ << "." << __GNUC_MINOR__
#endif
            << ", one thread for client and agent\n"
            << "setup: " << opt.services << " services registered in " << r.setup_ms << " ms\n"
            << "first snapshots: " << opt.watchers << " watchers in " << r.first_ms << " ms; " << r.multiplexed
            << " of them multiplexed through the health index watch\n"
            << "resident memory: " << r.rss_before << " KiB before the watchers, " << r.rss_after
            << " KiB with them waiting\n"
            << "connections: " << r.connections << " open, " << r.connections_opened << " opened in all\n";
  std::cout.setf(std::ios::fixed);
  std::cout.precision(1);
  std::cout << "watch_fanout: watchers=" << opt.watchers << " services=" << opt.services << " fanout_ms=" << r.fanout_ms
            << " rss_kib_per_watcher=" << per_watcher << " requests=" << r.requests << " connections=" << r.connections
            << "\n";
  return 0;
}
