#pragma once
// Error texts the way Consul's Go builds them: hashicorp/go-multierror's list ("1 error
// occurred:\n\t* ...\n\n") and %q quoting. Text only.

#include <string>
#include <string_view>
#include <vector>

namespace coconsul::dev::config_entries {

// Go's fmt %q of a string (the control characters escaped; UTF-8 kept).
std::string go_quote(std::string_view s);

// Collects errors as multierror.Append does; text() is its Error().
class multi_error {
 public:
  void add(std::string e) { errors_.push_back(std::move(e)); }
  bool empty() const { return errors_.empty(); }
  std::string text() const;

 private:
  std::vector<std::string> errors_;
};

}  // namespace coconsul::dev::config_entries
