#pragma once
// JSON values as Consul's Go code sees them after encoding/json (numbers are float64), for the
// texts and conversions the jwt auth method's Go code makes of them: %T, %v, a float truncated
// to int64, strconv's float and integer forms. No I/O.

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coconsul::dev::acl {

// Go's %T of a value is coconsul::dev::go_type_name (dev_agent/http/json_in.hpp).

// Go's %v of the value: "[a b]", "map[k:v]" (keys sorted), "<nil>", floats as strconv 'g'.
std::string go_format_v(const boost::json::value& v);

// The JSON number as Go's float64 (false when `v` is not a number).
bool go_float(const boost::json::value& v, double& out);

// Go's int64(f) on amd64: truncation; NaN and values out of range give math.MinInt64.
std::int64_t go_float_to_int64(double f);

// strconv.FormatFloat(f, 'f', -1, 64): the shortest digits that read back, never an exponent.
std::string go_format_float_f(double f);

// strconv.ParseInt(s, 0, 64): sign, then 0x/0o/0b/0 prefixes and '_' separators. On failure
// nullopt and `error` is Go's text: `strconv.ParseInt: parsing "x": invalid syntax` (or
// "value out of range").
std::optional<std::int64_t> go_parse_int_base0(std::string_view s, std::string& error);

}  // namespace coconsul::dev::acl
