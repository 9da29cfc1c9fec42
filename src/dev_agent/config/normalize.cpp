// Checks one config source against the key table (see normalize.hpp).

#include "dev_agent/config/normalize.hpp"

#include "dev_agent/config/config_error.hpp"
#include "dev_agent/config/keys.hpp"
#include "dev_agent/http/json_in.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>

namespace coconsul::dev::config {
namespace json = boost::json;

namespace {

std::string go_value(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  return json::serialize(v);
}

struct walker {
  std::vector<std::string> unknown;
  std::vector<std::string> type_errors;
  normalized out;

  void type_error(const std::string& path, std::string_view want, const json::value& v) {
    if (want == "map" || want == "struct") {
      type_errors.push_back("'" + path + "' expected a map, got '" + go_type_name(v) + "'");
      return;
    }
    type_errors.push_back("'" + path + "' expected type '" + std::string(want) + "', got unconvertible type '" +
                          go_type_name(v) + "', value: '" + go_value(v) + "'");
  }

  // Whether `v` has the JSON shape Consul decodes `type` from.
  bool check_type(const std::string& path, key_type type, const json::value& v) {
    switch (type) {
      case key_type::string:
        if (!v.is_string()) return type_error(path, "string", v), false;
        return true;
      case key_type::integer:
        if (!v.is_number()) return type_error(path, "int", v), false;
        return true;
      case key_type::boolean:
        if (!v.is_bool()) return type_error(path, "bool", v), false;
        return true;
      case key_type::strings:
        if (!v.is_array()) return type_error(path, "[]string", v), false;
        for (const auto& e : v.get_array())
          if (!e.is_string()) return type_error(path, "[]string", v), false;
        return true;
      case key_type::string_map:
        if (!v.is_object()) return type_error(path, "map", v), false;
        for (const auto& kv : v.get_object())
          if (!kv.value().is_string()) {
            type_error(path + "[" + std::string(kv.key()) + "]", "string", kv.value());
            return false;
          }
        return true;
      case key_type::object:
      case key_type::definition:
        if (!v.is_object()) return type_error(path, "struct", v), false;
        return true;
      case key_type::definitions:
        if (!v.is_array()) return type_error(path, "[]config.Definition", v), false;
        for (const auto& e : v.get_array())
          if (!e.is_object()) return type_error(path, "struct", e), false;
        return true;
      case key_type::opaque: return true;
    }
    return true;
  }

  // `parent` is the table path of `in` ("" at the top), `shown` how the user spelled it.
  void walk(const json::object& in, const std::string& parent, const std::string& shown, json::object& dst) {
    // A single `service` or `check` goes after the source's own list, as Consul's builder
    // appends it after decoding.
    std::vector<std::pair<std::string, json::value>> singles;
    for (const auto& kv : in) {
      std::string key(kv.key());
      std::string shown_key = shown.empty() ? key : shown + "." + key;
      const key_rule* rule = find_key(parent, key);
      if (!rule) {
        if (parent.empty() && key == "acl_enforce_version_8") {
          out.warnings.push_back("config key \"acl_enforce_version_8\" is deprecated and should be removed");
        } else {
          unknown.push_back(shown_key);
        }
        continue;
      }
      // Go decodes null into a pointer as "not set": Consul's test server writes "segments": null.
      if (kv.value().is_null()) continue;
      std::string path(rule->path);
      if (!check_type(path, rule->type, kv.value())) continue;
      std::string name = path.substr(parent.empty() ? 0 : parent.size() + 1);
      if (rule->use == key_use::ignored) out.ignored.push_back(path);
      if (rule->type == key_type::object) {
        json::object child;
        if (auto* existing = dst.if_contains(name); existing && existing->is_object()) child = existing->get_object();
        walk(kv.value().get_object(), path, shown_key, child);
        dst[name] = std::move(child);
      } else if (rule->type == key_type::definition) {
        // One `service` or `check`: appended to the list, so a later source cannot clobber it.
        singles.emplace_back(name + "s", kv.value());
      } else if (rule->type == key_type::definitions) {
        if (!dst.contains(name)) dst[name] = json::array();
        for (const auto& e : kv.value().get_array()) dst[name].get_array().push_back(e);
      } else {
        dst[name] = kv.value();
      }
    }
    for (auto& [list, def] : singles) {
      if (!dst.contains(list)) dst[list] = json::array();
      dst[list].get_array().push_back(std::move(def));
    }
  }
};

}  // namespace

normalized normalize(std::string_view source_name, const json::object& raw) {
  walker w;
  w.walk(raw, "", "", w.out.config);
  std::string prefix = "failed to parse " + std::string(source_name) + ": ";
  if (!w.unknown.empty()) {
    std::sort(w.unknown.begin(), w.unknown.end());
    std::vector<std::string> errors;
    for (const auto& k : w.unknown) errors.push_back("invalid config key " + k);
    throw config_error(prefix + multierror_text(errors));
  }
  if (!w.type_errors.empty()) {
    // mapstructure's own summary of what it could not decode.
    std::string text = std::to_string(w.type_errors.size()) + " error(s) decoding:\n\n";
    for (std::size_t i = 0; i < w.type_errors.size(); ++i) text += (i ? "\n* " : "* ") + w.type_errors[i];
    throw config_error(prefix + text);
  }
  return std::move(w.out);
}

std::string multierror_text(const std::vector<std::string>& errors) {
  std::string text = errors.size() == 1 ? "1 error occurred:\n" : std::to_string(errors.size()) + " errors occurred:\n";
  for (const auto& e : errors) text += "\t* " + e + "\n";
  return text + "\n";
}

}  // namespace coconsul::dev::config
