// The state store's indexes and its catalog tables (nodes, services, checks); KV, sessions and
// events are in state_kv.cpp.

#include "dev_agent/store/state.hpp"

#include "dev_agent/store/same_record.hpp"

#include <algorithm>
#include <iterator>

namespace coconsul::dev {

namespace {
constexpr unsigned single_tables[] = {tbl_nodes,      tbl_services,          tbl_checks,         tbl_kvs,
                                     tbl_sessions,   tbl_events,            tbl_acl_tokens,     tbl_acl_policies,
                                     tbl_acl_roles,  tbl_acl_auth_methods,  tbl_acl_binding_rules};

// Removes one entry of a two-level index, and the outer entry once it holds nothing, so the
// index never grows with names that are gone.
template <class Outer, class OuterKey, class InnerKey>
void erase_from(Outer& index, const OuterKey& outer, const InnerKey& inner) {
  auto it = index.find(outer);
  if (it == index.end()) return;
  it->second.erase(inner);
  if (it->second.empty()) index.erase(it);
}

// The records of one inner map of an index (none when `inner` is null), in its key order.
template <class Record, class Inner>
std::vector<const Record*> values_of(const Inner* inner) {
  std::vector<const Record*> out;
  if (!inner) return out;
  out.reserve(inner->size());
  for (const auto& [_, v] : *inner) out.push_back(v);
  return out;
}

// The inner map of an index under `key`, or null.
template <class Outer, class Key>
const typename Outer::mapped_type* find_in(const Outer& index, const Key& key) {
  auto it = index.find(key);
  return it == index.end() ? nullptr : &it->second;
}
}  // namespace

write_txn::write_txn(state_store& s) : store_(s), index_(s.begin_write()) {}
write_txn::~write_txn() { store_.end_write(index_, touched_); }

state_store::state_store(std::function<void(unsigned)> on_change) : on_change_(std::move(on_change)) {}

void state_store::end_write(std::uint64_t index, unsigned touched) {
  touch_table(touched, index);
  if (touched && on_change_) on_change_(touched);
}

void state_store::touch_table(unsigned tables, std::uint64_t index) {
  for (unsigned t : single_tables)
    if (tables & t) table_indexes_[t] = std::max(table_indexes_[t], index);
}

std::uint64_t state_store::table_index(unsigned tables) const {
  std::uint64_t idx = 0;
  for (unsigned t : single_tables) {
    if (!(tables & t)) continue;
    auto it = table_indexes_.find(t);
    if (it != table_indexes_.end()) idx = std::max(idx, it->second);
  }
  return idx;
}

std::uint64_t state_store::service_index(const std::string& name, bool with_checks) const {
  auto it = service_indexes_.find(name);
  if (it != service_indexes_.end()) return it->second;
  if (service_extinction_index_ != 0) return service_extinction_index_;
  return table_index(with_checks ? (tbl_nodes | tbl_services | tbl_checks) : (tbl_nodes | tbl_services));
}

void state_store::touch_service_name(const std::string& name, std::uint64_t index) {
  service_indexes_[name] = index;
}

void state_store::touch_node_services(const std::string& node, std::uint64_t index) {
  for (const auto* s : node_services(node)) touch_service_name(s->name, index);
}

void state_store::index_service(const service_record& s) {
  services_by_name_[s.name][{s.node, s.id}] = &s;
}

void state_store::unindex_service(const service_record& s) {
  erase_from(services_by_name_, s.name, node_key{s.node, s.id});
}

void state_store::index_check(const check_record& c) {
  checks_by_instance_[{c.node, c.service_id}][c.check_id] = &c;
  checks_by_status_[c.status][{c.node, c.check_id}] = &c;
  if (!c.service_id.empty()) checks_by_service_name_[c.service_name][{c.node, c.check_id}] = &c;
}

void state_store::unindex_check(const check_record& c) {
  erase_from(checks_by_instance_, node_key{c.node, c.service_id}, c.check_id);
  erase_from(checks_by_status_, c.status, node_key{c.node, c.check_id});
  if (!c.service_id.empty()) erase_from(checks_by_service_name_, c.service_name, node_key{c.node, c.check_id});
}

void state_store::after_service_removed(write_txn& w, const std::string& name) {
  if (service_instances(name).empty()) {
    service_indexes_.erase(name);
    service_extinction_index_ = w.index();
    // Consul's freeServiceVirtualIP: the last instance of the name gives its address back.
    if (virtual_ips_.free(name)) w.touch(tbl_virtual_ips);
  } else {
    touch_service_name(name, w.index());
  }
}

// --- nodes ---

const node_record* state_store::node(const std::string& name) const {
  auto it = nodes_.find(name);
  return it == nodes_.end() ? nullptr : &it->second;
}

std::vector<const node_record*> state_store::nodes() const {
  std::vector<const node_record*> out;
  for (const auto& [_, n] : nodes_) out.push_back(&n);
  return out;
}

bool state_store::ensure_node(write_txn& w, node_record n) {
  auto it = nodes_.find(n.name);
  if (it != nodes_.end()) {
    n.create_index = it->second.create_index;
    if (n.id.empty()) n.id = it->second.id;
    if (same_node(it->second, n)) return false;
  } else {
    n.create_index = w.index();
  }
  n.modify_index = w.index();
  std::string name = n.name;
  nodes_[name] = std::move(n);
  touch_node_services(name, w.index());
  w.touch(tbl_nodes);
  return true;
}

bool state_store::delete_node(write_txn& w, const std::string& name) {
  if (!nodes_.count(name)) return false;
  std::vector<std::string> service_ids;
  for (const auto* s : node_services(name)) service_ids.push_back(s->id);
  for (const auto& id : service_ids) delete_service(w, name, id);
  std::vector<std::string> check_ids;
  for (const auto* c : node_checks(name)) check_ids.push_back(c->check_id);
  for (const auto& id : check_ids) delete_check(w, name, id);
  std::vector<std::string> session_ids;
  for (const auto* s : node_sessions(name)) session_ids.push_back(s->id);
  for (const auto& id : session_ids) destroy_session(w, id);
  nodes_.erase(name);
  w.touch(tbl_nodes);
  return true;
}

// --- services ---

const service_record* state_store::service(const std::string& node, const std::string& id) const {
  auto it = services_.find({node, id});
  return it == services_.end() ? nullptr : &it->second;
}

std::vector<const service_record*> state_store::node_services(const std::string& node) const {
  std::vector<const service_record*> out;
  for (auto it = services_.lower_bound({node, ""}); it != services_.end() && it->first.first == node; ++it)
    out.push_back(&it->second);
  return out;
}

std::vector<const service_record*> state_store::service_instances(const std::string& name) const {
  return values_of<service_record>(find_in(services_by_name_, name));
}

std::vector<const service_record*> state_store::all_services() const {
  std::vector<const service_record*> out;
  for (const auto& [_, s] : services_) out.push_back(&s);
  return out;
}

bool state_store::ensure_service(write_txn& w, service_record s) {
  // Consul's ensureServiceTxn: a connect proxy's destination, or a Connect-native service, is a
  // name in the mesh and holds a virtual IP; the instance carries it, with its own port, under
  // "consul-virtual" (replacing one the registration gave).
  std::string mesh_name = s.kind == "connect-proxy" ? s.proxy.destination_service_name
                                 : s.connect_native      ? s.name
                                                         : std::string();
  if (!mesh_name.empty()) {
    bool had = virtual_ips_.find(mesh_name).has_value();
    if (std::string vip = virtual_ips_.assign(mesh_name); !vip.empty()) {
      if (!had) w.touch(tbl_virtual_ips);
      s.tagged_addresses[virtual_ip_tag] = service_tagged_address{vip, s.port};
    }
  }
  node_key key{s.node, s.id};
  auto it = services_.find(key);
  std::string old_name;
  if (it != services_.end()) {
    if (same_service(it->second, s)) return false;
    s.create_index = it->second.create_index;
    old_name = it->second.name;
    unindex_service(it->second);
  } else {
    s.create_index = w.index();
  }
  s.modify_index = w.index();
  std::string name = s.name;
  index_service(services_[key] = std::move(s));
  if (!old_name.empty() && old_name != name) after_service_removed(w, old_name);
  touch_service_name(name, w.index());
  w.touch(tbl_services);
  return true;
}

bool state_store::delete_service(write_txn& w, const std::string& node, const std::string& id) {
  auto it = services_.find({node, id});
  if (it == services_.end()) return false;
  std::string name = it->second.name;
  std::vector<std::string> check_ids;
  for (const auto* c : service_checks(node, id)) check_ids.push_back(c->check_id);
  for (const auto& cid : check_ids) delete_check(w, node, cid);
  unindex_service(it->second);
  services_.erase(it);
  after_service_removed(w, name);
  w.touch(tbl_services);
  return true;
}

// --- checks ---

const check_record* state_store::check(const std::string& node, const std::string& id) const {
  auto it = checks_.find({node, id});
  return it == checks_.end() ? nullptr : &it->second;
}

std::vector<const check_record*> state_store::node_checks(const std::string& node) const {
  std::vector<const check_record*> out;
  for (auto it = checks_.lower_bound({node, ""}); it != checks_.end() && it->first.first == node; ++it)
    out.push_back(&it->second);
  return out;
}

std::vector<const check_record*> state_store::service_checks(const std::string& node,
                                                             const std::string& service_id) const {
  return values_of<check_record>(find_in(checks_by_instance_, node_key{node, service_id}));
}

std::vector<const check_record*> state_store::instance_checks(const service_record& s) const {
  auto node_level = service_checks(s.node, "");
  auto own = service_checks(s.node, s.id);
  std::vector<const check_record*> out;
  out.reserve(node_level.size() + own.size());
  std::merge(node_level.begin(), node_level.end(), own.begin(), own.end(), std::back_inserter(out),
             [](const check_record* a, const check_record* b) { return a->check_id < b->check_id; });
  return out;
}

std::vector<const check_record*> state_store::checks_of_service_name(const std::string& name) const {
  return values_of<check_record>(find_in(checks_by_service_name_, name));
}

std::vector<const check_record*> state_store::checks_in_state(const std::string& status) const {
  return values_of<check_record>(find_in(checks_by_status_, status));
}

std::vector<const check_record*> state_store::all_checks() const {
  std::vector<const check_record*> out;
  for (const auto& [_, c] : checks_) out.push_back(&c);
  return out;
}

bool state_store::ensure_check(write_txn& w, check_record c) {
  node_key key{c.node, c.check_id};
  auto it = checks_.find(key);
  const service_record* owner = c.service_id.empty() ? nullptr : service(c.node, c.service_id);
  if (owner) {
    c.service_name = owner->name;
    c.service_tags = owner->tags;
  }
  if (it != checks_.end() && same_check(it->second, c)) return false;
  c.create_index = it != checks_.end() ? it->second.create_index : w.index();
  c.modify_index = w.index();
  if (owner) {
    touch_service_name(owner->name, w.index());
  } else if (c.service_id.empty()) {
    touch_node_services(c.node, w.index());
  }
  bool critical = c.status == "critical";
  std::string node = c.node, id = c.check_id;
  if (it != checks_.end()) unindex_check(it->second);
  index_check(checks_[key] = std::move(c));
  w.touch(tbl_checks);
  if (critical) invalidate_sessions_for_check(w, node, id);
  return true;
}

bool state_store::delete_check(write_txn& w, const std::string& node, const std::string& id) {
  auto it = checks_.find({node, id});
  if (it == checks_.end()) return false;
  if (!it->second.service_id.empty()) {
    if (const auto* s = service(node, it->second.service_id)) touch_service_name(s->name, w.index());
  } else {
    touch_node_services(node, w.index());
  }
  unindex_check(it->second);
  checks_.erase(it);
  w.touch(tbl_checks);
  invalidate_sessions_for_check(w, node, id);
  return true;
}

bool state_store::set_check_status(const std::string& node, const std::string& id, const std::string& status,
                                   const std::string& output) {
  auto it = checks_.find({node, id});
  if (it == checks_.end()) return false;
  if (it->second.status == status) {
    it->second.output = output;
    return true;
  }
  check_record updated = it->second;
  updated.status = status;
  updated.output = output;
  write_txn w(*this);
  ensure_check(w, std::move(updated));
  return true;
}

void state_store::invalidate_sessions_for_check(write_txn& w, const std::string& node, const std::string& check_id) {
  std::vector<std::string> doomed;
  for (const auto& [sid, s] : sessions_) {
    if (s.node != node) continue;
    bool uses = (s.node_checks && std::count(s.node_checks->begin(), s.node_checks->end(), check_id)) ||
                (s.service_checks && std::count(s.service_checks->begin(), s.service_checks->end(), check_id));
    if (uses) doomed.push_back(sid);
  }
  for (const auto& sid : doomed) destroy_session(w, sid);
}

// --- faults ---

void state_store::churn(write_txn& w) {
  for (auto& [name, idx] : service_indexes_) idx = w.index();
  if (service_extinction_index_) service_extinction_index_ = w.index();
  kv_churn_index_ = w.index();
  w.touch(tbl_all);
}

void state_store::reset_indexes(std::uint64_t to) {
  if (to == 0) to = 1;
  auto clamp = [to](std::uint64_t& v) { v = std::min(v, to); };
  last_index_ = to;
  for (auto& [_, v] : table_indexes_) clamp(v);
  for (auto& [_, v] : service_indexes_) clamp(v);
  clamp(service_extinction_index_);
  clamp(kv_churn_index_);
  for (auto& [_, v] : tombstones_) clamp(v);
  for (auto& [_, n] : nodes_) clamp(n.create_index), clamp(n.modify_index);
  for (auto& [_, s] : services_) clamp(s.create_index), clamp(s.modify_index);
  for (auto& [_, c] : checks_) clamp(c.create_index), clamp(c.modify_index);
  for (auto& [_, e] : kvs_) clamp(e.create_index), clamp(e.modify_index);
  for (auto& [_, s] : sessions_) clamp(s.create_index), clamp(s.modify_index);
  if (autopilot_) clamp(autopilot_->create_index), clamp(autopilot_->modify_index);
  if (on_change_) on_change_(tbl_all);
}

}  // namespace coconsul::dev
