#pragma once
// Consul-style log lines: "2024-05-01T10:00:00.000Z [INFO]  agent: message". Control characters
// in the component and the message are escaped (\xNN): every line is one line.

#include <coconsul/dev_agent_options.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace coconsul::dev {

using log_level = dev_agent_options::log_level;

class logger {
 public:
  logger(log_level level, std::function<void(std::string_view)> sink);

  bool enabled(log_level l) const { return l >= level_ && level_ != log_level::off; }
  void log(log_level l, std::string_view component, std::string_view message) const;
  void set_level(log_level l) { level_ = l; }

 private:
  log_level level_;
  std::function<void(std::string_view)> sink_;
};

}  // namespace coconsul::dev
