// The coconsul command-line tool. Subcommands arrive with their issues; for now it shows its
// usage and version.
#include "cli/agent_command.hpp"

#include <cstring>
#include <iostream>
#include <string_view>

namespace {

constexpr std::string_view usage = R"(Usage: coconsul <command> [options]

Commands:
  agent -dev        run a single-node Consul-compatible development agent
                    (coconsul agent -dev -h lists its flags)

Coming next (not in this build yet): services, watch service N, kv get|put|delete|list,
register FILE, deregister ID.

Options:
  -h, --help        show this help, or a command's help after the command
  --version         print the version

The agent address and token come from the environment, as with Consul's CLI:
CONSUL_HTTP_ADDR (default http://127.0.0.1:8500), CONSUL_HTTP_TOKEN, CONSUL_HTTP_TOKEN_FILE,
CONSUL_HTTP_SSL, CONSUL_CACERT, CONSUL_CLIENT_CERT, CONSUL_CLIENT_KEY, ...
)";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "-h") == 0 || std::strcmp(argv[1], "--help") == 0 ||
      std::strcmp(argv[1], "help") == 0) {
    std::cout << usage;
    return argc < 2 ? 1 : 0;
  }
  if (std::strcmp(argv[1], "--version") == 0) {
    std::cout << "coconsul 0.1.0\n";
    return 0;
  }
  if (std::strcmp(argv[1], "agent") == 0) return coconsul::cli::run_agent_command(argc - 1, argv + 1);
  std::cerr << "coconsul: unknown command \"" << argv[1] << "\" (not built yet, or misspelt)\n\n" << usage;
  return 2;
}
