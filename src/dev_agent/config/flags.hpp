#pragma once
// `coconsul agent`'s command line, read as Go's flag package reads Consul's (agent/config/
// flags.go): "-flag value", "-flag=value", one or two dashes, bool flags as "-flag" or
// "-flag=false". Each Consul flag sets the config key it names; the loader then treats it like
// a config file's key. coconsul's own flags (test timers, fault injection) are kept apart.
// No I/O.

#include <boost/json/object.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace coconsul::dev::config {

struct agent_flags {
  bool help = false;
  bool dev = false;
  std::vector<std::string> config_paths;  // -config-file and -config-dir, in order
  std::string config_format;              // -config-format: "", "json" or "hcl"
  std::vector<std::string> hcl;           // -hcl fragments (refused when loading)
  // Consul merges the flags' lists before the config files and their other values after them.
  boost::json::object slice_values;
  boost::json::object values;

  // coconsul's own flags.
  std::optional<std::chrono::milliseconds> reap_interval, deregister_minimum, check_min_interval, session_ttl_min;
  std::optional<std::chrono::milliseconds> fault_latency;
  unsigned fault_status = 0;
  double fault_fraction = 0;
};

// Parses the arguments after "agent". Throws config_error with Go's flag text after
// "error parsing flags: " (e.g. "flag provided but not defined: -foo").
agent_flags parse_agent_flags(const std::vector<std::string>& args);

// Every flag `coconsul agent` takes, without its dash (for the docs' table and its test).
std::vector<std::string> agent_flag_names();

// The usage text of `coconsul agent -h`.
const std::string& agent_flags_usage();

}  // namespace coconsul::dev::config
