// `coconsul agent -dev`: parses the agent's flags, starts a dev agent on its own io_context
// and runs it until SIGINT or SIGTERM.

#include "cli/agent_command.hpp"

#include <coconsul/dev_agent.hpp>
#include <coconsul/duration.hpp>
#include <coconsul/error.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <charconv>
#include <csignal>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

namespace coconsul::cli {
namespace {

constexpr std::string_view agent_usage = R"(Usage: coconsul agent -dev [options]

Runs a single-node, in-memory, Consul-compatible agent for development and tests, like
`consul agent -dev`. Never use it in production: production is a real Consul cluster.

Options:
  -dev                       development mode (required)
  -http-port PORT            HTTP API port (default 8500; 0 picks a free port)
  -bind ADDR                 address to listen on (default 127.0.0.1)
  -node NAME                 node name (default: the host name)
  -datacenter DC             datacenter name (default dc1)
  -log-level LEVEL           trace, debug (logs every request), info, warn, error, off (default info)

Consul's fixed timers, made configurable for tests (Go durations):
  -check-reap-interval DUR   how often critical services are reaped (default 30s)
  -check-deregister-min DUR  minimum DeregisterCriticalServiceAfter (default 1m)
  -check-min-interval DUR    minimum check interval (default 1s)
  -session-ttl-min DUR       minimum session TTL (default 10s)

Fault injection:
  -fault-latency DUR         delay every response
  -fault-error STATUS:FRAC   answer a fraction of requests with STATUS (e.g. 500:0.1)

The agent prints "HTTP address: IP:PORT" once it listens, and stops on SIGINT or SIGTERM.
)";

struct usage_error {
  std::string message;
};

std::chrono::milliseconds duration_flag(std::string_view flag, const std::string& value) {
  auto d = try_parse_duration(value);
  if (!d) throw usage_error{std::string(flag) + ": \"" + value + "\" is not a duration (e.g. 30s, 500ms)"};
  return std::chrono::duration_cast<std::chrono::milliseconds>(*d);
}

}  // namespace

int run_agent_command(int argc, char** argv) {
  dev_agent_options options;
  options.port = 8500;
  options.level = dev_agent_options::log_level::info;
  bool dev = false;
  std::optional<std::chrono::milliseconds> latency;
  unsigned fault_status = 0;
  double fault_fraction = 0;
  try {
    for (int i = 1; i < argc; ++i) {
      std::string arg = argv[i];
      if (arg == "-h" || arg == "--help" || arg == "-help") {
        std::cout << agent_usage;
        return 0;
      }
      // Consul's flags take one or two dashes, and "-flag=value" or "-flag value".
      std::string name = arg.rfind("--", 0) == 0 ? arg.substr(1) : arg;
      std::optional<std::string> value;
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
      auto take = [&]() -> std::string {
        if (value) return *value;
        if (i + 1 >= argc) throw usage_error{name + " needs a value"};
        return argv[++i];
      };
      if (name == "-dev") {
        dev = true;
      } else if (name == "-http-port") {
        std::string v = take();
        unsigned port = 0;
        auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), port);
        if (ec != std::errc{} || p != v.data() + v.size() || port > 65535)
          throw usage_error{"-http-port: \"" + v + "\" is not a port number"};
        options.port = static_cast<std::uint16_t>(port);
      } else if (name == "-bind" || name == "-client") {
        options.bind_address = take();
      } else if (name == "-node") {
        options.node_name = take();
      } else if (name == "-datacenter") {
        options.datacenter = take();
      } else if (name == "-log-level") {
        options.level = dev_agent_options::parse_log_level(take());
      } else if (name == "-check-reap-interval") {
        options.reap_interval = duration_flag(name, take());
      } else if (name == "-check-deregister-min") {
        options.deregister_minimum = duration_flag(name, take());
      } else if (name == "-check-min-interval") {
        options.check_min_interval = duration_flag(name, take());
      } else if (name == "-session-ttl-min") {
        options.session_ttl_min = duration_flag(name, take());
      } else if (name == "-fault-latency") {
        latency = duration_flag(name, take());
      } else if (name == "-fault-error") {
        std::string v = take();
        auto colon = v.find(':');
        try {
          fault_status = static_cast<unsigned>(std::stoul(v.substr(0, colon)));
          fault_fraction = colon == std::string::npos ? 1.0 : std::stod(v.substr(colon + 1));
        } catch (const std::exception&) {
          throw usage_error{"-fault-error: \"" + v + "\" is not STATUS:FRACTION (e.g. 500:0.1)"};
        }
      } else {
        throw usage_error{"unknown option \"" + arg + "\""};
      }
    }
    if (!dev) throw usage_error{"only development mode is supported: add -dev"};
  } catch (const usage_error& e) {
    std::cerr << "coconsul agent: " << e.message << "\n\n" << agent_usage;
    return 1;
  } catch (const coconsul::error& e) {
    std::cerr << "coconsul agent: " << e.message() << "\n";
    return 1;
  }

  options.log_sink = [](std::string_view line) { std::cout << line << std::endl; };
  boost::asio::io_context ioc;
  dev_agent agent(ioc.get_executor(), options);
  try {
    agent.start();
  } catch (const coconsul::error& e) {
    std::cerr << "coconsul agent: " << (e.message().empty() ? e.what() : e.message()) << "\n";
    return 1;
  }
  if (latency) agent.inject_latency(*latency);
  if (fault_status) agent.fail_fraction_of_requests(fault_status, fault_fraction);

  std::cout << "==> Starting coconsul dev agent (for development and tests, never production)\n"
            << "           Node name: " << agent.node_name() << "\n"
            << "          Datacenter: " << agent.datacenter() << "\n"
            << "        HTTP address: " << agent.address() << "\n"
            << "==> coconsul dev agent running!" << std::endl;

  boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    std::cout << "==> Caught signal: " << (signo == SIGINT ? "interrupt" : "terminated") << std::endl;
    agent.stop();
  });
  agent.on_leave([&signals] { signals.cancel(); });  // PUT /v1/agent/leave: the agent stopped, exit
  ioc.run();
  std::cout << "==> Graceful shutdown complete" << std::endl;
  return 0;
}

}  // namespace coconsul::cli
