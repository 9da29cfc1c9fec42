#pragma once
// The config entry kinds of Consul 1.14 as one table: for each kind its name, its
// normalize+validate hook (Consul's Normalize then Validate, plus some checks its state store
// makes against other entries on write; the discovery chains' are check_write's, after the ACL
// check) and its ACL rules (CanRead/CanWrite). The endpoints
// look a kind up here and call its hooks; nothing else knows kinds. Decoding the request body
// (lenient keys, durations) happens before, in decode.hpp; the hook sees CamelCase keys only.

#include "dev_agent/acl/authorizer.hpp"
#include "dev_agent/store/config_entry_state.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace coconsul::dev::config_entries {

// What a hook may look at besides the entry itself.
struct kind_context {
  const config_entry_state& entries;           // the stored entries, for checks against others
  const config_entry_record* existing;         // the entry this write replaces, or null
  std::chrono::system_clock::time_point now;   // the write's time (intentions stamp it)
  std::string_view datacenter;
  bool connect_enabled = true;                 // Consul's preflightCheck refuses some kinds without it
};

// Normalizes `entry` in place (defaults filled in, as Consul renders them) and validates it.
// nullopt: valid. Otherwise Consul's error text (the endpoint answers 500 with it).
using normalize_validate_fn = std::optional<std::string> (*)(boost::json::object& entry, const kind_context&);
// CanRead/CanWrite: the first decision that denies, or an allowing one.
using acl_fn = acl::verdict (*)(const acl::authorizer&, const boost::json::object& entry);

struct kind_info {
  std::string_view name;  // "service-defaults", ...
  normalize_validate_fn normalize_validate;
  acl_fn can_read;
  acl_fn can_write;
};

// Every kind, in Consul's order (structs.AllConfigEntryKinds).
std::span<const kind_info> all_kinds();
// The kind named `name` (exact, as Consul's MakeConfigEntry), or null.
const kind_info* find_kind(std::string_view name);

// The name an entry of `kind` is stored under once its hook ran: mesh's is always "mesh", an
// unnamed proxy-defaults is "global"; every other kind's is its Name.
std::string entry_name(std::string_view kind, const boost::json::object& entry);

// What Consul's state store checks before deleting (kind, name): the discovery chains the
// deletion would break. nullopt: the delete may go ahead.
std::optional<std::string> check_delete(const config_entry_state& entries, std::string_view kind, std::string_view name);
// The same before writing `entry` (normalized, as it will be stored) as (kind, name). Consul's
// state store runs it when the write is applied, after the RPC's ACL check: so after can_write.
std::optional<std::string> check_write(const config_entry_state& entries, std::string_view kind, std::string_view name,
                                       const boost::json::object& entry);

// The service-intentions kind's rules (service_intentions.cpp, the intentions' own file).
std::optional<std::string> normalize_validate_service_intentions(boost::json::object& entry, const kind_context& ctx);

}  // namespace coconsul::dev::config_entries
