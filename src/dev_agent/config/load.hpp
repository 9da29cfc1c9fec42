#pragma once
// The config loader: Consul's sources in Consul's order (agent/config/builder.go) merged into
// dev_agent_options. Order: defaults, dev-mode defaults (-dev), the flags' lists, the config
// files in the order given (a directory's in name order), the flags' other values. Later
// scalars win, lists append, objects merge key by key. Refusals carry Consul's texts. No I/O:
// the caller reads the files (sources.hpp) and says how many file descriptors the process may
// open.

#include "dev_agent/config/flags.hpp"
#include "dev_agent/config/sources.hpp"

#include <coconsul/dev_agent_options.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace coconsul::dev::config {

struct load_result {
  dev_agent_options options;
  std::vector<std::string> ignored;   // keys the user set that mean nothing here, sorted
  std::vector<std::string> warnings;  // Consul's warnings, in its words
  // What the banner reports and nothing else uses.
  std::string bind_addr;
  bool encrypt = false;
};

// `max_fds`: RLIMIT_NOFILE (0: unknown, not checked). Throws config_error.
load_result load(const agent_flags& flags, const std::vector<source>& files, std::uint64_t max_fds = 0);

}  // namespace coconsul::dev::config
