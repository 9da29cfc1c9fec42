#pragma once
// What the client commands (services, watch, kv, register, deregister) share: flag parsing in
// Consul's style, the agent address and token from the environment or flags, and running one
// coroutine against a client until it ends or SIGINT/SIGTERM arrives.
//
// Exit codes, as Consul's CLI: 0 success, 1 the operation failed (Consul's message on
// stderr), 2 the command line was wrong.

#include <coconsul/client.hpp>

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_failed = 1;
inline constexpr int exit_usage = 2;

// A wrong command line: the message says what was wrong.
struct usage_error {
  std::string message;
};

// -http-addr, -token, -token-file and -datacenter, which override Consul's environment variables.
struct connection_flags {
  std::optional<std::string> http_addr;
  std::optional<std::string> token;
  std::optional<std::string> token_file;
  std::optional<std::string> datacenter;
};

// The lines every client command's help ends with.
extern const std::string_view connection_usage;

// Flags as Consul's CLI (Go's flag package) takes them: one or two dashes, "-flag value" or
// "-flag=value"; "--" ends the flags and "-" alone is an argument (stdin). Flags may come
// before or after the arguments.
class arg_parser {
 public:
  void add_switch(std::string name, bool& target);
  void add_value(std::string name, std::string& target);
  void add_values(std::string name, std::vector<std::string>& target);  // repeatable
  void add_number(std::string name, std::optional<std::uint64_t>& target);
  void add_connection_flags(connection_flags& target);

  // The arguments left after the flags; nullopt when -h, -help or --help was given.
  // Throws usage_error for an unknown flag, a missing value or a bad number.
  std::optional<std::vector<std::string>> parse(int argc, char** argv, int first);

 private:
  struct flag {
    std::string name;
    bool takes_value = true;
    std::function<void(const std::string&)> set;
  };
  const flag* find(std::string_view name) const;
  std::vector<flag> flags_;
};

// config::from_env() with the flags applied on top.
config make_config(const connection_flags& flags);

// Prints "coconsul <command>: <message>", then the usage, on stderr; returns exit_usage.
int usage_failure(std::string_view command, std::string_view message, std::string_view usage);

// A command made of subcommands ("kv get", "acl token create"): argv[1] picks one, which runs
// with argv shifted by one; -h/-help/--help prints the usage; none or an unknown one is a usage
// failure.
struct subcommand {
  std::string_view name;
  int (*run)(int argc, char** argv);
};
int run_subcommand(std::string_view command, std::string_view usage, int argc, char** argv,
                   std::initializer_list<subcommand> subcommands);

enum class on_signal {
  succeed,  // a command that runs until interrupted (watch): SIGINT/SIGTERM end it with exit 0
  fail,     // a one-shot command: interrupted, it exits 1 and says so
};

// Runs body(client) on a fresh io_context with a client for `flags`, and returns the exit code
// body returns. A coconsul::error (or another exception) is printed as
// "coconsul <command>: <what>" and gives exit 1. SIGINT and SIGTERM close the client, which
// ends body's pending operation.
using command_body = std::function<boost::asio::awaitable<int>(coconsul::client&)>;
int run_with_client(std::string_view command, const connection_flags& flags, const command_body& body,
                    on_signal signal_mode = on_signal::fail);

// One client command's command line: its flags (the connection flags are always there), its
// help (the connection lines appended), and the way every command answers -h or a mistake.
//
//   command_line cmd("kv get", get_usage);
//   cmd.flags().add_switch("json", json);
//   if (auto exit = cmd.parse(argc, argv, 1, 1, "the key")) return *exit;
//   return cmd.run([&](coconsul::client& c) { return kv_get(c, cmd.args()[0], json); });
class command_line {
 public:
  command_line(std::string name, std::string_view usage);
  command_line(const command_line&) = delete;
  command_line& operator=(const command_line&) = delete;

  arg_parser& flags() noexcept { return parser_; }

  // Parses argv[1..] and checks that [min_args, max_args] arguments are left (`missing` names
  // the first one, for the message when there are fewer). Returns nullopt to go on, or the exit
  // code to return at once: exit_ok when the help was asked for (printed on stdout),
  // exit_usage when the command line was wrong (said on stderr, with the help).
  std::optional<int> parse(int argc, char** argv, std::size_t min_args, std::size_t max_args,
                           std::string_view missing = "");
  const std::vector<std::string>& args() const noexcept { return args_; }

  // A wrong command line noticed after parse(): said like parse() says it; returns exit_usage.
  int fail(std::string_view message) const;

  // run_with_client() with this command's name and connection flags.
  int run(const command_body& body, on_signal signal_mode = on_signal::fail) const;

 private:
  std::string name_;
  std::string usage_;
  arg_parser parser_;
  connection_flags connection_;
  std::vector<std::string> args_;
};

}  // namespace coconsul::cli
