// `coconsul acl token create|read|update|clone|delete|list`, with `consul acl token`'s flags.
#include "cli/acl_commands.hpp"

#include "cli/acl_format.hpp"
#include "cli/command_support.hpp"

#include <coconsul/duration.hpp>

#include <iostream>

namespace coconsul::cli {
namespace {

constexpr std::string_view token_usage = R"(Usage: coconsul acl token <subcommand> [options]

Subcommands:
  create     make a token (-description, -policy-id/-policy-name, -role-id/-role-name,
             -service-identity NAME[:DC,...], -node-identity NODE:DC, -local, -expires-ttl)
  read       show a token (-id ACCESSOR, or -self for the one this command sends; -expanded)
  update     change a token (-id; the flags of create replace what they name)
  clone      copy a token's grants into a new token (-id, -description)
  delete     delete a token (-id)
  list       every token

Each takes -format pretty|json.
)";

constexpr std::string_view create_usage = R"(Usage: coconsul acl token create [options]

Options:
  -description TEXT            what the token is for
  -policy-id ID, -policy-name NAME       a policy to link (repeatable)
  -role-id ID, -role-name NAME           a role to link (repeatable)
  -service-identity NAME[:DC1,DC2]       a service identity (repeatable)
  -node-identity NODE:DC                 a node identity (repeatable)
  -local                       this datacenter only
  -expires-ttl DURATION        a lifetime, as "1h" (Consul: 1m to 24h)
  -accessor ID, -secret ID     IDs of your own (UUIDs) instead of generated ones
  -format pretty|json
)";

constexpr std::string_view read_usage = R"(Usage: coconsul acl token read (-id ACCESSOR | -self) [options]

Options:
  -id ACCESSOR     the token's AccessorID
  -self            the token this command sends (-token, CONSUL_HTTP_TOKEN, ...)
  -expanded        with the policies and roles it resolves to
  -format pretty|json
)";

constexpr std::string_view update_usage = R"(Usage: coconsul acl token update -id ACCESSOR [options]

Reads the token, changes what the flags name, writes it back. -description replaces the
description; any policy flag replaces the policies, any role flag the roles, and so on.

Options: those of create but -local, -expires-ttl, -accessor and -secret; -id ACCESSOR.
)";

constexpr std::string_view clone_usage = R"(Usage: coconsul acl token clone -id ACCESSOR [-description TEXT] [-format pretty|json]
)";

constexpr std::string_view delete_usage = R"(Usage: coconsul acl token delete -id ACCESSOR
)";

constexpr std::string_view list_usage = R"(Usage: coconsul acl token list [-format pretty|json]
)";

// The bodies, as coroutines over values (not coroutine lambdas over references).
boost::asio::awaitable<int> create(coconsul::client& c, acl_token t, acl::format f) {
  acl::print(co_await c.acl().token_create(std::move(t)), f);
  co_return exit_ok;
}

// An empty id: the token this command sends (-self).
boost::asio::awaitable<int> read(coconsul::client& c, std::string id, bool expanded, acl::format f) {
  if (id.empty())
    acl::print((co_await c.acl().token_read_self()).value, f);
  else if (expanded)
    acl::print((co_await c.acl().token_read_expanded(id)).value, f);
  else
    acl::print((co_await c.acl().token_read(id)).value, f);
  co_return exit_ok;
}

boost::asio::awaitable<int> update(coconsul::client& c, std::string id, std::string description,
                                   acl::grant_flags grants, acl::format f) {
  acl_token t = (co_await c.acl().token_read(id)).value;
  if (!description.empty()) t.description = description;
  if (!grants.policy_ids.empty() || !grants.policy_names.empty()) t.policies = grants.policies();
  if (!grants.role_ids.empty() || !grants.role_names.empty()) t.roles = grants.roles();
  if (!grants.service_identities.empty()) t.service_identities = grants.services();
  if (!grants.node_identities.empty()) t.node_identities = grants.nodes();
  acl::print(co_await c.acl().token_update(std::move(t)), f);
  co_return exit_ok;
}

boost::asio::awaitable<int> clone(coconsul::client& c, std::string id, std::string description, acl::format f) {
  acl::print(co_await c.acl().token_clone(id, description), f);
  co_return exit_ok;
}

boost::asio::awaitable<int> remove(coconsul::client& c, std::string id) {
  co_await c.acl().token_delete(id);
  std::cout << "Token \"" << id << "\" deleted successfully\n";
  co_return exit_ok;
}

boost::asio::awaitable<int> list(coconsul::client& c, acl::format f) {
  acl::print((co_await c.acl().token_list()).value, f);
  co_return exit_ok;
}

int run_create(int argc, char** argv) {
  std::string description, expires, accessor, secret, format_text;
  bool local = false;
  acl::grant_flags grants;
  command_line cmd("acl token create", create_usage);
  cmd.flags().add_value("description", description);
  grants.add_to(cmd.flags(), true);
  cmd.flags().add_switch("local", local);
  cmd.flags().add_value("expires-ttl", expires);
  cmd.flags().add_value("accessor", accessor);
  cmd.flags().add_value("secret", secret);
  cmd.flags().add_value("format", format_text);
  if (auto exit = cmd.parse(argc, argv, 0, 0)) return *exit;
  acl_token t;
  acl::format f{};
  try {
    f = acl::parse_format(format_text);
    t.policies = grants.policies();
    t.roles = grants.roles();
    t.service_identities = grants.services();
    t.node_identities = grants.nodes();
  } catch (const usage_error& e) {
    return cmd.fail(e.message);
  }
  if (!expires.empty()) {
    std::string why;
    auto ttl = try_parse_duration(expires, &why);
    if (!ttl) return cmd.fail("-expires-ttl: " + why);
    t.expiration_ttl = *ttl;
  }
  t.description = description;
  t.local = local;
  t.accessor_id = accessor;
  t.secret_id = secret;
  return cmd.run([&](coconsul::client& c) { return create(c, t, f); });
}

int run_read(int argc, char** argv) {
  std::string id, format_text;
  bool self = false, expanded = false;
  command_line cmd("acl token read", read_usage);
  cmd.flags().add_value("id", id);
  cmd.flags().add_switch("self", self);
  cmd.flags().add_switch("expanded", expanded);
  cmd.flags().add_value("format", format_text);
  if (auto exit = cmd.parse(argc, argv, 0, 0)) return *exit;
  if (self == !id.empty()) return cmd.fail("give one of -id and -self");
  if (self && expanded) return cmd.fail("-expanded needs -id");
  acl::format f{};
  if (auto exit = acl::read_format(cmd, format_text, f)) return *exit;
  return cmd.run([&](coconsul::client& c) { return read(c, self ? std::string() : id, expanded, f); });
}

int run_update(int argc, char** argv) {
  std::string id, format_text;
  std::string description_text;
  acl::grant_flags grants;
  command_line cmd("acl token update", update_usage);
  cmd.flags().add_value("id", id);
  cmd.flags().add_value("description", description_text);
  grants.add_to(cmd.flags(), true);
  cmd.flags().add_value("format", format_text);
  if (auto exit = cmd.parse(argc, argv, 0, 0)) return *exit;
  if (id.empty()) return cmd.fail("missing -id");
  acl::format f{};
  try {
    f = acl::parse_format(format_text);
    (void)grants.services();
    (void)grants.nodes();
  } catch (const usage_error& e) {
    return cmd.fail(e.message);
  }
  return cmd.run([&](coconsul::client& c) { return update(c, id, description_text, grants, f); });
}

int run_clone(int argc, char** argv) {
  std::string id, description, format_text;
  command_line cmd("acl token clone", clone_usage);
  cmd.flags().add_value("id", id);
  cmd.flags().add_value("description", description);
  cmd.flags().add_value("format", format_text);
  if (auto exit = cmd.parse(argc, argv, 0, 0)) return *exit;
  if (id.empty()) return cmd.fail("missing -id");
  acl::format f{};
  if (auto exit = acl::read_format(cmd, format_text, f)) return *exit;
  return cmd.run([&](coconsul::client& c) { return clone(c, id, description, f); });
}

int run_delete(int argc, char** argv) {
  std::string id;
  command_line cmd("acl token delete", delete_usage);
  cmd.flags().add_value("id", id);
  if (auto exit = cmd.parse(argc, argv, 0, 0)) return *exit;
  if (id.empty()) return cmd.fail("missing -id");
  return cmd.run([&](coconsul::client& c) { return remove(c, id); });
}

int run_list(int argc, char** argv) {
  std::string format_text;
  command_line cmd("acl token list", list_usage);
  cmd.flags().add_value("format", format_text);
  if (auto exit = cmd.parse(argc, argv, 0, 0)) return *exit;
  acl::format f{};
  if (auto exit = acl::read_format(cmd, format_text, f)) return *exit;
  return cmd.run([&](coconsul::client& c) { return list(c, f); });
}

}  // namespace

int run_acl_token_command(int argc, char** argv) {
  const std::string usage = std::string(token_usage) + std::string(connection_usage);
  return run_subcommand("acl token", usage, argc, argv,
                        {{"create", run_create},
                         {"read", run_read},
                         {"update", run_update},
                         {"clone", run_clone},
                         {"delete", run_delete},
                         {"list", run_list}});
}

}  // namespace coconsul::cli
