#pragma once
// JSON output exactly as Consul writes it: Go's encoding/json (HTML-safe string escapes) and, in
// dev mode or with ?pretty, json.MarshalIndent with four spaces plus a trailing newline.

#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace coconsul::dev {

// Go's MarshalIndent(v, "", "    ") followed by "\n".
std::string render_pretty(const boost::json::value& v);

// Go's MarshalIndent(v, "", indent), no trailing newline (the CLI prints with "\t", as Consul's).
std::string render_indented(const boost::json::value& v, std::string_view indent);

// Go's Marshal(v): compact.
std::string render_compact(const boost::json::value& v);

}  // namespace coconsul::dev
