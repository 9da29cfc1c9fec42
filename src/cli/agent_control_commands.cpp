// `coconsul join`, `leave`, `force-leave` and `reload`: the agent's membership and
// configuration, with `consul`'s flags and messages.
#include "cli/commands.hpp"

#include "cli/command_support.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>

namespace coconsul::cli {
namespace {

constexpr std::string_view join_usage = R"(Usage: coconsul join [options] ADDRESS ...

Tells the agent to join the cluster through one or more of its members' addresses ("host" or
"host:port"), as `consul join` does. Succeeds when at least one join succeeds.

Options:
  -wan               join the WAN pool (servers only)
)";

constexpr std::string_view leave_usage = R"(Usage: coconsul leave [options]

Makes the agent leave the cluster gracefully and shut down, as `consul leave` does.
)";

constexpr std::string_view force_leave_usage = R"(Usage: coconsul force-leave [options] NODE

Forces a failed member into the left state, as `consul force-leave` does.

Options:
  -prune             remove the node from the member list at once
  -wan               the WAN pool (NODE is then <node>.<datacenter>)
)";

constexpr std::string_view reload_usage = R"(Usage: coconsul reload [options]

Makes the agent reload its configuration files, as `consul reload` does.
)";

// The message of a failed operation completing with (error_code, diagnostics); "" on success.
template <class Op>
boost::asio::awaitable<std::string> failure_text(Op op) {
  auto [ec, diag] = co_await std::move(op);
  if (!ec) co_return std::string();
  co_return diag.message.empty() ? ec.message() : diag.message;
}

auto no_throw() { return coconsul::pass_diagnostics(boost::asio::as_tuple(boost::asio::use_awaitable)); }

boost::asio::awaitable<int> join_all(coconsul::client& consul, std::vector<std::string> addresses, bool wan) {
  coconsul::join_options opts;
  opts.wan = wan;
  std::size_t joined = 0;
  for (const auto& address : addresses) {
    std::string failed = co_await failure_text(consul.agent().join(address, opts, write_options(), no_throw()));
    if (failed.empty())
      ++joined;
    else
      std::cerr << "Error joining address '" << address << "': " << failed << "\n";
  }
  if (joined == 0) {
    std::cerr << "Failed to join any nodes.\n";
    co_return exit_failed;
  }
  std::cout << "Successfully joined cluster by contacting " << joined << " nodes.\n";
  co_return exit_ok;
}

boost::asio::awaitable<int> leave(coconsul::client& consul) {
  std::string failed = co_await failure_text(consul.agent().leave(write_options(), no_throw()));
  if (!failed.empty()) {
    std::cerr << "Error leaving: " << failed << "\n";
    co_return exit_failed;
  }
  std::cout << "Graceful leave complete\n";
  co_return exit_ok;
}

boost::asio::awaitable<int> force_leave(coconsul::client& consul, std::string node, coconsul::force_leave_options opts) {
  std::string failed = co_await failure_text(consul.agent().force_leave(node, opts, write_options(), no_throw()));
  if (!failed.empty()) {
    std::cerr << "Error force leaving: " << failed << "\n";
    co_return exit_failed;
  }
  co_return exit_ok;
}

boost::asio::awaitable<int> reload(coconsul::client& consul) {
  std::string failed = co_await failure_text(consul.agent().reload(write_options(), no_throw()));
  if (!failed.empty()) {
    std::cerr << "Error reloading: " << failed << "\n";
    co_return exit_failed;
  }
  std::cout << "Configuration reload triggered\n";
  co_return exit_ok;
}

}  // namespace

int run_join_command(int argc, char** argv) {
  bool wan = false;
  command_line cmd("join", join_usage);
  cmd.flags().add_switch("wan", wan);
  if (auto exit = cmd.parse(argc, argv, 1, 1000, "an address to join")) return *exit;
  return cmd.run([&](coconsul::client& c) { return join_all(c, cmd.args(), wan); });
}

int run_leave_command(int argc, char** argv) {
  command_line cmd("leave", leave_usage);
  if (auto exit = cmd.parse(argc, argv, 0, 0)) return *exit;
  return cmd.run([](coconsul::client& c) { return leave(c); });
}

int run_force_leave_command(int argc, char** argv) {
  coconsul::force_leave_options opts;
  command_line cmd("force-leave", force_leave_usage);
  cmd.flags().add_switch("prune", opts.prune);
  cmd.flags().add_switch("wan", opts.wan);
  if (auto exit = cmd.parse(argc, argv, 1, 1, "the node name")) return *exit;
  return cmd.run([&](coconsul::client& c) { return force_leave(c, cmd.args()[0], opts); });
}

int run_reload_command(int argc, char** argv) {
  command_line cmd("reload", reload_usage);
  if (auto exit = cmd.parse(argc, argv, 0, 0)) return *exit;
  return cmd.run([](coconsul::client& c) { return reload(c); });
}

}  // namespace coconsul::cli
