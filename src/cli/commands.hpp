#pragma once
// The client commands of the coconsul tool, one source file each. argv[0] is the command's
// name; each returns the process exit code (0 ok, 1 the operation failed, 2 a usage error).

namespace coconsul::cli {

int run_services_command(int argc, char** argv);    // services_command.cpp
int run_watch_command(int argc, char** argv);       // watch_command.cpp
int run_kv_command(int argc, char** argv);          // kv_command.cpp
int run_register_command(int argc, char** argv);    // register_command.cpp
int run_deregister_command(int argc, char** argv);  // register_command.cpp
int run_members_command(int argc, char** argv);               // members_command.cpp
int run_info_command(int argc, char** argv);                  // info_command.cpp
int run_maint_command(int argc, char** argv);                 // maint_command.cpp
int run_monitor_command(int argc, char** argv);               // monitor_command.cpp
int run_join_command(int argc, char** argv);                  // agent_control_commands.cpp
int run_leave_command(int argc, char** argv);                 // agent_control_commands.cpp
int run_force_leave_command(int argc, char** argv);           // agent_control_commands.cpp
int run_reload_command(int argc, char** argv);                // agent_control_commands.cpp
int run_services_register_command(int argc, char** argv);     // services_register_command.cpp
int run_services_deregister_command(int argc, char** argv);   // services_register_command.cpp
int run_acl_command(int argc, char** argv);                   // acl_command.cpp (and acl_*.cpp)
int run_connect_command(int argc, char** argv);               // connect_command.cpp
int run_config_command(int argc, char** argv);                // config_command.cpp (and config_json.cpp)
int run_intention_command(int argc, char** argv);             // intention_command.cpp

}  // namespace coconsul::cli
