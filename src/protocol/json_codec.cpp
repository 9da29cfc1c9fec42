// The model's JSON conversions (see json_codec.hpp): tolerant decoding with messages that say
// which field and why, exact encoding.

#include "protocol/json_codec.hpp"

#include "core/json_parse.hpp"

#include "core/base64.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cmath>

namespace coconsul::protocol {
namespace {

std::string_view kind_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "number";
    case json::kind::string: return "string";
    case json::kind::array: return "array";
    case json::kind::object: return "object";
  }
  return "an unknown value";
}

bool fail(decode_failure& f, std::string message) {
  f.message = std::move(message);
  return false;
}

std::string number_text(const json::value& v) { return json::serialize(v); }

bool out_of_range(decode_failure& f, const json::value& v, std::string_view min,
                  std::string_view max) {
  std::string message = "number ";
  message += number_text(v);
  message += " is out of range (";
  message += min;
  message += " to ";
  message += max;
  message += ')';
  return fail(f, std::move(message));
}

// A double that holds a whole number (1e3, 8000.0): Consul never sends one for an integer
// field, but other JSON writers do.
bool whole(double d) { return std::isfinite(d) && std::trunc(d) == d; }

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Equal ignoring ASCII case and underscores: "TLSSkipVerify", "tls_skip_verify", "tlsskipverify".
bool loosely_equal(std::string_view a, std::string_view b) noexcept {
  std::size_t i = 0, j = 0;
  for (;;) {
    while (i < a.size() && a[i] == '_') ++i;
    while (j < b.size() && b[j] == '_') ++j;
    if (i == a.size() || j == b.size()) return i == a.size() && j == b.size();
    if (ascii_lower(a[i]) != ascii_lower(b[j])) return false;
    ++i;
    ++j;
  }
}


}  // namespace

void decode_failure::prepend_field(std::string_view name) {
  std::string p;
  p.reserve(name.size() + 1 + path.size());
  p += '.';
  p += name;
  p += path;
  path = std::move(p);
}

void decode_failure::prepend_index(std::size_t index) {
  // Built piecewise: gcc 12 warns falsely (-Wrestrict) on "lit" + std::string&&.
  std::string p = "[";
  p += std::to_string(index);
  p += ']';
  p += path;
  path = std::move(p);
}

void decode_failure::prepend_key(std::string_view key) {
  std::string p = "[\"";
  p += key;
  p += "\"]";
  p += path;
  path = std::move(p);
}

std::string decode_failure::describe() const {
  std::string out = "decode error: ";
  if (!path.empty()) {
    out += path[0] == '.' ? std::string_view(path).substr(1) : std::string_view(path);
    out += ": ";
  }
  out += message;
  return out;
}

bool fail_expected(decode_failure& f, std::string_view expected, const json::value& got) {
  std::string message = "expected ";
  message += expected;
  message += ", got ";
  message += kind_name(got);
  return fail(f, std::move(message));
}

bool read_bool(const json::value& v, bool& out, decode_failure& f) {
  if (v.is_null()) {
    out = false;
    return true;
  }
  if (!v.is_bool()) return fail_expected(f, "true or false", v);
  out = v.get_bool();
  return true;
}

bool read_signed(const json::value& v, std::int64_t min, std::int64_t max, std::int64_t& out,
                 decode_failure& f) {
  std::int64_t x = 0;
  switch (v.kind()) {
    case json::kind::null: out = 0; return true;
    case json::kind::int64: x = v.get_int64(); break;
    case json::kind::uint64:
      if (v.get_uint64() > static_cast<std::uint64_t>(max))
        return out_of_range(f, v, std::to_string(min), std::to_string(max));
      x = static_cast<std::int64_t>(v.get_uint64());
      break;
    case json::kind::double_: {
      const double d = v.get_double();
      if (!whole(d)) return fail(f, "expected an integer, got " + number_text(v));
      // Bounds as exact powers of two: static_cast<double>(INT64_MAX) rounds up to 2^63, so
      // comparing with it would let 9223372036854775807.0 (which is 2^63) through to an
      // undefined conversion. [-2^63, 2^63) is what an int64 holds; min and max come after.
      if (d < -9223372036854775808.0 || d >= 9223372036854775808.0)
        return out_of_range(f, v, std::to_string(min), std::to_string(max));
      x = static_cast<std::int64_t>(d);
      break;
    }
    default: return fail_expected(f, "a number", v);
  }
  if (x < min || x > max) return out_of_range(f, v, std::to_string(min), std::to_string(max));
  out = x;
  return true;
}

bool read_unsigned(const json::value& v, std::uint64_t max, std::uint64_t& out,
                   decode_failure& f) {
  std::uint64_t x = 0;
  switch (v.kind()) {
    case json::kind::null: out = 0; return true;
    case json::kind::int64:
      if (v.get_int64() < 0) return out_of_range(f, v, "0", std::to_string(max));
      x = static_cast<std::uint64_t>(v.get_int64());
      break;
    case json::kind::uint64: x = v.get_uint64(); break;
    case json::kind::double_: {
      const double d = v.get_double();
      if (!whole(d)) return fail(f, "expected an integer, got " + number_text(v));
      // 2^64 as a double; anything at or above it does not fit.
      if (d < 0 || d >= 18446744073709551616.0) return out_of_range(f, v, "0", std::to_string(max));
      x = static_cast<std::uint64_t>(d);
      break;
    }
    default: return fail_expected(f, "a number", v);
  }
  if (x > max) return out_of_range(f, v, "0", std::to_string(max));
  out = x;
  return true;
}

bool read_double(const json::value& v, double& out, decode_failure& f) {
  switch (v.kind()) {
    case json::kind::null: out = 0; return true;
    case json::kind::int64: out = static_cast<double>(v.get_int64()); return true;
    case json::kind::uint64: out = static_cast<double>(v.get_uint64()); return true;
    case json::kind::double_: out = v.get_double(); return true;
    default: return fail_expected(f, "a number", v);
  }
}

bool read_string(const json::value& v, std::string& out, decode_failure& f) {
  if (v.is_null()) {
    out.clear();
    return true;
  }
  if (!v.is_string()) return fail_expected(f, "a string", v);
  out.assign(v.get_string().data(), v.get_string().size());
  return true;
}

bool read_base64(const json::value& v, std::string& out, decode_failure& f) {
  out.clear();
  if (v.is_null()) return true;
  if (!v.is_string()) return fail_expected(f, "a base64 string", v);
  const json::string& text = v.get_string();
  // Lenient, as Go's decoder reading Consul's output: line breaks skipped, padding optional.
  std::string why;
  if (!core::base64_decode(std::string_view(text.data(), text.size()), out, core::base64_mode::lenient, &why))
    return fail(f, "invalid base64: " + why);
  return true;
}

bool read_duration(const json::value& v, std::chrono::nanoseconds& out, decode_failure& f) {
  switch (v.kind()) {
    case json::kind::null: out = {}; return true;
    case json::kind::string: {
      std::string why;
      const auto& s = v.get_string();
      // Consul writes unset durations as "" (a TTL check's Interval in /v1/agent/checks).
      if (s.empty()) {
        out = {};
        return true;
      }
      auto parsed = try_parse_duration(std::string_view(s.data(), s.size()), &why);
      if (!parsed) return fail(f, "invalid duration: " + why);
      out = *parsed;
      return true;
    }
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: {
      std::int64_t ns = 0;
      if (!read_signed(v, 0, std::numeric_limits<std::int64_t>::max(), ns, f)) {
        f.message = "invalid duration in nanoseconds: " + f.message;
        return false;
      }
      out = std::chrono::nanoseconds(ns);
      return true;
    }
    default: return fail_expected(f, "a duration (a string such as \"10s\" or nanoseconds)", v);
  }
}

void write_string(std::string_view s, json::value& out) { out.emplace_string().assign(s); }

void write_base64(std::string_view bytes, json::value& out) {
  if (bytes.empty()) {
    out = nullptr;  // Go encodes an empty []byte value as null
    return;
  }
  out.emplace_string() = core::base64_encode(bytes);
}

field_match find_wire_field(std::span<const wire_field> fields, std::string_view key) noexcept {
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == key) return {i, true};
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (loosely_equal(fields[i].name, key)) return {i, false};
  return {};
}

error_code parse_json(std::string_view body, json::value& out, diagnostics& diag) {
  core::json_parser parser(json::parse_options(), out.storage());
  error_code ec;
  std::size_t offset = parser.write_last(body, ec);
  std::string reason;
  if (ec) {
    reason = body.empty() ? std::string("empty body") : ec.message();
  } else if (offset < body.size()) {
    reason = "unexpected characters after the JSON value";
  } else {
    out = parser.release();
    return {};
  }
  offset = std::min(offset, body.size());
  const std::string_view before = body.substr(0, offset);
  const auto line = 1 + std::count(before.begin(), before.end(), '\n');
  const auto line_start = before.rfind('\n');
  const auto column = offset - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
  diag.http_status = 0;
  diag.message = "invalid JSON at offset " + std::to_string(offset) + " (line " +
                 std::to_string(line) + ", column " + std::to_string(column) + "): " + reason;
  return make_error_code(errc::decode_error);
}

std::string serialize(const json::value& v) { return json::serialize(v); }

}  // namespace coconsul::protocol
