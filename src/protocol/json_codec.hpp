#pragma once
// The generic conversion between boost::json::value and the model types (internal).
//
// Boost.JSON's own conversion of described structs is strict (every key must be present, no
// extra key allowed), which Consul's responses never satisfy, so this one walks the
// wire-name table of each struct (COCONSUL_WIRE_STRUCT) itself. Failures carry no exception:
// each level returns false and prepends its part of the path, so the message names the field
// ("[2].Service.Port") at no cost on success.
//
// The public entry points (coconsul/json.hpp) are instantiated for the model types in
// model_json*.cpp; code in this tree with its own types can use decode_into/encode_to here.

#include <coconsul/duration.hpp>
#include <coconsul/error.hpp>
#include <coconsul/json.hpp>
#include <coconsul/model/wire.hpp>

#include <boost/describe/members.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/mp11/algorithm.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace coconsul::protocol {

namespace json = boost::json;

// Why a value did not decode. The path grows outward as the failure unwinds.
struct decode_failure {
  std::string path;  // ".Service.Port", "[2]", "[\"web\"]"; joined innermost last
  std::string message;

  void prepend_field(std::string_view name);
  void prepend_index(std::size_t index);
  void prepend_key(std::string_view key);
  // "decode error: [2].Service.Port: expected a number, got string"
  std::string describe() const;
};

// Non-template pieces (json_codec.cpp).
bool fail_expected(decode_failure& f, std::string_view expected, const json::value& got);
bool read_bool(const json::value& v, bool& out, decode_failure& f);
bool read_signed(const json::value& v, std::int64_t min, std::int64_t max, std::int64_t& out,
                 decode_failure& f);
bool read_unsigned(const json::value& v, std::uint64_t max, std::uint64_t& out,
                   decode_failure& f);
bool read_double(const json::value& v, double& out, decode_failure& f);
bool read_string(const json::value& v, std::string& out, decode_failure& f);
bool read_base64(const json::value& v, std::string& out, decode_failure& f);
bool read_duration(const json::value& v, std::chrono::nanoseconds& out, decode_failure& f);
void write_string(std::string_view s, json::value& out);
void write_base64(std::string_view bytes, json::value& out);

// The field named key: an exact match first, then one ignoring ASCII case and underscores
// (Go's decoder ignores case; Consul also accepts snake_case). index is no_field if unknown.
inline constexpr std::size_t no_field = static_cast<std::size_t>(-1);
struct field_match {
  std::size_t index = no_field;
  bool exact = false;
};
field_match find_wire_field(std::span<const wire_field> fields, std::string_view key) noexcept;

// Parses body into out (allocated from out's storage). On failure, diag.message gives the
// offset with its line and column and the parser's reason.
error_code parse_json(std::string_view body, json::value& out, diagnostics& diag);

// --- type traits ------------------------------------------------------------------------

template <class T> struct is_optional : std::false_type {};
template <class T> struct is_optional<std::optional<T>> : std::true_type {};
template <class T> struct is_vector : std::false_type {};
template <class T, class A> struct is_vector<std::vector<T, A>> : std::true_type {};
template <class T> struct is_string_map : std::false_type {};
template <class T, class C, class A>
struct is_string_map<std::map<std::string, T, C, A>> : std::true_type {};

template <class T>
concept wire_struct = requires(const T* p) {
  { coconsul_wire_fields(p) };
};

template <class T>
inline constexpr auto wire_fields_of = coconsul_wire_fields(static_cast<const T*>(nullptr));

template <class T>
using wire_members = boost::describe::describe_members<T, boost::describe::mod_public>;

template <class>
inline constexpr bool unsupported_type = false;

// --- decoding -----------------------------------------------------------------------------

template <class T>
bool read_value(const json::value& v, T& out, wire_format format, decode_failure& f);

template <class T>
bool read_struct(const json::value& v, T& out, decode_failure& f) {
  if (v.is_null()) return true;  // a null object (a Go nil pointer): keep the defaults
  if (!v.is_object()) return fail_expected(f, "an object", v);
  constexpr auto& fields = wire_fields_of<T>;
  using members = wire_members<T>;
  static_assert(boost::mp11::mp_size<members>::value == fields.size());
  const auto& object = v.get_object();
  for (const auto& entry : object) {
    const auto [index, exact] = find_wire_field(fields, entry.key());
    if (index == no_field) continue;  // unknown fields are ignored
    // A loose match yields to the exact key when both are present, whatever their order.
    if (!exact && object.contains(fields[index].name)) continue;
    bool ok = true;
    boost::mp11::mp_with_index<fields.size()>(index, [&](auto i) {
      using member = boost::mp11::mp_at_c<members, i>;
      ok = read_value(entry.value(), out.*member::pointer, fields[i].format, f);
    });
    if (!ok) {
      f.prepend_field(entry.key());
      return false;
    }
  }
  return true;
}

template <class T>
bool read_value(const json::value& v, T& out, wire_format format, decode_failure& f) {
  if constexpr (std::is_same_v<T, bool>) {
    return read_bool(v, out, f);
  } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
    std::int64_t x = 0;
    if (!read_signed(v, std::numeric_limits<T>::min(), std::numeric_limits<T>::max(), x, f))
      return false;
    out = static_cast<T>(x);
    return true;
  } else if constexpr (std::is_integral_v<T>) {
    std::uint64_t x = 0;
    if (!read_unsigned(v, std::numeric_limits<T>::max(), x, f)) return false;
    out = static_cast<T>(x);
    return true;
  } else if constexpr (std::is_floating_point_v<T>) {
    double x = 0;
    if (!read_double(v, x, f)) return false;
    out = static_cast<T>(x);
    return true;
  } else if constexpr (std::is_same_v<T, std::string>) {
    return format == wire_format::base64 ? read_base64(v, out, f) : read_string(v, out, f);
  } else if constexpr (std::is_same_v<T, std::chrono::nanoseconds>) {
    return read_duration(v, out, f);
  } else if constexpr (is_optional<T>::value) {
    if (v.is_null()) {
      out.reset();
      return true;
    }
    typename T::value_type inner{};
    if (!read_value(v, inner, format, f)) return false;
    out = std::move(inner);
    return true;
  } else if constexpr (is_vector<T>::value) {
    out.clear();
    if (v.is_null()) return true;
    if (!v.is_array()) return fail_expected(f, "an array", v);
    const auto& array = v.get_array();
    out.reserve(array.size());
    for (std::size_t i = 0; i < array.size(); ++i) {
      auto& element = out.emplace_back();
      if (!read_value(array[i], element, format, f)) {
        f.prepend_index(i);
        return false;
      }
    }
    return true;
  } else if constexpr (is_string_map<T>::value) {
    out.clear();
    if (v.is_null()) return true;
    if (!v.is_object()) return fail_expected(f, "an object", v);
    for (const auto& entry : v.get_object()) {
      typename T::mapped_type element{};
      if (!read_value(entry.value(), element, format, f)) {
        f.prepend_key(entry.key());
        return false;
      }
      out.insert_or_assign(std::string(entry.key()), std::move(element));
    }
    return true;
  } else if constexpr (std::is_same_v<T, json::object>) {
    // Free-form JSON (an auth method's Config): copied into out's own storage.
    out.clear();
    if (v.is_null()) return true;
    if (!v.is_object()) return fail_expected(f, "an object", v);
    out = v.get_object();
    return true;
  } else if constexpr (wire_struct<T>) {
    return read_struct(v, out, f);
  } else {
    static_assert(unsupported_type<T>, "no JSON conversion for this type");
  }
}

// --- encoding -----------------------------------------------------------------------------

template <class T>
void write_value(const T& x, json::value& out, wire_format format, encode_mode mode);

// Whether omit_empty leaves x out (Go's omitempty; an engaged optional is always sent).
template <class T>
bool is_unset(const T& x) {
  if constexpr (std::is_same_v<T, bool>) return !x;
  else if constexpr (std::is_arithmetic_v<T>) return x == T{};
  else if constexpr (std::is_same_v<T, std::chrono::nanoseconds>) return x.count() == 0;
  else if constexpr (is_optional<T>::value) return !x.has_value();
  else if constexpr (std::is_same_v<T, std::string> || is_vector<T>::value ||
                     is_string_map<T>::value || std::is_same_v<T, json::object>)
    return x.empty();
  else return false;  // structs: left out afterwards if they encode as {}
}

template <class T>
void write_struct(const T& x, json::value& out, encode_mode mode) {
  auto& object = out.emplace_object();
  constexpr auto& fields = wire_fields_of<T>;
  object.reserve(fields.size());
  // A zero is left out only where it is also the member's default, the value decoding restores
  // (and Consul assumes): weights{.warning = 0} must say "Warning": 0, since absent means 1.
  [[maybe_unused]] static const T defaults{};
  std::size_t i = 0;
  boost::mp11::mp_for_each<wire_members<T>>([&](auto member) {
    const wire_field& field = fields[i++];
    const auto& value = x.*member.pointer;
    if (mode == encode_mode::omit_empty && is_unset(value) && is_unset(defaults.*member.pointer)) return;
    if constexpr (is_optional<std::remove_cvref_t<decltype(value)>>::value) {
      if (!value) return;
    }
    json::value& slot = object[field.name];
    write_value(value, slot, field.format, mode);
    if (mode == encode_mode::omit_empty && slot.is_object() && slot.get_object().empty() &&
        wire_struct<std::remove_cvref_t<decltype(value)>>)
      object.erase(field.name);
  });
}

template <class T>
void write_value(const T& x, json::value& out, wire_format format, encode_mode mode) {
  if constexpr (std::is_same_v<T, bool>) {
    out = x;
  } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
    out = static_cast<std::int64_t>(x);
  } else if constexpr (std::is_integral_v<T>) {
    out = static_cast<std::uint64_t>(x);
  } else if constexpr (std::is_floating_point_v<T>) {
    out = static_cast<double>(x);
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (format == wire_format::base64) write_base64(x, out);
    else write_string(x, out);
  } else if constexpr (std::is_same_v<T, std::chrono::nanoseconds>) {
    if (format == wire_format::nanoseconds) out = static_cast<std::int64_t>(x.count());
    else write_string(format_duration(x), out);
  } else if constexpr (is_optional<T>::value) {
    if (x) write_value(*x, out, format, mode);
    else out = nullptr;
  } else if constexpr (is_vector<T>::value) {
    auto& array = out.emplace_array();
    array.reserve(x.size());
    for (const auto& element : x) write_value(element, array.emplace_back(nullptr), format, mode);
  } else if constexpr (is_string_map<T>::value) {
    auto& object = out.emplace_object();
    object.reserve(x.size());
    for (const auto& [key, element] : x) write_value(element, object[key], format, mode);
  } else if constexpr (std::is_same_v<T, json::object>) {
    out.emplace_object() = x;
  } else if constexpr (wire_struct<T>) {
    write_struct(x, out, mode);
  } else {
    static_assert(unsupported_type<T>, "no JSON conversion for this type");
  }
}

// --- entry points -------------------------------------------------------------------------

// Decodes an already parsed value (out is left unchanged on failure).
template <class T>
error_code decode_into(const json::value& v, T& out, diagnostics& diag) {
  T result{};
  decode_failure failure;
  if (!read_value(v, result, wire_format::plain, failure)) {
    diag.http_status = 0;
    diag.message = failure.describe();
    return make_error_code(errc::decode_error);
  }
  out = std::move(result);
  diag.clear();
  return {};
}

template <class T>
error_code decode_body(std::string_view body, T& out, diagnostics& diag) {
  json::monotonic_resource arena;
  json::value parsed(&arena);
  if (auto ec = parse_json(body, parsed, diag)) return ec;
  return decode_into(parsed, out, diag);
}

// Encodes into out, allocating from out's storage.
template <class T>
void encode_to(const T& x, json::value& out, encode_mode mode) {
  write_value(x, out, wire_format::plain, mode);
}

std::string serialize(const json::value& v);

template <class T>
std::string encode_body(const T& x, encode_mode mode) {
  json::monotonic_resource arena;
  json::value out(&arena);
  encode_to(x, out, mode);
  return serialize(out);
}

}  // namespace coconsul::protocol

namespace coconsul {

template <class T>
error_code decode_json(std::string_view body, T& out, diagnostics& diag) {
  return protocol::decode_body(body, out, diag);
}

template <class T>
std::string encode_json(const T& value, encode_mode mode) {
  return protocol::encode_body(value, mode);
}

}  // namespace coconsul

// Explicit instantiation of the public entry points for T (at global scope).
#define COCONSUL_JSON_INSTANTIATE(T)                                                         \
  template ::coconsul::error_code coconsul::decode_json<T>(std::string_view, T&,             \
                                                           ::coconsul::diagnostics&);        \
  template std::string coconsul::encode_json<T>(const T&, ::coconsul::encode_mode);
