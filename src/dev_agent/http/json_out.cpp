// Go-compatible JSON output (see json_out.hpp).

#include "dev_agent/http/json_out.hpp"

#include <boost/json/serialize.hpp>

#include <charconv>
#include <cstdio>
#include <vector>

namespace coconsul::dev {
namespace {

// Go escapes <, > and & (HTML safety) and U+2028/U+2029 besides the usual control characters.
void write_string(std::string& out, boost::json::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      default: break;
    }
    if (c < 0x20 || c == '<' || c == '>' || c == '&') {
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 15];
      continue;
    }
    if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
      out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
      i += 2;
      continue;
    }
    out += static_cast<char>(c);
  }
  out += '"';
}

void write_double(std::string& out, double d) {
  // Go's encoding/json: the shortest form that round-trips, in plain notation unless the
  // magnitude is below 1e-6 or from 1e21 up, where it uses an exponent without leading zeros.
  char buf[400];
  double a = d < 0 ? -d : d;
  bool scientific = a != 0 && (a < 1e-6 || a >= 1e21);
  auto r = std::to_chars(buf, buf + sizeof buf, d, scientific ? std::chars_format::scientific : std::chars_format::fixed);
  std::string text(buf, r.ptr);
  if (scientific) {
    auto e = text.find('e');
    if (e != std::string::npos && e + 2 < text.size() && text[e + 2] == '0') text.erase(e + 2, 1);  // e-07 -> e-7
  }
  out += text;
}

// Everything but arrays and objects.
void write_scalar(std::string& out, const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null: out += "null"; break;
    case boost::json::kind::bool_: out += v.get_bool() ? "true" : "false"; break;
    case boost::json::kind::int64: out += std::to_string(v.get_int64()); break;
    case boost::json::kind::uint64: out += std::to_string(v.get_uint64()); break;
    case boost::json::kind::double_: write_double(out, v.get_double()); break;
    case boost::json::kind::string: write_string(out, v.get_string()); break;
    default: break;
  }
}

// `indent` empty: compact (Marshal); else MarshalIndent's per-level indent.
void newline(std::string& out, std::size_t depth, std::string_view indent) {
  if (indent.empty()) return;
  out += '\n';
  for (std::size_t i = 0; i < depth; ++i) out += indent;
}

// Iterative, with its own stack of open arrays and objects: a body may nest 10,000 levels,
// more than a recursion fits in a sanitizer's stack frames.
void write(std::string& out, const boost::json::value& root, std::string_view indent) {
  struct open_value {
    const boost::json::value* v;
    std::size_t next;  // the next element or member to write
  };
  std::vector<open_value> stack;
  // Writes a scalar or an empty container whole, or opens a container.
  auto begin = [&](const boost::json::value& v) {
    if (const auto* a = v.if_array()) {
      out += a->empty() ? "[]" : "[";
      if (!a->empty()) stack.push_back({&v, 0});
    } else if (const auto* o = v.if_object()) {
      out += o->empty() ? "{}" : "{";
      if (!o->empty()) stack.push_back({&v, 0});
    } else {
      write_scalar(out, v);
    }
  };
  begin(root);
  while (!stack.empty()) {
    const std::size_t depth = stack.size();  // of the open container's elements
    const boost::json::value& v = *stack.back().v;
    const std::size_t i = stack.back().next++;
    if (const auto* a = v.if_array()) {
      if (i == a->size()) {
        newline(out, depth - 1, indent);
        out += ']';
        stack.pop_back();
        continue;
      }
      if (i) out += ',';
      newline(out, depth, indent);
      begin((*a)[i]);
    } else {
      const auto& o = v.get_object();
      if (i == o.size()) {
        newline(out, depth - 1, indent);
        out += '}';
        stack.pop_back();
        continue;
      }
      if (i) out += ',';
      newline(out, depth, indent);
      const auto& member = o.begin()[i];
      write_string(out, member.key());
      out += indent.empty() ? ":" : ": ";
      begin(member.value());
    }
  }
}

}  // namespace

std::string render_pretty(const boost::json::value& v) {
  std::string out;
  write(out, v, "    ");
  out += '\n';
  return out;
}

std::string render_indented(const boost::json::value& v, std::string_view indent) {
  std::string out;
  write(out, v, indent);
  return out;
}

std::string render_compact(const boost::json::value& v) {
  std::string out;
  write(out, v, "");
  return out;
}

}  // namespace coconsul::dev
