#pragma once
// `coconsul agent -dev ...`: runs the development agent until SIGINT or SIGTERM.

namespace coconsul::cli {

// argv[0] is "agent". Returns the process exit code.
int run_agent_command(int argc, char** argv);

}  // namespace coconsul::cli
