#pragma once
// coconsul::dev::config::config_error: a configuration Consul would refuse, carrying Consul's
// own text (what `consul agent` prints before it exits with status 1).

#include <stdexcept>
#include <string>
#include <vector>

namespace coconsul::dev::config {

class config_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Go's hashicorp/go-multierror text, which Consul prints for collected errors:
// "1 error occurred:\n\t* first\n\n" ("2 errors occurred:..." for more).
std::string multierror_text(const std::vector<std::string>& errors);

}  // namespace coconsul::dev::config
