// HCL v1's scanner and parser (hashicorp/hcl v1.0.0, hcl/scanner and hcl/parser), as far as
// rules use them, with the same tokens, positions and error texts ("At 1:17: key 'foo'
// expected start of object ('{') or assignment ('=')"). Not a general HCL library: no printer,
// no comments kept, identifiers outside ASCII are taken as letters (Go asks unicode.IsLetter).
#include "dev_agent/acl/rules_ast.hpp"

#include "dev_agent/acl/rules.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul::dev::acl::hcl {

std::string pos::text() const {
  if (line <= 0) return "-";
  return std::to_string(line) + ":" + std::to_string(column);
}

namespace {

constexpr char32_t eof = 0;
constexpr char32_t rune_error = 0xFFFD;

enum class tok { illegal, eof, comment, ident, number, float_, boolean, string, heredoc, lbrack, lbrace, comma, period, rbrack, rbrace, assign, add, sub };

const char* tok_name(tok t) {
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
std::pair<char32_t, std::size_t> decode_rune(std::string_view s) {
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

bool is_letter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= 0x80 && c != rune_error); }
bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
bool is_decimal(char32_t c) { return c >= '0' && c <= '9'; }
bool is_hex(char32_t c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_whitespace(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
int digit_val(char32_t c) {
  if (c >= '0' && c <= '9') return static_cast<int>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<int>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<int>(c - 'A' + 10);
  return 16;
}

// hcl/scanner: positions count runes from 1, and every read past the end moves the column on
// once more (which is why an error at the end says "1:17" for 15 characters).
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

namespace {

// A heredoc's value as HCL's unindentHeredoc gives it: for "<<EOF" the text between the marker
// line and as many characters before the end as the marker is long; "<<-" also removes the
// closing marker's indentation from every line when all lines have it.
std::string heredoc_value(std::string_view text) {
  const auto idx = text.find('\n');
  if (idx == std::string_view::npos || text.size() + 1 < 2 * idx + 1) return {};
  const std::string_view plain = text.substr(idx + 1, text.size() + 1 - idx - (idx + 1));
  if (text.size() < 3 || text[2] != '-') return std::string(plain);
  if (text.size() < idx + 3) return std::string(plain);
  std::vector<std::string_view> lines;
  const std::string_view body = text.substr(idx + 1, text.size() - 2 - idx);
  for (std::size_t p = 0;;) {
    const auto e = body.find('\n', p);
    lines.push_back(body.substr(p, e == std::string_view::npos ? std::string_view::npos : e - p));
    if (e == std::string_view::npos) break;
    p = e + 1;
  }
  const std::string_view prefix = lines.back();
  for (const auto l : lines)
    if (l.substr(0, prefix.size()) != prefix) {
      std::string out(plain);
      while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
      return out;
    }
  std::string out;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    if (k) out += '\n';
    if (k + 1 < lines.size()) out += lines[k].substr(prefix.size());
  }
  return out;
}

struct parse_failure {
  std::string message;
};

// hcl/parser: one token of look-back; errors are the PosErrors of hcl v1.0.0.
class parser {
 public:
  explicit parser(std::string_view src) : sc_(src) {}

  parsed run() {
    parsed out;
    std::optional<parse_failure> failure;
    auto list = object_list(0, failure);
    if (sc_.error()) {
      out.error = *sc_.error();
    } else if (failure) {
      out.error = failure->message;
    } else {
      out.root = std::move(list);
    }
    return out;
  }

 private:
  static std::string at(pos p, const std::string& msg) { return "At " + p.text() + ": " + msg; }

  token scan() {
    if (buffered_) {
      buffered_ = false;
      return tok_;
    }
    tok_ = sc_.scan();
    while (tok_.type == tok::comment) tok_ = sc_.scan();
    return tok_;
  }
  void unscan() { buffered_ = true; }

  // Returns the items; `failure` set on a syntax error (the items so far are dropped).
  std::vector<item> object_list(std::size_t depth, std::optional<parse_failure>& failure) {
    std::vector<item> items;
    for (;;) {
      bool at_eof = false;
      auto it = object_item(depth, failure, at_eof);
      if (at_eof) break;
      if (failure) return items;
      items.push_back(std::move(*it));
      if (scan().type != tok::comma) unscan();
    }
    return items;
  }

  std::optional<item> object_item(std::size_t depth, std::optional<parse_failure>& failure, bool& at_eof) {
    std::vector<token> keys;
    bool key_eof = false;
    std::optional<parse_failure> key_err = object_key(keys, key_eof);
    if (!keys.empty() && key_eof) {
      key_eof = false;
    }
    if (!keys.empty() && key_err && tok_.type == tok::rbrace) {
      key_err.reset();
      tok_.type = tok::eof;
    }
    if (key_eof) {
      at_eof = true;
      return std::nullopt;
    }
    if (key_err) {
      failure = std::move(key_err);
      return std::nullopt;
    }
    item out;
    for (const auto& k : keys) {
      if (k.type == tok::string) {
        auto v = unquote(k.text, false);
        if (!v) {
          failure = parse_failure{at(k.at, "unquote " + std::string(k.text) + " err: invalid syntax")};
          return std::nullopt;
        }
        out.keys.push_back(std::move(*v));
      } else {
        out.keys.emplace_back(k.text);
      }
      out.key_pos.push_back(k.at);
    }
    switch (tok_.type) {
      case tok::assign: {
        // `key =` at the end: HCL's errEofToken ends the list quietly, dropping the item.
        auto v = object(depth, failure, at_eof);
        if (at_eof || failure) return std::nullopt;
        out.value.push_back(std::move(*v));
        break;
      }
      case tok::lbrace: {
        auto v = object_type(depth, failure);
        if (failure) return std::nullopt;
        out.value.push_back(std::move(*v));
        break;
      }
      default: {
        std::string joined;
        for (std::size_t i = 0; i < keys.size(); ++i) {
          if (i) joined += ' ';
          joined += keys[i].text;
        }
        failure = parse_failure{at(tok_.at, "key '" + joined + "' expected start of object ('{') or assignment ('=')")};
        return std::nullopt;
      }
    }
    return out;
  }

  // Reads keys up to '=' or '{'. `eof` reports HCL's errEofToken.
  std::optional<parse_failure> object_key(std::vector<token>& keys, bool& eof) {
    for (;;) {
      const token t = scan();
      switch (t.type) {
        case tok::eof: eof = true; return std::nullopt;
        case tok::assign:
          if (keys.size() > 1) return parse_failure{at(t.at, "nested object expected: LBRACE got: ASSIGN")};
          if (keys.empty()) return parse_failure{at(t.at, "no object keys found!")};
          return std::nullopt;
        case tok::lbrace:
          if (keys.empty()) return parse_failure{at(t.at, "expected: IDENT | STRING got: LBRACE")};
          return std::nullopt;
        case tok::ident:
        case tok::string: keys.push_back(t); break;
        case tok::illegal: break;  // HCL prints "illegal" and reads on; the scanner's error wins
        default: return parse_failure{at(t.at, std::string("expected: IDENT | STRING | ASSIGN | LBRACE got: ") + tok_name(t.type))};
      }
    }
  }

  std::optional<node> literal(const token& t, std::optional<parse_failure>& failure) {
    node n;
    n.k = node::kind::literal;
    n.at = t.at;
    n.text = std::string(t.text);
    switch (t.type) {
      case tok::number: n.lit = literal_kind::number; break;
      case tok::float_: n.lit = literal_kind::float_; break;
      case tok::boolean: n.lit = literal_kind::boolean; break;
      case tok::heredoc:
        n.lit = literal_kind::heredoc;
        n.value = heredoc_value(t.text);
        break;
      default: {
        n.lit = literal_kind::string;
        auto v = unquote(t.text, false);
        if (!v) {
          failure = parse_failure{at(t.at, "unquote " + std::string(t.text) + " err: invalid syntax")};
          return std::nullopt;
        }
        n.value = std::move(*v);
      }
    }
    return n;
  }

  std::optional<node> object(std::size_t depth, std::optional<parse_failure>& failure, bool& at_eof) {
    const token t = scan();
    switch (t.type) {
      case tok::number:
      case tok::float_:
      case tok::boolean:
      case tok::string:
      case tok::heredoc: return literal(t, failure);
      case tok::lbrace: return object_type(depth, failure);
      case tok::lbrack: return list_type(depth, failure);
      case tok::eof: at_eof = true; return std::nullopt;
      default: break;
    }
    failure = parse_failure{at(t.at, "Unknown token: {Type:" + std::string(tok_name(t.type)) + " Pos:" + t.at.text() + " Text:" + std::string(t.text) + " JSON:false}")};
    return std::nullopt;
  }

  bool too_deep(std::size_t depth, pos p, std::optional<parse_failure>& failure) {
    if (depth < max_rules_depth) return false;
    failure = parse_failure{at(p, rules_too_deep())};
    return true;
  }

  std::optional<node> object_type(std::size_t depth, std::optional<parse_failure>& failure) {
    node n;
    n.k = node::kind::object;
    n.at = tok_.at;
    if (too_deep(depth + 1, n.at, failure)) return std::nullopt;
    std::optional<parse_failure> inner;
    n.items = object_list(depth + 1, inner);
    if (inner && tok_.type != tok::rbrace) {
      failure = std::move(inner);
      return std::nullopt;
    }
    if (tok_.type != tok::rbrace) {
      failure = parse_failure{at(tok_.at, std::string("object expected closing RBRACE got: ") + tok_name(tok_.type))};
      return std::nullopt;
    }
    return n;
  }

  std::optional<node> list_type(std::size_t depth, std::optional<parse_failure>& failure) {
    node l;
    l.k = node::kind::list;
    l.at = tok_.at;
    if (too_deep(depth + 1, l.at, failure)) return std::nullopt;
    bool need_comma = false;
    for (;;) {
      const token t = scan();
      if (need_comma && t.type != tok::comma && t.type != tok::rbrack) {
        failure = parse_failure{at(t.at, std::string("error parsing list, expected comma or list end, got: ") + tok_name(t.type))};
        return std::nullopt;
      }
      switch (t.type) {
        case tok::number:
        case tok::float_:
        case tok::string:
        case tok::heredoc: {
          auto n = literal(t, failure);
          if (!n) return std::nullopt;
          l.elements.push_back(std::move(*n));
          need_comma = true;
          break;
        }
        case tok::comma: need_comma = false; break;
        case tok::lbrace: {
          std::optional<parse_failure> inner;
          auto n = object_type(depth + 1, inner);
          if (!n) {
            // HCL wraps the inner error's text once more.
            failure = parse_failure{at(t.at, "error while trying to parse object within list: " + (inner ? inner->message : std::string()))};
            return std::nullopt;
          }
          l.elements.push_back(std::move(*n));
          need_comma = true;
          break;
        }
        case tok::boolean:
        case tok::lbrack: break;  // HCL v1 skips them in lists
        case tok::rbrack: return l;
        default:
          failure = parse_failure{at(t.at, std::string("unexpected token while parsing list: ") + tok_name(t.type))};
          return std::nullopt;
      }
    }
  }

  scanner sc_;
  token tok_;
  bool buffered_ = false;
};

}  // namespace

parsed parse_hcl(std::string_view text) { return parser(text).run(); }

}  // namespace coconsul::dev::acl::hcl
