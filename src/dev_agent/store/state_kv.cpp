// The state store's KV, session, autopilot and user-event tables (the catalog tables are in
// state.cpp).

#include "dev_agent/store/state.hpp"

#include "dev_agent/store/same_record.hpp"

#include <algorithm>
#include <iterator>

namespace coconsul::dev {

namespace {
constexpr std::size_t max_events = 256;

bool has_prefix(const std::string& s, const std::string& prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}
}  // namespace

// --- kv ---

const kv_entry* state_store::kv_get(const std::string& key) const {
  auto it = kvs_.find(key);
  return it == kvs_.end() ? nullptr : &it->second;
}

std::vector<const kv_entry*> state_store::kv_list(const std::string& prefix) const {
  std::vector<const kv_entry*> out;
  for (auto it = kvs_.lower_bound(prefix); it != kvs_.end() && has_prefix(it->first, prefix); ++it)
    out.push_back(&it->second);
  return out;
}

std::uint64_t state_store::kv_key_index(const std::string& key) const {
  if (const auto* e = kv_get(key)) return std::max(e->modify_index, kv_churn_index_);
  return table_index(tbl_kvs);
}

std::uint64_t state_store::kv_prefix_index(const std::string& prefix) const {
  std::uint64_t idx = 0;
  for (const auto* e : kv_list(prefix)) idx = std::max(idx, e->modify_index);
  for (auto it = tombstones_.lower_bound(prefix); it != tombstones_.end() && has_prefix(it->first, prefix); ++it)
    idx = std::max(idx, it->second);
  return idx != 0 ? std::max(idx, kv_churn_index_) : table_index(tbl_kvs);
}

bool state_store::put_kv(write_txn& w, kv_entry e) {
  auto it = kvs_.find(e.key);
  if (it != kvs_.end() && same_kv(it->second, e)) return false;  // kvsSetTxn: DirEntry.Equal
  e.create_index = it != kvs_.end() ? it->second.create_index : w.index();
  e.modify_index = w.index();
  std::string key = e.key;
  kvs_[key] = std::move(e);
  tombstones_.erase(key);
  w.touch(tbl_kvs);
  return true;
}

void state_store::kv_set(write_txn& w, kv_entry e) {
  if (const auto* existing = kv_get(e.key)) {
    e.session = existing->session;
    e.lock_index = existing->lock_index;
  } else {
    e.session.clear();
    e.lock_index = 0;
  }
  put_kv(w, std::move(e));
}

bool state_store::kv_cas(write_txn& w, kv_entry e, std::uint64_t cas) {
  const auto* existing = kv_get(e.key);
  if (cas == 0 && existing) return false;
  if (cas > 0 && (!existing || existing->modify_index != cas)) return false;
  kv_set(w, std::move(e));
  return true;
}

bool state_store::kv_lock(write_txn& w, kv_entry e, std::string* error) {
  if (e.session.empty()) {
    if (error) *error = "missing session";
    return false;
  }
  if (!session(e.session)) {
    if (error) *error = "invalid session \"" + e.session + "\"";
    return false;
  }
  if (const auto* existing = kv_get(e.key)) {
    if (existing->session == e.session) {
      e.lock_index = existing->lock_index;
    } else if (!existing->session.empty()) {
      return false;
    } else {
      e.lock_index = existing->lock_index + 1;
    }
  } else {
    e.lock_index = 1;
  }
  // Re-acquiring a held lock with the same value and flags changes nothing, as in Consul.
  put_kv(w, std::move(e));
  return true;
}

bool state_store::kv_unlock(write_txn& w, kv_entry e, std::string* error) {
  if (e.session.empty()) {
    if (error) *error = "missing session";
    return false;
  }
  const auto* existing = kv_get(e.key);
  if (!existing || existing->session != e.session) return false;
  e.lock_index = existing->lock_index;
  e.session.clear();
  put_kv(w, std::move(e));
  return true;
}

bool state_store::kv_delete(write_txn& w, const std::string& key) {
  auto it = kvs_.find(key);
  if (it == kvs_.end()) return false;  // deleting a missing key changes nothing
  kvs_.erase(it);
  tombstones_[key] = w.index();
  w.touch(tbl_kvs);
  return true;
}

bool state_store::kv_delete_cas(write_txn& w, const std::string& key, std::uint64_t cas) {
  const auto* existing = kv_get(key);
  if (!existing || existing->modify_index != cas) return existing == nullptr;
  kv_delete(w, key);
  return true;
}

void state_store::kv_delete_tree(write_txn& w, const std::string& prefix) {
  std::vector<std::string> keys;
  for (const auto* e : kv_list(prefix)) keys.push_back(e->key);
  for (const auto& k : keys) kv_delete(w, k);  // each deletion touches the table; none, nothing
}

std::optional<std::chrono::steady_clock::time_point> state_store::kv_lock_delay(const std::string& key) const {
  auto it = lock_delays_.find(key);
  if (it == lock_delays_.end() || it->second <= std::chrono::steady_clock::now()) return std::nullopt;
  return it->second;
}

// --- sessions ---

const session_record* state_store::session(const std::string& id) const {
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : &it->second;
}

std::vector<const session_record*> state_store::sessions() const {
  std::vector<const session_record*> out;
  for (const auto& [_, s] : sessions_) out.push_back(&s);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->create_index < b->create_index; });
  return out;
}

std::vector<const session_record*> state_store::node_sessions(const std::string& node) const {
  std::vector<const session_record*> out;
  for (const auto* s : sessions())
    if (s->node == node) out.push_back(s);
  return out;
}

void state_store::create_session(write_txn& w, session_record s) {
  s.create_index = w.index();
  s.modify_index = w.index();
  std::string id = s.id;
  sessions_[id] = std::move(s);
  w.touch(tbl_sessions);
}

bool state_store::destroy_session(write_txn& w, const std::string& id) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return false;
  session_record s = std::move(it->second);
  sessions_.erase(it);
  w.touch(tbl_sessions);
  prepared_queries_.erase_session(w, id);  // Consul's deleteSessionTxn deletes them too
  // Consul's deleteSessionTxn enforces structs.MaxLockDelay here, not at create: the session
  // keeps (and shows) what it asked for.
  auto delay = std::min<std::chrono::nanoseconds>(s.lock_delay, max_lock_delay);
  auto delay_until = std::chrono::steady_clock::now() + delay;
  std::vector<std::string> held;
  for (const auto& [key, e] : kvs_)
    if (e.session == id) held.push_back(key);
  for (const auto& key : held) {
    if (delay > std::chrono::nanoseconds::zero()) lock_delays_[key] = delay_until;
    if (s.behavior == "delete") {
      kv_delete(w, key);
    } else {
      auto& e = kvs_[key];
      e.session.clear();
      e.modify_index = w.index();
      w.touch(tbl_kvs);
    }
  }
  return true;
}

// --- autopilot ---

void state_store::set_autopilot(write_txn& w, autopilot_config c) {
  c.create_index = autopilot_ ? autopilot_->create_index : w.index();
  c.modify_index = w.index();
  autopilot_ = std::move(c);
}

// --- events ---

void state_store::add_event(event_record e) {
  events_.push_back(std::move(e));
  if (events_.size() > max_events) events_.pop_front();
  if (on_change_) on_change_(tbl_events);
}

}  // namespace coconsul::dev
