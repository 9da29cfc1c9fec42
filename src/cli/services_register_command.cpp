// `coconsul services register` and `coconsul services deregister`: Consul's spelling of the
// `register` and `deregister` commands, with its flags for a service given on the command line
// (-name, -id, -address, -port, -tag, -meta; -id to deregister). A definition file goes to the
// commands of register_command.cpp, unchanged.
#include "cli/commands.hpp"

#include "cli/command_support.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>

namespace coconsul::cli {
namespace {

constexpr std::string_view services_register_usage = R"(Usage: coconsul services register [options] [FILE.json]

Registers a service with the local agent, as `consul services register` does: the services of
a definition file (as `coconsul register FILE.json`), or one service described by the flags.

Options:
  -name NAME          the service's name (required without a file)
  -id ID              its ID (default: the name)
  -address ADDR       its address (default: the node's)
  -port PORT          its port
  -tag TAG            a tag (repeatable)
  -meta KEY=VALUE     a metadata pair (repeatable)
)";

constexpr std::string_view services_deregister_usage = R"(Usage: coconsul services deregister [options] [FILE.json]

Removes a service from the local agent, as `consul services deregister` does: the services of
a definition file (as `coconsul deregister FILE.json`), or the one with -id.

Options:
  -id ID              the service's ID
)";

std::string failure_text(const error_code& ec, const diagnostics& diag) {
  return diag.message.empty() ? ec.message() : diag.message;
}

boost::asio::awaitable<int> register_one(coconsul::client& consul, service_registration reg) {
  std::string name = reg.name;
  auto [ec, diag] = co_await consul.agent().register_service(
      std::move(reg), register_options(), write_options(),
      coconsul::pass_diagnostics(boost::asio::as_tuple(boost::asio::use_awaitable)));
  if (ec) {
    std::cerr << "Error registering service \"" << name << "\": " << failure_text(ec, diag) << "\n";
    co_return exit_failed;
  }
  std::cout << "Registered service: " << name << "\n";
  co_return exit_ok;
}

boost::asio::awaitable<int> deregister_one(coconsul::client& consul, std::string id) {
  auto [ec, diag] = co_await consul.agent().deregister_service(
      id, write_options(), coconsul::pass_diagnostics(boost::asio::as_tuple(boost::asio::use_awaitable)));
  if (ec) {
    std::cerr << "Error deregistering service \"" << id << "\": " << failure_text(ec, diag) << "\n";
    co_return exit_failed;
  }
  std::cout << "Deregistered service: " << id << "\n";
  co_return exit_ok;
}

}  // namespace

int run_services_register_command(int argc, char** argv) {
  service_registration reg;
  std::optional<std::uint64_t> port;
  std::vector<std::string> meta;
  command_line cmd("services register", services_register_usage);
  cmd.flags().add_value("name", reg.name);
  cmd.flags().add_value("id", reg.id);
  cmd.flags().add_value("address", reg.address);
  cmd.flags().add_number("port", port);
  cmd.flags().add_values("tag", reg.tags);
  cmd.flags().add_values("meta", meta);
  if (auto exit = cmd.parse(argc, argv, 0, 1)) return *exit;
  bool flags_given = !reg.name.empty() || !reg.id.empty() || !reg.address.empty() || port || !reg.tags.empty() ||
                     !meta.empty();
  if (!cmd.args().empty()) {
    if (flags_given) return cmd.fail("flags to describe a service cannot be used with a file");
    std::string register_name = "register";
    std::vector<char*> args{register_name.data(), const_cast<char*>(cmd.args()[0].c_str())};
    return run_register_command(static_cast<int>(args.size()), args.data());
  }
  if (reg.name.empty()) return cmd.fail("Service name must be specified (-name) when no file is given");
  if (port && *port > 65535) return cmd.fail("-port: " + std::to_string(*port) + " is not a port");
  if (port) reg.port = static_cast<int>(*port);
  for (const auto& pair : meta) {
    auto eq = pair.find('=');
    if (eq == std::string::npos) return cmd.fail("-meta: \"" + pair + "\" is not KEY=VALUE");
    reg.meta[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  return cmd.run([&](coconsul::client& c) { return register_one(c, reg); });
}

int run_services_deregister_command(int argc, char** argv) {
  std::string id;
  command_line cmd("services deregister", services_deregister_usage);
  cmd.flags().add_value("id", id);
  if (auto exit = cmd.parse(argc, argv, 0, 1)) return *exit;
  if (!cmd.args().empty()) {
    if (!id.empty()) return cmd.fail("-id cannot be used with a file");
    std::string deregister_name = "deregister";
    std::vector<char*> args{deregister_name.data(), const_cast<char*>(cmd.args()[0].c_str())};
    return run_deregister_command(static_cast<int>(args.size()), args.data());
  }
  if (id.empty()) return cmd.fail("a file or -id is required");
  return cmd.run([&](coconsul::client& c) { return deregister_one(c, id); });
}

}  // namespace coconsul::cli
