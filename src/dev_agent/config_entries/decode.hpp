#pragma once
// Reading a PUT /v1/config body as Consul's DecodeConfigEntry does: the kind from "Kind" or
// "kind", then the kind's struct through mapstructure, leniently: keys match the field name in
// any case or its snake_case alias, values convert weakly ("5" for 5, "true" for true, one
// element for a list), durations are strings ("5s"); keys that match nothing are
// `invalid config key "X"`. And rendering an entry as json.Marshal writes the struct.

#include "dev_agent/config_entries/schema.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>

namespace coconsul::dev::config_entries {

struct decoded_entry {
  std::string kind;
  // The fields given, under their Go names, in canonical JSON: durations as Go strings for the
  // kinds that render them so, numbers of nanoseconds for the others.
  boost::json::object entry;
  // Non-empty when the body is refused: Consul's text, to follow "Request decoding failed: ".
  std::string error;
};

decoded_entry decode_entry(const boost::json::value& body);

// `body` decoded by `s` the same way but as the API's request structs are (mapstructure
// without ErrorUnused: keys that match no field are ignored). error: "" or mapstructure's text.
struct decoded_struct {
  boost::json::object value;
  std::string error;
};
decoded_struct decode_struct(const schema& s, const boost::json::object& body);

// `entry` as Consul renders the struct: the schema's fields in order, empty ones left out where
// Go's omitempty leaves them out, structs always present, nil lists as null; keys outside the
// schema dropped.
boost::json::object render_entry(const schema& s, const boost::json::object& entry);

}  // namespace coconsul::dev::config_entries
