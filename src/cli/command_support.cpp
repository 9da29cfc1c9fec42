// What every client command of the CLI shares (see command_support.hpp): flag parsing, -h,
// usage errors, the connection flags and running a command's coroutine.

#include "cli/command_support.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <charconv>
#include <csignal>
#include <exception>
#include <iostream>

namespace coconsul::cli {

const std::string_view connection_usage = R"(
Connection (the environment variables are Consul's CLI's):
  -http-addr ADDR     the agent's address (CONSUL_HTTP_ADDR; default http://127.0.0.1:8500)
  -token TOKEN        the ACL token (CONSUL_HTTP_TOKEN, CONSUL_HTTP_TOKEN_FILE)
  -token-file FILE    a file holding the ACL token (wins over -token, as in Consul)
  -datacenter DC      the datacenter to ask (default: the agent's)
  TLS: CONSUL_HTTP_SSL, CONSUL_CACERT, CONSUL_CLIENT_CERT, CONSUL_CLIENT_KEY, ...
)";

void arg_parser::add_switch(std::string name, bool& target) {
  flags_.push_back({std::move(name), false, [&target](const std::string&) { target = true; }});
}

void arg_parser::add_value(std::string name, std::string& target) {
  flags_.push_back({std::move(name), true, [&target](const std::string& v) { target = v; }});
}

void arg_parser::add_values(std::string name, std::vector<std::string>& target) {
  flags_.push_back({std::move(name), true, [&target](const std::string& v) { target.push_back(v); }});
}

void arg_parser::add_number(std::string name, std::optional<std::uint64_t>& target) {
  std::string flag_name = name;
  flags_.push_back({std::move(name), true, [&target, flag_name](const std::string& v) {
                      std::uint64_t n = 0;
                      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
                      if (v.empty() || ec != std::errc() || end != v.data() + v.size())
                        throw usage_error{"-" + flag_name + ": \"" + v + "\" is not a non-negative integer"};
                      target = n;
                    }});
}

void arg_parser::add_connection_flags(connection_flags& target) {
  auto set = [this](std::string name, std::optional<std::string>& field) {
    flags_.push_back({std::move(name), true, [&field](const std::string& v) { field = v; }});
  };
  set("http-addr", target.http_addr);
  set("token", target.token);
  set("token-file", target.token_file);
  set("datacenter", target.datacenter);
}

const arg_parser::flag* arg_parser::find(std::string_view name) const {
  for (const auto& f : flags_)
    if (f.name == name) return &f;
  return nullptr;
}

std::optional<std::vector<std::string>> arg_parser::parse(int argc, char** argv, int first) {
  std::vector<std::string> args;
  bool flags_ended = false;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (flags_ended || arg.size() < 2 || arg[0] != '-') {
      args.push_back(std::move(arg));
      continue;
    }
    if (arg == "--") {
      flags_ended = true;
      continue;
    }
    std::string name = arg.substr(arg.rfind("--", 0) == 0 ? 2 : 1);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (name == "h" || name == "help") return std::nullopt;
    const flag* f = find(name);
    if (!f) throw usage_error{"unknown flag \"" + arg + "\""};
    if (!f->takes_value) {
      if (value) throw usage_error{"-" + name + " takes no value"};
      f->set({});
      continue;
    }
    if (!value) {
      if (i + 1 >= argc) throw usage_error{"-" + name + " needs a value"};
      value = argv[++i];
    }
    f->set(*value);
  }
  return args;
}

config make_config(const connection_flags& flags) {
  config cfg = config::from_env();
  if (flags.http_addr) cfg.address = *flags.http_addr;
  // -token replaces the environment's token, CONSUL_HTTP_TOKEN_FILE's included (from_env read
  // it into cfg.token and keeps it in token_file for the client to follow).
  if (flags.token) {
    cfg.token = *flags.token;
    cfg.token_file.clear();
  }
  if (flags.token_file) cfg.token_file = *flags.token_file;
  if (flags.datacenter) cfg.datacenter = *flags.datacenter;
  return cfg;
}

int usage_failure(std::string_view command, std::string_view message, std::string_view usage) {
  std::cerr << "coconsul " << command << ": " << message << "\n\n" << usage;
  return exit_usage;
}

int run_subcommand(std::string_view command, std::string_view usage, int argc, char** argv,
                   std::initializer_list<subcommand> subcommands) {
  if (argc < 2) {
    std::string names;  // "get, put, delete or list"
    std::size_t left = subcommands.size();
    for (const auto& s : subcommands) {
      names += s.name;
      --left;
      if (left > 1) names += ", ";
      else if (left == 1) names += " or ";
    }
    return usage_failure(command, "missing a subcommand (" + names + ")", usage);
  }
  const std::string_view sub = argv[1];
  if (sub == "-h" || sub == "-help" || sub == "--help") {
    std::cout << usage;
    return exit_ok;
  }
  for (const auto& s : subcommands)
    if (s.name == sub) return s.run(argc - 1, argv + 1);
  return usage_failure(command, "unknown subcommand \"" + std::string(sub) + "\"", usage);
}

namespace {

void print_failure(std::string_view command, std::exception_ptr e) {
  std::cerr << "coconsul " << command << ": ";
  try {
    std::rethrow_exception(e);
  } catch (const coconsul::error& x) {
    std::cerr << x.what() << "\n";
  } catch (const std::exception& x) {
    std::cerr << x.what() << "\n";
  } catch (...) {
    std::cerr << "unknown failure\n";
  }
}

}  // namespace

int run_with_client(std::string_view command, const connection_flags& flags, const command_body& body,
                    on_signal signal_mode) {
  try {
    boost::asio::io_context ioc;
    coconsul::client consul(ioc, make_config(flags));
    int status = exit_failed;
    bool interrupted = false;
    boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec) return;
      interrupted = true;
      consul.close();  // fails the pending operation with errc::closed, which ends body
    });
    boost::asio::co_spawn(ioc, body(consul), [&](std::exception_ptr e, int result) {
      signals.cancel();
      consul.close();  // idle keep-alive connections would keep run() going
      if (interrupted && signal_mode == on_signal::succeed) {
        status = exit_ok;
      } else if (interrupted) {
        std::cerr << "coconsul " << command << ": interrupted\n";
        status = exit_failed;
      } else if (e) {
        print_failure(command, e);
        status = exit_failed;
      } else {
        status = result;
      }
    });
    ioc.run();
    return status;
  } catch (...) {
    // The client's constructor: an address that does not parse, an unreadable token file.
    print_failure(command, std::current_exception());
    return exit_failed;
  }
}

command_line::command_line(std::string name, std::string_view usage)
    : name_(std::move(name)), usage_(std::string(usage) + std::string(connection_usage)) {
  parser_.add_connection_flags(connection_);
}

std::optional<int> command_line::parse(int argc, char** argv, std::size_t min_args, std::size_t max_args,
                                       std::string_view missing) {
  try {
    auto args = parser_.parse(argc, argv, 1);
    if (!args) {
      std::cout << usage_;
      return exit_ok;
    }
    args_ = std::move(*args);
  } catch (const usage_error& e) {
    return fail(e.message);
  }
  if (args_.size() < min_args) return fail("missing " + std::string(missing));
  if (args_.size() > max_args) return fail("unexpected argument \"" + args_[max_args] + "\"");
  return std::nullopt;
}

int command_line::fail(std::string_view message) const { return usage_failure(name_, message, usage_); }

int command_line::run(const command_body& body, on_signal signal_mode) const {
  return run_with_client(name_, connection_, body, signal_mode);
}

}  // namespace coconsul::cli
