#pragma once
// Consul-style log lines: "2024-05-01T10:00:00.000Z [INFO]  agent: message". Control characters
// in the component and the message are escaped (\xNN): every line is one line. With -log-json,
// each line is hclog's JSON object instead: {"@level":"info","@message":"...","@module":"agent",
// "@timestamp":"2024-05-01T10:00:00.000000Z"}, escaped as Go's encoding/json escapes.

#include <coconsul/dev_agent_options.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace coconsul::dev {

using log_level = dev_agent_options::log_level;
class log_tap;  // log_tap.hpp: live readers of the log (the monitor endpoint)

// One JSON log line as hclog writes it (the logger's json mode; also for tests).
std::string json_log_line(std::string_view timestamp, log_level l, std::string_view module, std::string_view message);

class logger {
 public:
  logger(log_level level, std::function<void(std::string_view)> sink, bool json = false);
  // The options' level, sink and format (log_json).
  explicit logger(const dev_agent_options& options);

  // Whether a line at `l` goes anywhere: the sink, or a reader of the tap at a lower level.
  bool enabled(log_level l) const;
  void log(log_level l, std::string_view component, std::string_view message) const;
  void set_level(log_level l) { level_ = l; }
  bool json() const { return json_; }
  // Every line is also handed to `tap` (null: none), whatever the level of the sink.
  void set_tap(log_tap* tap) { tap_ = tap; }

 private:
  log_level level_;
  std::function<void(std::string_view)> sink_;
  bool json_ = false;
  log_tap* tap_ = nullptr;
};

}  // namespace coconsul::dev
