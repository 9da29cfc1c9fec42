// `coconsul maint`: node and service maintenance mode, as `consul maint` does it (list, -enable,
// -disable, -service, -reason) and with its messages.
#include "cli/commands.hpp"

#include "cli/command_support.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>

namespace coconsul::cli {
namespace {

constexpr std::string_view maint_usage = R"(Usage: coconsul maint [options]

Places a node or a service into maintenance mode, or takes it out, as `consul maint` does. In
maintenance the node (or service) has a critical check, so it leaves DNS and passing queries.
Without -enable or -disable, lists what is in maintenance on the agent.

Options:
  -enable            enable maintenance mode
  -disable           disable maintenance mode
  -reason TEXT       why (stored as the maintenance check's notes); with -enable only
  -service ID        the service with this ID instead of the whole node
)";

template <class Op>
boost::asio::awaitable<std::string> failure_text(Op op) {
  auto [ec, diag] = co_await std::move(op);
  if (!ec) co_return std::string();
  co_return diag.message.empty() ? ec.message() : diag.message;
}

boost::asio::awaitable<int> list_maintenance(coconsul::client& consul) {
  auto token = coconsul::pass_diagnostics(boost::asio::as_tuple(boost::asio::use_awaitable));
  auto [ec, diag, self] = co_await consul.agent().self(query_options(), token);
  if (!ec) {
    auto [ec2, diag2, checks] = co_await consul.agent().checks(query_options(), token);
    ec = ec2;
    diag = std::move(diag2);
    if (!ec) {
      for (const auto& [id, check] : checks.value) {
        if (id == "_node_maintenance") {
          std::cout << "Node:\n  Name:   " << self.value.config.node_name << "\n  Reason: " << check.notes << "\n\n";
        } else if (id.rfind("_service_maintenance:", 0) == 0) {
          std::cout << "Service:\n  ID:     " << check.service_id << "\n  Reason: " << check.notes << "\n\n";
        }
      }
      co_return exit_ok;
    }
  }
  std::cerr << "Error querying agent: " << (diag.message.empty() ? ec.message() : diag.message) << "\n";
  co_return exit_failed;
}

boost::asio::awaitable<int> change(coconsul::client& consul, bool enable, std::string service, std::string reason) {
  auto a = consul.agent();
  auto token = coconsul::pass_diagnostics(boost::asio::as_tuple(boost::asio::use_awaitable));
  // One co_await per statement: gcc 12 miscompiles co_await inside a conditional expression.
  std::string failed;
  if (service.empty() && enable) {
    failed = co_await failure_text(a.enable_node_maintenance(reason, write_options(), token));
  } else if (service.empty()) {
    failed = co_await failure_text(a.disable_node_maintenance(write_options(), token));
  } else if (enable) {
    failed = co_await failure_text(a.enable_maintenance(service, reason, write_options(), token));
  } else {
    failed = co_await failure_text(a.disable_maintenance(service, write_options(), token));
  }
  const char* what = service.empty() ? "node" : "service";
  if (!failed.empty()) {
    std::cerr << "Error " << (enable ? "enabling " : "disabling ") << what << " maintenance: " << failed << "\n";
    co_return exit_failed;
  }
  if (service.empty())
    std::cout << (enable ? "Node entered maintenance mode\n" : "Node left maintenance mode\n");
  else
    std::cout << (enable ? "Service entered maintenance mode: " : "Service left maintenance mode: ") << service << "\n";
  co_return exit_ok;
}

}  // namespace

int run_maint_command(int argc, char** argv) {
  bool enable = false, disable = false;
  std::string reason, service;
  command_line cmd("maint", maint_usage);
  cmd.flags().add_switch("enable", enable);
  cmd.flags().add_switch("disable", disable);
  cmd.flags().add_value("reason", reason);
  cmd.flags().add_value("service", service);
  if (auto exit = cmd.parse(argc, argv, 0, 0)) return *exit;
  // Consul's checks, in its order and with its words.
  if (enable && disable) return cmd.fail("Only one of -enable or -disable may be provided");
  if (!enable && !reason.empty()) return cmd.fail("Reason may only be provided with -enable");
  if (!enable && !disable && !service.empty()) return cmd.fail("Service requires either -enable or -disable");
  if (!enable && !disable) return cmd.run([](coconsul::client& c) { return list_maintenance(c); });
  return cmd.run([&](coconsul::client& c) { return change(c, enable, service, reason); });
}

}  // namespace coconsul::cli
