#pragma once
// Consul CE 1.14's ACL decisions (acl.Authorizer): a token's policies merged as MergePolicies
// does, exact rules over the longest prefix, chained over the default policy; each decision
// says allowed or not and what Consul's denial names. Pure code, no I/O.

#include "dev_agent/acl/policy.hpp"

#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace coconsul::dev::acl {

// acl.default_policy.
enum class default_policy { allow, deny };

// One decision. When denied, `what`, `level` and `segment` are the permission Consul's text
// names ('<what>:<level>' on "<segment>"; an empty segment is an unnamed permission), and
// `cause`, when set, replaces them ("Denied by intention default").
struct verdict {
  bool allowed = false;
  resource what = resource::acl;
  access level = access::read;
  std::string segment;
  std::string cause;
  explicit operator bool() const noexcept { return allowed; }
};

// acl.MergePolicies: one rule per kind and name, the one that takes precedence (deny, then
// write, then list, then read, compared as written); a service rule's intentions merge apart.
policy_rules merge_policies(std::span<const policy_rules> policies);

// A compiled authorizer; cheap to copy (the tables are shared and immutable).
class authorizer {
 public:
  // ACLs disabled: everything, ACL management included (acl.ManageAll()).
  static authorizer manage_all();
  // No token rules, only the default policy: `allow` grants all but acl read/write and
  // snapshots; `deny` grants nothing.
  static authorizer static_policy(default_policy p);
  // A token's policies (already parsed and validated; roles and identities already expanded
  // into policies by the caller) over the default policy. A rule whose level is unknown counts
  // as no rule.
  static authorizer compile(std::span<const policy_rules> policies, default_policy p);

  verdict acl_read() const;
  verdict acl_write() const;
  verdict agent_read(std::string_view node) const;
  verdict agent_write(std::string_view node) const;
  verdict event_read(std::string_view name) const;
  verdict event_write(std::string_view name) const;
  // "Denied by intention default" when the default is deny.
  verdict intention_default_allow() const;
  // "*" asks for any intention (read: some rule grants it; write: every rule does).
  verdict intention_read(std::string_view service) const;
  verdict intention_write(std::string_view service) const;
  verdict key_read(std::string_view key) const;
  verdict key_list(std::string_view prefix) const;
  verdict key_write(std::string_view key) const;
  // A recursive delete: write on the prefix and no rule under it that does not grant write.
  verdict key_write_prefix(std::string_view prefix) const;
  verdict key_ring_read() const;
  verdict key_ring_write() const;
  // Without a mesh (peering) rule these fall back to the operator rule.
  verdict mesh_read() const;
  verdict mesh_write() const;
  verdict peering_read() const;
  verdict peering_write() const;
  verdict node_read(std::string_view node) const;
  verdict node_read_all() const;
  verdict node_write(std::string_view node) const;
  verdict operator_read() const;
  verdict operator_write() const;
  verdict prepared_query_read(std::string_view name) const;
  verdict prepared_query_write(std::string_view name) const;
  verdict service_read(std::string_view service) const;
  verdict service_read_all() const;
  verdict service_write(std::string_view service) const;
  verdict service_write_any() const;
  verdict session_read(std::string_view node) const;
  verdict session_write(std::string_view node) const;
  verdict snapshot() const;

  struct tables;

 private:
  enum class base { manage_all, allow_all, deny_all };
  authorizer(std::shared_ptr<const tables> t, base b) : tables_(std::move(t)), base_(b) {}

  std::shared_ptr<const tables> tables_;  // null: only the static authorizer
  base base_;
};

}  // namespace coconsul::dev::acl
