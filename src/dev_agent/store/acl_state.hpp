#pragma once
// The ACL tables of Consul's state store (agent/consul/state/acl.go): tokens by accessor and by
// secret, policies and roles by ID and by name, auth methods by name, binding rules by ID, and
// the bootstrap marker. Writes go through the state store's write_txn, so they take the shared
// raft index and wake the blocking queries watching their table (records.hpp tbl_acl_*).
// What a write may contain is the endpoints' business (endpoints/acl_*.cpp); this file keeps the
// tables consistent: deleting a policy or a role drops its links, deleting an auth method drops
// its binding rules and the tokens it issued, as Consul's state store does.

#include "dev_agent/store/acl_records.hpp"
#include "dev_agent/store/state.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coconsul::dev {

// A policy's Hash (stored policies, and the synthetic ones `?expanded` shows).
std::string policy_hash(const acl_policy_record& p);

class acl_state {
 public:
  // --- tokens ---
  // Lookups return expired tokens too: the callers decide (Consul's IsExpired checks).
  const acl_token_record* token_by_accessor(const std::string& accessor) const;
  const acl_token_record* token_by_secret(const std::string& secret) const;
  // Every token, by accessor ID.
  std::vector<const acl_token_record*> tokens() const;
  // Stores `t` (its Hash computed here), keeping the CreateIndex of the token it replaces.
  void put_token(write_txn& w, acl_token_record t);
  bool delete_token(write_txn& w, const std::string& accessor);
  // Deletes the tokens whose ExpirationTime has passed (Consul's token reaper). The count.
  std::size_t reap_expired(write_txn& w, acl_time now);
  // The earliest ExpirationTime of any token, for the reaper's timer.
  std::optional<acl_time> next_expiry() const;

  // --- policies ---
  const acl_policy_record* policy_by_id(const std::string& id) const;
  const acl_policy_record* policy_by_name(const std::string& name) const;
  std::vector<const acl_policy_record*> policies() const;  // by ID, as memdb lists them
  void put_policy(write_txn& w, acl_policy_record p);
  // Also removes the links to it from every token and role.
  bool delete_policy(write_txn& w, const std::string& id);

  // --- roles ---
  const acl_role_record* role_by_id(const std::string& id) const;
  const acl_role_record* role_by_name(const std::string& name) const;
  std::vector<const acl_role_record*> roles() const;  // by ID
  void put_role(write_txn& w, acl_role_record r);
  // Also removes the links to it from every token.
  bool delete_role(write_txn& w, const std::string& id);

  // --- auth methods ---
  const acl_auth_method_record* auth_method(const std::string& name) const;
  std::vector<const acl_auth_method_record*> auth_methods() const;  // by name
  void put_auth_method(write_txn& w, acl_auth_method_record m);
  // Also deletes its binding rules and the tokens it issued.
  bool delete_auth_method(write_txn& w, const std::string& name);

  // --- binding rules ---
  const acl_binding_rule_record* binding_rule(const std::string& id) const;
  std::vector<const acl_binding_rule_record*> binding_rules() const;  // by ID
  void put_binding_rule(write_txn& w, acl_binding_rule_record r);
  bool delete_binding_rule(write_txn& w, const std::string& id);

  // --- bootstrap (Consul's "acl-token-bootstrap" index) ---
  // 0 until the first bootstrap; then the index it happened at (the reset index).
  std::uint64_t bootstrap_index() const { return bootstrap_index_; }
  void mark_bootstrapped(write_txn& w) { bootstrap_index_ = w.index(); }

  // --- sizes, for the endpoints' bounds ---
  std::size_t token_count() const { return tokens_.size(); }
  std::size_t policy_count() const { return policies_.size(); }
  std::size_t role_count() const { return roles_.size(); }
  std::size_t auth_method_count() const { return auth_methods_.size(); }
  std::size_t binding_rule_count() const { return binding_rules_.size(); }

 private:
  void erase_token(const std::string& accessor);

  std::map<std::string, acl_token_record> tokens_;  // by accessor
  std::map<std::string, std::string> secrets_;      // secret -> accessor
  std::map<std::string, acl_policy_record> policies_;
  std::map<std::string, std::string> policy_names_;  // name -> ID
  std::map<std::string, acl_role_record> roles_;
  std::map<std::string, std::string> role_names_;
  std::map<std::string, acl_auth_method_record> auth_methods_;
  std::map<std::string, acl_binding_rule_record> binding_rules_;
  std::uint64_t bootstrap_index_ = 0;
};

}  // namespace coconsul::dev
