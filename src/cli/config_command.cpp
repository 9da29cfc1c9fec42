// `coconsul config read|write|list|delete`: config entries, as `consul config` does them
// (the same flags, output and messages); `write` reads JSON or HCL.
#include "cli/commands.hpp"

#include "cli/command_support.hpp"
#include "cli/config_json.hpp"

#include <coconsul/client.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>

namespace coconsul::cli {
namespace {

constexpr std::string_view config_usage = R"(Usage: coconsul config <subcommand> [options] [args]

Reads and writes Consul's centralized config entries (service-defaults, proxy-defaults,
service-router, service-splitter, service-resolver, ingress-gateway, terminating-gateway,
service-intentions, mesh, exported-services).

Subcommands:
  read      -kind KIND -name NAME    print an entry as JSON
  write     FILE|-                   create or update an entry from an HCL or JSON file (- for stdin)
  list      -kind KIND               the names of the entries of a kind, one per line
  delete    -kind KIND -name NAME    delete an entry

`coconsul config <subcommand> -h` shows a subcommand's options.
)";

constexpr std::string_view read_usage = R"(Usage: coconsul config read [options] -kind <config kind> -name <config name>

Reads the config entry specified by the given kind and name and outputs its JSON
representation, as `consul config read` does.

Options:
  -kind KIND          the kind of configuration to read
  -name NAME          the name of configuration to read
)";

constexpr std::string_view write_usage = R"(Usage: coconsul config write [options] <configuration>

Request a config entry to be created or updated. The configuration argument is either a
file path or '-' to indicate that the config should be read from stdin. The data should be
either in HCL or JSON form.

Options:
  -cas                perform a Check-And-Set operation: requires -modify-index
  -modify-index N     the ModifyIndex the entry must still have (0: it must not exist)
)";

constexpr std::string_view list_usage = R"(Usage: coconsul config list [options] -kind <config kind>

Lists all of the config entries for a given kind. The -kind parameter is required.

Options:
  -kind KIND          the kind of configurations to list
  -filter EXPR        filter to use with the request
)";

constexpr std::string_view delete_usage = R"(Usage: coconsul config delete [options] -kind <config kind> -name <config name>

Deletes the configuration entry specified by the kind and name.

Options:
  -kind KIND          the kind of configuration to delete
  -name NAME          the name of configuration to delete
  -cas                perform a Check-And-Set operation: requires -modify-index
  -modify-index N     the ModifyIndex the entry must still have
)";

// A failed operation as Consul's Go client words it: "Unexpected response code: 404 (Config
// entry not found ...)" when the agent answered, coconsul's own message otherwise.
std::string go_error(error_code ec, const diagnostics& diag) {
  if (diag.http_status != 0)
    return "Unexpected response code: " + std::to_string(diag.http_status) + " (" + diag.message + ")";
  return error(ec, diag).what();
}

// The CLI's token: (error_code, diagnostics, value), so each verb prints Consul's message.
inline const auto with_diagnostics = pass_diagnostics(boost::asio::as_tuple(boost::asio::use_awaitable));

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// --- read ---

boost::asio::awaitable<int> config_read(coconsul::client& consul, std::string kind, std::string name) {
  auto [ec, diag, got] = co_await consul.config().get(kind, name, query_options(), with_diagnostics);
  if (ec) {
    std::cerr << "Error reading config entry " << quoted(kind) << " / " << quoted(name) << ": " << go_error(ec, diag)
              << "\n";
    co_return exit_failed;
  }
  std::cout << print_config_entry(got.value) << "\n";
  co_return exit_ok;
}

int run_read(int argc, char** argv) {
  std::string kind, name;
  command_line cmd("config read", read_usage);
  cmd.flags().add_value("kind", kind);
  cmd.flags().add_value("name", name);
  if (auto exit = cmd.parse(argc, argv, 0, 0)) return *exit;
  if (kind.empty()) return cmd.fail("Must specify the -kind parameter");
  if (name.empty()) return cmd.fail("Must specify the -name parameter");
  return cmd.run([&](coconsul::client& c) { return config_read(c, kind, name); });
}

// --- write ---

// The argument's data: the file, or stdin for "-" (Consul's LoadDataSourceNoRaw).
std::optional<std::string> load_data(const std::string& source, std::string& why) {
  if (source == "-") {
    std::string data((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    if (std::cin.bad()) {
      why = "Failed to read stdin";
      return std::nullopt;
    }
    return data;
  }
  std::ifstream file(source, std::ios::binary);
  if (!file) {
    why = "Failed to read file: open " + source + ": no such file or directory, or not readable";
    return std::nullopt;
  }
  std::ostringstream data;
  data << file.rdbuf();
  return data.str();
}

boost::asio::awaitable<int> config_write(coconsul::client& consul, config_entry entry, std::optional<std::uint64_t> cas) {
  const std::string id = std::string(entry.kind()) + "/" + std::string(entry.name());
  error_code ec;
  diagnostics diag;
  bool written = false;
  // One co_await a statement: g++ 12 mishandles co_await in both arms of a conditional.
  if (cas)
    std::tie(ec, diag, written) = co_await consul.config().cas(entry, *cas, write_options(), with_diagnostics);
  else
    std::tie(ec, diag, written) = co_await consul.config().set(entry, write_options(), with_diagnostics);
  if (ec) {
    std::cerr << "Error writing config entry " << id << ": " << go_error(ec, diag) << "\n";
    co_return exit_failed;
  }
  if (!written) {
    std::cerr << "Config entry not updated: " << id << "\n";
    co_return exit_failed;
  }
  std::cout << "Config entry written: " << id << "\n";
  co_return exit_ok;
}

int run_write(int argc, char** argv) {
  bool cas = false;
  std::optional<std::uint64_t> modify_index;
  command_line cmd("config write", write_usage);
  cmd.flags().add_switch("cas", cas);
  cmd.flags().add_number("modify-index", modify_index);
  if (auto exit = cmd.parse(argc, argv, 0, 99)) return *exit;
  if (cmd.args().size() != 1)
    return cmd.fail("Must provide exactly one positional argument to specify the config entry to write");
  std::string why;
  auto data = load_data(cmd.args()[0], why);
  if (!data) {
    std::cerr << "Failed to load data: " << why << "\n";
    return exit_failed;
  }
  config_entry entry;
  diagnostics diag;
  if (read_config_entry(*data, entry, diag)) {
    std::cerr << "Failed to decode config entry input: " << diag.message << "\n";
    return exit_failed;
  }
  // Consul sends -modify-index's value (0 when not given) with -cas.
  const std::optional<std::uint64_t> index = cas ? std::optional<std::uint64_t>(modify_index.value_or(0)) : std::nullopt;
  return cmd.run([&](coconsul::client& c) { return config_write(c, entry, index); });
}

// --- list ---

boost::asio::awaitable<int> config_list(coconsul::client& consul, std::string kind, std::string filter) {
  query_options o;
  o.filter = std::move(filter);
  auto [ec, diag, got] = co_await consul.config().list(kind, o, with_diagnostics);
  if (ec) {
    std::cerr << "Error listing config entries for kind " << quoted(kind) << ": " << go_error(ec, diag) << "\n";
    co_return exit_failed;
  }
  for (const auto& entry : got.value) std::cout << entry.name() << "\n";
  co_return exit_ok;
}

int run_list(int argc, char** argv) {
  std::string kind, filter;
  command_line cmd("config list", list_usage);
  cmd.flags().add_value("kind", kind);
  cmd.flags().add_value("filter", filter);
  if (auto exit = cmd.parse(argc, argv, 0, 0)) return *exit;
  if (kind.empty()) return cmd.fail("Must specify the -kind parameter");
  return cmd.run([&](coconsul::client& c) { return config_list(c, kind, filter); });
}

// --- delete ---

boost::asio::awaitable<int> config_delete(coconsul::client& consul, std::string kind, std::string name,
                                          std::optional<std::uint64_t> cas) {
  const std::string id = kind + "/" + name;
  error_code ec;
  diagnostics diag;
  bool deleted = true;
  if (cas) {
    std::tie(ec, diag, deleted) = co_await consul.config().erase_cas(kind, name, *cas, write_options(), with_diagnostics);
  } else {
    std::tie(ec, diag) = co_await consul.config().erase(kind, name, write_options(), with_diagnostics);
  }
  if (ec) {
    std::cerr << "Error deleting config entry " << id << ": " << go_error(ec, diag) << "\n";
    co_return exit_failed;
  }
  if (!deleted) {
    std::cerr << "Config entry not deleted: " << id << "\n";
    co_return exit_failed;
  }
  std::cout << "Config entry deleted: " << id << "\n";
  co_return exit_ok;
}

int run_delete(int argc, char** argv) {
  std::string kind, name;
  bool cas = false;
  std::optional<std::uint64_t> modify_index;
  command_line cmd("config delete", delete_usage);
  cmd.flags().add_value("kind", kind);
  cmd.flags().add_value("name", name);
  cmd.flags().add_switch("cas", cas);
  cmd.flags().add_number("modify-index", modify_index);
  if (auto exit = cmd.parse(argc, argv, 0, 0)) return *exit;
  if (kind.empty()) return cmd.fail("Must specify the -kind parameter");
  if (name.empty()) return cmd.fail("Must specify the -name parameter");
  const std::optional<std::uint64_t> index = cas ? std::optional<std::uint64_t>(modify_index.value_or(0)) : std::nullopt;
  return cmd.run([&](coconsul::client& c) { return config_delete(c, kind, name, index); });
}

}  // namespace

int run_config_command(int argc, char** argv) {
  const std::string usage = std::string(config_usage) + std::string(connection_usage);
  return run_subcommand("config", usage, argc, argv,
                        {{"read", run_read}, {"write", run_write}, {"list", run_list}, {"delete", run_delete}});
}

}  // namespace coconsul::cli
