// Token resolution (see resolve.hpp).

#include "dev_agent/acl/resolve.hpp"

#include "dev_agent/acl/identities.hpp"
#include "dev_agent/acl/rules.hpp"

#include <chrono>
#include <span>
#include <vector>

namespace coconsul::dev::acl {

namespace {

// What a token grants, gathered as Consul's resolver gathers it: its policies, its roles'
// policies and identities, its own identities; a link whose target is gone grants nothing.
// Policies are parsed again per resolution: the rules were validated when stored, and parsing
// a policy costs microseconds (a cache keyed by the ACL tables' index would save it).
class grants {
 public:
  explicit grants(const acl_state& tables) : tables_(tables) {}

  void add_policy(const acl_link& link) {
    const acl_policy_record* p = tables_.policy_by_id(link.id);
    if (!p) return;
    auto parsed = parse_rules(p->rules);
    if (auto* rules = std::get_if<policy_rules>(&parsed))
      policies_.push_back(scoped_rules{std::move(*rules), p->datacenters.value_or(std::vector<std::string>())});
  }

  template <class Record>  // a token or a role
  void add_identities(const Record& r) {
    for (const auto& s : r.service_identities) services_.push_back(service_identity{s.service_name, s.datacenters});
    for (const auto& n : r.node_identities) nodes_.push_back(node_identity{n.node_name, n.datacenter});
  }

  void add_token(const acl_token_record& t) {
    for (const auto& link : t.policies) add_policy(link);
    for (const auto& link : t.roles) {
      const acl_role_record* role = tables_.role_by_id(link.id);
      if (!role) continue;
      for (const auto& p : role->policies) add_policy(p);
      add_identities(*role);
    }
    add_identities(t);
  }

  authorizer compile(std::string_view datacenter, default_policy fallback) const {
    auto rules = rules_in(datacenter, policies_, services_, nodes_);
    return authorizer::compile(rules, fallback);
  }

 private:
  const acl_state& tables_;
  std::vector<scoped_rules> policies_;
  std::vector<service_identity> services_;
  std::vector<node_identity> nodes_;
};

// Consul's agentRecoveryAuthorizer: write on this agent, read on every node, over deny.
authorizer agent_recovery_authorizer(const std::string& node_name) {
  policy_rules rules;
  rules.agents.push_back(rule{node_name, "write", ""});
  rules.node_prefixes.push_back(rule{"", "read", ""});
  return authorizer::compile(std::span(&rules, 1), default_policy::deny);
}

}  // namespace

std::variant<resolved_token, std::string> resolve_token(const acl_state& tables, const std::string& secret,
                                                        const resolve_settings& settings) {
  if (secret == "allow" || secret == "deny" || secret == "manage")
    return std::string("Permission denied: Cannot resolve root ACL");
  // Consul's AgentRecoveryTokenIdentity: resolved before the tables, so it works without them.
  if (!secret.empty() && secret == settings.agent_recovery)
    return resolved_token{"agent-recovery:" + settings.node_name, agent_recovery_authorizer(settings.node_name),
                          std::nullopt};
  const acl_token_record* t = tables.token_by_secret(secret.empty() ? std::string("anonymous") : secret);
  if (!t || t->expired(std::chrono::system_clock::now())) return std::string("ACL not found");
  grants g(tables);
  g.add_token(*t);
  return resolved_token{t->accessor_id, g.compile(settings.datacenter, settings.fallback), t->expiration_time};
}

}  // namespace coconsul::dev::acl
