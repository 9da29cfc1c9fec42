#pragma once
// `coconsul agent [options]`: runs the development agent, with Consul's flags and JSON config
// files, until SIGINT or SIGTERM (SIGHUP reloads the config files' definitions).

namespace coconsul::cli {

// argv[0] is "agent". Returns the process exit code.
int run_agent_command(int argc, char** argv);

}  // namespace coconsul::cli
