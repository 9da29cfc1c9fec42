#pragma once
// The `coconsul acl` command's groups, one source file each (acl_command.cpp dispatches).

namespace coconsul::cli {

int run_acl_token_command(int argc, char** argv);   // acl_token_command.cpp
int run_acl_policy_command(int argc, char** argv);  // acl_policy_command.cpp
int run_acl_role_command(int argc, char** argv);    // acl_policy_command.cpp

}  // namespace coconsul::cli
