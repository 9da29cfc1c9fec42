// Rules several kinds share (see common_rules.hpp), and the field readers' helpers.

#include "dev_agent/config_entries/common_rules.hpp"

#include "dev_agent/config_entries/entry_fields.hpp"

#include <coconsul/duration.hpp>

#include <algorithm>
#include <charconv>
#include <cctype>
#include <vector>

namespace coconsul::dev::config_entries {

namespace {
constexpr std::size_t meta_max_pairs = 64;
constexpr std::size_t meta_key_max = 128;
constexpr std::size_t meta_value_max = 512;
}  // namespace

std::chrono::nanoseconds duration_of(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return std::chrono::nanoseconds(0);
  if (v->is_string()) return try_parse_duration(v->get_string()).value_or(std::chrono::nanoseconds(0));
  return std::chrono::nanoseconds(integer(o, key));
}

double as_float32(double d) {
  char text[32];
  auto [end, ec] = std::to_chars(text, text + sizeof text, static_cast<float>(d));
  double out = 0;
  if (ec == std::errc()) std::from_chars(text, end, out);
  return out;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string ascii_upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

void check_meta(const boost::json::object& entry, multi_error& errors) {
  const auto* meta = obj(entry, "Meta");
  if (!meta) return;
  if (meta->size() > meta_max_pairs)
    errors.add("Meta exceeds maximum element count " + std::to_string(meta_max_pairs));
  // Go ranges over a map in no order; sorted here, so the text is stable.
  std::vector<std::string_view> keys;
  for (const auto& [k, v] : *meta) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  for (auto k : keys) {
    if (k.size() > meta_key_max)
      errors.add("Meta key " + go_quote(k) + " exceeds maximum length " + std::to_string(meta_key_max));
    const auto& v = meta->at(k);
    if (v.is_string() && v.get_string().size() > meta_value_max)
      errors.add("Meta value for key " + go_quote(k) + " exceeds maximum length " + std::to_string(meta_value_max));
  }
}

std::optional<std::string> meta_error(const boost::json::object& entry) {
  multi_error e;
  check_meta(entry, e);
  if (e.empty()) return std::nullopt;
  return e.text();
}

bool valid_connection_balance(std::string_view v) { return v.empty() || v == "exact_balance"; }

bool http_like(std::string_view p) { return p == "http" || p == "http2" || p == "grpc"; }

}  // namespace coconsul::dev::config_entries
