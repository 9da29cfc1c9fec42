#pragma once
// Reading values out of the merged, normalized configuration (keys as in keys.cpp). A value of
// the wrong type cannot be here: normalize() refused it. No I/O.

#include <boost/json/object.hpp>

#include <algorithm>
#include <climits>
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

namespace coconsul::dev::config {

// The value at a dotted path, or null.
inline const boost::json::value* at(const boost::json::object& root, std::string_view path) {
  const boost::json::object* o = &root;
  for (;;) {
    auto dot = path.find('.');
    const boost::json::value* v = o->if_contains(path.substr(0, dot));
    if (!v || dot == std::string_view::npos) return v;
    if (!v->is_object()) return nullptr;
    o = &v->get_object();
    path = path.substr(dot + 1);
  }
}

inline std::string str(const boost::json::object& c, std::string_view path, std::string fallback = {}) {
  const auto* v = at(c, path);
  return v && v->is_string() ? std::string(v->get_string()) : fallback;
}

// Go's int64(f) for a JSON number: truncation, and outside int64's range the value amd64 gives
// (its "integer indefinite", the smallest int64), which Consul then reports or refuses. In C++
// that conversion would be undefined, so the range is checked first.
inline long long go_int64(double d) {
  constexpr double limit = 9223372036854775808.0;  // 2^63
  if (!(d > -limit && d < limit)) return INT64_MIN;
  return static_cast<long long>(d);
}

inline long long integer(const boost::json::object& c, std::string_view path, long long fallback) {
  const auto* v = at(c, path);
  if (!v) return fallback;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return v->get_uint64() > std::uint64_t(INT64_MAX) ? INT64_MIN : static_cast<long long>(v->get_uint64());
  if (v->is_double()) return go_int64(v->get_double());
  return fallback;
}

inline bool boolean(const boost::json::object& c, std::string_view path, bool fallback) {
  const auto* v = at(c, path);
  return v && v->is_bool() ? v->get_bool() : fallback;
}

inline std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

}  // namespace coconsul::dev::config
