// `coconsul monitor`: the agent's log lines as they are written, until interrupted, as
// `consul monitor` prints them (-log-level, -log-json).
#include "cli/commands.hpp"

#include "cli/command_support.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>

namespace coconsul::cli {
namespace {

constexpr std::string_view monitor_usage = R"(Usage: coconsul monitor [options]

Streams the agent's log lines as they are written, until interrupted (Ctrl-C), as `consul
monitor` does. The agent sends lines at the level asked for, whatever level it logs at itself.

Options:
  -log-level LEVEL   trace, debug, info (the default), warn or err
  -log-json          each line as a JSON object
)";

boost::asio::awaitable<int> stream_log(coconsul::client& consul, coconsul::monitor_options opts) {
  auto mon = consul.agent().monitor(std::move(opts));
  for (;;) {
    auto [ec, diag, line] =
        co_await mon.next(coconsul::pass_diagnostics(boost::asio::as_tuple(boost::asio::use_awaitable)));
    if (ec == errc::closed) co_return exit_ok;  // interrupted: the client was closed
    if (ec == errc::bad_request || ec == errc::forbidden || ec == errc::acl_not_found || ec == errc::connection_failed) {
      std::cerr << "Error starting monitor: " << (diag.message.empty() ? ec.message() : diag.message) << "\n";
      co_return exit_failed;
    }
    if (ec) {
      std::cout << "Remote side ended the monitor! This usually means that the\n"
                   "remote side has exited or crashed.\n";
      co_return exit_failed;
    }
    std::cout << line << std::endl;  // flushed: a pipe reader sees each line as it comes
  }
}

}  // namespace

int run_monitor_command(int argc, char** argv) {
  coconsul::monitor_options opts;
  command_line cmd("monitor", monitor_usage);
  cmd.flags().add_value("log-level", opts.log_level);
  cmd.flags().add_switch("log-json", opts.json);
  if (auto exit = cmd.parse(argc, argv, 0, 0)) return *exit;
  return cmd.run([&](coconsul::client& c) { return stream_log(c, opts); }, on_signal::succeed);
}

}  // namespace coconsul::cli
