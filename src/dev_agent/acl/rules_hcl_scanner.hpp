#pragma once
// HCL v1's scanner (hashicorp/hcl v1.0.0, hcl/scanner) for rules_hcl.cpp: its tokens, positions
// (a read past the end moves the column on, so the end of 15 characters is "1:17") and errors
// (the last wins); identifiers outside ASCII count as letters. Internal to acl/.

#include "dev_agent/acl/rules_ast.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace coconsul::dev::acl::hcl::scan {

constexpr char32_t eof = 0;
constexpr char32_t rune_error = 0xFFFD;

enum class tok { illegal, eof, comment, ident, number, float_, boolean, string, heredoc, lbrack, lbrace, comma, period, rbrack, rbrace, assign, add, sub };

inline const char* tok_name(tok t) {
  switch (t) {
    case tok::illegal: return "ILLEGAL";
    case tok::eof: return "EOF";
    case tok::comment: return "COMMENT";
    case tok::ident: return "IDENT";
    case tok::number: return "NUMBER";
    case tok::float_: return "FLOAT";
    case tok::boolean: return "BOOL";
    case tok::string: return "STRING";
    case tok::heredoc: return "HEREDOC";
    case tok::lbrack: return "LBRACK";
    case tok::lbrace: return "LBRACE";
    case tok::comma: return "COMMA";
    case tok::period: return "PERIOD";
    case tok::rbrack: return "RBRACK";
    case tok::rbrace: return "RBRACE";
    case tok::assign: return "ASSIGN";
    case tok::add: return "ADD";
    case tok::sub: return "SUB";
  }
  return "ILLEGAL";
}

struct token {
  tok type = tok::illegal;
  pos at;
  std::string_view text;
};

// One UTF-8 sequence at the front of `s`: the rune and its size; an invalid byte is
// (rune_error, 1), as Go's utf8.DecodeRune reports it.
inline std::pair<char32_t, std::size_t> decode_rune(std::string_view s) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) return {b0, 1};
  std::size_t n = 0;
  char32_t r = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) { n = 2; r = b0 & 0x1F; min = 0x80; }
  else if ((b0 & 0xF0) == 0xE0) { n = 3; r = b0 & 0x0F; min = 0x800; }
  else if ((b0 & 0xF8) == 0xF0) { n = 4; r = b0 & 0x07; min = 0x10000; }
  else return {rune_error, 1};
  if (s.size() < n) return {rune_error, 1};
  for (std::size_t i = 1; i < n; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xC0) != 0x80) return {rune_error, 1};
    r = (r << 6) | (b & 0x3F);
  }
  if (r < min || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) return {rune_error, 1};
  return {r, n};
}

inline bool is_letter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= 0x80 && c != rune_error); }
inline bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
inline bool is_decimal(char32_t c) { return c >= '0' && c <= '9'; }
inline bool is_hex(char32_t c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
inline bool is_whitespace(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
inline int digit_val(char32_t c) {
  if (c >= '0' && c <= '9') return static_cast<int>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<int>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<int>(c - 'A' + 10);
  return 16;
}

class scanner {
 public:
  explicit scanner(std::string_view src) : src_(src) { cur_.line = 1; }

  // The last error the scanner reported (HCL keeps the last), if any.
  const std::optional<std::string>& error() const { return error_; }

  token scan() {
    char32_t ch = next();
    while (is_whitespace(ch)) ch = next();
    tok_start_ = cur_.offset - last_char_len_;
    token t;
    if (cur_.column > 0) {
      t.at = {cur_.line, cur_.column};
    } else {
      t.at = {cur_.line - 1, last_line_len_};
    }
    tok type = tok::illegal;
    if (is_letter(ch)) {
      type = tok::ident;
      const auto lit = scan_identifier();
      if (lit == "true" || lit == "false") type = tok::boolean;
    } else if (is_decimal(ch)) {
      type = scan_number(ch);
    } else {
      switch (ch) {
        case eof: type = tok::eof; break;
        case '"': type = tok::string; scan_string(); break;
        case '#':
        case '/': type = tok::comment; scan_comment(ch); break;
        case '.':
          type = tok::period;
          ch = peek();
          if (is_decimal(ch)) {
            type = tok::float_;
            ch = scan_mantissa(ch);
            ch = scan_exponent(ch);
          }
          break;
        case '<': type = tok::heredoc; scan_heredoc(); break;
        case '[': type = tok::lbrack; break;
        case ']': type = tok::rbrack; break;
        case '{': type = tok::lbrace; break;
        case '}': type = tok::rbrace; break;
        case ',': type = tok::comma; break;
        case '=': type = tok::assign; break;
        case '+': type = tok::add; break;
        case '-':
          if (is_decimal(peek())) {
            const char32_t c2 = next();
            type = scan_number(c2);
          } else {
            type = tok::sub;
          }
          break;
        default: err("illegal char"); break;
      }
    }
    const std::size_t end = cur_.offset;
    if (tok_start_ <= end && end <= src_.size()) t.text = src_.substr(tok_start_, end - tok_start_);
    tok_start_ = end;
    t.type = type;
    return t;
  }

 private:
  struct position {
    std::size_t offset = 0;
    int line = 0;
    int column = 0;
  };

  char32_t next() {
    if (read_ >= src_.size()) {
      cur_.column++;
      last_char_len_ = 0;
      return eof;
    }
    const auto [ch, size] = decode_rune(src_.substr(read_));
    read_ += size;
    prev_ = cur_;
    prev_last_line_len_ = last_line_len_;
    cur_.column++;
    last_char_len_ = size;
    cur_.offset += size;
    if (ch == rune_error && size == 1) {
      err("illegal UTF-8 encoding");
      return ch;
    }
    if (ch == '\n') {
      cur_.line++;
      last_line_len_ = cur_.column;
      cur_.column = 0;
    }
    if (ch == 0) {
      err("unexpected null character (0x00)");
      return eof;
    }
    if (ch == 0xE123) {
      err("unicode code point U+E123 reserved for internal use");
      return rune_error;
    }
    return ch;
  }

  void unread() {
    read_ -= last_char_len_;
    cur_ = prev_;
    last_line_len_ = prev_last_line_len_;
  }

  char32_t peek() const {
    if (read_ >= src_.size()) return eof;
    return decode_rune(src_.substr(read_)).first;
  }

  void err(const char* msg) {
    pos p;
    if (cur_.column > 0) {
      p = {cur_.line, cur_.column};
    } else if (last_line_len_ > 0) {
      p = {cur_.line - 1, last_line_len_};
    } else {
      p = {1, 1};
    }
    error_ = "At " + p.text() + ": " + msg;
  }

  void scan_comment(char32_t ch) {
    if (ch == '#' || (ch == '/' && peek() != '*')) {
      if (ch == '/' && peek() != '/') {
        err("expected '/' for comment");
        return;
      }
      ch = next();
      while (ch != '\n' && ch != eof) ch = next();
      if (ch != eof) unread();
      return;
    }
    if (ch == '/') {
      next();
      ch = next();
    }
    for (;;) {
      if (ch == eof) {
        err("comment not terminated");
        break;
      }
      const char32_t ch0 = ch;
      ch = next();
      if (ch0 == '*' && ch == '/') break;
    }
  }

  tok scan_number(char32_t ch) {
    if (ch == '0') {
      ch = next();
      if (ch == 'x' || ch == 'X') {
        ch = next();
        bool found = false;
        while (is_hex(ch)) {
          ch = next();
          found = true;
        }
        if (!found) err("illegal hexadecimal number");
        if (ch != eof) unread();
        return tok::number;
      }
      bool illegal_octal = false;
      while (is_decimal(ch)) {
        ch = next();
        if (ch == '8' || ch == '9') illegal_octal = true;
      }
      if (ch == 'e' || ch == 'E') {
        scan_exponent(ch);
        return tok::float_;
      }
      if (ch == '.') {
        ch = scan_fraction(ch);
        if (ch == 'e' || ch == 'E') {
          ch = next();
          scan_exponent(ch);
        }
        return tok::float_;
      }
      if (illegal_octal) err("illegal octal number");
      if (ch != eof) unread();
      return tok::number;
    }
    scan_mantissa(ch);
    ch = next();
    if (ch == 'e' || ch == 'E') {
      scan_exponent(ch);
      return tok::float_;
    }
    if (ch == '.') {
      ch = scan_fraction(ch);
      if (ch == 'e' || ch == 'E') {
        ch = next();
        scan_exponent(ch);
      }
      return tok::float_;
    }
    if (ch != eof) unread();
    return tok::number;
  }

  char32_t scan_mantissa(char32_t ch) {
    bool scanned = false;
    while (is_decimal(ch)) {
      ch = next();
      scanned = true;
    }
    if (scanned && ch != eof) unread();
    return ch;
  }

  char32_t scan_fraction(char32_t ch) {
    if (ch == '.') {
      ch = peek();
      ch = scan_mantissa(ch);
    }
    return ch;
  }

  char32_t scan_exponent(char32_t ch) {
    if (ch == 'e' || ch == 'E') {
      ch = next();
      if (ch == '-' || ch == '+') ch = next();
      ch = scan_mantissa(ch);
    }
    return ch;
  }

  void scan_heredoc() {
    if (next() != '<') {
      err("heredoc expected second '<', didn't see it");
      return;
    }
    const std::size_t offs = cur_.offset;
    char32_t ch = next();
    if (ch == '-') ch = next();
    while (is_letter(ch) || is_digit(ch)) ch = next();
    if (ch == eof) {
      err("heredoc not terminated");
      return;
    }
    if (ch == '\r' && peek() == '\n') ch = next();
    if (ch != '\n') {
      err("invalid characters in heredoc anchor");
      return;
    }
    std::string_view ident = src_.substr(offs, cur_.offset - last_char_len_ - offs);
    if (ident.empty()) {
      err("zero-length heredoc anchor");
      return;
    }
    if (ident.front() == '-') ident.remove_prefix(1);
    if (!ident.empty() && ident.back() == '\r') ident.remove_suffix(1);
    std::size_t line_start = cur_.offset;
    for (;;) {
      ch = next();
      if (ch == '\n') {
        // The anchor line: optional leading space, the identifier, optional '\r's.
        std::string_view line = src_.substr(line_start, cur_.offset - last_char_len_ - line_start);
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t' || line.front() == '\v' || line.front() == '\f' || line.front() == '\r')) line.remove_prefix(1);
        while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line == ident) break;
        line_start = cur_.offset;
      }
      if (ch == eof) {
        err("heredoc not terminated");
        return;
      }
    }
  }

  void scan_string() {
    int braces = 0;
    for (;;) {
      const char32_t ch = next();
      if ((ch == '\n' && braces == 0) || ch == eof) {
        err("literal not terminated");
        return;
      }
      if (ch == '"' && braces == 0) break;
      if (braces == 0 && ch == '$' && peek() == '{') {
        braces++;
        next();
      } else if (braces > 0 && ch == '{') {
        braces++;
      }
      if (braces > 0 && ch == '}') braces--;
      if (ch == '\\') scan_escape();
    }
  }

  char32_t scan_escape() {
    char32_t ch = next();
    switch (ch) {
      case 'a': case 'b': case 'f': case 'n': case 'r': case 't': case 'v': case '\\': case '"': break;
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': ch = scan_digits(ch, 8, 3); break;
      case 'x': ch = scan_digits(next(), 16, 2); break;
      case 'u': ch = scan_digits(next(), 16, 4); break;
      case 'U': ch = scan_digits(next(), 16, 8); break;
      default: err("illegal char escape"); break;
    }
    return ch;
  }

  char32_t scan_digits(char32_t ch, int base, int n) {
    const int start = n;
    while (n > 0 && digit_val(ch) < base) {
      ch = next();
      if (ch == eof) break;
      n--;
    }
    if (n > 0) err("illegal char escape");
    if (n != start && ch != eof) unread();
    return ch;
  }

  std::string_view scan_identifier() {
    const std::size_t offs = cur_.offset - last_char_len_;
    char32_t ch = next();
    while (is_letter(ch) || is_digit(ch) || ch == '-' || ch == '.') ch = next();
    if (ch != eof) unread();
    return src_.substr(offs, cur_.offset - offs);
  }

  std::string_view src_;
  std::size_t read_ = 0;  // bytes consumed from src_
  position cur_;
  position prev_;
  std::size_t last_char_len_ = 0;
  int last_line_len_ = 0;
  int prev_last_line_len_ = 0;
  std::size_t tok_start_ = 0;
  std::optional<std::string> error_;
};

}  // namespace coconsul::dev::acl::hcl::scan
