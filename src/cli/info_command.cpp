// `coconsul info`: the agent's Stats from /v1/agent/self, as `consul info` prints them.
#include "cli/commands.hpp"

#include "cli/command_support.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>

namespace coconsul::cli {
namespace {

constexpr std::string_view info_usage = R"(Usage: coconsul info [options]

Prints the agent's statistics for debugging, as `consul info` does: one section per subsystem
(agent, build, consul, raft, runtime, serf_lan, serf_wan, ... as the agent reports them), keys
sorted, "key = value" under each.
)";

boost::asio::awaitable<int> print_info(coconsul::client& consul) {
  auto [ec, diag, self] = co_await consul.agent().self(
      query_options(), coconsul::pass_diagnostics(boost::asio::as_tuple(boost::asio::use_awaitable)));
  if (ec) {
    std::cerr << "Error querying agent: " << (diag.message.empty() ? ec.message() : diag.message) << "\n";
    co_return exit_failed;
  }
  // std::map: sections and keys come sorted, as Consul sorts them.
  for (const auto& [section, values] : self.value.stats) {
    std::cout << section << ":\n";
    for (const auto& [k, v] : values) std::cout << "\t" << k << " = " << v << "\n";
  }
  co_return exit_ok;
}

}  // namespace

int run_info_command(int argc, char** argv) {
  command_line cmd("info", info_usage);
  if (auto exit = cmd.parse(argc, argv, 0, 0)) return *exit;
  return cmd.run([](coconsul::client& c) { return print_info(c); });
}

}  // namespace coconsul::cli
