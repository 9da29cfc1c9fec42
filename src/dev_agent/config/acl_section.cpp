// acl and the legacy acl_* keys (see acl_section.hpp). A new spelling wins over the old one
// when both are given, as Consul's deprecated.go applies an old key only to an unset new one.

#include "dev_agent/config/acl_section.hpp"

#include "dev_agent/config/config_error.hpp"
#include "dev_agent/config/read.hpp"
#include "dev_agent/config/sections.hpp"

namespace coconsul::dev::config {

namespace {
std::string deprecated(std::string_view old_key, std::string_view new_key) {
  return "The '" + std::string(old_key) + "' field is deprecated. Use the '" + std::string(new_key) + "' field instead.";
}
}  // namespace

void apply_acl(const boost::json::object& c, dev_agent_options::acl_settings& out, std::vector<std::string>& warnings,
               std::vector<std::string>& errors) {
  // A string setting: the new key, else the old one (warned about whenever it is given).
  auto pick = [&](std::string_view key, std::string_view old_key, std::string& into) {
    bool old_given = at(c, old_key) != nullptr;
    if (old_given) warnings.push_back(deprecated(old_key, key));
    if (at(c, key)) into = str(c, key);
    else if (old_given) into = str(c, old_key);
  };
  if (at(c, "acl_datacenter")) {
    // It named the ACL datacenter, which implied ACLs on (Consul's primary_datacenter now).
    warnings.push_back(deprecated("acl_datacenter", "primary_datacenter"));
    out.enabled = true;
  }
  if (at(c, "acl.enabled")) out.enabled = boolean(c, "acl.enabled", false);
  pick("acl.default_policy", "acl_default_policy", out.default_policy);
  pick("acl.down_policy", "acl_down_policy", out.down_policy);
  if (at(c, "acl_enable_key_list_policy")) warnings.push_back(deprecated("acl_enable_key_list_policy", "acl.enable_key_list_policy"));
  out.enable_key_list_policy = boolean(c, "acl.enable_key_list_policy", boolean(c, "acl_enable_key_list_policy", false));
  auto seconds = [&](std::string_view key, std::chrono::seconds& into) {
    if (auto d = duration_at(c, key, errors)) into = std::chrono::duration_cast<std::chrono::seconds>(*d);
  };
  if (at(c, "acl_ttl")) {
    warnings.push_back(deprecated("acl_ttl", "acl.token_ttl"));
    if (!at(c, "acl.token_ttl")) seconds("acl_ttl", out.token_ttl);
  }
  seconds("acl.token_ttl", out.token_ttl);
  seconds("acl.policy_ttl", out.policy_ttl);
  seconds("acl.role_ttl", out.role_ttl);

  auto& t = out.tokens;
  // acl.tokens.initial_management: its older names inside the block, then at the top.
  pick("acl.tokens.initial_management", "acl.tokens.master", t.initial_management);
  if (t.initial_management.empty()) pick("acl.tokens.initial_management", "acl_master_token", t.initial_management);
  else if (at(c, "acl_master_token")) warnings.push_back(deprecated("acl_master_token", "acl.tokens.initial_management"));
  pick("acl.tokens.agent_recovery", "acl.tokens.agent_master", t.agent_recovery);
  if (t.agent_recovery.empty()) pick("acl.tokens.agent_recovery", "acl_agent_master_token", t.agent_recovery);
  else if (at(c, "acl_agent_master_token")) warnings.push_back(deprecated("acl_agent_master_token", "acl.tokens.agent_recovery"));
  pick("acl.tokens.default", "acl_token", t.default_token);
  pick("acl.tokens.agent", "acl_agent_token", t.agent);
  pick("acl.tokens.replication", "acl_replication_token", t.replication);

  // agent/consul/acl.go's resolver refuses any other policy when the agent starts.
  if (out.down_policy != "allow" && out.down_policy != "deny" && out.down_policy != "async-cache" &&
      out.down_policy != "extend-cache")
    throw config_error("invalid ACL down policy \"" + out.down_policy + "\"");
  if (out.default_policy != "allow" && out.default_policy != "deny")
    throw config_error("invalid ACL default policy \"" + out.default_policy + "\"");
  out.data_dir = str(c, "data_dir");
}

}  // namespace coconsul::dev::config
