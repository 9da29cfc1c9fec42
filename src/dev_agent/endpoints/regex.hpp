#pragma once
// Consul's regular expressions (Go's regexp package) for ?filter `matches` and the event
// filters: RE2, linear time, Go's syntax, and Go's error texts for the patterns it refuses.
// Not a general regex API: compile, then ask whether it occurs in a text.

#include <memory>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace coconsul::dev {

class consul_regex {
 public:
  // Compiles `pattern` as Go's regexp.Compile would; check ok() before search().
  explicit consul_regex(std::string_view pattern);

  bool ok() const noexcept { return re_ != nullptr; }
  // Go's text for a refused pattern: "error parsing regexp: <what>: `<fragment>`"; "" when ok().
  const std::string& error() const noexcept { return error_; }

  // Whether the pattern matches somewhere in `text` (Go's MatchString: unanchored). Linear in
  // the text's length; false when !ok().
  bool search(std::string_view text) const;

  // The size of RE2's compiled program (0 when !ok()). A search takes at most a fixed number of
  // steps per instruction and byte of text, so tests bound this instead of timing a search.
  int program_size() const noexcept;

 private:
  std::shared_ptr<const re2::RE2> re_;  // shared: a compiled filter is copied, not recompiled
  std::string error_;
};

}  // namespace coconsul::dev
