#pragma once
// Consul's configuration keys (agent/config/config.go of the Consul release the agent follows),
// each with the JSON type Consul decodes it as and what coconsul does with it: uses it, or
// accepts it and ignores it. A key not in the table is what Consul calls "invalid config key".
// The same table serves config files and command-line flags (a flag names the key it sets).

#include <string_view>
#include <vector>

namespace coconsul::dev::config {

enum class key_type {
  string,
  integer,
  boolean,
  strings,     // an array of strings
  string_map,  // an object of string values (node_meta, ...)
  object,      // an object whose own keys are in the table
  opaque,      // any value, not looked into (blocks coconsul ignores whole, free-form maps)
  definition,  // a service or check definition object (decoded when registered)
  definitions, // an array of those
};

enum class key_use {
  used,     // changes what the agent does or reports
  ignored,  // accepted as Consul accepts it, listed once at start, no effect here
};

struct key_rule {
  std::string_view path;  // dotted, lower case: "ports.http"
  key_type type;
  key_use use;
};

// The rule for `key` (matched case-insensitively, as Consul's decoder does) inside the object
// at `parent` ("" for the top level), or null when Consul would not know the key.
const key_rule* find_key(std::string_view parent, std::string_view key);

// Every rule, in the table's order (for the docs' table and its test).
const std::vector<key_rule>& all_keys();

}  // namespace coconsul::dev::config
