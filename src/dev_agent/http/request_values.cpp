// Go's strconv parsing and path suffixes (see request_values.hpp).

#include "dev_agent/http/request_values.hpp"

#include <charconv>

namespace coconsul::dev {

std::optional<bool> parse_go_bool(std::string_view s) {
  if (s == "1" || s == "t" || s == "T" || s == "TRUE" || s == "true" || s == "True") return true;
  if (s == "0" || s == "f" || s == "F" || s == "FALSE" || s == "false" || s == "False") return false;
  return std::nullopt;
}

std::optional<std::uint64_t> parse_uint64(std::string_view s) {
  if (s.empty() || s[0] == '+' || s[0] == '-') return std::nullopt;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string path_suffix(const http_request& req, std::string_view prefix) {
  if (req.path.size() < prefix.size()) return {};
  return req.path.substr(prefix.size());
}

}  // namespace coconsul::dev
