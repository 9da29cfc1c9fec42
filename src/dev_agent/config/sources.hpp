#pragma once
// Reading config files and directories as Consul does (agent/config/builder.go
// sourcesFromPath): a file is read whatever its name when a format is forced, else only
// *.json and *.hcl; a directory's files (not its subdirectories) in name order. The only I/O of
// the loader.

#include <string>
#include <vector>

namespace coconsul::dev::config {

struct source {
  std::string name;    // the path, as errors name it
  std::string format;  // "json" or "hcl"
  std::string data;
};

// Throws config_error with Consul's texts ("config: Open failed on X. open X: no such file or
// directory"). Skipped files are reported in `warnings`, as Consul warns.
std::vector<source> read_config_paths(const std::vector<std::string>& paths, const std::string& format,
                                      std::vector<std::string>& warnings);

}  // namespace coconsul::dev::config
