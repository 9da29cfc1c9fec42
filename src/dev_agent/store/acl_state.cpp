// The ACL tables (see acl_state.hpp). Hashes are SHA-256 over the fields Consul hashes (Consul
// uses BLAKE2b-256; clients only compare them, so the value differs but changes when Consul's
// does).

#include "dev_agent/store/acl_state.hpp"

#include "core/base64.hpp"

#include <openssl/sha.h>

#include <algorithm>

namespace coconsul::dev {

namespace {

// Each field followed by a separator byte, so ("ab","c") and ("a","bc") differ.
class hasher {
 public:
  hasher& add(std::string_view s) {
    text_.append(s);
    text_.push_back('\0');
    return *this;
  }
  hasher& add_links(const std::vector<acl_link>& links) {
    for (const auto& l : links) add(l.id);
    return add("|");
  }
  hasher& add_identities(const std::vector<acl_service_identity>& s, const std::vector<acl_node_identity>& n) {
    for (const auto& i : s) {
      add(i.service_name);
      for (const auto& dc : i.datacenters) add(dc);
      add("|");
    }
    for (const auto& i : n) add(i.node_name).add(i.datacenter);
    return add("|");
  }
  std::string digest() const {
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(text_.data()), text_.size(), md);
    return core::base64_encode(std::string_view(reinterpret_cast<const char*>(md), sizeof md));
  }

 private:
  std::string text_;
};

template <class Map>
auto values_of(const Map& m) {
  std::vector<const typename Map::mapped_type*> out;
  out.reserve(m.size());
  for (const auto& [k, v] : m) out.push_back(&v);
  return out;
}

template <class Map>
auto find_in(const Map& m, const std::string& key) -> const typename Map::mapped_type* {
  auto it = m.find(key);
  return it == m.end() ? nullptr : &it->second;
}

// Keeps CreateIndex of what `stored` replaces and stamps ModifyIndex.
template <class Record>
void stamp(Record& r, const Record* stored, const write_txn& w) {
  r.create_index = stored ? stored->create_index : w.index();
  r.modify_index = w.index();
}

bool drop_link(std::vector<acl_link>& links, const std::string& id) {
  auto n = std::erase_if(links, [&](const acl_link& l) { return l.id == id; });
  return n > 0;
}

}  // namespace

// --- tokens ---

const acl_token_record* acl_state::token_by_accessor(const std::string& accessor) const {
  return find_in(tokens_, accessor);
}

const acl_token_record* acl_state::token_by_secret(const std::string& secret) const {
  auto it = secrets_.find(secret);
  return it == secrets_.end() ? nullptr : token_by_accessor(it->second);
}

std::vector<const acl_token_record*> acl_state::tokens() const { return values_of(tokens_); }

void acl_state::put_token(write_txn& w, acl_token_record t) {
  const auto* stored = token_by_accessor(t.accessor_id);
  stamp(t, stored, w);
  t.hash = hasher()
               .add(t.description)
               .add(t.local ? "local" : "global")
               .add_links(t.policies)
               .add_links(t.roles)
               .add_identities(t.service_identities, t.node_identities)
               .add(t.auth_method)
               .digest();
  if (stored) secrets_.erase(stored->secret_id);
  secrets_[t.secret_id] = t.accessor_id;
  std::string key = t.accessor_id;
  tokens_[key] = std::move(t);
  w.touch(tbl_acl_tokens);
}

void acl_state::erase_token(const std::string& accessor) {
  auto it = tokens_.find(accessor);
  if (it == tokens_.end()) return;
  secrets_.erase(it->second.secret_id);
  tokens_.erase(it);
}

bool acl_state::delete_token(write_txn& w, const std::string& accessor) {
  if (!token_by_accessor(accessor)) return false;
  erase_token(accessor);
  w.touch(tbl_acl_tokens);
  return true;
}

std::size_t acl_state::reap_expired(write_txn& w, acl_time now) {
  std::vector<std::string> expired;
  for (const auto& [id, t] : tokens_)
    if (t.expired(now)) expired.push_back(id);
  for (const auto& id : expired) erase_token(id);
  if (!expired.empty()) w.touch(tbl_acl_tokens);
  return expired.size();
}

std::optional<acl_time> acl_state::next_expiry() const {
  std::optional<acl_time> next;
  for (const auto& [id, t] : tokens_)
    if (t.expiration_time && (!next || *t.expiration_time < *next)) next = t.expiration_time;
  return next;
}

// --- policies ---

const acl_policy_record* acl_state::policy_by_id(const std::string& id) const { return find_in(policies_, id); }

std::string policy_hash(const acl_policy_record& p) {
  hasher h;
  h.add(p.name).add(p.description).add(p.rules);
  if (p.datacenters)
    for (const auto& dc : *p.datacenters) h.add(dc);
  return h.digest();
}

const acl_policy_record* acl_state::policy_by_name(const std::string& name) const {
  auto it = policy_names_.find(name);
  return it == policy_names_.end() ? nullptr : policy_by_id(it->second);
}

std::vector<const acl_policy_record*> acl_state::policies() const { return values_of(policies_); }

void acl_state::put_policy(write_txn& w, acl_policy_record p) {
  const auto* stored = policy_by_id(p.id);
  stamp(p, stored, w);
  p.hash = policy_hash(p);
  if (stored) policy_names_.erase(stored->name);
  policy_names_[p.name] = p.id;
  std::string key = p.id;
  policies_[key] = std::move(p);
  w.touch(tbl_acl_policies);
}

bool acl_state::delete_policy(write_txn& w, const std::string& id) {
  auto it = policies_.find(id);
  if (it == policies_.end()) return false;
  policy_names_.erase(it->second.name);
  policies_.erase(it);
  w.touch(tbl_acl_policies);
  // Consul leaves dangling links behind and skips them on every read; dropping them here shows
  // readers the same thing.
  for (auto& [k, t] : tokens_)
    if (drop_link(t.policies, id)) {
      t.modify_index = w.index();
      w.touch(tbl_acl_tokens);
    }
  for (auto& [k, r] : roles_)
    if (drop_link(r.policies, id)) {
      r.modify_index = w.index();
      w.touch(tbl_acl_roles);
    }
  return true;
}

// --- roles ---

const acl_role_record* acl_state::role_by_id(const std::string& id) const { return find_in(roles_, id); }

const acl_role_record* acl_state::role_by_name(const std::string& name) const {
  auto it = role_names_.find(name);
  return it == role_names_.end() ? nullptr : role_by_id(it->second);
}

std::vector<const acl_role_record*> acl_state::roles() const { return values_of(roles_); }

void acl_state::put_role(write_txn& w, acl_role_record r) {
  const auto* stored = role_by_id(r.id);
  stamp(r, stored, w);
  r.hash = hasher()
               .add(r.name)
               .add(r.description)
               .add_links(r.policies)
               .add_identities(r.service_identities, r.node_identities)
               .digest();
  if (stored) role_names_.erase(stored->name);
  role_names_[r.name] = r.id;
  std::string key = r.id;
  roles_[key] = std::move(r);
  w.touch(tbl_acl_roles);
}

bool acl_state::delete_role(write_txn& w, const std::string& id) {
  auto it = roles_.find(id);
  if (it == roles_.end()) return false;
  role_names_.erase(it->second.name);
  roles_.erase(it);
  w.touch(tbl_acl_roles);
  for (auto& [k, t] : tokens_)
    if (drop_link(t.roles, id)) {
      t.modify_index = w.index();
      w.touch(tbl_acl_tokens);
    }
  return true;
}

// --- auth methods ---

const acl_auth_method_record* acl_state::auth_method(const std::string& name) const {
  return find_in(auth_methods_, name);
}

std::vector<const acl_auth_method_record*> acl_state::auth_methods() const { return values_of(auth_methods_); }

void acl_state::put_auth_method(write_txn& w, acl_auth_method_record m) {
  stamp(m, auth_method(m.name), w);
  std::string key = m.name;
  auth_methods_[key] = std::move(m);
  w.touch(tbl_acl_auth_methods);
}

bool acl_state::delete_auth_method(write_txn& w, const std::string& name) {
  if (auth_methods_.erase(name) == 0) return false;
  w.touch(tbl_acl_auth_methods);
  if (std::erase_if(binding_rules_, [&](const auto& kv) { return kv.second.auth_method == name; }) > 0)
    w.touch(tbl_acl_binding_rules);
  std::vector<std::string> issued;
  for (const auto& [id, t] : tokens_)
    if (t.auth_method == name) issued.push_back(id);
  for (const auto& id : issued) erase_token(id);
  if (!issued.empty()) w.touch(tbl_acl_tokens);
  return true;
}

// --- binding rules ---

const acl_binding_rule_record* acl_state::binding_rule(const std::string& id) const {
  return find_in(binding_rules_, id);
}

std::vector<const acl_binding_rule_record*> acl_state::binding_rules() const { return values_of(binding_rules_); }

void acl_state::put_binding_rule(write_txn& w, acl_binding_rule_record r) {
  stamp(r, binding_rule(r.id), w);
  std::string key = r.id;
  binding_rules_[key] = std::move(r);
  w.touch(tbl_acl_binding_rules);
}

bool acl_state::delete_binding_rule(write_txn& w, const std::string& id) {
  if (binding_rules_.erase(id) == 0) return false;
  w.touch(tbl_acl_binding_rules);
  return true;
}

}  // namespace coconsul::dev
