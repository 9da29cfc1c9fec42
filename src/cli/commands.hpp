#pragma once
// The client commands of the coconsul tool, one source file each. argv[0] is the command's
// name; each returns the process exit code (0 ok, 1 the operation failed, 2 a usage error).

namespace coconsul::cli {

int run_services_command(int argc, char** argv);    // services_command.cpp
int run_watch_command(int argc, char** argv);       // watch_command.cpp
int run_kv_command(int argc, char** argv);          // kv_command.cpp
int run_register_command(int argc, char** argv);    // register_command.cpp
int run_deregister_command(int argc, char** argv);  // register_command.cpp

}  // namespace coconsul::cli
