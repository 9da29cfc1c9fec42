# The coconsul command-line tool: one file per command, and what the client commands share.
set(COCONSUL_CLI_SOURCES
  cli/main.cpp
  cli/command_support.cpp
  cli/agent_command.cpp
  cli/agent_banner.cpp
  cli/version_command.cpp
  cli/services_command.cpp
  cli/watch_command.cpp
  cli/kv_command.cpp
  cli/register_command.cpp
  cli/members_command.cpp
  cli/info_command.cpp
  cli/maint_command.cpp
  cli/monitor_command.cpp
  cli/agent_control_commands.cpp
  cli/services_register_command.cpp
  cli/acl_command.cpp cli/acl_token_command.cpp cli/acl_policy_command.cpp cli/acl_format.cpp
  cli/connect_command.cpp
  cli/intention_command.cpp cli/intention_format.cpp)
list(APPEND COCONSUL_CLI_SOURCES cli/config_command.cpp cli/config_json.cpp cli/config_hcl.cpp)
