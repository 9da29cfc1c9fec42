// bench_balancer_pick [--endpoints N] [--picks P]
//
// Picks per second of each balancer policy over N endpoints (default 100) of one service in an
// in-process dev agent, through the public operation (co_await lb.pick(): the async operation,
// the lease created and released) and, as the baseline in the same run, the policy's
// choice alone (src/balancer/policy.hpp, no coroutine, no lease). The difference is the price
// of the async operation.

#include <coconsul/balancer.hpp>
#include <coconsul/client.hpp>

#include "balancer/policy.hpp"
#include "bench_support.hpp"

#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <thread>
#include <vector>

namespace asio = boost::asio;
using clock_type = std::chrono::steady_clock;

namespace {

struct options {
  std::size_t endpoints = 100;
  std::size_t picks = 200000;
};

int usage() {
  std::cerr << "usage: bench_balancer_pick [--endpoints N] [--picks P]\n";
  return 2;
}

struct policy_result {
  double through_pick = 0;  // picks per second via co_await lb.pick()
  double policy_alone = 0;  // choices per second of the policy function
};

const std::vector<std::pair<const char*, coconsul::balance_policy>> policies{
    {"round_robin", coconsul::balance_policy::round_robin},
    {"random", coconsul::balance_policy::random},
    {"power_of_two", coconsul::balance_policy::power_of_two}};

std::atomic<std::size_t> choices_sum{0};

double per_second(std::size_t n, clock_type::duration d) {
  return static_cast<double>(n) / std::chrono::duration<double>(d).count();
}

// The baseline: the policy alone over slots like the balancer's (weights 1..4).
double policy_alone(coconsul::balance_policy p, std::size_t endpoints, std::size_t picks) {
  std::vector<coconsul::detail::policy_slot> slots(endpoints);
  for (std::size_t i = 0; i < endpoints; ++i) slots[i].weight = static_cast<int>(1 + i % 4);
  std::vector<coconsul::detail::policy_slot*> c;
  for (auto& s : slots) c.push_back(&s);
  std::mt19937_64 rng(42);
  std::size_t sink = 0;
  const auto start = clock_type::now();
  for (std::size_t i = 0; i < picks; ++i) sink += coconsul::detail::choose(p, c, rng);
  const auto took = clock_type::now() - start;
  choices_sum += sink;  // the choices are used: the loop stays
  return per_second(picks, took);
}

asio::awaitable<void> run(const options& opt, coconsul::client& consul, std::map<std::string, policy_result>& out) {
  auto agent = consul.agent();
  for (std::size_t i = 0; i < opt.endpoints; ++i) {
    coconsul::service_registration reg{.id = "web-" + std::to_string(i), .name = "web",
                                       .port = static_cast<int>(20000 + i)};
    reg.address = "127.0.0.1";
    coconsul::weights w;
    w.passing = static_cast<int>(1 + i % 4);
    reg.weights = w;
    co_await agent.register_service(reg);
  }
  for (const auto& [name, policy] : policies) {
    coconsul::balancer_options o;
    o.policy = policy;
    o.seed = 42;
    coconsul::balancer lb(consul, "web", o);
    co_await lb.pick();  // the first snapshot
    const auto start = clock_type::now();
    for (std::size_t i = 0; i < opt.picks; ++i) co_await lb.pick();
    out[name].through_pick = per_second(opt.picks, clock_type::now() - start);
    if (lb.stats().endpoints.size() != opt.endpoints) throw std::runtime_error("not every endpoint was in the table");
  }
}

}  // namespace

int main(int argc, char** argv) {
  options opt;
  if (!parse_size_flags(argc, argv, {{"--endpoints", &opt.endpoints}, {"--picks", &opt.picks}})) return usage();

  std::map<std::string, policy_result> results;
  if (!run_with_dev_agent("bench_balancer_pick", [&](coconsul::client& c) { return run(opt, c, results); })) return 1;
  for (const auto& [name, policy] : policies) results[name].policy_alone = policy_alone(policy, opt.endpoints, opt.picks);

  std::cout << "machine: " << std::thread::hardware_concurrency() << " cores, "
#if defined(__clang__)
            << "clang " << __clang_major__ << "." << __clang_minor__
#else
            << "g++ " << __GNUC__ << "." << __GNUC_MINOR__
#endif
            << ", one thread\n";
  for (const auto& [name, policy] : policies)
    std::cout << name << ": " << static_cast<long>(results[name].through_pick) << " picks/s through pick(), "
              << static_cast<long>(results[name].policy_alone) << " choices/s of the policy alone\n";
  std::cout << "balancer_pick: endpoints=" << opt.endpoints << " picks=" << opt.picks;
  for (const auto& [name, policy] : policies)
    std::cout << " " << name << "_per_s=" << static_cast<long>(results[name].through_pick);
  std::cout << "\n";
}
