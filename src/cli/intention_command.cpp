// `coconsul intention create|get|check|match|delete|list`: Connect's intentions, with the flags
// and output of `consul intention` (command/intention/*).
#include "cli/commands.hpp"

#include "cli/command_support.hpp"
#include "cli/intention_format.hpp"

#include <coconsul/connect.hpp>
#include <coconsul/json.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace coconsul::cli {
namespace {

constexpr std::string_view intention_usage = R"txt(Usage: coconsul intention <subcommand> [options] ARGS

Manages Connect's intentions: which services may connect to which.

Subcommands:
  create SRC DST        create an intention (-allow, the default, or -deny)
  get SRC DST | ID      show an intention
  check SRC DST         whether a connection from SRC to DST would be allowed
  match SRC|DST         the intentions that apply to a destination (or, -source, a source)
  delete SRC DST | ID   delete an intention
  list                  every intention

`coconsul intention <subcommand> -h` shows a subcommand's options.
)txt";

constexpr std::string_view create_usage = R"txt(Usage: coconsul intention create [options] SRC DST
Usage: coconsul intention create [options] -file FILE...

Creates an intention from SRC to DST ("*" for any service), or one from each JSON file with
-file ("-" reads stdin). Prints "Created: SRC => DST (allow)".

Options:
  -allow              the intention allows a matching connection (the default)
  -deny               the intention denies a matching connection
  -file               read each intention from the files given as arguments
  -replace            replace an intention between the same services instead of failing
  -meta KEY=VALUE     metadata for the intention; repeatable
)txt";

constexpr std::string_view get_usage = R"txt(Usage: coconsul intention get [options] SRC DST
Usage: coconsul intention get [options] ID

Shows an intention, found by source and destination or by its ID.
)txt";

constexpr std::string_view check_usage = R"txt(Usage: coconsul intention check [options] SRC DST

Prints "Allowed" (exit 0) or "Denied" (exit 1): whether intentions, or without one the ACL
default, allow SRC to connect to DST.
)txt";

constexpr std::string_view match_usage = R"txt(Usage: coconsul intention match [options] SRC|DST

Prints the intentions that apply to a destination (with -source: to a source), one per line,
in the order they are evaluated.

Options:
  -destination        match by destination (the default)
  -source             match by source
)txt";

constexpr std::string_view delete_usage = R"txt(Usage: coconsul intention delete [options] SRC DST
Usage: coconsul intention delete [options] ID

Deletes an intention, found by source and destination or by its ID. Prints "Intention deleted.".
)txt";

constexpr std::string_view list_usage = R"txt(Usage: coconsul intention list [options]

Lists every intention: ID, source, action, destination and precedence, highest first. With
none, says "There are no intentions." on stderr (exit 2).
)txt";

auto no_throw() { return coconsul::pass_diagnostics(boost::asio::as_tuple(boost::asio::use_awaitable)); }

std::string failure(const error_code& ec, const diagnostics& diag) {
  return diag.message.empty() ? ec.message() : diag.message;
}

// ParseIntentionTarget: "name", "ns/name" or "partition/ns/name".
struct target {
  std::string partition, ns, name;
};
std::optional<target> parse_target(const std::string& input) {
  std::vector<std::string> parts;
  std::stringstream in(input);
  std::string part;
  while (std::getline(in, part, '/')) parts.push_back(part);
  if (!input.empty() && input.back() == '/') parts.emplace_back();
  if (parts.empty()) parts.emplace_back();
  if (parts.size() > 3) return std::nullopt;
  target t;
  t.name = parts.back();
  if (parts.size() >= 2) t.ns = parts[parts.size() - 2];
  if (parts.size() == 3) t.partition = parts[0];
  return t;
}

// --- create ---

struct create_flags {
  bool allow = false, deny = false, file = false, replace = false;
  std::vector<std::string> meta;
};

boost::asio::awaitable<int> create(coconsul::client& consul, std::vector<intention> ixns, bool replace) {
  auto connect = consul.connect();
  for (auto& ixn : ixns) {
    if (replace) {
      auto [ec, diag, old] = co_await connect.intention_exact(ixn.source_name, ixn.destination_name, query_options(),
                                                              no_throw());
      if (ec && ec != errc::not_found) {
        std::cerr << "Error looking up intention for replacement with source \"" << ixn.source_name
                  << "\" and destination \"" << ixn.destination_name << "\": " << failure(ec, diag) << "\n";
        co_return exit_failed;
      }
      if (!ec) {
        auto [uec, udiag] = co_await connect.update_intention(old.value.id, ixn, write_options(), no_throw());
        if (uec) {
          std::cerr << "Error replacing intention with source \"" << ixn.source_name << "\" and destination \""
                    << ixn.destination_name << "\": " << failure(uec, udiag) << "\n";
          co_return exit_failed;
        }
        continue;
      }
    }
    auto [ec, diag, id] = co_await connect.create_intention(ixn, write_options(), no_throw());
    if (ec) {
      std::cerr << "Error creating intention \"" << describe_intention(ixn) << "\": " << failure(ec, diag) << "\n";
      co_return exit_failed;
    }
    std::cout << "Created: " << describe_intention(ixn) << "\n";
  }
  co_return exit_ok;
}

int run_create(int argc, char** argv) {
  create_flags f;
  command_line cmd("intention create", create_usage);
  cmd.flags().add_switch("allow", f.allow);
  cmd.flags().add_switch("deny", f.deny);
  cmd.flags().add_switch("file", f.file);
  cmd.flags().add_switch("replace", f.replace);
  cmd.flags().add_values("meta", f.meta);
  if (auto exit = cmd.parse(argc, argv, 0, 1000)) return *exit;
  if (f.allow && f.deny) return cmd.fail("Only one of -allow or -deny may be specified.");
  std::vector<intention> ixns;
  if (f.file) {
    for (const auto& path : cmd.args()) {
      std::string text;
      if (path == "-") {
        text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
      } else {
        std::ifstream in(path, std::ios::binary);
        if (!in) {
          std::cerr << "Error: open " << path << ": no such file or directory\n";
          return exit_failed;
        }
        text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      }
      intention ixn;
      diagnostics diag;
      if (auto ec = decode_json(text, ixn, diag)) {
        std::cerr << "Error: " << failure(ec, diag) << "\n";
        return exit_failed;
      }
      if (!ixn.permissions.empty()) {
        std::cerr << "Error: cannot create L7 intention from file \"" << path
                  << "\" using this CLI; use 'consul config write' instead\n";
        return exit_failed;
      }
      ixns.push_back(std::move(ixn));
    }
  } else {
    if (cmd.args().size() != 2) return cmd.fail("Must specify two arguments: source and destination");
    auto src = parse_target(cmd.args()[0]);
    if (!src) return cmd.fail("Invalid intention source: input can contain at most two '/'");
    auto dst = parse_target(cmd.args()[1]);
    if (!dst) return cmd.fail("Invalid intention destination: input can contain at most two '/'");
    intention ixn;
    ixn.source_ns = src->ns;
    ixn.source_name = src->name;
    ixn.destination_ns = dst->ns;
    ixn.destination_name = dst->name;
    ixn.source_type = "consul";
    ixn.action = f.deny ? "deny" : "allow";
    for (const auto& kv : f.meta) {
      auto eq = kv.find('=');
      if (eq == std::string::npos) return cmd.fail("-meta wants KEY=VALUE, got \"" + kv + "\"");
      ixn.meta[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    ixns.push_back(std::move(ixn));
  }
  return cmd.run([&](coconsul::client& c) { return create(c, ixns, f.replace); });
}

// --- get ---

// GetFromArgs: by ID (one argument) or by source and destination (two).
boost::asio::awaitable<std::optional<intention>> lookup(coconsul::client& consul, const std::vector<std::string>& args) {
  auto connect = consul.connect();
  if (args.size() == 1) {
    auto [ec, diag, r] = co_await connect.intention_by_id(args[0], query_options(), no_throw());
    if (ec == errc::not_found) {
      std::cerr << "Intention not found with ID \"" << args[0] << "\"\n";
      co_return std::nullopt;
    }
    if (ec) {
      std::cerr << "Error reading the intention: " << failure(ec, diag) << "\n";
      co_return std::nullopt;
    }
    co_return r.value;
  }
  auto [ec, diag, r] = co_await connect.intention_exact(args[0], args[1], query_options(), no_throw());
  if (ec == errc::not_found) {
    std::cerr << "Intention not found with source \"" << args[0] << "\" and destination \"" << args[1] << "\"\n";
    co_return std::nullopt;
  }
  if (ec) {
    std::cerr << "Error reading the intention: " << failure(ec, diag) << "\n";
    co_return std::nullopt;
  }
  co_return r.value;
}

boost::asio::awaitable<int> get(coconsul::client& consul, std::vector<std::string> args) {
  auto found = co_await lookup(consul, args);
  if (!found) co_return exit_failed;
  const intention& ixn = *found;
  auto name = [](const std::string& ns, const std::string& n) { return ns.empty() || ns == "default" ? n : ns + "/" + n; };
  std::vector<std::vector<std::string>> rows{{"Source:", name(ixn.source_ns, ixn.source_name)},
                                             {"Destination:", name(ixn.destination_ns, ixn.destination_name)}};
  if (!ixn.action.empty()) rows.push_back({"Action:", ixn.action});
  if (!ixn.id.empty()) rows.push_back({"ID:", ixn.id});
  if (!ixn.description.empty()) rows.push_back({"Description:", ixn.description});
  for (const auto& [k, v] : ixn.meta) rows.push_back({"Meta[" + k + "]:", v});
  rows.push_back({"Created At:", rfc850_local(ixn.created_at)});
  std::cout << columns(rows);
  if (!ixn.permissions.empty()) {
    std::string raw = encode_json(ixn.permissions);
    std::cout << "Permissions:\n" << raw << "\n";
  }
  co_return exit_ok;
}

int run_get(int argc, char** argv) {
  command_line cmd("intention get", get_usage);
  if (auto exit = cmd.parse(argc, argv, 1, 2, "the intention (SRC DST or ID)")) return *exit;
  std::vector<std::string> args = cmd.args();
  return cmd.run([&](coconsul::client& c) { return get(c, args); });
}

// --- check ---

boost::asio::awaitable<int> check(coconsul::client& consul, std::string source, std::string destination) {
  bool allowed = co_await consul.connect().check_intention(source, destination);
  std::cout << (allowed ? "Allowed" : "Denied") << "\n";
  co_return allowed ? exit_ok : exit_failed;
}

int run_check(int argc, char** argv) {
  command_line cmd("intention check", check_usage);
  if (auto exit = cmd.parse(argc, argv, 2, 2, "the source")) return *exit;
  std::string source = cmd.args()[0], destination = cmd.args()[1];
  return cmd.run([&](coconsul::client& c) { return check(c, source, destination); });
}

// --- match ---

boost::asio::awaitable<int> match(coconsul::client& consul, std::string name, intention_match_by by) {
  std::vector<std::string> names(1, name);
  auto result = co_await consul.connect().match_intentions(by, names);
  for (const auto& ixn : result.value[name]) std::cout << describe_intention(ixn) << "\n";
  co_return exit_ok;
}

int run_match(int argc, char** argv) {
  bool source = false, destination = false;
  command_line cmd("intention match", match_usage);
  cmd.flags().add_switch("source", source);
  cmd.flags().add_switch("destination", destination);
  if (auto exit = cmd.parse(argc, argv, 1, 1, "the source or destination")) return *exit;
  if (source && destination) return cmd.fail("only one of -source or -destination may be specified");
  std::string name = cmd.args()[0];
  auto by = source ? intention_match_by::source : intention_match_by::destination;
  return cmd.run([&](coconsul::client& c) { return match(c, name, by); });
}

// --- delete ---

boost::asio::awaitable<int> remove(coconsul::client& consul, std::vector<std::string> args) {
  auto connect = consul.connect();
  if (args.size() == 1)
    co_await connect.delete_intention(args[0]);
  else
    co_await connect.delete_intention_exact(args[0], args[1]);
  std::cout << "Intention deleted.\n";
  co_return exit_ok;
}

int run_delete(int argc, char** argv) {
  command_line cmd("intention delete", delete_usage);
  if (auto exit = cmd.parse(argc, argv, 1, 2, "the intention (SRC DST or ID)")) return *exit;
  std::vector<std::string> args = cmd.args();
  return cmd.run([&](coconsul::client& c) { return remove(c, args); });
}

// --- list ---

boost::asio::awaitable<int> list(coconsul::client& consul) {
  auto result = co_await consul.connect().intentions();
  if (result.value.empty()) {
    std::cerr << "There are no intentions.\n";
    co_return exit_usage;
  }
  std::vector<std::vector<std::string>> rows{{"ID", "Source", "Action", "Destination", "Precedence"}};
  for (const auto& ixn : result.value)
    rows.push_back({ixn.id, ixn.source_name, ixn.action, ixn.destination_name, std::to_string(ixn.precedence)});
  std::cout << columns(rows);
  co_return exit_ok;
}

int run_list(int argc, char** argv) {
  command_line cmd("intention list", list_usage);
  if (auto exit = cmd.parse(argc, argv, 0, 0)) return *exit;
  return cmd.run([&](coconsul::client& c) { return list(c); });
}

}  // namespace

int run_intention_command(int argc, char** argv) {
  const std::string usage = std::string(intention_usage) + std::string(connection_usage);
  return run_subcommand("intention", usage, argc, argv,
                        {{"create", run_create},
                         {"get", run_get},
                         {"check", run_check},
                         {"match", run_match},
                         {"delete", run_delete},
                         {"list", run_list}});
}

}  // namespace coconsul::cli
