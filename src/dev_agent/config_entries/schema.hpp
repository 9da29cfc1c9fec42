#pragma once
// What a config entry of each kind may contain: its Go struct's fields, in their order, with
// their JSON types and whether encoding/json omits them when empty. The decoder reads bodies
// by it (keys matched as Consul's mapstructure does) and the renderer writes entries by it (as
// json.Marshal writes the struct). Data only; no kind's rules here.

#include <span>
#include <string_view>

namespace coconsul::dev::config_entries {

enum class field_type {
  string,
  boolean,
  integer,      // Go int/uint32/uint64: a whole number
  number,       // float32 (split weights)
  duration,     // time.Duration rendered as Go's String() ("5s"): the kinds' own MarshalJSON
  duration_ns,  // time.Duration rendered as nanoseconds (no custom MarshalJSON)
  timestamp,    // time.Time as RFC 3339
  strings,      // []string
  integers,     // []uint32
  string_map,   // map[string]string
  any_map,      // map[string]interface{}: kept as given, keys untouched
  object,       // a struct, rendered even when empty
  object_ptr,   // *struct: rendered when given, even empty
  objects,      // []struct
  object_map,   // map[string]struct
};

struct schema;

struct field {
  std::string_view name;  // the Go field name, which is its JSON key
  field_type type;
  // encoding/json's omitempty: left out when zero ("", false, 0, empty list or map, nil).
  // Structs are never left out (Go's omitempty does not apply to them); pointers only when nil.
  bool omitempty = true;
  const schema* sub = nullptr;  // for object, object_ptr, objects, object_map
  bool pointer = false;         // *int / *uint32 / *bool: left out only when nil
};

struct schema {
  std::string_view go_type;  // for error messages: "ServiceConfigEntry"
  std::span<const field> fields;
  const field* find(std::string_view key) const;  // exact field name
};

// The entry schema of a kind (kinds.hpp names them), or null for an unknown kind.
const schema* entry_schema(std::string_view kind);

// The snake_case alias Consul accepts for a field (HookTranslateKeys): "ExternalSNI" ->
// "external_sni", "TLSMinVersion" -> "tls_min_version".
std::string snake_alias(std::string_view name);

}  // namespace coconsul::dev::config_entries
