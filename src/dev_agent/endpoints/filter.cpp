// Consul's ?filter expressions (see filter.hpp).

#include "dev_agent/endpoints/filter.hpp"

#include "dev_agent/http/error.hpp"

#include <boost/json/serialize.hpp>

#include <cctype>
#include <regex>
#include <set>
#include <vector>

namespace coconsul::dev {
namespace json = boost::json;

namespace {

const std::string error_prefix = "Failed to create boolean expression evaluator: ";

struct token {
  enum kind_t { word, string, lparen, rparen, eq, ne, end } kind;
  std::string text;
  std::size_t pos;
};

std::vector<token> tokenize(const std::string& s) {
  std::vector<token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (c == '(') { out.push_back({token::lparen, "(", i}); ++i; continue; }
    if (c == ')') { out.push_back({token::rparen, ")", i}); ++i; continue; }
    if (c == '=' && i + 1 < s.size() && s[i + 1] == '=') { out.push_back({token::eq, "==", i}); i += 2; continue; }
    if (c == '!' && i + 1 < s.size() && s[i + 1] == '=') { out.push_back({token::ne, "!=", i}); i += 2; continue; }
    if (c == '"' || c == '`') {
      std::size_t start = i++;
      std::string text;
      while (i < s.size() && s[i] != c) {
        if (c == '"' && s[i] == '\\' && i + 1 < s.size()) {
          ++i;
          text += s[i] == 'n' ? '\n' : s[i] == 't' ? '\t' : s[i];
        } else {
          text += s[i];
        }
        ++i;
      }
      if (i >= s.size())
        throw http_error{400, error_prefix + "unterminated string starting at position " + std::to_string(start + 1)};
      ++i;
      out.push_back({token::string, text, start});
      continue;
    }
    std::size_t start = i;
    std::string text;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i])) && s[i] != '(' && s[i] != ')' &&
           s[i] != '"' && s[i] != '`' && !(s[i] == '=' && i + 1 < s.size() && s[i + 1] == '=') &&
           !(s[i] == '!' && i + 1 < s.size() && s[i + 1] == '=')) {
      // Map keys in brackets: Meta["env"].
      if (s[i] == '[') {
        std::size_t close = s.find(']', i);
        if (close == std::string::npos)
          throw http_error{400, error_prefix + "unterminated [ at position " + std::to_string(i + 1)};
        std::string key = s.substr(i + 1, close - i - 1);
        if (key.size() >= 2 && (key.front() == '"' || key.front() == '`')) key = key.substr(1, key.size() - 2);
        text += "." + key;
        i = close + 1;
        continue;
      }
      text += s[i++];
    }
    out.push_back({token::word, text, start});
  }
  out.push_back({token::end, "", s.size()});
  return out;
}

enum class op { and_, or_, not_, eq, ne, in, not_in, contains, not_contains, empty, not_empty, matches, not_matches };

}  // namespace

struct filter::node {
  op kind;
  std::shared_ptr<const node> left, right;
  std::vector<std::string> selector;
  std::string value;
  std::shared_ptr<std::regex> re;
};

namespace {

using node_ptr = std::shared_ptr<const filter::node>;

class parser {
 public:
  explicit parser(const std::string& text) : toks_(tokenize(text)) {}

  node_ptr parse() {
    if (toks_.front().kind == token::end) throw http_error{400, error_prefix + "empty filter expression"};
    auto n = parse_or();
    if (peek().kind != token::end) fail("unexpected \"" + peek().text + "\"");
    return n;
  }

 private:
  const token& peek(std::size_t ahead = 0) const { return toks_[std::min(pos_ + ahead, toks_.size() - 1)]; }
  token next() { return toks_[std::min(pos_++, toks_.size() - 1)]; }
  bool is_word(const token& t, const char* w) const { return t.kind == token::word && t.text == w; }

  [[noreturn]] void fail(const std::string& what) const {
    throw http_error{400, error_prefix + what + " at position " + std::to_string(peek().pos + 1)};
  }

  node_ptr parse_or() {
    auto left = parse_and();
    while (is_word(peek(), "or")) {
      next();
      auto n = std::make_shared<filter::node>();
      n->kind = op::or_;
      n->left = left;
      n->right = parse_and();
      left = n;
    }
    return left;
  }

  node_ptr parse_and() {
    auto left = parse_not();
    while (is_word(peek(), "and")) {
      next();
      auto n = std::make_shared<filter::node>();
      n->kind = op::and_;
      n->left = left;
      n->right = parse_not();
      left = n;
    }
    return left;
  }

  node_ptr parse_not() {
    if (is_word(peek(), "not")) {
      next();
      auto n = std::make_shared<filter::node>();
      n->kind = op::not_;
      n->left = parse_not();
      return n;
    }
    if (peek().kind == token::lparen) {
      next();
      auto inner = parse_or();
      if (peek().kind != token::rparen) fail("expected \")\"");
      next();
      return inner;
    }
    return parse_match();
  }

  static std::vector<std::string> split_selector(const std::string& s) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
      auto dot = s.find('.', start);
      parts.push_back(s.substr(start, dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    return parts;
  }

  std::string value_token() {
    const token& t = peek();
    if (t.kind != token::string && t.kind != token::word) fail("expected a value");
    return next().text;
  }

  std::vector<std::string> selector_token() {
    const token& t = peek();
    if (t.kind != token::word || t.text.empty() || !std::isalpha(static_cast<unsigned char>(t.text[0])))
      fail("expected a selector");
    return split_selector(next().text);
  }

  node_ptr parse_match() {
    auto n = std::make_shared<filter::node>();
    // "<value> [not] in <selector>"
    if (peek().kind == token::string || (peek().kind == token::word && (is_word(peek(1), "in") ||
                                                                         (is_word(peek(1), "not") && is_word(peek(2), "in"))))) {
      n->value = value_token();
      bool negate = false;
      if (is_word(peek(), "not")) {
        next();
        negate = true;
      }
      if (!is_word(peek(), "in")) fail("expected \"in\" after a value");
      next();
      n->kind = negate ? op::not_in : op::in;
      n->selector = selector_token();
      return n;
    }
    n->selector = selector_token();
    const token& t = peek();
    if (t.kind == token::eq || t.kind == token::ne) {
      n->kind = t.kind == token::eq ? op::eq : op::ne;
      next();
      n->value = value_token();
      return n;
    }
    if (is_word(t, "is")) {
      next();
      bool negate = false;
      if (is_word(peek(), "not")) {
        next();
        negate = true;
      }
      if (!is_word(peek(), "empty")) fail("expected \"empty\"");
      next();
      n->kind = negate ? op::not_empty : op::empty;
      return n;
    }
    bool negate = false;
    if (is_word(t, "not")) {
      next();
      negate = true;
    }
    if (is_word(peek(), "contains")) {
      next();
      n->kind = negate ? op::not_contains : op::contains;
      n->value = value_token();
      return n;
    }
    if (is_word(peek(), "matches")) {
      next();
      n->kind = negate ? op::not_matches : op::matches;
      n->value = value_token();
      try {
        n->re = std::make_shared<std::regex>(n->value, std::regex::ECMAScript);
      } catch (const std::regex_error&) {
        throw http_error{400, error_prefix + "invalid regular expression \"" + n->value + "\""};
      }
      return n;
    }
    fail("expected ==, !=, is, contains, matches or in");
  }

  std::vector<token> toks_;
  std::size_t pos_ = 0;
};

std::string join(const std::vector<std::string>& parts) {
  std::string s;
  for (const auto& p : parts) s += (s.empty() ? "" : ".") + p;
  return s;
}

const std::set<std::string> map_fields = {"Meta", "NodeMeta", "ServiceMeta", "TaggedAddresses",
                                          "ServiceTaggedAddresses", "Header", "Tags"};

// Collects what the selector reaches; lists fan out. Returns false when a field is unknown.
bool select(const json::value& v, const std::vector<std::string>& path, std::size_t i, bool in_map,
            std::vector<const json::value*>& out) {
  if (i == path.size()) {
    out.push_back(&v);
    return true;
  }
  if (v.is_array()) {
    bool ok = true;
    for (const auto& e : v.get_array()) ok = select(e, path, i, in_map, out) && ok;
    return ok;
  }
  if (v.is_object()) {
    const auto& o = v.get_object();
    auto it = o.find(path[i]);
    if (it == o.end()) {
      if (in_map) return true;  // a missing map key selects nothing
      return false;
    }
    return select(it->value(), path, i + 1, map_fields.count(path[i]) > 0, out);
  }
  return in_map;
}

std::string scalar_text(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string: return std::string(v.get_string());
    case json::kind::bool_: return v.get_bool() ? "true" : "false";
    case json::kind::int64: return std::to_string(v.get_int64());
    case json::kind::uint64: return std::to_string(v.get_uint64());
    case json::kind::double_: return json::serialize(v);
    default: return "";
  }
}

bool is_empty(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return true;
    case json::kind::string: return v.get_string().empty();
    case json::kind::array: return v.get_array().empty();
    case json::kind::object: return v.get_object().empty();
    default: return false;
  }
}

bool contains(const json::value& v, const std::string& value) {
  if (v.is_array()) {
    for (const auto& e : v.get_array())
      if (scalar_text(e) == value) return true;
    return false;
  }
  if (v.is_object()) return v.get_object().contains(value);
  if (v.is_string()) return std::string_view(v.get_string()).find(value) != std::string_view::npos;
  return false;
}

bool eval(const filter::node& n, const json::value& v) {
  switch (n.kind) {
    case op::and_: return eval(*n.left, v) && eval(*n.right, v);
    case op::or_: return eval(*n.left, v) || eval(*n.right, v);
    case op::not_: return !eval(*n.left, v);
    default: break;
  }
  std::vector<const json::value*> hits;
  if (!select(v, n.selector, 0, false, hits))
    throw http_error{400, error_prefix + "Selector \"" + join(n.selector) + "\" is not valid"};
  auto any = [&](auto pred) {
    for (const auto* h : hits)
      if (pred(*h)) return true;
    return false;
  };
  switch (n.kind) {
    case op::eq: return any([&](const json::value& h) { return !h.is_structured() && scalar_text(h) == n.value; });
    case op::ne: return !any([&](const json::value& h) { return !h.is_structured() && scalar_text(h) == n.value; });
    case op::in:
    case op::contains: return any([&](const json::value& h) { return contains(h, n.value); });
    case op::not_in:
    case op::not_contains: return !any([&](const json::value& h) { return contains(h, n.value); });
    case op::empty: return hits.empty() || !any([](const json::value& h) { return !is_empty(h); });
    case op::not_empty: return any([](const json::value& h) { return !is_empty(h); });
    case op::matches:
      return any([&](const json::value& h) { return h.is_string() && std::regex_search(std::string(h.get_string()), *n.re); });
    case op::not_matches:
      return !any([&](const json::value& h) { return h.is_string() && std::regex_search(std::string(h.get_string()), *n.re); });
    default: return false;
  }
}

}  // namespace

bool filter::matches(const json::value& v) const { return eval(*root_, v); }

filter parse_filter(const std::string& expression) { return filter(parser(expression).parse()); }

std::optional<filter> compile_filter(const http_request& req, filter_target) {
  auto text = req.query.get("filter");
  if (!text || text->empty()) return std::nullopt;
  return parse_filter(*text);
}

}  // namespace coconsul::dev
