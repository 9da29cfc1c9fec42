#pragma once
// One config source (a parsed file, the flags) checked against Consul's key table and
// rewritten with the table's key spellings, so sources merge key by key. A single `service` or
// `check` becomes one more entry of `services` or `checks`, as Consul's builder does before it
// merges. Unknown keys and wrong types are refused with Consul's texts. No I/O.

#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace coconsul::dev::config {

struct normalized {
  boost::json::object config;
  std::vector<std::string> ignored;   // keys set here that coconsul accepts and ignores
  std::vector<std::string> warnings;  // what Consul warns about (acl_enforce_version_8)
};

// `source_name` is what errors name: the file's path, "flags", ...
// Throws config_error: "failed to parse <source>: 1 error occurred:\n\t* invalid config key x\n\n".
normalized normalize(std::string_view source_name, const boost::json::object& raw);

}  // namespace coconsul::dev::config
