#pragma once
// Intentions as the legacy API and Connect's decisions see them, over service-intentions
// entries (agent/structs/intention.go, agent/consul/state/config_entry_intention.go,
// agent/connect_auth.go): each source of an entry as one structs.Intention, precedence order,
// match by source or destination, the check and authorize decisions, the legacy writes as
// edits of an entry, and the JSON both ways. Pure: the endpoints bring the entries and the time.

#include "dev_agent/config_entries/service_intentions.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul::dev::config_entries {

// structs.Intention (CE: namespaces "default", no partitions).
struct intention {
  std::string id;  // LegacyID; empty for intentions written as config entries
  std::string description;
  std::string source_ns = "default", source_name;
  std::string destination_ns = "default", destination_name;
  std::string source_peer;
  std::string source_type = "consul";
  std::string action;  // empty with permissions
  std::vector<intention_permission> permissions;
  std::map<std::string, std::string> meta;
  int precedence = 0;
  std::string created_at, updated_at;  // Go's time.Time text; empty: the zero time
  std::uint64_t create_index = 0, modify_index = 0;
};

// One stored entry with its raft indexes (the entry's, which every intention in it shares).
struct stored_entry {
  intentions_entry entry;
  std::uint64_t create_index = 0, modify_index = 0;
};

// ToIntention: a source of `e` as an intention (Meta is the legacy meta for a legacy one, the
// entry's otherwise).
intention to_intention(const stored_entry& e, const source_intention& src);

// IntentionPrecedenceSorter: precedence high to low, then source and destination names.
void sort_by_precedence(std::vector<intention>& ixns);

// Every intention of every entry, in precedence order (Intention.List).
std::vector<intention> all_intentions(const std::vector<stored_entry>& entries);

enum class match_type { source, destination };

// IntentionMatch for one name: the intentions whose source (or destination) is `name` or "*",
// in precedence order. Source matches leave out peered sources.
std::vector<intention> match(const std::vector<stored_entry>& entries, match_type by, std::string_view name);

// The intention with this legacy ID, or nullopt.
std::optional<intention> find_by_id(const std::vector<stored_entry>& entries, std::string_view id);
// Why go-memdb's UUID index refuses `id` as a lookup key ("UUID must be 36 characters",
// "Invalid UUID: encoding/hex: invalid byte: U+0067 'g'", ...), or nullopt when it takes it.
std::optional<std::string> uuid_lookup_error(std::string_view id);

// The intention from `source` (of `peer`, "" for a local one) to `destination` exactly.
std::optional<intention> find_exact(const std::vector<stored_entry>& entries, std::string_view source,
                                    std::string_view destination, std::string_view peer = {});

// Intention.String(): "default/web => default/db (ID: <id>, Precedence: 9, Action: ALLOW)",
// the ID part only for a legacy intention, "Permissions: N" in place of the action for L7.
std::string describe(const intention& ixn);

// Intention.Check's decision for source -> destination given the destination's matches (by
// precedence): the first intention whose source covers the source decides; one with L7
// permissions denies; none: `default_allow`.
bool check_allowed(const std::vector<intention>& destination_matches, std::string_view source_ns,
                   std::string_view source_name, bool default_allow);

// ConnectAuthorize's answer once the request was validated.
struct authorize_result {
  bool authorized = false;
  std::string reason;
};
authorize_result authorize(const std::vector<intention>& target_matches, std::string_view source_ns,
                           std::string_view source_name, bool default_allow);

// --- the legacy writes, as edits of the destination's entry ------------------------------

// The decoded body of a legacy write (structs.Intention as JSON, strict as lib.DecodeJSON).
struct intention_body {
  intention ixn;  // namespaces and SourceType as sent ("" when absent)
  bool has_permissions = false;
  std::string source_partition, destination_partition;
};
// Reads a legacy body. Throws http_error{status, prefix + Go's json error} when it cannot
// ("Failed to decode request body: " 500 for POST, "Request decode failed: " 400 for PUT).
intention_body decode_intention(std::string_view body, unsigned status, std::string_view prefix);

// What a legacy write does to the entries: the entry to store (by its Name), or the entry to
// delete (`erase`), or nothing; `error` with Consul's text (HTTP 500) when refused.
struct entry_edit {
  std::optional<intentions_entry> put;
  std::optional<std::string> erase;  // the entry's name
  std::optional<std::string> error;
  std::string id;  // the legacy ID created or updated
};

// Consul's Intention.Apply for create (POST), its state's intentionMutationLegacyCreate, on top
// of the destination's entry (`existing`, or null). `id` is the new UUID, `now` Go's time text.
entry_edit legacy_create(const intention_body& body, const intentions_entry* existing, std::string id,
                         const std::string& now);
// ... update (PUT /:id): `current` is the entry holding the ID.
entry_edit legacy_update(const intention_body& body, const intentions_entry& current, std::string_view id,
                         const std::string& now);
// ... delete (DELETE /:id).
entry_edit legacy_delete(const intentions_entry& current, std::string_view id);
// Upsert by name (PUT /exact): the config-entry form of one source.
entry_edit upsert_exact(const intention_body& body, const intentions_entry* existing, std::string_view source,
                        std::string_view destination);
// Delete by name (DELETE /exact); nothing when absent.
entry_edit delete_exact(const intentions_entry* existing, std::string_view source);

// The validation errors of the legacy Intention (multierror text), or nullopt.
std::optional<std::string> validate_legacy(const intention& ixn, bool has_permissions);

// --- JSON out ----------------------------------------------------------------------------

// The intention as Consul renders it (a legacy one with its Hash, base64).
boost::json::object render_intention(const intention& ixn);

// Intention.SetHash: BLAKE2b-256 of the legacy fields, for a legacy intention (its JSON's Hash).
std::string legacy_hash(const intention& ixn);

}  // namespace coconsul::dev::config_entries
