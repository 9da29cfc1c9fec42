#pragma once
// How deep a recursive reader may go: the one bound for every parser that nests (request JSON,
// ?filter expressions, and what comes later), so deep input is an error, never a stack overflow.

#include <cstddef>
#include <string>
#include <string_view>

namespace coconsul::core {

// Go's encoding/json stops at 10,000 levels (its maxNestingDepth), so no body Consul accepts
// nests deeper; the same bound keeps a recursive descent far inside an 8 MiB thread stack.
inline constexpr std::size_t max_nesting_depth = 10000;

// The message a reader reports when input nests past the bound ("what" names the input).
inline std::string nesting_too_deep(std::string_view what) {
  std::string m(what);
  m += " exceeds max depth of ";
  m += std::to_string(max_nesting_depth);
  return m;
}

}  // namespace coconsul::core
