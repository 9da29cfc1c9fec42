#pragma once
// The HCL that `consul config write` reads, turned into the JSON value the same entry has:
// HCL 1's attributes (`Name = "web"`), blocks (`MeshGateway { Mode = "local" }`, repeated
// blocks as a list), lists, objects, strings with escapes, heredocs, numbers, booleans and
// comments. Not a general HCL implementation: no interpolation (`${...}` stays text), no
// HCL 2 expressions.

#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace coconsul::cli {

// Parses `text` into out (an object). On failure returns false and `why` says where
// ("line 3, column 9: expected a value").
bool parse_hcl(std::string_view text, boost::json::value& out, std::string& why);

}  // namespace coconsul::cli
