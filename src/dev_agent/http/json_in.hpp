#pragma once
// Strict request decoding the way Consul does it: Go's encoding/json with DisallowUnknownFields.
// Keys match field names case-insensitively, unknown keys are an error, null leaves the field
// alone, and a wrong JSON type is an error that names the field. Error texts are Go's, so the
// 400 bodies read like Consul's ("Request decode failed: json: unknown field \"Foo\"").

#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul::dev {

// A body that cannot be decoded; what() is the Go error text.
class body_decode_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses one JSON value from `body` (trailing bytes ignored, as Go's Decoder.Decode does),
// nesting at most core::max_nesting_depth levels, as Go's scanner.
// Throws body_decode_error ("EOF" for an empty body).
boost::json::value parse_body(std::string_view body);

// Where a value sits, for error messages: the Go type of the outermost struct and the dotted
// field path inside it.
struct json_context {
  std::string_view type_name;
  std::string path;
};

// One field of a Go struct: its JSON name and how to take a value.
struct json_field {
  std::string_view name;
  std::function<void(const boost::json::value&, const json_context&)> assign;
};

// Decodes `v` (which must be an object) field by field. Throws body_decode_error.
void decode_object(const boost::json::value& v, const json_context& ctx, const std::vector<json_field>& fields);

// Go duration fields in Consul's structs accept a duration string or a number of nanoseconds.
struct go_duration {
  std::chrono::nanoseconds value{0};
};

// Value assignment for the field types the dev agent's request bodies use.
void assign(const boost::json::value& v, std::string& out, const json_context& ctx);
void assign(const boost::json::value& v, bool& out, const json_context& ctx);
void assign(const boost::json::value& v, int& out, const json_context& ctx);
void assign(const boost::json::value& v, std::uint64_t& out, const json_context& ctx);
void assign(const boost::json::value& v, std::vector<std::string>& out, const json_context& ctx);
void assign(const boost::json::value& v, std::map<std::string, std::string>& out, const json_context& ctx);
void assign(const boost::json::value& v, std::map<std::string, std::vector<std::string>>& out,
            const json_context& ctx);
void assign(const boost::json::value& v, go_duration& out, const json_context& ctx);
void assign(const boost::json::value& v, boost::json::value& out, const json_context& ctx);

// Binds a field name to a variable.
template <class T>
json_field field(std::string_view name, T& out) {
  return {name, [&out](const boost::json::value& v, const json_context& ctx) { assign(v, out, ctx); }};
}

// A field Consul accepts and ignores.
json_field ignored_field(std::string_view name);

// The Go type of a JSON value decoded into interface{}, as Go's %T and mapstructure's errors
// name it: "string", "bool", "float64", "[]interface {}", "map[string]interface {}", "<nil>".
// A literal, so it joins std::string and string_view texts alike.
const char* go_type_name(const boost::json::value& v);

// The error Go reports for a value of the wrong JSON type.
[[noreturn]] void throw_type_error(const boost::json::value& v, const json_context& ctx, std::string_view go_type);

// The error Go reports for a number its field cannot hold (out of range, or a fraction for an
// integer): "json: cannot unmarshal number 1e30 into Go struct field CheckType.TTL of type ...".
[[noreturn]] void throw_number_error(const boost::json::value& v, const json_context& ctx, std::string_view go_type);

// A number as Go's error quotes it. Boost.JSON keeps no source text, so a double is written in
// its shortest form ("1e30", "1.5"; "2.0" comes back as "2").
std::string number_literal(const boost::json::value& v);

}  // namespace coconsul::dev
