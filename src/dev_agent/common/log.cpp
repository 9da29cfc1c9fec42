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

// A JSON string as Go's encoding/json writes it: HTML-safe (<, >, & as \u003c...), control
// characters as \n, \r, \t or \u00XX, U+2028 and U+2029 escaped.
void append_json_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else if (c == 0xe2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(text[i + 2]) == 0xa8 || static_cast<unsigned char>(text[i + 2]) == 0xa9)) {
      out += static_cast<unsigned char>(text[i + 2]) == 0xa8 ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

}  // namespace

std::string json_log_line(std::string_view timestamp, log_level l, std::string_view module, std::string_view message) {
  static constexpr const char* names[] = {"trace", "debug", "info", "warn", "error", "off"};
  // hclog marshals a map: the keys come out sorted.
  std::string line = "{\"@level\":\"";
  line += names[static_cast<int>(l)];
  line += "\",\"@message\":";
  append_json_string(line, message);
  line += ",\"@module\":";
  append_json_string(line, module);
  line += ",\"@timestamp\":";
  append_json_string(line, timestamp);
  line += '}';
  return line;
}

logger::logger(log_level level, std::function<void(std::string_view)> sink, bool json)
    : level_(level), sink_(std::move(sink)), json_(json) {}

logger::logger(const dev_agent_options& options) : logger(options.level, options.log_sink, options.log_json) {}

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
  auto us = duration_cast<microseconds>(now.time_since_epoch()).count() % 1000000;
  auto ms = us / 1000;
  static constexpr const char* names[] = {"[TRACE]", "[DEBUG]", "[INFO] ", "[WARN] ", "[ERROR]", ""};
  // The text line: what the sink gets without -log-json, and what the monitor's tap always gets
  // (it renders its own JSON from the parts when a reader asks for logjson).
  std::string line = stamp;
  char frac[16];
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
  if (json_) {
    std::snprintf(frac, sizeof frac, ".%06dZ", static_cast<int>(us));
    line = json_log_line(std::string(stamp) + frac, l, component, message);
  }
  if (sink_) {
    sink_(line);
  } else {
    std::clog << line << '\n';
  }
}

}  // namespace dev
}  // namespace coconsul
