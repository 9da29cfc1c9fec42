// `coconsul kv get|put|delete|list`: Consul's key/value store, as `consul kv` does it.
#include "cli/commands.hpp"

#include "cli/command_support.hpp"

#include <coconsul/json.hpp>

#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

namespace coconsul::cli {
namespace {

constexpr std::string_view kv_usage = R"(Usage: coconsul kv <subcommand> [options] ARGS

Reads and writes Consul's key/value store.

Subcommands:
  get KEY             print the value at KEY
  put KEY [VALUE]     set KEY to VALUE ("-" reads it from stdin; none sets it empty)
  delete KEY          delete KEY (with -recurse, every key that starts with KEY)
  list [PREFIX]       the keys that start with PREFIX, one per line

`coconsul kv <subcommand> -h` shows a subcommand's options.
)";

constexpr std::string_view get_usage = R"(Usage: coconsul kv get KEY [options]

Prints the value at KEY followed by a newline, as `consul kv get` does. A key that does not
exist is an error (exit 1).

Options:
  -detailed           print every field of the entry (indexes, flags, session) and the value
  -json               print the entry as Consul's API returns it (the Value is base64)
)";

constexpr std::string_view put_usage = R"(Usage: coconsul kv put KEY [VALUE] [options]

Sets KEY to VALUE. VALUE "-" reads the value from stdin (all of it, bytes as they are); no
VALUE sets an empty value. Use "--" before a VALUE that starts with "-".

Options:
  -flags N            an opaque 64-bit number stored with the value (default 0)
  -cas N              check-and-set: write only if the key's ModifyIndex is still N (0: only
                      if the key does not exist); a lost race is an error (exit 1)
)";

constexpr std::string_view delete_usage = R"(Usage: coconsul kv delete KEY [options]

Deletes KEY. Deleting a key that does not exist succeeds, as in Consul.

Options:
  -recurse            delete every key that starts with KEY
)";

constexpr std::string_view list_usage = R"(Usage: coconsul kv list [PREFIX] [options]

Prints the keys that start with PREFIX (every key without one), one per line, sorted.

Options:
  -separator SEP      cut each key after the first SEP past the prefix, like a directory
                      listing (e.g. -separator /)
)";

// --- get ---

void print_detailed(const kv_pair& p) {
  auto row = [](const char* name, const auto& value) {
    std::cout << name << std::string(17 - std::string_view(name).size(), ' ') << value << "\n";
  };
  row("CreateIndex", p.create_index);
  row("Flags", p.flags);
  row("Key", p.key);
  row("LockIndex", p.lock_index);
  row("ModifyIndex", p.modify_index);
  row("Session", p.session.empty() ? std::string("-") : p.session);
  row("Value", p.value);
}

boost::asio::awaitable<int> kv_get(coconsul::client& consul, std::string key, bool detailed, bool json) {
  auto result = co_await consul.kv().get(key);
  if (!result.value) {
    std::cerr << "coconsul kv get: no key exists at: " << key << "\n";
    co_return exit_failed;
  }
  const kv_pair& pair = *result.value;
  if (json)
    std::cout << encode_json(pair, encode_mode::all_fields) << "\n";
  else if (detailed)
    print_detailed(pair);
  else
    std::cout << pair.value << "\n";
  co_return exit_ok;
}

int run_get(int argc, char** argv) {
  bool detailed = false;
  bool json = false;
  command_line cmd("kv get", get_usage);
  cmd.flags().add_switch("detailed", detailed);
  cmd.flags().add_switch("json", json);
  if (auto exit = cmd.parse(argc, argv, 1, 1, "the key")) return *exit;
  if (detailed && json) return cmd.fail("-detailed and -json exclude each other");
  const std::string& key = cmd.args()[0];
  return cmd.run([&](coconsul::client& c) { return kv_get(c, key, detailed, json); });
}

// --- put ---

boost::asio::awaitable<int> kv_put(coconsul::client& consul, std::string key, std::string value,
                                   std::uint64_t flags, std::optional<std::uint64_t> cas) {
  if (cas) {
    bool written = co_await consul.kv().cas(key, value, *cas, flags);
    if (!written) {
      std::cerr << "coconsul kv put: did not write to " << key << ": "
                << (*cas == 0 ? std::string("the key exists") : "its ModifyIndex is no longer " + std::to_string(*cas))
                << " (check-and-set)\n";
      co_return exit_failed;
    }
  } else {
    co_await consul.kv().put(key, value, flags);
  }
  std::cout << "Success! Data written to: " << key << "\n";
  co_return exit_ok;
}

int run_put(int argc, char** argv) {
  std::optional<std::uint64_t> flags;
  std::optional<std::uint64_t> cas;
  command_line cmd("kv put", put_usage);
  cmd.flags().add_number("flags", flags);
  cmd.flags().add_number("cas", cas);
  if (auto exit = cmd.parse(argc, argv, 1, 2, "the key")) return *exit;
  const std::string& key = cmd.args()[0];
  std::string value = cmd.args().size() == 2 ? cmd.args()[1] : std::string();
  if (value == "-") {
    value.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    if (std::cin.bad()) {
      std::cerr << "coconsul kv put: reading the value from stdin failed\n";
      return exit_failed;
    }
  }
  return cmd.run([&](coconsul::client& c) { return kv_put(c, key, value, flags.value_or(0), cas); });
}

// --- delete ---

boost::asio::awaitable<int> kv_delete(coconsul::client& consul, std::string key, bool recurse) {
  if (recurse) {
    co_await consul.kv().delete_tree(key);
    std::cout << "Success! Deleted keys with prefix: " << key << "\n";
  } else {
    co_await consul.kv().delete_key(key);
    std::cout << "Success! Deleted key: " << key << "\n";
  }
  co_return exit_ok;
}

int run_delete(int argc, char** argv) {
  bool recurse = false;
  command_line cmd("kv delete", delete_usage);
  cmd.flags().add_switch("recurse", recurse);
  if (auto exit = cmd.parse(argc, argv, 1, 1, "the key")) return *exit;
  const std::string& key = cmd.args()[0];
  return cmd.run([&](coconsul::client& c) { return kv_delete(c, key, recurse); });
}

// --- list ---

boost::asio::awaitable<int> kv_list(coconsul::client& consul, std::string prefix, std::string separator) {
  auto result = co_await consul.kv().keys(prefix, separator);
  for (const auto& key : result.value) std::cout << key << "\n";
  co_return exit_ok;
}

int run_list(int argc, char** argv) {
  std::string separator;
  command_line cmd("kv list", list_usage);
  cmd.flags().add_value("separator", separator);
  if (auto exit = cmd.parse(argc, argv, 0, 1)) return *exit;
  const std::string prefix = cmd.args().empty() ? std::string() : cmd.args()[0];
  return cmd.run([&](coconsul::client& c) { return kv_list(c, prefix, separator); });
}

}  // namespace

int run_kv_command(int argc, char** argv) {
  const std::string usage = std::string(kv_usage) + std::string(connection_usage);
  return run_subcommand("kv", usage, argc, argv,
                        {{"get", run_get}, {"put", run_put}, {"delete", run_delete}, {"list", run_list}});
}

}  // namespace coconsul::cli
