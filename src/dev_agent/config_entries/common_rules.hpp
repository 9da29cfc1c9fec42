#pragma once
// Rules several kinds share, with Consul's texts: the Meta bounds (validateConfigEntryMeta),
// the header modifiers, connection balancing, the discovery chain protocols.

#include "dev_agent/config_entries/errors.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace coconsul::dev::config_entries {

// validateConfigEntryMeta: at most 64 pairs, keys up to 128 bytes, values up to 512. Appends
// each problem to `errors`.
void check_meta(const boost::json::object& entry, multi_error& errors);
// The same as a single result (nullopt when fine).
std::optional<std::string> meta_error(const boost::json::object& entry);

// isValidConnectionBalance: "" or "exact_balance".
bool valid_connection_balance(std::string_view v);

// IsProtocolHTTPLike: http, http2, grpc.
bool http_like(std::string_view protocol);

}  // namespace coconsul::dev::config_entries
