// Consul-style log lines (see log.hpp).

#include "dev_agent/common/log.hpp"
#include "dev_agent/common/log_tap.hpp"

#include "core/text.hpp"

#include <coconsul/error.hpp>

#include <cctype>
#include <chrono>
#include <ctime>
#include <iostream>

namespace coconsul {

dev_agent_options::log_level dev_agent_options::parse_log_level(std::string_view text) {
  std::string t;
  for (char c : text) t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (t == "trace") return log_level::trace;
  if (t == "debug") return log_level::debug;
  if (t == "info") return log_level::info;
  if (t == "warn" || t == "warning") return log_level::warn;
  if (t == "error" || t == "err") return log_level::error;
  if (t == "off") return log_level::off;
  throw error(make_error_code(errc::invalid_argument),
              diagnostics{0, "unknown log level \"" + std::string(text) +
                                 "\" (expected trace, debug, info, warn, error or off)"});
}

namespace dev {
namespace {

// What a line echoes (IDs, names, keys, outputs) comes from clients: a control character is
// written as \xNN, so a newline cannot end the line early and forge another, nor an escape
// sequence drive the terminal that shows the log.
void append_escaped(std::string& line, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (!core::is_control(c)) {
      line += ch;
      continue;
    }
    line += "\\x";
    line += hex[c >> 4];
    line += hex[c & 15];
  }
}

}  // namespace

logger::logger(log_level level, std::function<void(std::string_view)> sink)
    : level_(level), sink_(std::move(sink)) {}

bool logger::enabled(log_level l) const {
  bool own = l >= level_ && level_ != log_level::off;
  return own || (tap_ && l >= tap_->lowest());
}

void logger::log(log_level l, std::string_view component, std::string_view message) const {
  if (!enabled(l)) return;
  using namespace std::chrono;
  auto now = system_clock::now();
  std::time_t t = system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[40];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  static constexpr const char* names[] = {"[TRACE]", "[DEBUG]", "[INFO] ", "[WARN] ", "[ERROR]", ""};
  std::string line = stamp;
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03dZ", static_cast<int>(ms));
  line += frac;
  line += ' ';
  line += names[static_cast<int>(l)];
  line += ' ';
  append_escaped(line, component);
  line += ": ";
  append_escaped(line, message);
  if (tap_) tap_->publish(l, std::string_view(line).substr(0, line.find(' ')), line, component, message);
  if (l < level_ || level_ == log_level::off) return;
  if (sink_) {
    sink_(line);
  } else {
    std::clog << line << '\n';
  }
}

}  // namespace dev
}  // namespace coconsul
