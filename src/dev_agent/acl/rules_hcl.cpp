// HCL v1's parser (hashicorp/hcl v1.0.0, hcl/parser) over its scanner (rules_hcl_scanner.hpp),
// as far as rules use it, with the same errors ("At 1:17: key 'foo' expected start of object
// ('{') or assignment ('=')"). Not a general HCL library: no printer, no comments kept.
#include "dev_agent/acl/rules_ast.hpp"
#include "dev_agent/acl/rules_hcl_scanner.hpp"

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

using scan::scanner;
using scan::tok;
using scan::tok_name;
using scan::token;

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
