#pragma once
// The dev agent's state: what a Consul server keeps in its raft-replicated store, for one
// datacenter, in memory. Every write takes the next value of one monotonically increasing
// index (Consul's raft index) and stamps CreateIndex/ModifyIndex with it; each table keeps the
// index of its last write, and services keep a per-name index, as Consul's state store does, so
// blocking queries can tell whether what they watch has changed.

#include "dev_agent/store/prepared_query_state.hpp"
#include "dev_agent/store/records.hpp"
#include "dev_agent/store/virtual_ips.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace coconsul::dev {

class state_store;

// One write: everything done through it shares one index, and watchers are told once, when it
// ends.
class write_txn {
 public:
  explicit write_txn(state_store& s);
  ~write_txn();
  write_txn(const write_txn&) = delete;
  write_txn& operator=(const write_txn&) = delete;

  std::uint64_t index() const { return index_; }
  void touch(unsigned tables) { touched_ |= tables; }
  // Forgets what was touched: for a batch that was rolled back (restore_kv), so no index moves
  // and no watcher wakes for it.
  void discard() { touched_ = 0; }

 private:
  state_store& store_;
  std::uint64_t index_;
  unsigned touched_ = 0;
};

class state_store {
 public:
  // `on_change` hears which tables a finished write touched.
  explicit state_store(std::function<void(unsigned)> on_change);
  // Not copyable: its indexes point into its own tables.
  state_store(const state_store&) = delete;
  state_store& operator=(const state_store&) = delete;

  // The last index handed out (never 0 once anything was written).
  std::uint64_t last_index() const { return last_index_; }
  // The highest index of the given tables.
  std::uint64_t table_index(unsigned tables) const;
  // Consul's maxIndexForService: the service's own index while it has instances; once it has
  // none, the index at which the last service went extinct; else the table index.
  std::uint64_t service_index(const std::string& name, bool with_checks) const;

  // --- nodes ---
  const node_record* node(const std::string& name) const;
  std::vector<const node_record*> nodes() const;
  // Each ensure_* writes only what changes the stored record (same_record.hpp): an identical
  // write keeps every index and wakes no one. True when it wrote.
  bool ensure_node(write_txn& w, node_record n);
  // Removes the node with its services, checks and sessions. False when it did not exist.
  bool delete_node(write_txn& w, const std::string& name);

  // --- services ---
  const service_record* service(const std::string& node, const std::string& id) const;
  std::vector<const service_record*> node_services(const std::string& node) const;
  std::vector<const service_record*> service_instances(const std::string& name) const;
  std::vector<const service_record*> all_services() const;
  bool ensure_service(write_txn& w, service_record s);
  // Removes the service and its checks.
  bool delete_service(write_txn& w, const std::string& node, const std::string& id);
  // The virtual IP of a service name in the mesh, if it has one (ensure_service assigns it).
  std::optional<std::string> service_virtual_ip(const std::string& name) const { return virtual_ips_.find(name); }

  // --- checks ---
  // Reads by node, service name, service instance and node-level checks cost what they return
  // (an index per question, kept by every write), not a scan of the store: one node may hold
  // every service, and each watcher's read would otherwise cost the whole catalog.
  const check_record* check(const std::string& node, const std::string& id) const;
  // Every check of the node (node-level and service checks), by check ID.
  std::vector<const check_record*> node_checks(const std::string& node) const;
  // The checks of one service instance; "" as `service_id`: the node-level checks.
  std::vector<const check_record*> service_checks(const std::string& node, const std::string& service_id) const;
  // What decides an instance's health: its node's node-level checks and its own, by check ID.
  std::vector<const check_record*> instance_checks(const service_record& s) const;
  std::vector<const check_record*> checks_of_service_name(const std::string& name) const;
  // The checks whose status is `status`, by (node, check ID).
  std::vector<const check_record*> checks_in_state(const std::string& status) const;
  std::vector<const check_record*> all_checks() const;
  bool ensure_check(write_txn& w, check_record c);
  bool delete_check(write_txn& w, const std::string& node, const std::string& id);
  // Sets status and output. A change of status is a write (new index); a change of output alone
  // is applied in place without a new index, the way Consul defers output-only syncs.
  // Returns false when the check does not exist.
  bool set_check_status(const std::string& node, const std::string& id, const std::string& status,
                        const std::string& output);

  // --- kv ---
  const kv_entry* kv_get(const std::string& key) const;
  std::vector<const kv_entry*> kv_list(const std::string& prefix) const;
  // The index Consul reports for a read of `key` (its ModifyIndex, else the table's).
  std::uint64_t kv_key_index(const std::string& key) const;
  // The index Consul reports for a list of `prefix`: the highest ModifyIndex or tombstone
  // under it, else the table's.
  std::uint64_t kv_prefix_index(const std::string& prefix) const;
  void kv_set(write_txn& w, kv_entry e);  // keeps Session and LockIndex of an existing key
  bool kv_cas(write_txn& w, kv_entry e, std::uint64_t cas);
  // Errors (missing or unknown session) come back as the text Consul's RPC returns.
  bool kv_lock(write_txn& w, kv_entry e, std::string* error);
  bool kv_unlock(write_txn& w, kv_entry e, std::string* error);
  bool kv_delete(write_txn& w, const std::string& key);
  bool kv_delete_cas(write_txn& w, const std::string& key, std::uint64_t cas);
  void kv_delete_tree(write_txn& w, const std::string& prefix);
  // Lock-delay: an acquire of `key` is refused until this time passes.
  std::optional<std::chrono::steady_clock::time_point> kv_lock_delay(const std::string& key) const;

  // --- sessions ---
  const session_record* session(const std::string& id) const;
  std::vector<const session_record*> sessions() const;
  std::vector<const session_record*> node_sessions(const std::string& node) const;
  void create_session(write_txn& w, session_record s);
  // Destroys a session: its locks are released (behavior "release") or its keys deleted
  // ("delete"), and those keys get the session's lock-delay. False when unknown.
  bool destroy_session(write_txn& w, const std::string& id);

  // --- prepared queries: their own table, here because a destroyed session deletes those
  // bound to it (prepared_query_state.hpp) ---
  prepared_query_state& prepared_queries() { return prepared_queries_; }
  const prepared_query_state& prepared_queries() const { return prepared_queries_; }

  // --- transactions: all-or-nothing KV batches ---
  struct kv_snapshot {
    std::map<std::string, kv_entry> kvs;
    std::map<std::string, std::uint64_t> tombstones;
  };
  kv_snapshot save_kv() const { return {kvs_, tombstones_}; }
  void restore_kv(kv_snapshot s) {
    kvs_ = std::move(s.kvs);
    tombstones_ = std::move(s.tombstones);
  }

  // --- autopilot configuration (Consul's leader writes its defaults at start) ---
  const std::optional<autopilot_config>& autopilot() const { return autopilot_; }
  void set_autopilot(write_txn& w, autopilot_config c);

  // --- user events: not raft writes in Consul, so they take no index; watchers of tbl_events
  // are told at once ---
  // The next Lamport time; every fired event takes one, delivered here or not.
  std::uint64_t next_event_ltime() { return ++event_ltime_; }
  // Keeps `e` among the newest 256 events.
  void add_event(event_record e);
  const std::deque<event_record>& events() const { return events_; }

  // --- faults ---
  // Moves every table index, service index and KV read index forward without changing any
  // content (no ModifyIndex moves).
  void churn(write_txn& w);
  // Makes every index go back to `to`, as after a snapshot restore.
  void reset_indexes(std::uint64_t to);

  // Called by write_txn.
  std::uint64_t begin_write() { return ++last_index_; }
  void end_write(std::uint64_t index, unsigned touched);

 private:
  // Stores `e` (Session and LockIndex as the caller decided) unless it equals what is stored.
  bool put_kv(write_txn& w, kv_entry e);
  void touch_table(unsigned tables, std::uint64_t index);
  void touch_service_name(const std::string& name, std::uint64_t index);
  void touch_node_services(const std::string& node, std::uint64_t index);
  void invalidate_sessions_for_check(write_txn& w, const std::string& node, const std::string& check_id);
  void after_service_removed(write_txn& w, const std::string& name);
  void index_service(const service_record& s);
  void unindex_service(const service_record& s);
  void index_check(const check_record& c);
  void unindex_check(const check_record& c);

  using node_key = std::pair<std::string, std::string>;  // (node, id)

  std::function<void(unsigned)> on_change_;
  std::uint64_t last_index_ = 0;
  std::map<unsigned, std::uint64_t> table_indexes_;  // single-bit table -> index
  std::map<std::string, std::uint64_t> service_indexes_;
  std::uint64_t service_extinction_index_ = 0;
  // churn(): KV reads report at least this, so KV watchers wake too (their index is otherwise
  // their entries' ModifyIndex, which churn leaves alone).
  std::uint64_t kv_churn_index_ = 0;

  virtual_ip_table virtual_ips_;
  std::map<std::string, node_record> nodes_;
  std::map<node_key, service_record> services_;
  std::map<node_key, check_record> checks_;
  // Secondary indexes over services_ and checks_ (node_checks needs none: checks_ is ordered by
  // node). Map nodes never move, so the pointers stay valid until their record is erased; every
  // write that adds, renames or removes a record updates them before anything reads them.
  std::map<std::string, std::map<node_key, const service_record*>> services_by_name_;
  // (node, service ID; "" for node-level checks) -> check ID -> check.
  std::map<node_key, std::map<std::string, const check_record*>> checks_by_instance_;
  // Service checks by the ServiceName they carry -> (node, check ID) -> check.
  std::map<std::string, std::map<node_key, const check_record*>> checks_by_service_name_;
  std::map<std::string, std::map<node_key, const check_record*>> checks_by_status_;
  std::map<std::string, kv_entry> kvs_;
  std::map<std::string, std::uint64_t> tombstones_;
  std::map<std::string, std::chrono::steady_clock::time_point> lock_delays_;
  std::map<std::string, session_record> sessions_;
  std::optional<autopilot_config> autopilot_;
  std::uint64_t event_ltime_ = 0;
  std::deque<event_record> events_;
  prepared_query_state prepared_queries_;
};

}  // namespace coconsul::dev
