// The policy authorizer, merger and chain of Consul's acl/ package (policy_authorizer.go,
// policy_merger.go, chained_authorizer.go, static_authorizer.go); its radix trees become sorted
// maps walked the same ways (the path down to a name, the subtree under a prefix, everything).
#include "dev_agent/acl/authorizer.hpp"

#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

namespace coconsul::dev::acl {

namespace {

enum class decision { deny, allow, dflt };

// acl.takesPrecedenceOver, on the strings as written (as Consul compares them).
bool takes_precedence_over(const std::string& a, const std::string& b) {
  if (a == "deny") return true;
  if (b == "deny") return false;
  if (a == "write") return true;
  if (b == "write") return false;
  if (a == "list") return true;
  if (b == "list") return false;
  if (a == "read") return true;
  if (b == "read") return false;
  return false;
}

// acl.enforce: what a rule's level grants for the required one.
decision enforce(access rule, access required) {
  switch (rule) {
    case access::write: return decision::allow;
    case access::list: return (required == access::list || required == access::read) ? decision::allow : decision::deny;
    case access::read: return required == access::read ? decision::allow : decision::deny;
    case access::deny: return decision::deny;
    case access::unknown: break;
  }
  return decision::dflt;
}

// One name's rules: Consul's policyAuthorizerRadixLeaf.
struct leaf {
  access exact = access::unknown;
  access prefix = access::unknown;
};

// One resource's rules by name: a radix tree's walks over a sorted map.
class table {
 public:
  void insert(const std::string& name, const std::string& policy, bool prefix) {
    const access a = access_from_string(policy);
    if (a == access::unknown) return;
    auto& l = leaves_[name];
    (prefix ? l.prefix : l.exact) = a;
    lengths_.insert(name.size());
  }

  // getPolicy: the exact rule for `segment`, else the longest prefix rule on its path.
  access lookup(std::string_view segment) const {
    access found = access::unknown;
    for (const std::size_t n : lengths_) {
      if (n > segment.size()) break;
      const auto it = leaves_.find(segment.substr(0, n));
      if (it == leaves_.end()) continue;
      if (n == segment.size() && it->second.exact != access::unknown) return it->second.exact;
      if (it->second.prefix != access::unknown) found = it->second.prefix;
    }
    return found;
  }

  const leaf* get(std::string_view name) const {
    const auto it = leaves_.find(name);
    return it == leaves_.end() ? nullptr : &it->second;
  }

  // WalkPath: the leaves on the way from the root to `segment`, root first.
  template <class F>
  void walk_path(std::string_view segment, F&& f) const {
    for (const std::size_t n : lengths_) {
      if (n > segment.size()) break;
      if (const auto* l = get(segment.substr(0, n))) f(*l);
    }
  }

  // WalkPrefix: the leaves whose names start with `prefix`; stops when f returns true.
  template <class F>
  void walk_prefix(std::string_view prefix, F&& f) const {
    for (auto it = leaves_.lower_bound(prefix); it != leaves_.end() && std::string_view(it->first).substr(0, prefix.size()) == prefix; ++it)
      if (f(it->second)) return;
  }

  template <class F>
  void walk(F&& f) const {
    for (const auto& [name, l] : leaves_)
      if (f(l)) return;
  }

 private:
  std::map<std::string, leaf, std::less<>> leaves_;
  std::set<std::size_t> lengths_;  // the name lengths present, so a lookup tries only those
};

decision enforce_name(const table& t, std::string_view name, access required) {
  const access a = t.lookup(name);
  return a == access::unknown ? decision::dflt : enforce(a, required);
}

// anyAllowed: some rule grants the access (a deny-all "" prefix still leaves room for others).
decision any_allowed(const table& t, access required) {
  auto fn = [required](const leaf& l, bool prefix_only) {
    decision d = l.prefix != access::unknown ? enforce(l.prefix, required) : decision::dflt;
    if (prefix_only || d == decision::allow || l.exact == access::unknown) return d;
    return enforce(l.exact, required);
  };
  decision d = decision::dflt;
  if (const auto* root = t.get("")) {
    d = fn(*root, true);
    if (d == decision::allow) return d;
  }
  t.walk([&](const leaf& l) {
    if (fn(l, false) != decision::allow) return false;
    d = decision::allow;
    return true;
  });
  return d;
}

// allAllowed: the "" prefix grants it and no rule takes it away.
decision all_allowed(const table& t, access required) {
  auto fn = [required](const leaf& l, bool prefix_only) {
    const decision pd = l.prefix != access::unknown ? enforce(l.prefix, required) : decision::dflt;
    if (prefix_only || pd == decision::deny || l.exact == access::unknown) return pd;
    const decision d = enforce(l.exact, required);
    return d == decision::dflt ? pd : d;
  };
  decision d = decision::dflt;
  if (const auto* root = t.get("")) {
    d = fn(*root, true);
    if (d == decision::deny) return d;
  }
  t.walk([&](const leaf& l) {
    if (fn(l, false) != decision::deny) return false;
    d = decision::deny;
    return true;
  });
  return d;
}

std::optional<access> scalar(const std::string& policy) {
  if (policy.empty()) return std::nullopt;
  return access_from_string(policy);
}

decision enforce_scalar(const std::optional<access>& rule, access required) {
  return rule ? enforce(*rule, required) : decision::dflt;
}

// The merger's per-kind map: one rule per name, in first-seen order.
class merged_kind {
 public:
  void add(const rule& r, bool service) {
    const auto [it, fresh] = index_.try_emplace(r.name, rules_.size());
    if (fresh) {
      rules_.push_back(r);
      return;
    }
    rule& existing = rules_[it->second];
    if (!service) {
      if (takes_precedence_over(r.policy, existing.policy)) existing = r;
      return;
    }
    if (takes_precedence_over(r.policy, existing.policy)) existing.policy = r.policy;
    if (takes_precedence_over(r.intentions, existing.intentions)) existing.intentions = r.intentions;
  }
  std::vector<rule> take() { return std::move(rules_); }

 private:
  std::map<std::string, std::size_t, std::less<>> index_;
  std::vector<rule> rules_;
};

}  // namespace

policy_rules merge_policies(std::span<const policy_rules> policies) {
  policy_rules out;
  merged_kind kinds[14];
  using member = std::vector<rule> policy_rules::*;
  static constexpr member lists[14] = {
      &policy_rules::agents,   &policy_rules::agent_prefixes,   &policy_rules::events,   &policy_rules::event_prefixes,
      &policy_rules::keys,     &policy_rules::key_prefixes,     &policy_rules::nodes,    &policy_rules::node_prefixes,
      &policy_rules::queries,  &policy_rules::query_prefixes,   &policy_rules::services, &policy_rules::service_prefixes,
      &policy_rules::sessions, &policy_rules::session_prefixes,
  };
  auto scalar_merge = [](std::string& into, const std::string& from) {
    if (takes_precedence_over(from, into)) into = from;
  };
  for (const auto& p : policies) {
    scalar_merge(out.acl, p.acl);
    scalar_merge(out.keyring, p.keyring);
    scalar_merge(out.operator_, p.operator_);
    scalar_merge(out.mesh, p.mesh);
    scalar_merge(out.peering, p.peering);
    for (std::size_t k = 0; k < 14; ++k) {
      const bool service = lists[k] == &policy_rules::services || lists[k] == &policy_rules::service_prefixes;
      for (const auto& r : p.*lists[k]) kinds[k].add(r, service);
    }
  }
  for (std::size_t k = 0; k < 14; ++k) out.*lists[k] = kinds[k].take();
  return out;
}

struct authorizer::tables {
  std::optional<access> acl, keyring, operator_, mesh, peering;
  table agent, event, intention, key, node, query, service, session;

  explicit tables(const policy_rules& p)
      : acl(scalar(p.acl)), keyring(scalar(p.keyring)), operator_(scalar(p.operator_)), mesh(scalar(p.mesh)), peering(scalar(p.peering)) {
    auto load = [](table& t, const std::vector<rule>& rules, bool prefix) {
      for (const auto& r : rules) t.insert(r.name, r.policy, prefix);
    };
    load(agent, p.agents, false);
    load(agent, p.agent_prefixes, true);
    load(key, p.keys, false);
    load(key, p.key_prefixes, true);
    load(node, p.nodes, false);
    load(node, p.node_prefixes, true);
    load(session, p.sessions, false);
    load(session, p.session_prefixes, true);
    load(event, p.events, false);
    load(event, p.event_prefixes, true);
    load(query, p.queries, false);
    load(query, p.query_prefixes, true);
    load(service, p.services, false);
    load(service, p.service_prefixes, true);
    // A service rule without `intentions` grants intentions read when its policy is read or
    // write (as written), and denies them otherwise.
    auto intentions = [this](const std::vector<rule>& rules, bool prefix) {
      for (const auto& r : rules) {
        const std::string level = !r.intentions.empty() ? r.intentions : (r.policy == "read" || r.policy == "write") ? "read" : "deny";
        intention.insert(r.name, level, prefix);
      }
    };
    intentions(p.services, false);
    intentions(p.service_prefixes, true);
  }

  decision operator_read() const { return enforce_scalar(operator_, access::read); }
  decision operator_write() const { return enforce_scalar(operator_, access::write); }
};

authorizer authorizer::manage_all() { return authorizer(nullptr, base::manage_all); }

authorizer authorizer::static_policy(default_policy p) { return authorizer(nullptr, p == default_policy::allow ? base::allow_all : base::deny_all); }

authorizer authorizer::compile(std::span<const policy_rules> policies, default_policy p) {
  auto t = std::make_shared<const tables>(merge_policies(policies));
  return authorizer(std::move(t), p == default_policy::allow ? base::allow_all : base::deny_all);
}

namespace {

// The chain's end: StaticAuthorizer. `management` decisions (acl, snapshot) need allowManage.
bool static_allows(bool manage, bool default_allow, bool management) { return management ? manage : default_allow; }

verdict make(bool allowed, resource what, access level, std::string_view segment = {}) {
  verdict v;
  v.allowed = allowed;
  v.what = what;
  v.level = level;
  v.segment = std::string(segment);
  return v;
}

// The chain: the policy authorizer's decision unless it made none, then the static one's.
bool chain_allows(decision d, bool manage, bool default_allow, bool management) {
  return d == decision::dflt ? static_allows(manage, default_allow, management) : d == decision::allow;
}

}  // namespace

verdict authorizer::acl_read() const {
  const bool allowed = chain_allows(tables_ ? (enforce_scalar(tables_->acl, access::read)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, true);
  return make(allowed, resource::acl, access::read);
}
verdict authorizer::acl_write() const {
  const bool allowed = chain_allows(tables_ ? (enforce_scalar(tables_->acl, access::write)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, true);
  return make(allowed, resource::acl, access::write);
}
verdict authorizer::snapshot() const {
  const bool allowed = chain_allows(tables_ ? (enforce_scalar(tables_->acl, access::write)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, true);
  return make(allowed, resource::acl, access::write);
}
verdict authorizer::agent_read(std::string_view node) const {
  const bool allowed = chain_allows(tables_ ? (enforce_name(tables_->agent, node, access::read)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::agent, access::read, node);
}
verdict authorizer::agent_write(std::string_view node) const {
  const bool allowed = chain_allows(tables_ ? (enforce_name(tables_->agent, node, access::write)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::agent, access::write, node);
}
verdict authorizer::event_read(std::string_view name) const {
  const bool allowed = chain_allows(tables_ ? (enforce_name(tables_->event, name, access::read)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::event, access::read, name);
}
verdict authorizer::event_write(std::string_view name) const {
  const bool allowed = chain_allows(tables_ ? (enforce_name(tables_->event, name, access::write)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::event, access::write, name);
}
verdict authorizer::intention_default_allow() const {
  // No policy decides this; only the default policy (or management) does.
  const bool allowed = static_allows(base_ == base::manage_all, base_ != base::deny_all, false);
  verdict v = make(allowed, resource::intention, access::read);
  if (!allowed) v.cause = "Denied by intention default";
  return v;
}
verdict authorizer::intention_read(std::string_view service) const {
  const bool allowed = chain_allows(tables_ ? (service == "*" ? any_allowed(tables_->intention, access::read) : enforce_name(tables_->intention, service, access::read)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::intention, access::read, service);
}
verdict authorizer::intention_write(std::string_view service) const {
  const bool allowed = chain_allows(tables_ ? (service == "*" ? all_allowed(tables_->intention, access::write) : enforce_name(tables_->intention, service, access::write)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::intention, access::write, service);
}
verdict authorizer::key_read(std::string_view key) const {
  const bool allowed = chain_allows(tables_ ? (enforce_name(tables_->key, key, access::read)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::key, access::read, key);
}
verdict authorizer::key_list(std::string_view prefix) const {
  const bool allowed = chain_allows(tables_ ? (enforce_name(tables_->key, prefix, access::list)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::key, access::list, prefix);
}
verdict authorizer::key_write(std::string_view key) const {
  const bool allowed = chain_allows(tables_ ? (enforce_name(tables_->key, key, access::write)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::key, access::write, key);
}

namespace {

// KeyWritePrefix: the nearest prefix rule on the path must grant write, and no rule at or under
// the prefix may grant less; with neither, no decision.
decision key_write_prefix_decision(const table& keys, std::string_view prefix) {
  decision base_access = decision::dflt;
  keys.walk_path(prefix, [&](const leaf& l) {
    if (l.prefix != access::unknown) base_access = l.prefix != access::write ? decision::deny : decision::allow;
  });
  if (base_access == decision::deny) return decision::deny;
  bool violated = false;
  keys.walk_prefix(prefix, [&](const leaf& l) {
    violated = (l.prefix != access::unknown && l.prefix != access::write) || (l.exact != access::unknown && l.exact != access::write);
    return violated;
  });
  return violated ? decision::deny : base_access;
}

}  // namespace

verdict authorizer::key_write_prefix(std::string_view prefix) const {
  const bool allowed = chain_allows(tables_ ? (key_write_prefix_decision(tables_->key, prefix)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::key, access::write, prefix);
}
verdict authorizer::key_ring_read() const {
  const bool allowed = chain_allows(tables_ ? (enforce_scalar(tables_->keyring, access::read)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::keyring, access::read);
}
verdict authorizer::key_ring_write() const {
  const bool allowed = chain_allows(tables_ ? (enforce_scalar(tables_->keyring, access::write)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::keyring, access::write);
}
verdict authorizer::mesh_read() const {
  const bool allowed = chain_allows(tables_ ? (tables_->mesh ? enforce(*tables_->mesh, access::read) : tables_->operator_read()) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::mesh, access::read);
}
verdict authorizer::mesh_write() const {
  const bool allowed = chain_allows(tables_ ? (tables_->mesh ? enforce(*tables_->mesh, access::write) : tables_->operator_write()) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::mesh, access::write);
}
verdict authorizer::peering_read() const {
  const bool allowed = chain_allows(tables_ ? (tables_->peering ? enforce(*tables_->peering, access::read) : tables_->operator_read()) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::peering, access::read);
}
verdict authorizer::peering_write() const {
  const bool allowed = chain_allows(tables_ ? (tables_->peering ? enforce(*tables_->peering, access::write) : tables_->operator_write()) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::peering, access::write);
}
verdict authorizer::node_read(std::string_view node) const {
  const bool allowed = chain_allows(tables_ ? (enforce_name(tables_->node, node, access::read)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::node, access::read, node);
}
verdict authorizer::node_read_all() const {
  const bool allowed = chain_allows(tables_ ? (all_allowed(tables_->node, access::read)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::node, access::read, "all nodes");
}
verdict authorizer::node_write(std::string_view node) const {
  const bool allowed = chain_allows(tables_ ? (enforce_name(tables_->node, node, access::write)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::node, access::write, node);
}
verdict authorizer::operator_read() const {
  const bool allowed = chain_allows(tables_ ? (tables_->operator_read()) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::operator_, access::read);
}
verdict authorizer::operator_write() const {
  const bool allowed = chain_allows(tables_ ? (tables_->operator_write()) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::operator_, access::write);
}
verdict authorizer::prepared_query_read(std::string_view name) const {
  const bool allowed = chain_allows(tables_ ? (enforce_name(tables_->query, name, access::read)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::query, access::read, name);
}
verdict authorizer::prepared_query_write(std::string_view name) const {
  const bool allowed = chain_allows(tables_ ? (enforce_name(tables_->query, name, access::write)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::query, access::write, name);
}
verdict authorizer::service_read(std::string_view service) const {
  const bool allowed = chain_allows(tables_ ? (enforce_name(tables_->service, service, access::read)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::service, access::read, service);
}
verdict authorizer::service_read_all() const {
  const bool allowed = chain_allows(tables_ ? (all_allowed(tables_->service, access::read)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::service, access::read, "all services");
}
verdict authorizer::service_write(std::string_view service) const {
  const bool allowed = chain_allows(tables_ ? (enforce_name(tables_->service, service, access::write)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::service, access::write, service);
}
verdict authorizer::service_write_any() const {
  const bool allowed = chain_allows(tables_ ? (any_allowed(tables_->service, access::write)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::service, access::write, "any service");
}
verdict authorizer::session_read(std::string_view node) const {
  const bool allowed = chain_allows(tables_ ? (enforce_name(tables_->session, node, access::read)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::session, access::read, node);
}
verdict authorizer::session_write(std::string_view node) const {
  const bool allowed = chain_allows(tables_ ? (enforce_name(tables_->session, node, access::write)) : decision::dflt, base_ == base::manage_all, base_ != base::deny_all, false);
  return make(allowed, resource::session, access::write, node);
}

}  // namespace coconsul::dev::acl
