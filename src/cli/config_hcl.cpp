// A recursive-descent reader of the HCL 1 subset config entries are written in (see the
// header); no exceptions: each step returns false with the position of the first mistake.
#include "cli/config_hcl.hpp"

#include <boost/json/object.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

namespace coconsul::cli {
namespace {

namespace json = boost::json;

class reader {
 public:
  explicit reader(std::string_view text) : s_(text) {}

  bool document(json::value& out) {
    auto& o = out.emplace_object();
    if (!body(o, '\0')) return false;
    if (pos_ < s_.size()) return fail("unexpected text after the entry");
    return true;
  }

  std::string why() const {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < error_at_ && i < s_.size(); ++i) {
      if (s_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + error_;
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
  std::string error_;
  std::size_t error_at_ = 0;
  int depth_ = 0;

  bool fail(std::string message) {
    if (error_.empty()) {
      error_ = std::move(message);
      error_at_ = pos_;
    }
    return false;
  }

  bool at_end() const { return pos_ >= s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[pos_]; }

  // Skips blanks and comments; with newlines, also line breaks (which end an item).
  void skip(bool newlines) {
    while (!at_end()) {
      const char c = s_[pos_];
      if (c == ' ' || c == '\t' || c == '\r' || (newlines && c == '\n')) {
        ++pos_;
      } else if (c == '#' || (c == '/' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '/')) {
        while (!at_end() && s_[pos_] != '\n') ++pos_;
      } else if (c == '/' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '*') {
        const auto end = s_.find("*/", pos_ + 2);
        pos_ = end == std::string_view::npos ? s_.size() : end + 2;
      } else {
        return;
      }
    }
  }

  static bool ident_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
  static bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

  bool key(std::string& out) {
    if (peek() == '"') return quoted(out);
    if (!ident_start(peek())) return fail("expected a key");
    const std::size_t start = pos_;
    while (!at_end() && ident_char(s_[pos_])) ++pos_;
    out.assign(s_.substr(start, pos_ - start));
    return true;
  }

  // The items of an object until `close` ('}' or '\0' for the document), separated by line
  // breaks or commas.
  bool body(json::object& o, char close) {
    if (++depth_ > 64) return fail("nested too deeply");
    for (;;) {
      skip(true);
      if (close == '\0' ? at_end() : peek() == close) break;
      if (at_end()) return fail("expected '}'");
      if (!item(o)) return false;
      skip(false);
      if (peek() == ',') ++pos_;
      else if (peek() != '\n' && peek() != close && !at_end()) return fail("expected a line break after the value");
    }
    if (close != '\0') ++pos_;
    --depth_;
    return true;
  }

  // `key = value`, `key { ... }` or `key "label" ... { ... }`.
  bool item(json::object& o) {
    std::string name;
    if (!key(name)) return false;
    skip(false);
    json::value v;
    if (peek() == '=' || peek() == ':') {
      ++pos_;
      skip(false);
      if (!value(v)) return false;
      o[name] = std::move(v);
      return true;
    }
    // A block, its labels making nested objects.
    std::vector<std::string> labels;
    while (peek() == '"') {
      std::string label;
      if (!quoted(label)) return false;
      labels.push_back(std::move(label));
      skip(false);
    }
    if (peek() != '{') return fail("expected '=' or '{' after \"" + name + "\"");
    ++pos_;
    json::value block;
    if (!body(block.emplace_object(), '}')) return false;
    for (auto it = labels.rbegin(); it != labels.rend(); ++it) {
      json::value wrapped;
      wrapped.emplace_object()[*it] = std::move(block);
      block = std::move(wrapped);
    }
    add_block(o, name, std::move(block));
    return true;
  }

  // HCL 1: a block that repeats makes a list of its bodies.
  static void add_block(json::object& o, const std::string& name, json::value block) {
    auto it = o.find(name);
    if (it == o.end()) {
      o[name] = std::move(block);
    } else if (it->value().is_array()) {
      it->value().get_array().push_back(std::move(block));
    } else {
      json::array list;
      list.push_back(std::move(it->value()));
      list.push_back(std::move(block));
      it->value() = std::move(list);
    }
  }

  bool value(json::value& out) {
    const char c = peek();
    if (c == '"') {
      std::string text;
      if (!quoted(text)) return false;
      out = text;
      return true;
    }
    if (c == '<' && s_.substr(pos_, 2) == "<<") return heredoc(out);
    if (c == '{') {
      ++pos_;
      if (!body(out.emplace_object(), '}')) return false;
      return true;
    }
    if (c == '[') return list(out);
    if (c == '-' || (c >= '0' && c <= '9')) return number(out);
    if (s_.substr(pos_, 4) == "true" && !ident_char(s_.size() > pos_ + 4 ? s_[pos_ + 4] : ' ')) {
      pos_ += 4;
      out = true;
      return true;
    }
    if (s_.substr(pos_, 5) == "false" && !ident_char(s_.size() > pos_ + 5 ? s_[pos_ + 5] : ' ')) {
      pos_ += 5;
      out = false;
      return true;
    }
    return fail("expected a value");
  }

  bool list(json::value& out) {
    if (++depth_ > 64) return fail("nested too deeply");
    ++pos_;  // '['
    auto& a = out.emplace_array();
    for (;;) {
      skip(true);
      if (peek() == ']') {
        ++pos_;
        break;
      }
      if (at_end()) return fail("expected ']'");
      json::value element;
      if (!value(element)) return false;
      a.push_back(std::move(element));
      skip(true);
      if (peek() == ',') ++pos_;
      else if (peek() != ']') return fail("expected ',' or ']'");
    }
    --depth_;
    return true;
  }

  bool number(json::value& out) {
    const std::size_t start = pos_;
    if (peek() == '-') ++pos_;
    bool real = false;
    while (!at_end()) {
      const char c = s_[pos_];
      if (c >= '0' && c <= '9') {
        ++pos_;
      } else if (c == '.' || c == 'e' || c == 'E' || ((c == '+' || c == '-') && real)) {
        real = true;
        ++pos_;
      } else {
        break;
      }
    }
    const std::string_view text = s_.substr(start, pos_ - start);
    if (!real) {
      std::int64_t n = 0;
      const auto r = std::from_chars(text.data(), text.data() + text.size(), n);
      if (r.ec == std::errc() && r.ptr == text.data() + text.size()) {
        out = n;
        return true;
      }
    }
    double d = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), d);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size()) {
      pos_ = start;
      return fail("invalid number \"" + std::string(text) + "\"");
    }
    out = d;
    return true;
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  bool quoted(std::string& out) {
    ++pos_;  // '"'
    out.clear();
    while (!at_end()) {
      const char c = s_[pos_++];
      if (c == '"') return true;
      if (c == '\n') {
        --pos_;
        return fail("a line break inside a string");
      }
      if (c != '\\') {
        out += c;
        continue;
      }
      if (at_end()) break;
      const char e = s_[pos_++];
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case 'u':
        case 'U': {
          const std::size_t digits = e == 'u' ? 4 : 8;
          std::uint32_t cp = 0;
          const char* first = s_.data() + pos_;
          const auto r = std::from_chars(first, first + std::min(digits, s_.size() - pos_), cp, 16);
          if (r.ec != std::errc() || static_cast<std::size_t>(r.ptr - first) != digits || cp > 0x10FFFF ||
              (cp >= 0xD800 && cp <= 0xDFFF))
            return fail("invalid \\" + std::string(1, e) + " escape");
          pos_ += digits;
          append_utf8(out, cp);
          break;
        }
        default: --pos_; return fail("unknown escape \\" + std::string(1, e));
      }
    }
    return fail("a string without its closing quote");
  }

  // <<EOF ... EOF (or <<-EOF, whose lines lose their common indentation).
  bool heredoc(json::value& out) {
    pos_ += 2;
    const bool indented = peek() == '-';
    if (indented) ++pos_;
    const std::size_t start = pos_;
    while (!at_end() && ident_char(s_[pos_])) ++pos_;
    const std::string_view marker = s_.substr(start, pos_ - start);
    if (marker.empty() || peek() != '\n') return fail("expected a heredoc marker and a line break");
    ++pos_;
    std::vector<std::string_view> lines;
    for (;;) {
      if (at_end()) return fail("a heredoc without its closing \"" + std::string(marker) + "\"");
      auto end = s_.find('\n', pos_);
      if (end == std::string_view::npos) end = s_.size();
      std::string_view line = s_.substr(pos_, end - pos_);
      std::string_view trimmed = line;
      while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t')) trimmed.remove_prefix(1);
      if (trimmed == marker || (!trimmed.empty() && trimmed.back() == '\r' && trimmed.substr(0, trimmed.size() - 1) == marker)) {
        pos_ = end;
        break;
      }
      lines.push_back(line);
      pos_ = end + 1;
    }
    std::size_t common = std::string_view::npos;
    if (indented)
      for (auto l : lines) {
        const auto n = l.find_first_not_of(" \t");
        if (n != std::string_view::npos) common = std::min(common, n);
      }
    std::string text;
    for (auto l : lines) {
      if (indented && common != std::string_view::npos) l.remove_prefix(std::min(common, l.size()));
      text += l;
      text += '\n';
    }
    out = text;
    return true;
  }
};

}  // namespace

bool parse_hcl(std::string_view text, json::value& out, std::string& why) {
  reader r(text);
  json::value result;
  if (!r.document(result)) {
    why = r.why();
    return false;
  }
  out = std::move(result);
  return true;
}

}  // namespace coconsul::cli
