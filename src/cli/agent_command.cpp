// `coconsul agent`: reads Consul's flags and config files (src/dev_agent/config/), starts the
// dev agent on its own io_context, prints Consul's banner and runs until SIGINT or SIGTERM;
// SIGHUP reloads the config files' definitions.

#include "cli/agent_command.hpp"

#include "cli/agent_banner.hpp"
#include "dev_agent/common/log.hpp"
#include "dev_agent/common/uuid.hpp"
#include "dev_agent/config/config_error.hpp"
#include "dev_agent/config/flags.hpp"
#include "dev_agent/config/load.hpp"
#include "dev_agent/config/sources.hpp"

#include <coconsul/dev_agent.hpp>
#include <coconsul/error.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <sys/resource.h>

#include <csignal>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace coconsul::cli {
namespace {

namespace config = dev::config;

std::uint64_t open_file_limit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return 0;
  return rl.rlim_cur;
}

// Reads the config files and builds the options: at start, and again for every reload.
// Throws config::config_error with Consul's text.
config::load_result load_configuration(const config::agent_flags& flags) {
  std::vector<std::string> warnings;
  auto files = config::read_config_paths(flags.config_paths, flags.config_format, warnings);
  auto r = config::load(flags, files, open_file_limit());
  r.warnings.insert(r.warnings.begin(), warnings.begin(), warnings.end());
  auto& o = r.options;
  if (flags.reap_interval) o.reap_interval = *flags.reap_interval;
  if (flags.deregister_minimum) o.deregister_minimum = *flags.deregister_minimum;
  if (flags.check_min_interval) o.check_min_interval = *flags.check_min_interval;
  if (flags.session_ttl_min) o.session_ttl_min = *flags.session_ttl_min;
  return r;
}

// Consul holds its log lines back until the banner is out (its "log gate"), then streams them.
struct gated_output {
  bool open = false;
  std::vector<std::string> held;
  void write(std::string_view line) {
    if (open) {
      std::cout << line << std::endl;
    } else {
      held.emplace_back(line);
    }
  }
  void release() {
    open = true;
    for (const auto& l : held) std::cout << l << "\n";
    held.clear();
    std::cout.flush();
  }
};

}  // namespace

int run_agent_command(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  config::agent_flags flags;
  config::load_result loaded;
  try {
    flags = config::parse_agent_flags(args);
    if (flags.help) {
      std::cout << config::agent_flags_usage();
      return 0;
    }
    loaded = load_configuration(flags);
  } catch (const config::config_error& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }

  auto out = std::make_shared<gated_output>();
  dev_agent_options options = loaded.options;
  // The node ID the banner shows is the one the agent uses.
  if (options.node_id.empty()) options.node_id = dev::generate_uuid();
  options.log_sink = [out](std::string_view line) { out->write(line); };
  options.reload_source = [flags] { return load_configuration(flags).options; };
  bool ui_output = !options.log_json;  // as Consul's -log-json, only the logs are printed

  dev::logger log(options);
  for (const auto& w : loaded.warnings) log.log(dev::log_level::warn, "agent", w);

  boost::asio::io_context ioc;
  // Installed before anything is printed: a signal sent as soon as the banner is read is caught.
  boost::asio::signal_set signals(ioc, SIGINT, SIGTERM, SIGHUP);
  dev_agent agent(ioc.get_executor(), options);
  try {
    agent.start();
  } catch (const coconsul::error& e) {
    out->release();
    std::cerr << "Error starting agent: " << (e.message().empty() ? e.what() : e.message()) << "\n";
    return 1;
  }
  if (flags.fault_latency) agent.inject_latency(*flags.fault_latency);
  if (flags.fault_status) agent.fail_fraction_of_requests(flags.fault_status, flags.fault_fraction);

  if (ui_output) {
    std::cout << "==> coconsul agent: single node, everything in memory (nothing is written to disk, "
                 "nothing survives a restart); for development and tests, never production\n";
    print_ignored(std::cout, loaded.ignored);
    banner_facts f;
    f.node_id = options.node_id;
    f.node_name = agent.node_name();
    f.datacenter = agent.datacenter();
    f.server = options.server;
    f.bootstrap = options.bootstrap;
    f.encrypt = loaded.encrypt;
    f.client_addr = options.bind_address;
    f.http_port = options.serve_http ? agent.port() : -1;
    f.https_port = options.ports.https;
    f.grpc_port = options.ports.grpc;
    f.grpc_tls_port = options.ports.grpc_tls;
    f.dns_port = options.dns_port ? int(agent.dns_port()) : -1;  // the bound port (0 asks for a free one)
    f.cluster_addr = loaded.bind_addr == "0.0.0.0" || loaded.bind_addr.empty() ? "127.0.0.1" : loaded.bind_addr;
    f.serf_lan_port = options.ports.serf_lan;
    f.serf_wan_port = options.ports.serf_wan;
    f.http_address = options.serve_http ? agent.address() : "";
    print_banner(std::cout, f);
  }
  out->release();
  if (ui_output) std::cout << "==> Consul agent running!" << std::endl;

  std::function<void(const boost::system::error_code&, int)> on_signal;
  on_signal = [&](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    if (signo == SIGHUP) {
      log.log(dev::log_level::info, "agent", "Caught signal: hangup; reloading configuration");
      try {
        agent.reload();
      } catch (const coconsul::error& e) {
        log.log(dev::log_level::error, "agent", "Reload config failed: error=" + e.message());
      }
      signals.async_wait(on_signal);
      return;
    }
    std::cout << "==> Caught signal: " << (signo == SIGINT ? "interrupt" : "terminated") << std::endl;
    agent.stop();
  };
  signals.async_wait(on_signal);
  agent.on_leave([&signals] { signals.cancel(); });  // PUT /v1/agent/leave: the agent stopped, exit
  ioc.run();
  if (ui_output) std::cout << "==> Graceful shutdown complete" << std::endl;
  return 0;
}

}  // namespace coconsul::cli
