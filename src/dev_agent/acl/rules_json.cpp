// HCL v1's JSON front end (json/scanner, json/parser): JSON into the same tree as HCL, flattened
// as HCL does (an object of objects becomes items with longer keys, a list of objects repeated
// items), with its texts; duplicate members are all kept in order, unlike a JSON DOM.
#include "dev_agent/acl/rules_ast.hpp"

#include "dev_agent/acl/rules.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace coconsul::dev::acl::hcl {

namespace {

enum class jtok { illegal, eof, number, float_, boolean, string, null, lbrack, lbrace, comma, period, colon, rbrack, rbrace };

const char* jtok_name(jtok t) {
  switch (t) {
    case jtok::illegal: return "ILLEGAL";
    case jtok::eof: return "EOF";
    case jtok::number: return "NUMBER";
    case jtok::float_: return "FLOAT";
    case jtok::boolean: return "BOOL";
    case jtok::string: return "STRING";
    case jtok::null: return "NULL";
    case jtok::lbrack: return "LBRACK";
    case jtok::lbrace: return "LBRACE";
    case jtok::comma: return "COMMA";
    case jtok::period: return "PERIOD";
    case jtok::colon: return "COLON";
    case jtok::rbrack: return "RBRACK";
    case jtok::rbrace: return "RBRACE";
  }
  return "ILLEGAL";
}

struct jtoken {
  jtok type = jtok::illegal;
  pos at;
  std::string_view text;
};

bool is_decimal(char c) { return c >= '0' && c <= '9'; }
bool is_letter(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80; }
int digit_val(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 16;
}

// json/scanner, by bytes: JSON's syntax is ASCII, and a multi-byte character only ever
// appears inside a string (its column then counts bytes, where Go counts runes).
class jscanner {
 public:
  explicit jscanner(std::string_view src) : src_(src) {}
  const std::optional<std::string>& error() const { return error_; }

  jtoken scan() {
    char c = next();
    while (c == ' ' || c == '\t' || c == '\n' || c == '\r') c = next();
    const std::size_t start = at_ - (last_ ? 1 : 0);
    jtoken t;
    t.at = col_ > 0 ? pos{line_, col_} : pos{line_ - 1, last_line_len_};
    jtok type = jtok::illegal;
    if (is_letter(static_cast<unsigned char>(c))) {
      const std::size_t s = at_ - 1;
      char n = next();
      while (is_letter(static_cast<unsigned char>(n)) || is_decimal(n) || n == '-' || n == '.') n = next();
      if (last_) unread();
      const std::string_view lit = src_.substr(s, at_ - s);
      if (lit == "true" || lit == "false") type = jtok::boolean;
      else if (lit == "null") type = jtok::null;
      else err("illegal char");
    } else if (is_decimal(c)) {
      type = scan_number(c);
    } else {
      switch (c) {
        case '\0':
          if (!last_) { type = jtok::eof; break; }
          err("illegal char");
          break;
        case '"': type = jtok::string; scan_string(); break;
        case '.':
          type = jtok::period;
          if (is_decimal(peek())) {
            type = jtok::float_;
            scan_mantissa(next());
          }
          break;
        case '[': type = jtok::lbrack; break;
        case ']': type = jtok::rbrack; break;
        case '{': type = jtok::lbrace; break;
        case '}': type = jtok::rbrace; break;
        case ',': type = jtok::comma; break;
        case ':': type = jtok::colon; break;
        case '-':
          if (is_decimal(peek())) type = scan_number(next());
          else err("illegal char");
          break;
        default: err("illegal char"); break;
      }
    }
    t.type = type;
    if (start <= at_) t.text = src_.substr(start, at_ - start);
    return t;
  }

 private:
  // The next byte, or '\0' with last_ false at the end (the column still moves on, as HCL's does).
  char next() {
    if (at_ >= src_.size()) {
      col_++;
      last_ = false;
      return '\0';
    }
    prev_line_ = line_;
    prev_col_ = col_;
    prev_last_line_len_ = last_line_len_;
    const char c = src_[at_++];
    last_ = true;
    col_++;
    if (c == '\n') {
      line_++;
      last_line_len_ = col_;
      col_ = 0;
    }
    return c;
  }
  void unread() {
    at_--;
    line_ = prev_line_;
    col_ = prev_col_;
    last_line_len_ = prev_last_line_len_;
  }
  char peek() const { return at_ < src_.size() ? src_[at_] : '\0'; }

  void err(const char* msg) {
    pos p = col_ > 0 ? pos{line_, col_} : (last_line_len_ > 0 ? pos{line_ - 1, last_line_len_} : pos{1, 1});
    error_ = p.text() + ": " + msg;
  }

  jtok scan_number(char c) {
    const bool zero = c == '0';
    const std::size_t before = at_;
    scan_mantissa(c);
    c = next();
    if (c == 'e' || c == 'E') {
      scan_exponent(c);
      return jtok::float_;
    }
    if (c == '.') {
      if (is_decimal(peek())) scan_mantissa(next());
      c = next();
      if (c == 'e' || c == 'E') scan_exponent(c);
      else if (last_) unread();
      return jtok::float_;
    }
    if (last_) unread();
    if (zero && at_ != before) err("numbers cannot start with 0");
    return jtok::number;
  }
  void scan_mantissa(char c) {
    bool scanned = false;
    while (is_decimal(c) && last_) {
      c = next();
      scanned = true;
    }
    if (scanned && last_) unread();
  }
  void scan_exponent(char c) {
    if (c == 'e' || c == 'E') {
      c = next();
      if (c == '-' || c == '+') c = next();
      scan_mantissa(c);
    }
  }
  void scan_string() {
    for (;;) {
      const char c = next();
      if (c == '\n' || !last_) {
        err("literal not terminated");
        return;
      }
      if (c == '"') break;
      if (c == '\\') scan_escape();
    }
  }
  void scan_escape() {
    const char c = next();
    switch (c) {
      case 'a': case 'b': case 'f': case 'n': case 'r': case 't': case 'v': case '\\': case '"': break;
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': scan_digits(c, 8, 3); break;
      case 'x': scan_digits(next(), 16, 2); break;
      case 'u': scan_digits(next(), 16, 4); break;
      case 'U': scan_digits(next(), 16, 8); break;
      default: err("illegal char escape"); break;
    }
  }
  void scan_digits(char c, int base, int n) {
    const int start = n;
    while (n > 0 && digit_val(c) < base) {
      c = next();
      if (!last_) break;
      n--;
    }
    if (n > 0) err("illegal char escape");
    if (n != start && last_) unread();
  }

  std::string_view src_;
  std::size_t at_ = 0;
  int line_ = 1;
  int col_ = 0;
  int last_line_len_ = 0;
  int prev_line_ = 1;
  int prev_col_ = 0;
  int prev_last_line_len_ = 0;
  bool last_ = false;  // whether the last next() read a byte
  std::optional<std::string> error_;
};

struct jparser {
  explicit jparser(std::string_view src) : sc(src) {}

  jscanner sc;
  jtoken tok;
  std::string failure;
  bool eof_found = false;  // HCL's errEofToken

  jtoken scan() { return tok = sc.scan(); }

  static std::string describe(const jtoken& t) {
    return "{Type:" + std::string(jtok_name(t.type)) + " Pos:" + t.at.text() + " Text:" + std::string(t.text) + "}";
  }

  bool fail(std::string m) {
    if (failure.empty()) failure = std::move(m);
    return false;
  }

  bool too_deep(std::size_t depth) {
    if (depth < max_rules_depth) return false;
    fail(rules_too_deep());
    return true;
  }

  // objectList: items separated by commas; stops at the first non-comma.
  bool object_list(std::size_t depth, std::vector<item>& out) {
    for (;;) {
      item it;
      if (!object_item(depth, it)) return !eof_found ? false : (eof_found = false, true);
      out.push_back(std::move(it));
      if (scan().type != jtok::comma) return true;
    }
  }

  bool object_item(std::size_t depth, item& out) {
    for (;;) {
      const jtoken t = scan();
      switch (t.type) {
        case jtok::eof: eof_found = true; return false;
        case jtok::string: {
          auto v = unquote(t.text, true);
          out.keys.push_back(v ? std::move(*v) : std::string());
          out.key_pos.push_back(pos{});
          continue;
        }
        case jtok::colon:
          if (out.keys.empty()) return fail("expected: STRING got: COLON");
          break;
        case jtok::illegal: return fail("illegal");
        default: return fail(std::string("expected: STRING got: ") + jtok_name(t.type));
      }
      break;
    }
    node v;
    if (!object_value(depth, v)) return false;
    out.value.push_back(std::move(v));
    return true;
  }

  bool literal(const jtoken& t, node& n) {
    n.k = node::kind::literal;
    n.text = std::string(t.text);
    switch (t.type) {
      case jtok::number: n.lit = literal_kind::number; break;
      case jtok::float_: n.lit = literal_kind::float_; break;
      case jtok::boolean: n.lit = literal_kind::boolean; break;
      case jtok::null:
        // HCL turns null into an empty string.
        n.lit = literal_kind::string;
        n.text.clear();
        break;
      default: {
        n.lit = literal_kind::string;
        auto v = unquote(t.text, true);
        if (!v) return fail("unquote " + std::string(t.text) + " err: invalid syntax");
        n.value = std::move(*v);
      }
    }
    return true;
  }

  bool object_value(std::size_t depth, node& n) {
    const jtoken t = scan();
    switch (t.type) {
      case jtok::number:
      case jtok::float_:
      case jtok::boolean:
      case jtok::null:
      case jtok::string: return literal(t, n);
      case jtok::lbrace: return object_type(depth, n);
      case jtok::lbrack: return list_type(depth, n);
      case jtok::eof: eof_found = true; return false;
      default: return fail("Expected object value, got unknown token: " + describe(t));
    }
  }

  bool object_type(std::size_t depth, node& n) {
    if (too_deep(depth + 1)) return false;
    n.k = node::kind::object;
    const bool ok = object_list(depth + 1, n.items);
    if (tok.type != jtok::rbrace) {
      if (!ok) return false;
      return fail(std::string("unexpected token while parsing object: ") + jtok_name(tok.type));
    }
    failure.clear();  // an error inside the list that ended at '}' is no error (`{}`)
    eof_found = false;
    return true;
  }

  bool list_type(std::size_t depth, node& l) {
    if (too_deep(depth + 1)) return false;
    l.k = node::kind::list;
    for (;;) {
      const jtoken t = scan();
      switch (t.type) {
        case jtok::number:
        case jtok::float_:
        case jtok::string: {
          node n;
          if (!literal(t, n)) return false;
          l.elements.push_back(std::move(n));
          break;
        }
        case jtok::comma: break;
        case jtok::lbrace: {
          node n;
          if (!object_type(depth + 1, n)) return false;
          l.elements.push_back(std::move(n));
          break;
        }
        case jtok::boolean:
        case jtok::lbrack: break;  // HCL v1 skips them
        case jtok::rbrack: return true;
        default: return fail(std::string("unexpected token while parsing list: ") + jtok_name(t.type));
      }
    }
  }
};

// flattenObjects: an item whose object holds only objects becomes one item per member with
// the member's keys appended; an item whose list holds only objects, one item per element.
// Applied to every object list, outermost first, as HCL's ast.Walk does.
void flatten(std::vector<item>& list, std::size_t depth);

void flatten_node(node& n, std::size_t depth) {
  if (depth >= max_rules_depth) return;
  if (n.k == node::kind::object) flatten(n.items, depth + 1);
  if (n.k == node::kind::list)
    for (auto& e : n.elements) flatten_node(e, depth + 1);
}

void flatten(std::vector<item>& list, std::size_t depth) {
  std::vector<item> out;
  std::vector<item> frontier;
  frontier.reserve(list.size());
  for (auto& it : list) frontier.push_back(std::move(it));
  while (!frontier.empty()) {
    item it = std::move(frontier.back());
    frontier.pop_back();
    node& v = it.value.front();
    if (v.k == node::kind::object && !v.items.empty()) {
      bool all_objects = true;
      for (const auto& sub : v.items) all_objects = all_objects && sub.value.front().k == node::kind::object;
      if (all_objects) {
        for (auto& sub : v.items) {
          item flat;
          flat.keys = it.keys;
          flat.key_pos = it.key_pos;
          flat.keys.insert(flat.keys.end(), sub.keys.begin(), sub.keys.end());
          flat.key_pos.insert(flat.key_pos.end(), sub.key_pos.begin(), sub.key_pos.end());
          flat.value.push_back(std::move(sub.value.front()));
          frontier.push_back(std::move(flat));
        }
        continue;
      }
    } else if (v.k == node::kind::list && !v.elements.empty()) {
      bool all_objects = true;
      for (const auto& e : v.elements) all_objects = all_objects && e.k == node::kind::object;
      if (all_objects) {
        for (auto& e : v.elements) {
          item flat;
          flat.keys = it.keys;
          flat.key_pos = it.key_pos;
          flat.value.push_back(std::move(e));
          frontier.push_back(std::move(flat));
        }
        continue;
      }
    }
    out.push_back(std::move(it));
  }
  // The frontier runs backwards.
  list.assign(std::make_move_iterator(out.rbegin()), std::make_move_iterator(out.rend()));
  for (auto& it : list) flatten_node(it.value.front(), depth);
}

}  // namespace

parsed parse_json(std::string_view text) {
  parsed out;
  jparser p(text);
  const jtoken first = p.scan();
  node root;
  bool ok = false;
  if (first.type == jtok::lbrace) {
    ok = p.object_type(0, root);
  } else if (first.type == jtok::eof) {
    p.failure = "EOF token found";
  } else {
    p.failure = "Expected object, got unknown token: " + jparser::describe(first);
  }
  if (p.sc.error()) {
    out.error = *p.sc.error();
  } else if (!ok) {
    out.error = p.failure.empty() ? std::string("EOF token found") : p.failure;
  } else {
    out.root = std::move(root.items);
    flatten(out.root, 0);
  }
  return out;
}

}  // namespace coconsul::dev::acl::hcl
