// Consul's regular expressions through RE2 (see regex.hpp). RE2 is the C++ original of Go's
// regexp: the same syntax and the same linear-time matching; what differs is in
// docs/dev-agent.md (### Filter), and the two refusals RE2 does not make are added here.

#include "dev_agent/endpoints/regex.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cstddef>

namespace coconsul::dev {
namespace {

// Go's regexp/syntax refuses a parse tree higher than 1000 (its maxHeight). Each group is one
// level of that tree, so 999 groups around a literal are the most Go takes; RE2 has no such
// bound, so the groups are counted here.
constexpr std::size_t go_max_height = 1000;

std::string go_error(std::string_view what, std::string_view fragment) {
  std::string m = "error parsing regexp: ";
  m += what;
  m += ": `";
  m += fragment;
  m += '`';
  return m;
}

// What Go refuses and RE2 takes: `\C` (any byte: Go has no such escape) and nesting past
// go_max_height. A scan of the groups as RE2 will read them: escapes, \Q...\E and classes
// hold no groups. "" when Go would take the pattern.
std::string go_only_refusal(std::string_view p) {
  std::size_t depth = 0, deepest = 0;
  const std::size_t n = p.size();
  std::size_t i = 0;
  while (i < n) {
    const char c = p[i];
    if (c == '\\') {
      if (i + 1 >= n) break;  // a trailing backslash: RE2 reports it
      if (p[i + 1] == 'C') return go_error("invalid escape sequence", "\\C");
      if (p[i + 1] == 'Q') {
        const auto end = p.find("\\E", i + 2);
        i = end == std::string_view::npos ? n : end + 2;
        continue;
      }
      i += 2;
    } else if (c == '[') {
      std::size_t j = i + 1;
      if (j < n && p[j] == '^') ++j;
      if (j < n && p[j] == ']') ++j;  // a leading ']' is a literal
      while (j < n && p[j] != ']') {
        if (p[j] == '\\' && j + 1 < n) {
          if (p[j + 1] == 'C') return go_error("invalid escape sequence", "\\C");
          j += 2;
        } else if (p[j] == '[' && j + 1 < n && p[j + 1] == ':') {
          const auto end = p.find(":]", j + 2);
          j = end == std::string_view::npos ? j + 1 : end + 2;
        } else {
          ++j;
        }
      }
      i = j + 1;
    } else {
      if (c == '(') deepest = std::max(deepest, ++depth);
      if (c == ')' && depth > 0) --depth;
      ++i;
    }
  }
  if (deepest + 1 > go_max_height) return go_error("expression nests too deeply", p);
  return {};
}

// RE2's refusal in Go's words (regexp/syntax's ErrorCode texts, and the fragment Go shows:
// the whole pattern where Go shows it, RE2's fragment elsewhere).
std::string go_text(const re2::RE2& re, std::string_view pattern) {
  const std::string& arg = re.error_arg();
  switch (re.error_code()) {
    case re2::RE2::ErrorBadEscape: return go_error("invalid escape sequence", arg);
    case re2::RE2::ErrorBadCharClass: return go_error("invalid character class", arg);
    case re2::RE2::ErrorBadCharRange: return go_error("invalid character class range", arg);
    case re2::RE2::ErrorMissingBracket: return go_error("missing closing ]", arg);
    case re2::RE2::ErrorMissingParen: return go_error("missing closing )", pattern);
    case re2::RE2::ErrorUnexpectedParen: return go_error("unexpected )", pattern);
    case re2::RE2::ErrorTrailingBackslash: return go_error("trailing backslash at end of expression", "");
    case re2::RE2::ErrorRepeatArgument: return go_error("missing argument to repetition operator", arg);
    case re2::RE2::ErrorRepeatSize: return go_error("invalid repeat count", arg);
    case re2::RE2::ErrorRepeatOp: return go_error("invalid nested repetition operator", arg);
    case re2::RE2::ErrorBadPerlOp: return go_error("invalid or unsupported Perl syntax", arg);
    case re2::RE2::ErrorBadUTF8: return go_error("invalid UTF-8", pattern);
    case re2::RE2::ErrorBadNamedCapture: return go_error("invalid named capture", arg);
    case re2::RE2::ErrorPatternTooLarge: return go_error("expression too large", pattern);
    default: return go_error("regexp/syntax: internal error", arg);
  }
}

re2::RE2::Options go_options() {
  // RE2's defaults are Go's regexp.Compile (syntax.Perl): UTF-8, Perl classes and \b, (?flags),
  // ^ and $ at the text's ends, leftmost-first (not longest) matching. RE2's default max_mem
  // (8 MiB) bounds the compiled program. No logging: a refusal is the caller's answer.
  re2::RE2::Options o;
  o.set_encoding(re2::RE2::Options::EncodingUTF8);
  o.set_longest_match(false);
  o.set_log_errors(false);
  return o;
}

}  // namespace

consul_regex::consul_regex(std::string_view pattern) {
  error_ = go_only_refusal(pattern);
  if (!error_.empty()) return;
  auto re = std::make_shared<const re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), go_options());
  if (!re->ok()) {
    error_ = go_text(*re, pattern);
    return;
  }
  re_ = std::move(re);
}

bool consul_regex::search(std::string_view text) const {
  return re_ && re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

int consul_regex::program_size() const noexcept { return re_ ? re_->ProgramSize() : 0; }

}  // namespace coconsul::dev
