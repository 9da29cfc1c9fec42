// The escaping of bytes in messages (see text.hpp).
#include "core/text.hpp"

#include <algorithm>

namespace coconsul::core {
namespace {

constexpr char hex[] = "0123456789abcdef";

}  // namespace

bool has_control(std::string_view s) noexcept {
  return std::any_of(s.begin(), s.end(), [](char c) { return is_control(static_cast<unsigned char>(c)); });
}

std::string byte_name(unsigned char c) { return {'0', 'x', hex[c >> 4], hex[c & 15]}; }

std::string quoted(std::string_view s, non_ascii other) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_control(c) || (c >= 0x80 && other == non_ascii::escape)) {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      if (c == '"' || c == '\\') out += '\\';
      out += ch;
    }
  }
  out += '"';
  return out;
}

}  // namespace coconsul::core
