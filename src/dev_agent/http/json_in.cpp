// Strict, Go-compatible decoding of request bodies (see json_in.hpp).

#include "dev_agent/http/json_in.hpp"

#include <boost/beast/core/string.hpp>

#include "core/json_parse.hpp"
#include "core/nesting.hpp"
#include "core/text.hpp"

#include <coconsul/duration.hpp>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <vector>

namespace coconsul::dev {
namespace json = boost::json;

json::value parse_body(std::string_view body) {
  std::size_t start = body.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) throw body_decode_error("EOF");
  // Go's limit, not Boost.JSON's default of 32: a body Consul decodes must decode here.
  json::parse_options opts;
  opts.max_depth = core::max_nesting_depth;
  core::json_parser p(opts);
  boost::system::error_code ec;
  std::size_t used = p.write_some(body, ec);
  if (!ec && !p.done()) p.finish(ec);
  if (ec) {
    if (used >= body.size()) throw body_decode_error("unexpected EOF");
    char c = body[used];
    // Go's scanner names the byte that opened one level too many.
    if (ec == json::error::too_deep) throw body_decode_error(std::string("invalid character '") + c + "' exceeded max depth");
    throw body_decode_error(std::string("invalid character '") + c + "' looking for beginning of value");
  }
  // Go names the field and its type; the literal is what a client needs to find it.
  if (const auto& n = p.overflowed())
    throw body_decode_error("json: cannot unmarshal number " + *n + " into Go value of type float64");
  // A zero with a huge exponent ("0e999") is 0 as Go reads it: core::json_parser's doing.
  return p.release();
}

namespace {
std::string_view json_kind_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string: return "string";
    case json::kind::bool_: return "bool";
    case json::kind::array: return "array";
    case json::kind::object: return "object";
    case json::kind::null: return "null";
    default: return "number";
  }
}

}  // namespace

const char* go_type_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string: return "string";
    case json::kind::bool_: return "bool";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "float64";  // every number, in interface{}
    case json::kind::array: return "[]interface {}";
    case json::kind::object: return "map[string]interface {}";
    case json::kind::null: return "<nil>";
  }
  return "<nil>";
}

namespace {

json_context child(const json_context& ctx, std::string_view name) {
  json_context c{ctx.type_name, ctx.path};
  if (!c.path.empty()) c.path += '.';
  c.path += name;
  return c;
}
}  // namespace

namespace {
// Go's UnmarshalTypeError text: "json: cannot unmarshal <what> into Go ... of type <go_type>".
[[noreturn]] void throw_unmarshal_error(std::string_view what, const json_context& ctx, std::string_view go_type) {
  std::string msg = "json: cannot unmarshal ";
  msg += what;
  if (ctx.path.empty()) {
    msg += " into Go value of type ";
  } else {
    msg += " into Go struct field ";
    msg += ctx.type_name;
    msg += '.';
    msg += ctx.path;
    msg += " of type ";
  }
  msg += go_type;
  throw body_decode_error(msg);
}
}  // namespace

void throw_type_error(const json::value& v, const json_context& ctx, std::string_view go_type) {
  throw_unmarshal_error(json_kind_name(v), ctx, go_type);
}

std::string number_literal(const json::value& v) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (!v.is_double()) return {};
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v.get_double());
  std::string text(buf, r.ptr);
  // Go writes what the client sent; "1e30" is likelier than to_chars' "1e+30" or "1e-07".
  if (auto e = text.find('e'); e != std::string::npos) {
    std::size_t digits = e + 1;
    if (digits < text.size() && text[digits] == '+') text.erase(digits, 1);
    if (digits < text.size() && text[digits] == '-') ++digits;
    while (digits + 1 < text.size() && text[digits] == '0') text.erase(digits, 1);
  }
  return text;
}

void throw_number_error(const json::value& v, const json_context& ctx, std::string_view go_type) {
  throw_unmarshal_error("number " + number_literal(v), ctx, go_type);
}

void decode_object(const json::value& v, const json_context& ctx, const std::vector<json_field>& fields) {
  if (v.is_null()) return;
  if (!v.is_object()) throw_type_error(v, ctx, ctx.path.empty() ? std::string("structs.") + std::string(ctx.type_name) : "struct");
  for (const auto& kv : v.get_object()) {
    std::string_view key = kv.key();
    const json_field* match = nullptr;
    // Go prefers an exact match, then a case-insensitive one.
    for (const auto& f : fields)
      if (f.name == key) match = &f;
    if (!match)
      for (const auto& f : fields)
        if (boost::beast::iequals(f.name, key)) {
          match = &f;
          break;
        }
    if (!match) throw body_decode_error("json: unknown field \"" + std::string(key) + "\"");
    if (kv.value().is_null()) continue;
    match->assign(kv.value(), child(ctx, match->name));
  }
}

json_field ignored_field(std::string_view name) {
  return {name, [](const json::value&, const json_context&) {}};
}

void assign(const json::value& v, std::string& out, const json_context& ctx) {
  if (!v.is_string()) throw_type_error(v, ctx, "string");
  out = v.get_string();
}

void assign(const json::value& v, bool& out, const json_context& ctx) {
  if (!v.is_bool()) throw_type_error(v, ctx, "bool");
  out = v.get_bool();
}

// Go's literalStore reads an integer field with strconv.ParseInt/ParseUint on the literal, so
// a fraction or an exponent ("1.5", "1e3") fails like a value out of range: "number X".
void assign(const json::value& v, int& out, const json_context& ctx) {
  if (!v.is_number()) throw_type_error(v, ctx, "int");
  // Consul's Go builds have a 64-bit int; ours is 32: past it is the same error as past Go's.
  if (v.is_int64() && v.get_int64() >= std::numeric_limits<int>::min() &&
      v.get_int64() <= std::numeric_limits<int>::max()) {
    out = static_cast<int>(v.get_int64());
  } else if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<int>::max())) {
    out = static_cast<int>(v.get_uint64());
  } else {
    throw_number_error(v, ctx, "int");
  }
}

void assign(const json::value& v, std::uint64_t& out, const json_context& ctx) {
  if (!v.is_number()) throw_type_error(v, ctx, "uint64");
  if (v.is_uint64()) {
    out = v.get_uint64();
  } else if (v.is_int64() && v.get_int64() >= 0) {
    out = static_cast<std::uint64_t>(v.get_int64());
  } else {
    throw_number_error(v, ctx, "uint64");
  }
}

void assign(const json::value& v, std::vector<std::string>& out, const json_context& ctx) {
  if (!v.is_array()) throw_type_error(v, ctx, "[]string");
  out.clear();
  for (const auto& e : v.get_array()) {
    if (e.is_null()) {
      out.emplace_back();
      continue;
    }
    if (!e.is_string()) throw_type_error(e, ctx, "string");
    out.emplace_back(e.get_string());
  }
}

void assign(const json::value& v, std::map<std::string, std::string>& out, const json_context& ctx) {
  if (!v.is_object()) throw_type_error(v, ctx, "map[string]string");
  out.clear();
  for (const auto& kv : v.get_object()) {
    if (kv.value().is_null()) {
      out[std::string(kv.key())] = "";
      continue;
    }
    if (!kv.value().is_string()) throw_type_error(kv.value(), ctx, "string");
    out[std::string(kv.key())] = std::string(kv.value().get_string());
  }
}

void assign(const json::value& v, std::map<std::string, std::vector<std::string>>& out, const json_context& ctx) {
  if (!v.is_object()) throw_type_error(v, ctx, "map[string][]string");
  out.clear();
  for (const auto& kv : v.get_object()) {
    std::vector<std::string> values;
    if (!kv.value().is_null()) assign(kv.value(), values, ctx);
    out[std::string(kv.key())] = std::move(values);
  }
}

void assign(const json::value& v, go_duration& out, const json_context& ctx) {
  // Consul's UnmarshalJSON takes a duration string or a float64 of nanoseconds; a number
  // outside int64 (where Go's conversion is undefined) is refused as encoding/json refuses it.
  constexpr double two_63 = 9223372036854775808.0;
  if (v.is_string()) {
    std::string_view text = v.get_string();
    auto d = try_parse_duration(text);
    if (!d) throw body_decode_error("time: invalid duration " + core::quoted(text));
    out.value = *d;
  } else if (v.is_int64()) {
    out.value = std::chrono::nanoseconds(v.get_int64());
  } else if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    out.value = std::chrono::nanoseconds(static_cast<std::int64_t>(v.get_uint64()));
  } else if (v.is_double() && v.get_double() >= -two_63 && v.get_double() < two_63) {
    out.value = std::chrono::nanoseconds(static_cast<std::int64_t>(v.get_double()));  // truncates, as Go
  } else if (v.is_number()) {
    throw_number_error(v, ctx, "time.Duration");
  } else {
    throw_type_error(v, ctx, "time.Duration");
  }
}

void assign(const json::value& v, json::value& out, const json_context&) { out = v; }

}  // namespace coconsul::dev
