// Go-style error texts (see errors.hpp).

#include "dev_agent/config_entries/errors.hpp"

#include "core/text.hpp"

namespace coconsul::dev::config_entries {

std::string go_quote(std::string_view s) { return core::quoted(s); }

std::string multi_error::text() const {
  if (errors_.size() == 1) return "1 error occurred:\n\t* " + errors_[0] + "\n\n";
  std::string out = std::to_string(errors_.size()) + " errors occurred:\n\t";
  for (std::size_t i = 0; i < errors_.size(); ++i) {
    if (i) out += "\n\t";
    out += "* " + errors_[i];
  }
  return out + "\n\n";
}

}  // namespace coconsul::dev::config_entries
