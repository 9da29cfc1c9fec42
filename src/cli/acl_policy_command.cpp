// `coconsul acl policy|role create|read|update|delete|list`, with `consul acl policy` and
// `consul acl role`'s flags. A policy or role is named by -id or by -name.
#include "cli/acl_commands.hpp"

#include "cli/acl_format.hpp"
#include "cli/command_support.hpp"

#include <iostream>

namespace coconsul::cli {
namespace {

constexpr std::string_view policy_usage = R"(Usage: coconsul acl policy <subcommand> [options]

Subcommands:
  create     make a policy (-name, -description, -rules TEXT|@FILE|-, -valid-datacenter DC)
  read       show a policy (-id ID or -name NAME)
  update     change a policy (-id or -name; -description, -rules, -valid-datacenter replace)
  delete     delete a policy (-id or -name)
  list       every policy, without its rules

Each takes -format pretty|json.
)";

constexpr std::string_view role_usage = R"(Usage: coconsul acl role <subcommand> [options]

Subcommands:
  create     make a role (-name, -description, -policy-id/-policy-name,
             -service-identity NAME[:DC,...], -node-identity NODE:DC)
  read       show a role (-id ID or -name NAME)
  update     change a role (-id or -name; the flags of create replace what they name)
  delete     delete a role (-id or -name)
  list       every role

Each takes -format pretty|json.
)";

// The flags every subcommand of both groups may take; each says which it uses.
struct object_flags {
  std::string id, name, description, rules, format_text;
  std::vector<std::string> datacenters;
  acl::grant_flags grants;
};

enum class group { policy, role };

// One subcommand's command line: its flags by group and kind.
void add_flags(command_line& cmd, object_flags& o, group g, std::string_view sub) {
  auto& p = cmd.flags();
  p.add_value("id", o.id);
  p.add_value("name", o.name);
  p.add_value("format", o.format_text);
  if (sub == "create" || sub == "update") {
    p.add_value("description", o.description);
    if (g == group::policy) {
      p.add_value("rules", o.rules);
      p.add_values("valid-datacenter", o.datacenters);
    } else {
      o.grants.add_to(p, false);
    }
  }
}

boost::asio::awaitable<acl_policy> find_policy(coconsul::client& c, std::string id, std::string name) {
  if (!id.empty()) co_return (co_await c.acl().policy_read(id)).value;
  co_return (co_await c.acl().policy_read_by_name(name)).value;
}

boost::asio::awaitable<acl_role> find_role(coconsul::client& c, std::string id, std::string name) {
  // Two statements, not co_await in both arms of ?: (g++ 12 miscompiles that: it crashed here).
  coconsul::query_result<std::optional<acl_role>> found;
  if (!id.empty())
    found = co_await c.acl().role_read(id);
  else
    found = co_await c.acl().role_read_by_name(name);
  if (!found.value)
    throw error(make_error_code(errc::not_found),
                diagnostics{404, "no role " + (!id.empty() ? "with ID \"" + id + "\"" : "named \"" + name + "\"")});
  co_return *found.value;
}

boost::asio::awaitable<int> policy_body(coconsul::client& c, std::string sub, object_flags o, acl::format f) {
  if (sub == "list") {
    acl::print((co_await c.acl().policy_list()).value, f);
  } else if (sub == "create") {
    acl_policy p;
    p.name = o.name;
    p.description = o.description;
    p.rules = o.rules;
    p.datacenters = o.datacenters;
    acl::print(co_await c.acl().policy_create(std::move(p)), f);
  } else if (sub == "read") {
    acl::print(co_await find_policy(c, o.id, o.name), f);
  } else if (sub == "update") {
    acl_policy p = co_await find_policy(c, o.id, o.name);
    if (!o.description.empty()) p.description = o.description;
    if (!o.rules.empty()) p.rules = o.rules;
    if (!o.datacenters.empty()) p.datacenters = o.datacenters;
    acl::print(co_await c.acl().policy_update(std::move(p)), f);
  } else {  // delete
    const acl_policy p = co_await find_policy(c, o.id, o.name);
    co_await c.acl().policy_delete(p.id);
    std::cout << "Policy \"" << p.id << "\" deleted successfully\n";
  }
  co_return exit_ok;
}

boost::asio::awaitable<int> role_body(coconsul::client& c, std::string sub, object_flags o, acl::format f) {
  if (sub == "list") {
    acl::print((co_await c.acl().role_list()).value, f);
  } else if (sub == "create") {
    acl_role r;
    r.name = o.name;
    r.description = o.description;
    r.policies = o.grants.policies();
    r.service_identities = o.grants.services();
    r.node_identities = o.grants.nodes();
    acl::print(co_await c.acl().role_create(std::move(r)), f);
  } else if (sub == "read") {
    acl::print(co_await find_role(c, o.id, o.name), f);
  } else if (sub == "update") {
    acl_role r = co_await find_role(c, o.id, o.name);
    if (!o.description.empty()) r.description = o.description;
    if (!o.grants.policy_ids.empty() || !o.grants.policy_names.empty()) r.policies = o.grants.policies();
    if (!o.grants.service_identities.empty()) r.service_identities = o.grants.services();
    if (!o.grants.node_identities.empty()) r.node_identities = o.grants.nodes();
    acl::print(co_await c.acl().role_update(std::move(r)), f);
  } else {  // delete
    const acl_role r = co_await find_role(c, o.id, o.name);
    co_await c.acl().role_delete(r.id);
    std::cout << "Role \"" << r.id << "\" deleted successfully\n";
  }
  co_return exit_ok;
}

int run_group(int argc, char** argv, group g) {
  const std::string name = g == group::policy ? "acl policy" : "acl role";
  const std::string usage = std::string(g == group::policy ? policy_usage : role_usage) + std::string(connection_usage);
  if (argc < 2) return usage_failure(name, "missing a subcommand", usage);
  const std::string sub = argv[1];
  if (sub == "-h" || sub == "-help" || sub == "--help") {
    std::cout << usage;
    return exit_ok;
  }
  if (sub != "create" && sub != "read" && sub != "update" && sub != "delete" && sub != "list")
    return usage_failure(name, "unknown subcommand \"" + sub + "\"", usage);
  object_flags o;
  command_line cmd(name + " " + sub, g == group::policy ? policy_usage : role_usage);  // it adds the connection lines
  add_flags(cmd, o, g, sub);
  if (auto exit = cmd.parse(argc - 1, argv + 1, 0, 0)) return *exit;
  const bool named = !o.id.empty() || !o.name.empty();
  if (sub == "create" && (o.name.empty() || !o.id.empty())) return cmd.fail("create takes -name and no -id");
  if ((sub == "read" || sub == "update" || sub == "delete") && (!named || (!o.id.empty() && !o.name.empty())))
    return cmd.fail("give one of -id and -name");
  acl::format f{};
  try {
    f = acl::parse_format(o.format_text);
    if (!o.rules.empty()) o.rules = acl::read_rules(o.rules);
    (void)o.grants.services();
    (void)o.grants.nodes();
  } catch (const usage_error& e) {
    return cmd.fail(e.message);
  }
  if (g == group::policy) return cmd.run([&](coconsul::client& c) { return policy_body(c, sub, o, f); });
  return cmd.run([&](coconsul::client& c) { return role_body(c, sub, o, f); });
}

}  // namespace

int run_acl_policy_command(int argc, char** argv) { return run_group(argc, argv, group::policy); }
int run_acl_role_command(int argc, char** argv) { return run_group(argc, argv, group::role); }

}  // namespace coconsul::cli
