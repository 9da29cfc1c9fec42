// Config entry bodies in (mapstructure's weak decoding over the kinds' schemas) and out
// (encoding/json's rules for omitempty). See decode.hpp.

#include "dev_agent/config_entries/decode.hpp"

#include "dev_agent/config_entries/entry_fields.hpp"
#include "dev_agent/config_entries/errors.hpp"
#include "dev_agent/config_entries/kinds.hpp"
#include "dev_agent/config_entries/limits.hpp"
#include "dev_agent/http/json_in.hpp"
#include "dev_agent/http/json_out.hpp"
#include "dev_agent/http/request_values.hpp"

#include <coconsul/duration.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace coconsul::dev::config_entries {

namespace json = boost::json;

namespace {

// Go's %v of a decoded value, near enough for error texts.
std::string go_value(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string: return std::string(v.get_string());
    case json::kind::bool_: return v.get_bool() ? "true" : "false";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return number_literal(v);
    case json::kind::array: {
      std::string out = "[";
      for (const auto& e : v.get_array()) out += (out.size() > 1 ? " " : "") + go_value(e);
      return out + "]";
    }
    case json::kind::object: {
      std::vector<std::pair<std::string, std::string>> kv;
      for (const auto& [k, e] : v.get_object()) kv.emplace_back(std::string(k), go_value(e));
      std::sort(kv.begin(), kv.end());
      std::string out = "map[";
      for (std::size_t i = 0; i < kv.size(); ++i) out += (i ? " " : "") + kv[i].first + ":" + kv[i].second;
      return out + "]";
    }
    case json::kind::null: return "<nil>";
  }
  return {};
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<double> as_double(const json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  if (v.is_double()) return v.get_double();
  return std::nullopt;
}

class decoder {
 public:
  json::object decode_struct(const schema& s, const json::object& in, const std::string& path) {
    json::object out;
    for (const auto& [key, value] : in) {
      const field* f = match(s, key, out);
      std::string where = path.empty() ? std::string(key) : path + "." + std::string(key);
      if (!f) {
        unused_.push_back(std::move(where));
        continue;
      }
      std::string fpath = path.empty() ? std::string(f->name) : path + "." + std::string(f->name);
      json::value v = decode_value(*f, value, fpath);
      // null leaves a field alone, as mapstructure does with a nil input.
      if (!v.is_null()) out[f->name] = std::move(v);
    }
    return out;
  }

  // mapstructure's conversion errors alone; "" when none.
  std::string conversion_error() const {
    if (errors_.empty()) return std::string();
    std::string out = std::to_string(errors_.size()) + " error(s) decoding:\n\n";
    for (std::size_t i = 0; i < errors_.size(); ++i) {
      if (i) out += '\n';
      out += "* ";
      out += errors_[i];
    }
    return out;
  }

  std::string error(const std::string& kind) const {
    if (!errors_.empty()) return conversion_error();
    multi_error unused;
    std::vector<std::string> keys = unused_;
    std::sort(keys.begin(), keys.end());
    for (const auto& k : keys) {
      if (k == "CreateIndex" || k == "ModifyIndex" || k == "kind" || k == "Kind") continue;
      std::string l = lower(k);
      if (l.size() >= 9 && l.ends_with("namespace"))
        unused.add("invalid config key " + go_quote(k) + ", namespaces are a consul enterprise feature");
      else if (l.find("partition") != std::string::npos)
        unused.add("invalid config key " + go_quote(k) + ", partitions are a consul enterprise feature");
      else
        unused.add("invalid config key " + go_quote(k));
    }
    (void)kind;
    return unused.empty() ? std::string() : unused.text();
  }

 private:
  // mapstructure matches the exact name first, then any case; HookTranslateKeys maps the
  // snake_case alias first. A second key for a field already set is left unused.
  static const field* match(const schema& s, std::string_view key, const json::object& done) {
    const field* found = s.find(key);
    if (!found)
      for (const auto& f : s.fields)
        if (iequals(f.name, key) || lower(key) == snake_alias(f.name)) {
          found = &f;
          break;
        }
    if (found && done.contains(found->name)) return nullptr;
    return found;
  }

  void unconvertible(const std::string& path, std::string_view expected, const json::value& v) {
    errors_.push_back("'" + path + "' expected type '" + std::string(expected) + "', got unconvertible type '" +
                      go_type_name(v) + "', value: '" + go_value(v) + "'");
  }

  // HookWeakDecodeFromSlice: one element stands for a value that is not a list.
  static const json::value& unwrap(const json::value& v) {
    if (v.is_array() && v.get_array().size() == 1) return v.get_array()[0];
    return v;
  }

  json::value decode_string(const json::value& v, const std::string& path) {
    const json::value& x = unwrap(v);
    if (x.is_string()) return x;
    if (x.is_bool()) return json::string(x.get_bool() ? "1" : "0");
    if (x.is_number()) return json::string(number_literal(x));
    if (x.is_array() && x.get_array().empty()) return json::string();
    unconvertible(path, "string", x);
    return nullptr;
  }

  json::value decode_bool(const json::value& v, const std::string& path) {
    const json::value& x = unwrap(v);
    if (x.is_bool()) return x;
    if (auto d = as_double(x)) return *d != 0;
    if (x.is_string()) {
      if (x.get_string().empty()) return false;
      if (auto b = parse_go_bool(x.get_string())) return *b;
      errors_.push_back("cannot parse '" + path + "' as bool: strconv.ParseBool: parsing " +
                        go_quote(x.get_string()) + ": invalid syntax");
      return nullptr;
    }
    unconvertible(path, "bool", x);
    return nullptr;
  }

  json::value decode_int(const json::value& v, const std::string& path, std::string_view go_type = "int") {
    const json::value& x = unwrap(v);
    if (x.is_int64() || x.is_uint64()) return x;
    if (x.is_double()) {
      double d = x.get_double();
      if (!std::isfinite(d) || d >= 9.2e18 || d <= -9.2e18) {
        errors_.push_back("cannot parse '" + path + "', " + number_literal(x) + " overflows int");
        return nullptr;
      }
      return static_cast<std::int64_t>(d);
    }
    if (x.is_bool()) return x.get_bool() ? 1 : 0;
    if (x.is_string()) {
      std::string_view s = x.get_string();
      if (s.empty()) return 0;
      std::int64_t n = 0;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
      if (ec == std::errc() && p == s.data() + s.size()) return n;
      errors_.push_back("cannot parse '" + path + "' as int: strconv.ParseInt: parsing " + go_quote(s) +
                        ": invalid syntax");
      return nullptr;
    }
    unconvertible(path, go_type, x);
    return nullptr;
  }

  json::value decode_number(const json::value& v, const std::string& path) {
    const json::value& x = unwrap(v);
    if (auto d = as_double(x)) return as_float32(*d);
    if (x.is_bool()) return x.get_bool() ? 1.0 : 0.0;
    if (x.is_string()) {
      std::string_view s = x.get_string();
      if (s.empty()) return 0.0;
      double d = 0;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
      if (ec == std::errc() && p == s.data() + s.size()) return as_float32(d);
      errors_.push_back("cannot parse '" + path + "' as float: strconv.ParseFloat: parsing " + go_quote(s) +
                        ": invalid syntax");
      return nullptr;
    }
    unconvertible(path, "float32", x);
    return nullptr;
  }

  // StringToTimeDurationHookFunc for strings; a number is nanoseconds.
  json::value decode_duration(const json::value& v, const std::string& path, bool as_string) {
    const json::value& x = unwrap(v);
    std::chrono::nanoseconds d{0};
    if (x.is_string()) {
      auto parsed = try_parse_duration(x.get_string());
      if (!parsed) {
        errors_.push_back("error decoding '" + path + "': time: invalid duration " + go_quote(x.get_string()));
        return nullptr;
      }
      d = *parsed;
    } else {
      json::value n = decode_int(x, path, "time.Duration");
      if (n.is_null()) return nullptr;
      d = std::chrono::nanoseconds(n.is_int64() ? n.get_int64() : static_cast<std::int64_t>(n.get_uint64()));
    }
    if (as_string) return json::string(format_duration(d));
    return d.count();
  }

  json::value decode_strings(const json::value& v, const std::string& path, bool ints) {
    json::array out;
    auto one = [&](const json::value& e, std::size_t i) {
      std::string p = path + "[" + std::to_string(i) + "]";
      json::value d = ints ? decode_int(e, p, "uint32") : decode_string(e, p);
      if (!d.is_null()) out.push_back(std::move(d));
    };
    if (v.is_array()) {
      const auto& a = v.get_array();
      for (std::size_t i = 0; i < a.size(); ++i) one(a[i], i);
    } else {
      one(v, 0);  // weak: a value stands for a list of one
    }
    return out;
  }

  json::value decode_string_map(const json::value& v, const std::string& path) {
    const json::value& x = unwrap(v);
    if (x.is_array() && x.get_array().empty()) return json::object();
    if (!x.is_object()) {
      unconvertible(path, "map[string]string", x);
      return nullptr;
    }
    json::object out;
    for (const auto& [k, e] : x.get_object()) {
      json::value s = decode_string(e, path + "[" + std::string(k) + "]");
      if (!s.is_null()) out[k] = std::move(s);
    }
    return out;
  }

  json::value decode_object(const schema& s, const json::value& v, const std::string& path) {
    const json::value& x = unwrap(v);
    if (x.is_array() && x.get_array().empty()) return json::object();
    if (!x.is_object()) {
      unconvertible(path, s.go_type, x);
      return nullptr;
    }
    return decode_struct(s, x.get_object(), path);
  }

  json::value decode_value(const field& f, const json::value& v, const std::string& path) {
    if (v.is_null()) return nullptr;
    switch (f.type) {
      case field_type::string: return decode_string(v, path);
      case field_type::boolean: return decode_bool(v, path);
      case field_type::integer: return decode_int(v, path);
      case field_type::number: return decode_number(v, path);
      case field_type::duration: return decode_duration(v, path, true);
      case field_type::duration_ns: return decode_duration(v, path, false);
      case field_type::timestamp: return decode_string(v, path);
      case field_type::strings: return decode_strings(v, path, false);
      case field_type::integers: return decode_strings(v, path, true);
      case field_type::string_map: return decode_string_map(v, path);
      case field_type::any_map: {
        const json::value& x = unwrap(v);
        if (x.is_object()) return x;
        unconvertible(path, "map[string]interface {}", x);
        return nullptr;
      }
      case field_type::object:
      case field_type::object_ptr: return decode_object(*f.sub, v, path);
      case field_type::objects: {
        json::array out;
        auto one = [&](const json::value& e, std::size_t i) {
          json::value d = decode_object(*f.sub, e, path + "[" + std::to_string(i) + "]");
          if (!d.is_null()) out.push_back(std::move(d));
        };
        if (v.is_array()) {
          const auto& a = v.get_array();
          for (std::size_t i = 0; i < a.size(); ++i) one(a[i], i);
        } else {
          one(v, 0);
        }
        return out;
      }
      case field_type::object_map: {
        const json::value& x = unwrap(v);
        if (x.is_array() && x.get_array().empty()) return json::object();
        if (!x.is_object()) {
          unconvertible(path, "map[string]" + std::string(f.sub->go_type), x);
          return nullptr;
        }
        json::object out;
        for (const auto& [k, e] : x.get_object()) {
          json::value d = decode_object(*f.sub, e, path + "[" + std::string(k) + "]");
          if (!d.is_null()) out[k] = std::move(d);
        }
        return out;
      }
    }
    return nullptr;
  }

  std::vector<std::string> errors_;
  std::vector<std::string> unused_;
};

// Go's omitempty zero of a field of `type` ("0s" is the zero only of a duration written as a
// string: any other string is empty only when it is "").
bool is_zero(const json::value& v, field_type type) {
  switch (v.kind()) {
    case json::kind::null: return true;
    case json::kind::string:
      return v.get_string().empty() || (type == field_type::duration && v.get_string() == "0s");
    case json::kind::bool_: return !v.get_bool();
    case json::kind::int64: return v.get_int64() == 0;
    case json::kind::uint64: return v.get_uint64() == 0;
    case json::kind::double_: return v.get_double() == 0;
    case json::kind::array: return v.get_array().empty();
    case json::kind::object: return v.get_object().empty();
  }
  return false;
}

json::value zero_of(const field& f) {
  switch (f.type) {
    case field_type::string:
    case field_type::timestamp: return json::string();
    case field_type::boolean: return false;
    case field_type::integer: return 0;
    case field_type::number: return 0.0;
    case field_type::duration: return json::string("0s");
    case field_type::duration_ns: return 0;
    case field_type::object: return render_entry(*f.sub, json::object());
    default: return nullptr;  // nil slices, maps and pointers
  }
}

// encoding/json writes a map's keys sorted, at every level of a map[string]interface{}.
json::value sorted_maps(const json::value& v) {
  if (v.is_array()) {
    json::array a;
    for (const auto& e : v.get_array()) a.push_back(sorted_maps(e));
    return a;
  }
  if (!v.is_object()) return v;
  std::vector<std::string_view> keys;
  for (const auto& [k, e] : v.get_object()) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  json::object o;
  for (auto k : keys) o[k] = sorted_maps(v.get_object().at(k));
  return o;
}

// Whether `v` nests deeper than `limit` levels (recursion bounded by the limit, not the input).
bool deeper_than(const json::value& v, std::size_t limit) {
  if (!v.is_object() && !v.is_array()) return false;
  if (limit == 0) return true;
  if (v.is_object()) {
    for (const auto& [k, e] : v.get_object())
      if (deeper_than(e, limit - 1)) return true;
  } else {
    for (const auto& e : v.get_array())
      if (deeper_than(e, limit - 1)) return true;
  }
  return false;
}

}  // namespace

decoded_entry decode_entry(const json::value& body) {
  decoded_entry out;
  if (deeper_than(body, max_entry_depth)) {
    out.error = "config entry nests deeper than " + std::to_string(max_entry_depth) + " levels (this agent's limit)";
    return out;
  }
  if (!body.is_object()) {
    out.error = "json: cannot unmarshal " + std::string(body.is_array() ? "array" : body.is_string() ? "string"
                                                         : body.is_bool()   ? "bool"
                                                         : body.is_null()   ? "null"
                                                                            : "number") +
                " into Go value of type map[string]interface {}";
    if (body.is_null()) out.error = "Payload does not contain a kind/Kind key at the top level";
    return out;
  }
  const auto& raw = body.get_object();
  const json::value* kind = raw.if_contains("Kind");
  if (!kind) kind = raw.if_contains("kind");
  if (!kind) {
    out.error = "Payload does not contain a kind/Kind key at the top level";
    return out;
  }
  if (!kind->is_string()) {
    out.error = "Kind value in payload is not a string";
    return out;
  }
  out.kind = std::string(kind->get_string());
  const schema* s = entry_schema(out.kind);
  if (!s) {
    out.error = "invalid config entry kind: " + out.kind;
    return out;
  }
  decoder d;
  out.entry = d.decode_struct(*s, raw, "");
  out.error = d.error(out.kind);
  if (out.error.empty()) out.entry["Kind"] = out.kind;
  return out;
}

decoded_struct decode_struct(const schema& s, const json::object& body) {
  decoder d;
  decoded_struct out;
  out.value = d.decode_struct(s, body, "");
  out.error = d.conversion_error();
  return out;
}

json::object render_entry(const schema& s, const json::object& entry) {
  json::object out;
  for (const auto& f : s.fields) {
    const json::value* v = entry.if_contains(f.name);
    if (!v || v->is_null()) {
      bool nil_pointer = f.type == field_type::object_ptr || f.pointer;
      // A struct is never empty to encoding/json: it is written out with its own zero fields.
      if (f.type != field_type::object && (f.omitempty || nil_pointer)) continue;
      out[f.name] = zero_of(f);
      continue;
    }
    json::value r;
    switch (f.type) {
      case field_type::object:
      case field_type::object_ptr:
        r = v->is_object() ? render_entry(*f.sub, v->get_object()) : render_entry(*f.sub, json::object());
        break;
      case field_type::objects: {
        json::array a;
        if (v->is_array())
          for (const auto& e : v->get_array())
            a.push_back(e.is_object() ? render_entry(*f.sub, e.get_object()) : render_entry(*f.sub, json::object()));
        r = std::move(a);
        break;
      }
      case field_type::object_map: {
        json::object m;
        if (v->is_object())
          for (const auto& [k, e] : v->get_object())
            m[k] = e.is_object() ? render_entry(*f.sub, e.get_object()) : render_entry(*f.sub, json::object());
        r = sorted_maps(m);
        break;
      }
      case field_type::string_map:
      case field_type::any_map: r = sorted_maps(*v); break;
      default: r = *v;
    }
    bool kept_when_empty = f.type == field_type::object || f.type == field_type::object_ptr || f.pointer;
    if (f.omitempty && !kept_when_empty && is_zero(r, f.type)) continue;
    out[f.name] = std::move(r);
  }
  return out;
}

}  // namespace coconsul::dev::config_entries
