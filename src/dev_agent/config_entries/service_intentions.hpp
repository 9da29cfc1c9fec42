#pragma once
// The service-intentions config entry kind as Consul 1.14 has it
// (agent/structs/config_entry_intentions.go): a typed view of the entry's JSON, its Normalize
// and Validate (the config-entry form and the legacy API's form), and the JSON as Consul
// renders it. Pure: it reads the stored entries it is given, and does no I/O. CE only: every namespace and partition is "default".

#include "dev_agent/store/config_entry_state.hpp"

#include <boost/json/object.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul::dev::config_entries {

// IntentionHTTPHeaderPermission.
struct http_header_permission {
  std::string name;
  bool present = false;
  std::string exact, prefix, suffix, regex;
  bool invert = false;
};

// IntentionHTTPPermission.
struct http_permission {
  std::string path_exact, path_prefix, path_regex;
  std::vector<http_header_permission> header;
  std::vector<std::string> methods;
};

// IntentionPermission: an L7 rule.
struct intention_permission {
  std::string action;                  // allow | deny
  std::optional<http_permission> http;  // required by Validate
};

// SourceIntention: one source of a destination's intentions.
struct source_intention {
  std::string name;
  std::string action;  // allow | deny; empty with Permissions
  std::vector<intention_permission> permissions;
  int precedence = 0;
  std::string legacy_id;  // the legacy API's ID; only intentions written through it have one
  std::string type;       // "consul"
  std::string description;
  std::optional<std::map<std::string, std::string>> legacy_meta;
  std::optional<std::string> legacy_create_time, legacy_update_time;  // Go's time.Time text
  std::string peer;
};

// ServiceIntentionsConfigEntry.
struct intentions_entry {
  std::string name;  // the destination
  std::vector<source_intention> sources;
  std::map<std::string, std::string> meta;
};

// computeIntentionPrecedence: 9/8/7 for an exact destination, 6/5/4 for a wildcard name in a
// namespace, 3/2/1 for both wildcards; the source's exactness picks within (in CE, where the
// namespace is always exact: exact->exact 9, *->exact 8, exact->* 6, *->* 5).
int intention_precedence(std::string_view destination_ns, std::string_view destination_name,
                         std::string_view source_ns, std::string_view source_name);

// Reads the entry's JSON (CamelCase keys). nullopt on success; otherwise what is wrong.
std::optional<std::string> parse_intentions_entry(const boost::json::object& body, intentions_entry& out);

// Consul's normalize(legacyWrite): source types defaulted, precedence computed, methods upper-
// cased, sources ordered by precedence (stable). The config-entry form clears the legacy ID and
// times (not LegacyMeta, so that Validate can refuse it); the legacy form gives LegacyMeta.
void normalize(intentions_entry& e, bool legacy);

// Consul's validate(legacyWrite): nullopt or Consul's error text.
std::optional<std::string> validate(const intentions_entry& e, bool legacy);

// Whether any source has L7 permissions, and whether the destination is "*".
bool has_any_permissions(const intentions_entry& e);
bool has_wildcard_destination(const intentions_entry& e);

// Consul's check on write that L7 permissions go to an HTTP-like service: nullopt, or
// `service "db" has protocol "tcp", which is incompatible with L7 intentions permissions`.
std::optional<std::string> check_l7_protocol(const intentions_entry& e, std::string_view protocol);

// protocolForService: the protocol of `service` from its service-defaults, else from
// proxy-defaults' Config.protocol, else "tcp".
std::string destination_protocol(const config_entry_state& entries, std::string_view service);

// The entry as Consul renders it (Kind, Name, Sources, Meta), without its raft indexes.
boost::json::object render(const intentions_entry& e);

}  // namespace coconsul::dev::config_entries
