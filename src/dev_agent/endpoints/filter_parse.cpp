// The ?filter parser (see filter.hpp): a lexer read one token ahead at a time and an
// operator-precedence parser with explicit stacks, so 1 MiB of "(" costs no stack and is
// refused at the nesting bound instead of read whole.

#include "core/nesting.hpp"
#include "core/text.hpp"
#include "dev_agent/endpoints/filter_program.hpp"
#include "dev_agent/http/error.hpp"

#include <cctype>
#include <deque>

namespace coconsul::dev {
namespace {

const std::string error_prefix = "Failed to create boolean expression evaluator: ";

struct token {
  enum kind_t { word, string, lparen, rparen, eq, ne, end } kind;
  std::string text;
  std::size_t pos;
};

bool space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

class lexer {
 public:
  explicit lexer(const std::string& s) : s_(s) {}

  // The next token; `end` at the end, as often as asked.
  token next() {
    while (i_ < s_.size() && space(s_[i_])) ++i_;
    if (i_ >= s_.size()) return {token::end, "", s_.size()};
    const std::size_t start = i_;
    const char c = s_[i_];
    if (c == '(') return ++i_, token{token::lparen, "(", start};
    if (c == ')') return ++i_, token{token::rparen, ")", start};
    if (two_char_op(i_, '=')) return i_ += 2, token{token::eq, "==", start};
    if (two_char_op(i_, '!')) return i_ += 2, token{token::ne, "!=", start};
    if (c == '"' || c == '`') return quoted_string(c);
    std::string text;
    while (i_ < s_.size() && !space(s_[i_]) && s_[i_] != '(' && s_[i_] != ')' && s_[i_] != '"' && s_[i_] != '`' &&
           !two_char_op(i_, '=') && !two_char_op(i_, '!')) {
      // Map keys in brackets: Meta["env"].
      if (s_[i_] == '[') {
        const std::size_t close = s_.find(']', i_);
        if (close == std::string::npos)
          throw http_error{400, error_prefix + "unterminated [ at position " + std::to_string(i_ + 1)};
        std::string key = s_.substr(i_ + 1, close - i_ - 1);
        if (key.size() >= 2 && (key.front() == '"' || key.front() == '`')) key = key.substr(1, key.size() - 2);
        text += "." + key;
        i_ = close + 1;
        continue;
      }
      text += s_[i_++];
    }
    return {token::word, std::move(text), start};
  }

 private:
  bool two_char_op(std::size_t i, char first) const {
    return s_[i] == first && i + 1 < s_.size() && s_[i + 1] == '=';
  }

  token quoted_string(char quote) {
    const std::size_t start = i_++;
    std::string text;
    while (i_ < s_.size() && s_[i_] != quote) {
      if (quote == '"' && s_[i_] == '\\' && i_ + 1 < s_.size()) {
        ++i_;
        text += s_[i_] == 'n' ? '\n' : s_[i_] == 't' ? '\t' : s_[i_];
      } else {
        text += s_[i_];
      }
      ++i_;
    }
    if (i_ >= s_.size())
      throw http_error{400, error_prefix + "unterminated string starting at position " + std::to_string(start + 1)};
    ++i_;
    return {token::string, std::move(text), start};
  }

  const std::string& s_;
  std::size_t i_ = 0;
};

using node = filter::program::node;

class parser {
 public:
  explicit parser(const std::string& text) : lex_(text) {}

  // Shunting-yard over or < and < not < ( ): operands and pending operators on two stacks.
  std::shared_ptr<const filter::program> parse() {
    if (peek().kind == token::end) throw http_error{400, error_prefix + "empty filter expression"};
    for (;;) {
      // Where an operand is expected: any "not" and "(" before it, then a match.
      for (;;) {
        if (is_word(peek(), "not")) {
          open(pending::not_);
        } else if (peek().kind == token::lparen) {
          open(pending::lparen);
        } else {
          break;
        }
      }
      operands_.push_back(parse_match());
      // After an operand: the "not"s before it apply, and a ")" closes a group.
      for (;;) {
        while (!ops_.empty() && ops_.back() == pending::not_) reduce();
        if (open_parens_ == 0 || peek().kind != token::rparen) break;
        while (ops_.back() != pending::lparen) reduce();
        ops_.pop_back();
        --open_parens_;
        --depth_;
        next();
      }
      if (is_word(peek(), "and")) {
        while (!ops_.empty() && ops_.back() == pending::and_) reduce();
        ops_.push_back(pending::and_);
        next();
        continue;
      }
      if (is_word(peek(), "or")) {
        while (!ops_.empty() && (ops_.back() == pending::and_ || ops_.back() == pending::or_)) reduce();
        ops_.push_back(pending::or_);
        next();
        continue;
      }
      if (open_parens_ > 0) fail("expected \")\"");
      if (peek().kind != token::end) fail("unexpected \"" + peek().text + "\"");
      while (!ops_.empty()) reduce();
      program_->root = operands_.back();
      return program_;
    }
  }

 private:
  enum class pending { lparen, not_, and_, or_ };

  const token& peek(std::size_t ahead = 0) {
    while (look_.size() <= ahead) {
      look_.push_back(lex_.next());
      ++program_->parse_steps;
    }
    return look_[ahead];
  }
  token next() {
    peek();
    token t = std::move(look_.front());
    look_.pop_front();
    return t;
  }
  static bool is_word(const token& t, const char* w) { return t.kind == token::word && t.text == w; }

  [[noreturn]] void fail(const std::string& what) {
    throw http_error{400, error_prefix + what + " at position " + std::to_string(peek().pos + 1)};
  }

  // A "(" or "not" nests what follows: the one bound for every recursive reader applies.
  void open(pending p) {
    if (depth_ + 1 > core::max_nesting_depth) fail(core::nesting_too_deep("filter expression"));
    ++depth_;
    if (p == pending::lparen) ++open_parens_;
    ops_.push_back(p);
    next();
  }

  std::uint32_t add(node n) {
    program_->nodes.push_back(std::move(n));
    return static_cast<std::uint32_t>(program_->nodes.size() - 1);
  }

  // Applies the operator on top of the stack to the operands on top of theirs. An and/or
  // whose left side is the same operator grows that node: a chain is one flat node.
  void reduce() {
    ++program_->parse_steps;
    const pending p = ops_.back();
    ops_.pop_back();
    if (p == pending::not_) {
      --depth_;
      node n{filter_op::not_};
      n.kids.push_back(operands_.back());
      operands_.back() = add(std::move(n));
      return;
    }
    const filter_op op = p == pending::and_ ? filter_op::and_ : filter_op::or_;
    const std::uint32_t right = operands_.back();
    operands_.pop_back();
    const std::uint32_t left = operands_.back();
    if (program_->nodes[left].kind == op) {
      program_->nodes[left].kids.push_back(right);
      return;
    }
    node n{op};
    n.kids = {left, right};
    operands_.back() = add(std::move(n));
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

  std::uint32_t parse_match() {
    node n{filter_op::eq};
    // "<value> [not] in <selector>"
    if (peek().kind == token::string ||
        (peek().kind == token::word && (is_word(peek(1), "in") || (is_word(peek(1), "not") && is_word(peek(2), "in"))))) {
      n.value = value_token();
      bool negate = false;
      if (is_word(peek(), "not")) {
        next();
        negate = true;
      }
      if (!is_word(peek(), "in")) fail("expected \"in\" after a value");
      next();
      n.kind = negate ? filter_op::not_in : filter_op::in;
      n.selector = selector_token();
      return add(std::move(n));
    }
    n.selector = selector_token();
    if (peek().kind == token::eq || peek().kind == token::ne) {
      n.kind = next().kind == token::eq ? filter_op::eq : filter_op::ne;
      n.value = value_token();
      return add(std::move(n));
    }
    if (is_word(peek(), "is")) {
      next();
      bool negate = false;
      if (is_word(peek(), "not")) {
        next();
        negate = true;
      }
      if (!is_word(peek(), "empty")) fail("expected \"empty\"");
      next();
      n.kind = negate ? filter_op::not_empty : filter_op::empty;
      return add(std::move(n));
    }
    bool negate = false;
    if (is_word(peek(), "not")) {
      next();
      negate = true;
    }
    if (is_word(peek(), "contains")) {
      next();
      n.kind = negate ? filter_op::not_contains : filter_op::contains;
      n.value = value_token();
      return add(std::move(n));
    }
    if (is_word(peek(), "matches")) {
      next();
      n.kind = negate ? filter_op::not_matches : filter_op::matches;
      n.value = value_token();
      // go-bexpr's text around Go's regexp error, when the pattern does not compile.
      n.re.emplace(n.value);
      if (!n.re->ok())
        throw http_error{400, error_prefix + "Failed to compile regular expression " + core::quoted(n.value) + ": " +
                                  n.re->error()};
      return add(std::move(n));
    }
    fail("expected ==, !=, is, contains, matches or in");
  }

  lexer lex_;
  std::deque<token> look_;
  std::shared_ptr<filter::program> program_ = std::make_shared<filter::program>();
  std::vector<std::uint32_t> operands_;
  std::vector<pending> ops_;
  std::size_t depth_ = 0;        // "(" and "not" open on ops_
  std::size_t open_parens_ = 0;  // "(" open on ops_
};

}  // namespace

filter parse_filter(const std::string& expression) { return filter(parser(expression).parse()); }

}  // namespace coconsul::dev
