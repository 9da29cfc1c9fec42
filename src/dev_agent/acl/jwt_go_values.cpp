// Go's view of JSON values for the jwt auth method's texts and conversions (see jwt_go_values.hpp).
#include "dev_agent/acl/jwt_go_values.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <vector>

namespace coconsul::dev::acl {
namespace json = boost::json;

namespace {

// strconv.FormatFloat(f, 'g', -1, 64) as fmt's %v prints it: shortest digits, an exponent
// (at least two digits) below 1e-4 and from 1e6 on.
std::string go_format_g(double f) {
  if (std::isnan(f)) return "NaN";
  if (std::isinf(f)) return f > 0 ? "+Inf" : "-Inf";
  if (f == 0) return std::signbit(f) ? "-0" : "0";
  std::array<char, 64> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), f, std::chars_format::scientific);
  std::string s(buf.data(), r.ptr);
  const auto e = s.find('e');
  const int exp = std::stoi(s.substr(e + 1));
  std::string mant = s.substr(0, e);
  std::string sign;
  if (mant[0] == '-') {
    sign = "-";
    mant.erase(0, 1);
  }
  std::string digits;
  for (char c : mant)
    if (c != '.') digits += c;
  if (exp < -4 || exp >= 6) {
    std::string out = sign + digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    const int a = std::abs(exp);
    out += exp < 0 ? "e-" : "e+";
    if (a < 10) out += "0";
    return out + std::to_string(a);
  }
  if (exp < 0) return sign + "0." + std::string(static_cast<std::size_t>(-exp - 1), '0') + digits;
  const auto point = static_cast<std::size_t>(exp) + 1;
  if (digits.size() <= point) return sign + digits + std::string(point - digits.size(), '0');
  return sign + digits.substr(0, point) + "." + digits.substr(point);
}

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

}  // namespace

bool go_float(const json::value& v, double& out) {
  switch (v.kind()) {
    case json::kind::int64: out = static_cast<double>(v.get_int64()); return true;
    case json::kind::uint64: out = static_cast<double>(v.get_uint64()); return true;
    case json::kind::double_: out = v.get_double(); return true;
    default: return false;
  }
}

std::string go_format_v(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string: return std::string(v.get_string());
    case json::kind::bool_: return v.get_bool() ? "true" : "false";
    case json::kind::null: return "<nil>";
    case json::kind::array: {
      std::string s = "[";
      for (const auto& e : v.get_array()) {
        if (s.size() > 1) s += ' ';
        s += go_format_v(e);
      }
      return s + "]";
    }
    case json::kind::object: {
      std::vector<std::pair<std::string, const json::value*>> items;
      for (const auto& kv : v.get_object()) items.emplace_back(std::string(kv.key()), &kv.value());
      std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      std::string s = "map[";
      for (const auto& [k, e] : items) {
        if (s.size() > 4) s += ' ';
        s += k;
        s += ':';
        s += go_format_v(*e);
      }
      return s + "]";
    }
    default: {
      double f = 0;
      go_float(v, f);
      return go_format_g(f);
    }
  }
}

std::int64_t go_float_to_int64(double f) {
  // -2^63 is exact in a double; 2^63 is the first value past the range.
  constexpr double limit = 9223372036854775808.0;
  if (std::isnan(f) || f >= limit || f < -limit) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(f);
}

std::string go_format_float_f(double f) {
  if (std::isnan(f)) return "NaN";
  if (std::isinf(f)) return f > 0 ? "+Inf" : "-Inf";
  std::array<char, 400> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), f, std::chars_format::fixed);
  return std::string(buf.data(), r.ptr);
}

std::optional<std::int64_t> go_parse_int_base0(std::string_view s0, std::string& error) {
  auto fail = [&](const char* why) {
    error = "strconv.ParseInt: parsing " + core::quoted(s0) + ": " + why;
    return std::nullopt;
  };
  std::string_view s = s0;
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return fail("invalid syntax");
  int base = 10;
  bool prefixed = false;  // a base prefix: '_' may follow it
  if (s.size() >= 2 && s[0] == '0') {
    const char p = static_cast<char>(s[1] | 0x20);
    if (p == 'x' || p == 'o' || p == 'b') {
      base = p == 'x' ? 16 : (p == 'o' ? 8 : 2);
      s.remove_prefix(2);
      prefixed = true;
    } else {
      base = 8;
      s.remove_prefix(1);
      prefixed = true;
    }
  }
  // Go's underscoreOK: each '_' between digits, or right after the base prefix.
  unsigned __int128 n = 0;
  bool any_digit = prefixed && base == 8;  // "0" itself, and "0_7"
  char last = prefixed ? '0' : '!';
  bool range = false;
  for (char c : s) {
    if (c == '_') {
      if (last == '_' || last == '!') return fail("invalid syntax");
      last = '_';
      continue;
    }
    const int d = digit_value(c);
    if (d >= base) return fail("invalid syntax");
    any_digit = true;
    last = '0';
    n = n * static_cast<unsigned>(base) + static_cast<unsigned>(d);
    if (n > (static_cast<unsigned __int128>(1) << 64)) {
      range = true;
      n = static_cast<unsigned __int128>(1) << 64;
    }
  }
  if (!any_digit || last == '_') return fail("invalid syntax");
  const unsigned __int128 bound = static_cast<unsigned __int128>(1) << 63;
  if (range || (negative ? n > bound : n >= bound)) return fail("value out of range");
  return negative ? static_cast<std::int64_t>(-static_cast<__int128>(n)) : static_cast<std::int64_t>(n);
}

}  // namespace coconsul::dev::acl
