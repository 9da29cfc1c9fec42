// The coconsul command-line tool: dispatches to one command per source file.
#include "cli/agent_command.hpp"
#include "cli/commands.hpp"
#include "cli/version_command.hpp"

#include <iostream>
#include <string_view>

namespace {

constexpr std::string_view usage = R"(Usage: coconsul <command> [options]

Commands:
  agent [-dev]           run a single-node Consul-compatible development agent, with
                         Consul's flags and JSON config files (coconsul agent -h)
  version                the Consul version whose API coconsul follows, and coconsul's
  services               list the catalog's services with their tags
  services register [FILE.json | -name NAME ...]   register a service (as `register`)
  services deregister [FILE.json | -id ID]         remove a service (as `deregister`)
  watch service NAME     print a service's instances as they change, until interrupted
  kv get KEY             print the value at a key
  kv put KEY [VALUE]     set a key (VALUE "-" reads stdin)
  kv delete KEY          delete a key (-recurse: every key under a prefix)
  kv list [PREFIX]       list the keys under a prefix
  register FILE.json     register the services of a definition file with the local agent
  deregister ID          remove a service from the local agent
  members                the agent's gossip members (-detailed, -status, -wan)
  info                   the agent's statistics, by subsystem
  maint                  node or service maintenance (-enable|-disable [-service ID] [-reason R])
  monitor                stream the agent's log (-log-level L, -log-json) until interrupted
  join ADDR ...          make the agent join a cluster (-wan)
  leave                  make the agent leave the cluster and shut down
  force-leave NODE       force a failed node into the left state (-prune, -wan)
  reload                 make the agent reload its configuration
  acl bootstrap|token|policy|role|set-agent-token ...   ACL tokens, policies and roles
  connect ca get-config|set-config   the Connect CA's configuration (-config-file FILE)
  config read|write|list|delete ...                     config entries (service-defaults, ...)
  intention create|get|check|match|delete|list ...     Connect's intentions

Options:
  -h, --help             show this help, or a command's help after the command
                         (coconsul kv put -h, coconsul agent -dev -h, ...)
  -v, --version          the same as the version command

The agent address and token come from the environment, as with Consul's CLI:
CONSUL_HTTP_ADDR (default http://127.0.0.1:8500), CONSUL_HTTP_TOKEN, CONSUL_HTTP_TOKEN_FILE,
CONSUL_HTTP_SSL, CONSUL_CACERT, CONSUL_CLIENT_CERT, CONSUL_CLIENT_KEY, ...; the flags
-http-addr ADDR, -token TOKEN and -datacenter DC override them for one command.

Exit status: 0 success, 1 the operation failed (Consul's message on stderr), 2 a usage error.
)";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << usage;
    return 2;
  }
  std::string_view command = argv[1];
  if (command == "-h" || command == "--help" || command == "-help" || command == "help") {
    std::cout << usage;
    return 0;
  }
  using namespace coconsul::cli;
  // As Consul's CLI: -v, -version and --version are the version command.
  if (command == "--version" || command == "-version" || command == "-v" || command == "version")
    return run_version_command(argc - 1, argv + 1);
  if (command == "agent") return run_agent_command(argc - 1, argv + 1);
  if (command == "services" && argc > 2 && std::string_view(argv[2]) == "register")
    return run_services_register_command(argc - 2, argv + 2);
  if (command == "services" && argc > 2 && std::string_view(argv[2]) == "deregister")
    return run_services_deregister_command(argc - 2, argv + 2);
  if (command == "services") return run_services_command(argc - 1, argv + 1);
  if (command == "watch") return run_watch_command(argc - 1, argv + 1);
  if (command == "kv") return run_kv_command(argc - 1, argv + 1);
  if (command == "register") return run_register_command(argc - 1, argv + 1);
  if (command == "deregister") return run_deregister_command(argc - 1, argv + 1);
  if (command == "members") return run_members_command(argc - 1, argv + 1);
  if (command == "info") return run_info_command(argc - 1, argv + 1);
  if (command == "maint") return run_maint_command(argc - 1, argv + 1);
  if (command == "monitor") return run_monitor_command(argc - 1, argv + 1);
  if (command == "join") return run_join_command(argc - 1, argv + 1);
  if (command == "leave") return run_leave_command(argc - 1, argv + 1);
  if (command == "force-leave") return run_force_leave_command(argc - 1, argv + 1);
  if (command == "reload") return run_reload_command(argc - 1, argv + 1);
  if (command == "acl") return run_acl_command(argc - 1, argv + 1);
  if (command == "connect") return run_connect_command(argc - 1, argv + 1);
  if (command == "config") return run_config_command(argc - 1, argv + 1);
  if (command == "intention") return run_intention_command(argc - 1, argv + 1);
  std::cerr << "coconsul: unknown command \"" << command << "\"\n\n" << usage;
  return 2;
}
