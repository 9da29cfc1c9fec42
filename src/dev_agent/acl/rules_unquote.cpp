// The value of a quoted string token: HCL's strconv.Unquote for HCL (Go's escapes, `${...}`
// copied as written) and Go's strconv.Unquote for JSON. A string the scanner let through but
// that does not unquote (Consul panics there) is no value.
#include "dev_agent/acl/rules_ast.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace coconsul::dev::acl::hcl {

namespace {

int digit_val(char32_t c) {
  if (c >= '0' && c <= '9') return static_cast<int>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<int>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<int>(c - 'A' + 10);
  return 16;
}


}  // namespace

// HCL's strconv.Unquote: Go's escapes, and `${...}` kept as written (quotes allowed inside);
// for JSON strings Go's own strconv.Unquote (no `${`, no \').
std::optional<std::string> unquote(std::string_view s, bool json) {
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') return std::nullopt;
  s = s.substr(1, s.size() - 2);
  std::string out;
  int braces = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (!json && braces == 0 && c == '$' && i + 1 < s.size() && s[i + 1] == '{') {
      braces = 1;
      out += "${";
      i += 2;
      continue;
    }
    if (braces > 0) {
      if (c == '{') braces++;
      if (c == '}') braces--;
      out += c;
      ++i;
      continue;
    }
    if (c == '\n' || c == '"') return std::nullopt;
    if (c != '\\') {
      out += c;
      ++i;
      continue;
    }
    if (++i >= s.size()) return std::nullopt;
    const char e = s[i++];
    auto hex = [&](std::size_t n) -> std::optional<char32_t> {
      if (i + n > s.size()) return std::nullopt;
      char32_t v = 0;
      for (std::size_t k = 0; k < n; ++k) {
        const int d = digit_val(static_cast<unsigned char>(s[i + k]));
        if (d >= 16) return std::nullopt;
        v = v * 16 + static_cast<char32_t>(d);
      }
      i += n;
      return v;
    };
    switch (e) {
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case '\'':
        if (json) return std::nullopt;
        out += '\'';
        break;
      case '"': out += '"'; break;
      case 'x': {
        const auto v = hex(2);
        if (!v) return std::nullopt;
        out += static_cast<char>(*v);
        break;
      }
      case 'u':
      case 'U': {
        const auto v = hex(e == 'u' ? 4 : 8);
        if (!v || *v > 0x10FFFF || (*v >= 0xD800 && *v <= 0xDFFF)) return std::nullopt;
        append_utf8(out, *v);
        break;
      }
      default: {
        if (e < '0' || e > '7' || i + 2 > s.size()) return std::nullopt;
        unsigned v = static_cast<unsigned>(e - '0');
        for (int k = 0; k < 2; ++k) {
          const char d = s[i++];
          if (d < '0' || d > '7') return std::nullopt;
          v = v * 8 + static_cast<unsigned>(d - '0');
        }
        if (v > 255) return std::nullopt;
        out += static_cast<char>(v);
      }
    }
  }
  return out;
}

void append_utf8(std::string& out, char32_t r) {
  if (r < 0x80) {
    out += static_cast<char>(r);
  } else if (r < 0x800) {
    out += static_cast<char>(0xC0 | (r >> 6));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else if (r < 0x10000) {
    out += static_cast<char>(0xE0 | (r >> 12));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (r >> 18));
    out += static_cast<char>(0x80 | ((r >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  }
}

}  // namespace coconsul::dev::acl::hcl
