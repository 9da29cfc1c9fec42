#pragma once
// `coconsul version [-format=pretty|json]`: `consul version`'s output for the Consul release
// whose API coconsul follows, then coconsul's own version.

namespace coconsul::cli {

// argv[0] is "version". Returns the process exit code.
int run_version_command(int argc, char** argv);

}  // namespace coconsul::cli
