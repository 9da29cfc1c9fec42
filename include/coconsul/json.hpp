#pragma once
// JSON for the model types (include/coconsul/model/): decode Consul's bodies, encode ours.
//
// Decoding is tolerant, as Consul's own Go client is: unknown fields are ignored, absent
// fields keep their defaults, null reads as empty (lists, maps, strings) or nullopt, keys
// match exactly first and then ignoring case and underscores ("address" and "Address",
// "deregister_critical_service_after"), durations are Go strings ("10s") or integer
// nanoseconds. A known field of the wrong type is an error that names its path.
//
// Encoding is exact: only fields Consul knows, in their exact names, and (by default) unset
// ones left out as Go's `omitempty` does, because Consul rejects request bodies with unknown
// fields.
//
// T is a model type, std::vector or std::map<std::string, ...> of one, or one of std::string,
// bool, std::vector<std::string>, std::map<std::string, std::string> and
// std::map<std::string, std::vector<std::string>>. The definitions are compiled into the
// library (src/protocol/), so other types do not link.

#include <coconsul/error.hpp>

#include <string>
#include <string_view>
#include <utility>

namespace coconsul {

enum class encode_mode {
  // Leave out empty strings, empty lists and maps, false, zero numbers and durations,
  // nullopt, and objects left empty: what Consul's Go client sends in request bodies.
  omit_empty,
  // Every field (nullopt excepted), as Consul writes its responses: "" and [] included.
  all_fields,
};

// Decodes body into out. On failure returns errc::decode_error, leaves out unchanged, and
// diag.message says what was wrong: "invalid JSON at offset 57 (line 12, column 5): syntax
// error", or "decode error: [2].Service.Port: expected a number, got string".
template <class T>
error_code decode_json(std::string_view body, T& out, diagnostics& diag);

// The same, throwing coconsul::error on failure.
template <class T>
T decode_json(std::string_view body) {
  T out{};
  diagnostics diag;
  throw_if(decode_json(body, out, diag), diag);
  return out;
}

// Compact JSON for value.
template <class T>
std::string encode_json(const T& value, encode_mode mode = encode_mode::omit_empty);

}  // namespace coconsul
