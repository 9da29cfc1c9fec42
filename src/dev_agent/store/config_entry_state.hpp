#pragma once
// Consul's config-entries table (agent/consul/state/config_entry.go): entries by (kind, name),
// each kept as the JSON Consul renders, with its raft indexes. What an entry may contain, and
// how it relates to other entries, is the config_entries/ layer's business, not this table's.

#include "dev_agent/store/state.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coconsul::dev {

struct config_entry_record {
  std::string kind;          // Consul's kind: "service-defaults", "service-intentions", ...
  std::string name;
  boost::json::object body;  // the entry as Consul renders it, without CreateIndex/ModifyIndex
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;
};

class config_entry_state {
 public:
  const config_entry_record* find(std::string_view kind, std::string_view name) const;
  // By name within a kind, kinds in their name order; "" lists every kind.
  std::vector<const config_entry_record*> list(std::string_view kind) const;
  // cas: none = upsert; 0 = only if absent; N = only if ModifyIndex == N. False: CAS failed.
  // A write identical to the stored entry succeeds whatever its cas, keeps the indexes and
  // wakes no one (Consul's shouldSkipOperation); any other touches tbl_config_entries.
  bool put(write_txn& w, config_entry_record e, std::optional<std::uint64_t> cas = std::nullopt);
  // cas as for put. Deleting what is absent succeeds, with a cas or not, and changes nothing
  // (no index moves), as Consul skips it.
  bool erase(write_txn& w, std::string_view kind, std::string_view name,
             std::optional<std::uint64_t> cas = std::nullopt);

  // The index of the table's last write (Consul's "config-entries" index), for blocking reads.
  std::uint64_t table_index() const { return index_; }
  std::size_t size() const { return entries_.size(); }

 private:
  using key = std::pair<std::string, std::string>;  // (kind, name)
  // Compares (kind, name) pairs of strings or views, so lookups need no copies.
  struct key_less {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return std::pair<std::string_view, std::string_view>(a.first, a.second) <
             std::pair<std::string_view, std::string_view>(b.first, b.second);
    }
  };
  std::map<key, config_entry_record, key_less> entries_;
  std::uint64_t index_ = 0;
};

}  // namespace coconsul::dev
