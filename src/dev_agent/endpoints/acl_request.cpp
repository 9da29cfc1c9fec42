// request_acl: a request's token resolved and compiled into an authorizer (see acl_request.hpp).

#include "dev_agent/endpoints/acl_request.hpp"

#include "dev_agent/acl/denied.hpp"
#include "dev_agent/acl/identities.hpp"
#include "dev_agent/acl/rules.hpp"
#include "dev_agent/endpoints/acl_token_source.hpp"
#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/http/error.hpp"

#include <variant>
#include <vector>

namespace coconsul::dev {

namespace {

// What a token grants, gathered as Consul's resolver gathers it: its policies, its roles'
// policies and identities, its own identities; a link whose target is gone grants nothing.
// Policies are parsed again per request: the rules were validated when stored, and parsing a
// policy costs microseconds (a cache keyed by the ACL tables' index would save it).
class grants {
 public:
  explicit grants(const acl_state& tables) : tables_(tables) {}

  void add_policy(const acl_link& link) {
    const acl_policy_record* p = tables_.policy_by_id(link.id);
    if (!p) return;
    auto parsed = acl::parse_rules(p->rules);
    if (auto* rules = std::get_if<acl::policy_rules>(&parsed))
      policies_.push_back(acl::scoped_rules{std::move(*rules), p->datacenters.value_or(std::vector<std::string>())});
  }

  template <class Record>  // a token or a role
  void add_identities(const Record& r) {
    for (const auto& s : r.service_identities) services_.push_back(acl::service_identity{s.service_name, s.datacenters});
    for (const auto& n : r.node_identities) nodes_.push_back(acl::node_identity{n.node_name, n.datacenter});
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

  acl::authorizer compile(std::string_view datacenter, acl::default_policy fallback) const {
    auto rules = acl::rules_in(datacenter, policies_, services_, nodes_);
    return acl::authorizer::compile(rules, fallback);
  }

 private:
  const acl_state& tables_;
  std::vector<acl::scoped_rules> policies_;
  std::vector<acl::service_identity> services_;
  std::vector<acl::node_identity> nodes_;
};

}  // namespace

const request_acl& request_acl::management() {
  static const request_acl everything = [] {
    request_acl r;
    r.authz_ = acl::authorizer::manage_all();
    return r;
  }();
  return everything;
}

void request_acl::resolve() const {
  const endpoint_context& c = *agent_;
  if (!c.controls.acl_enabled) {  // the agent's one switch (options.acl.enabled at start)
    authz_ = acl::authorizer::manage_all();
    return;
  }
  secret_ = request_secret(*req_, c.controls);
  const acl_token_record& token = resolve_secret(c.acl.tables, secret_);  // 403 "ACL not found"
  accessor_ = token.accessor_id;
  grants g(c.acl.tables);
  g.add_token(token);
  auto fallback = c.options.acl.default_policy == "deny" ? acl::default_policy::deny : acl::default_policy::allow;
  authz_ = g.compile(c.options.datacenter, fallback);
}

const acl::authorizer& request_acl::authz() const {
  if (!authz_) resolve();
  return *authz_;
}

const std::string& request_acl::accessor_id() const {
  authz();
  return accessor_;
}

const std::string& request_acl::secret() const {
  authz();
  return secret_;
}

void request_acl::require(const acl::verdict& v) const {
  if (!v) throw http_error{403, acl::denial_text(accessor_id(), v)};
}

bool request_acl::visible(const acl::verdict& v) const {
  if (!v) filtered_ = true;
  return v.allowed;
}

}  // namespace coconsul::dev
