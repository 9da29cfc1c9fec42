#pragma once
// Reading values out of a request the way Go's standard library does (strconv), and the part of
// a path after a route's prefix.

#include "dev_agent/http/message.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coconsul::dev {

// Go's strconv.ParseBool.
std::optional<bool> parse_go_bool(std::string_view s);

// Go's strconv.ParseUint(s, 10, 64).
std::optional<std::uint64_t> parse_uint64(std::string_view s);

// The path after `prefix` (already percent-decoded).
std::string path_suffix(const http_request& req, std::string_view prefix);

}  // namespace coconsul::dev
