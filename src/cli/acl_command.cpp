// `coconsul acl`: bootstrap and set-agent-token here; token, policy and role in their files.
#include "cli/acl_commands.hpp"
#include "cli/commands.hpp"

#include "cli/acl_format.hpp"
#include "cli/command_support.hpp"

#include <iostream>

namespace coconsul::cli {
namespace {

constexpr std::string_view acl_usage = R"(Usage: coconsul acl <subcommand> [options]

Manages Consul's ACLs, as `consul acl` does.

Subcommands:
  bootstrap                    make the first management token (works once)
  token create|read|update|clone|delete|list
  policy create|read|update|delete|list
  role create|read|update|delete|list
  set-agent-token KIND TOKEN   set one of the agent's tokens (default, agent, recovery,
                               replication; also the older agent_master / acl_agent_token names)

`coconsul acl <subcommand> -h` shows a subcommand's options.
)";

constexpr std::string_view bootstrap_usage = R"(Usage: coconsul acl bootstrap [-format pretty|json]

Makes the first management token. Consul allows it once; then it answers with the reset index
to write into the data directory's acl-bootstrap-reset file to allow it again.
)";

constexpr std::string_view set_agent_token_usage = R"(Usage: coconsul acl set-agent-token KIND TOKEN

KIND is default, agent, recovery (agent_recovery, agent_master) or replication.
)";

boost::asio::awaitable<int> bootstrap(coconsul::client& c, acl::format f) {
  acl::print(co_await c.acl().bootstrap(), f);
  co_return exit_ok;
}

int run_bootstrap(int argc, char** argv) {
  std::string format_text;
  command_line cmd("acl bootstrap", bootstrap_usage);
  cmd.flags().add_value("format", format_text);
  if (auto exit = cmd.parse(argc, argv, 0, 0)) return *exit;
  acl::format f{};
  if (auto exit = acl::read_format(cmd, format_text, f)) return *exit;
  return cmd.run([&](coconsul::client& c) { return bootstrap(c, f); });
}

boost::asio::awaitable<int> set_agent_token(coconsul::client& c, agent_token_kind kind, std::string kind_name,
                                            std::string token) {
  co_await c.agent().update_token(kind, std::move(token));
  std::cout << "ACL token \"" << kind_name << "\" set successfully\n";
  co_return exit_ok;
}

int run_set_agent_token(int argc, char** argv) {
  command_line cmd("acl set-agent-token", set_agent_token_usage);
  if (auto exit = cmd.parse(argc, argv, 2, 2, "the token kind")) return *exit;
  const std::string& kind_name = cmd.args()[0];
  agent_token_kind kind{};
  if (kind_name == "default" || kind_name == "acl_token") kind = agent_token_kind::default_token;
  else if (kind_name == "agent" || kind_name == "acl_agent_token") kind = agent_token_kind::agent;
  else if (kind_name == "recovery" || kind_name == "agent_recovery" || kind_name == "agent_master" ||
           kind_name == "acl_agent_master_token")
    kind = agent_token_kind::agent_recovery;
  else if (kind_name == "replication" || kind_name == "acl_replication_token") kind = agent_token_kind::replication;
  else return cmd.fail("unknown token kind \"" + kind_name + "\"");
  const std::string token = cmd.args()[1];
  return cmd.run([&](coconsul::client& c) { return set_agent_token(c, kind, kind_name, token); });
}

}  // namespace

int run_acl_command(int argc, char** argv) {
  const std::string usage = std::string(acl_usage) + std::string(connection_usage);
  return run_subcommand("acl", usage, argc, argv,
                        {{"bootstrap", run_bootstrap},
                         {"token", run_acl_token_command},
                         {"policy", run_acl_policy_command},
                         {"role", run_acl_role_command},
                         {"set-agent-token", run_set_agent_token}});
}

}  // namespace coconsul::cli
