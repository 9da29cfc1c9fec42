#pragma once
// Reading values out of the merged, normalized configuration (keys as in keys.cpp). A value of
// the wrong type cannot be here: normalize() refused it. No I/O.

#include <boost/json/object.hpp>

#include <algorithm>
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

// Go decodes a JSON number into an int by truncating it.
inline long long integer(const boost::json::object& c, std::string_view path, long long fallback) {
  const auto* v = at(c, path);
  if (!v) return fallback;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<long long>(std::min<std::uint64_t>(v->get_uint64(), INT64_MAX));
  if (v->is_double()) return static_cast<long long>(v->get_double());
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
