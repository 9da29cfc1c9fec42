#pragma once
// Consul's prepared-queries table (agent/consul/state/prepared_query.go): definitions by ID,
// their name and template indexes, resolution of an ID or name (exact ID, exact name, then the
// longest-prefix template), and the deletion of session-bound queries with their session.
// What a definition may contain is checked by the endpoints; templates render in
// prepared_query_template.hpp.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul::dev {

class write_txn;

// structs.PreparedQuery. Lists and maps are optional where Go tells nil (rendered null) from
// empty (rendered [] or {}).
struct prepared_query_record {
  struct failover_target {
    std::string peer;
    std::string datacenter;
    bool operator==(const failover_target&) const = default;
  };
  struct service_query {
    std::string service;
    int nearest_n = 0;
    std::optional<std::vector<std::string>> datacenters;
    std::optional<std::vector<failover_target>> targets;
    bool only_passing = false;
    std::optional<std::vector<std::string>> ignore_check_ids;
    std::string near;
    std::optional<std::vector<std::string>> tags;
    std::optional<std::map<std::string, std::string>> node_meta;
    std::optional<std::map<std::string, std::string>> service_meta;
    std::string peer;
    bool connect = false;
    bool operator==(const service_query&) const = default;
  };
  std::string id;
  std::string name;
  std::string session;
  std::string token;
  std::string template_type;  // "" or "name_prefix_match"
  std::string template_regexp;
  bool remove_empty_tags = false;
  service_query service;
  std::string dns_ttl;
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool is_template() const { return !template_type.empty(); }
  bool operator==(const prepared_query_record&) const = default;
};

class prepared_query_state {
 public:
  const prepared_query_record* find(std::string_view id) const;
  // Every query, by ID.
  std::vector<const prepared_query_record*> list() const;
  // Consul's PreparedQueryResolve without the rendering: the query whose ID is `id_or_name`,
  // else the one of that name (any case), else the template whose name is the longest prefix
  // of it (any case; a template with an empty name matches everything). `query` null: none;
  // `by_prefix`: found as a template's prefix, so rendered with the name asked for (found by
  // ID or exact name, a template renders with its own name).
  struct resolution {
    const prepared_query_record* query = nullptr;
    bool by_prefix = false;
  };
  resolution resolve(std::string_view id_or_name) const;

  // Stores `q` (create or update by ID; CreateIndex kept), after the checks Consul's
  // PreparedQuerySet makes in its transaction: the name (or an empty template name) is not
  // another query's, and the name is no query's ID. The session must have been checked by
  // the caller. Returns Consul's error text, or "" when stored.
  std::string put(write_txn& w, prepared_query_record q);
  // False when no such query.
  bool erase(write_txn& w, std::string_view id);
  // Deletes the queries bound to a session being destroyed (Consul's deleteSessionTxn).
  void erase_session(write_txn& w, std::string_view session_id);

  // The index of the table's last write (Consul's "prepared-queries" index).
  std::uint64_t table_index() const { return index_; }

 private:
  std::map<std::string, prepared_query_record, std::less<>> by_id_;
  std::uint64_t index_ = 0;
};

}  // namespace coconsul::dev
