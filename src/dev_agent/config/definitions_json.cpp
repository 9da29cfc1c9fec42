// Config-file definitions as HTTP API bodies (see definitions_json.hpp).

#include "dev_agent/config/definitions_json.hpp"

#include <boost/beast/core/string.hpp>

namespace coconsul::dev::config {
namespace json = boost::json;

namespace {

using boost::beast::iequals;

// Values are copied as they are: only the keys of the definition itself are Go field names.
std::string api_key(std::string_view key) {
  std::string out;
  for (char c : key)
    if (c != '_') out += c;
  return out;
}

json::object check_body(const json::object& in, bool inside_service) {
  json::object out;
  for (const auto& kv : in) {
    std::string_view key = kv.key();
    if (inside_service && iequals(key, "id")) {
      out["CheckID"] = kv.value();
    } else {
      out[api_key(key)] = kv.value();
    }
  }
  return out;
}

}  // namespace

json::object service_definition_body(const json::object& in) {
  json::object out;
  for (const auto& kv : in) {
    std::string_view key = kv.key();
    if (iequals(key, "check") && kv.value().is_object()) {
      out["Check"] = check_body(kv.value().get_object(), true);
    } else if (iequals(key, "checks") && kv.value().is_array()) {
      json::array checks;
      for (const auto& c : kv.value().get_array())
        checks.push_back(c.is_object() ? json::value(check_body(c.get_object(), true)) : c);
      out["Checks"] = std::move(checks);
    } else {
      out[api_key(key)] = kv.value();
    }
  }
  return out;
}

json::object check_definition_body(const json::object& in) { return check_body(in, false); }

}  // namespace coconsul::dev::config
