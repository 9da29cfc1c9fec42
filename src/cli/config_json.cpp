// `coconsul config`'s JSON: printing as Go's MarshalIndent does and the strict reading of
// `config write` (the model's own decoding is tolerant and ignores unknown keys; the CLI, as
// Consul's, refuses them).
#include "cli/config_json.hpp"

#include "cli/config_hcl.hpp"
#include "core/json_parse.hpp"

#include <coconsul/json.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace coconsul::cli {
namespace {

namespace json = boost::json;

// Go's encoding/json string escaping with its default HTML escaping.
void put_string(std::string& out, std::string_view s) {
  out += '"';
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      default: break;
    }
    if (c < 0x20 || c == '<' || c == '>' || c == '&') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
      out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";  // as Go does
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

void put_number(std::string& out, const json::value& v) {
  char buf[64];
  std::to_chars_result r{};
  if (v.is_int64()) r = std::to_chars(buf, buf + sizeof buf, v.get_int64());
  else if (v.is_uint64()) r = std::to_chars(buf, buf + sizeof buf, v.get_uint64());
  else r = std::to_chars(buf, buf + sizeof buf, v.get_double());  // shortest, as Go's 'g' for floats
  out.append(buf, r.ptr);
}

void put_indent(std::string& out, int depth) { out.append(static_cast<std::size_t>(depth) * 4, ' '); }

void put_value(std::string& out, const json::value& v, int depth) {
  switch (v.kind()) {
    case json::kind::null: out += "null"; return;
    case json::kind::bool_: out += v.get_bool() ? "true" : "false"; return;
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: put_number(out, v); return;
    case json::kind::string: put_string(out, v.get_string()); return;
    case json::kind::array: {
      const auto& a = v.get_array();
      if (a.empty()) {
        out += "[]";
        return;
      }
      out += "[\n";
      for (std::size_t i = 0; i < a.size(); ++i) {
        put_indent(out, depth + 1);
        put_value(out, a[i], depth + 1);
        out += i + 1 < a.size() ? ",\n" : "\n";
      }
      put_indent(out, depth);
      out += ']';
      return;
    }
    case json::kind::object: {
      const auto& o = v.get_object();
      if (o.empty()) {
        out += "{}";
        return;
      }
      out += "{\n";
      std::size_t i = 0;
      for (const auto& [key, value] : o) {
        put_indent(out, depth + 1);
        put_string(out, key);
        out += ": ";
        put_value(out, value, depth + 1);
        out += ++i < o.size() ? ",\n" : "\n";
      }
      put_indent(out, depth);
      out += '}';
      return;
    }
  }
}

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// As the model's decoder matches keys: ignoring ASCII case and underscores.
bool loosely_equal(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  for (;;) {
    while (i < a.size() && a[i] == '_') ++i;
    while (j < b.size() && b[j] == '_') ++j;
    if (i == a.size() || j == b.size()) return i == a.size() && j == b.size();
    if (ascii_lower(a[i]) != ascii_lower(b[j])) return false;
    ++i;
    ++j;
  }
}

// The keys of `input` that the decoded entry did not take: every field the entry has is in
// `known` (its encoding with every field), so an input key with no loose match there was not
// used. Maps (Meta, Subsets, Config) come back with their own keys and pass.
void unused_keys(const json::value& input, const json::value& known, const std::string& path,
                 std::vector<std::string>& out) {
  if (input.is_object() && known.is_object()) {
    for (const auto& [key, value] : input.get_object()) {
      if (path.empty() && (key == "Kind" || key == "kind")) continue;  // chose the target
      const json::value* match = nullptr;
      for (const auto& [k, v] : known.get_object())
        if (k == key || loosely_equal(k, key)) {
          match = &v;
          break;
        }
      const std::string here = path.empty() ? std::string(key) : path + "." + std::string(key);
      if (!match) {
        if (!value.is_null()) out.push_back(here);
        continue;
      }
      unused_keys(value, *match, here, out);
    }
  } else if (input.is_array() && known.is_array()) {
    const auto& a = input.get_array();
    const auto& b = known.get_array();
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
      unused_keys(a[i], b[i], path + "[" + std::to_string(i) + "]", out);
  }
}

// go-multierror's default format.
std::string multierror(const std::vector<std::string>& errors) {
  std::string out = std::to_string(errors.size()) + (errors.size() == 1 ? " error occurred:\n" : " errors occurred:\n");
  for (const auto& e : errors) out += "\t* " + e + "\n";
  out += "\n";
  return out;
}

error_code refuse(diagnostics& diag, std::string message) {
  diag.http_status = 0;
  diag.message = std::move(message);
  return make_error_code(errc::invalid_argument);
}

}  // namespace

std::string print_config_entry(const config_entry& entry) {
  json::value v = core::parse_json(encode_json(entry));
  if (auto* o = v.if_object(); o && !std::holds_alternative<unknown_config_entry>(entry)) {
    // Fields Consul's Go structs write even when zero.
    if (!std::holds_alternative<mesh_config>(entry) && !o->contains("Name")) {
      json::object reordered;
      for (auto& [k, x] : *o) {
        reordered[k] = x;
        if (k == "Kind") reordered["Name"] = "";
      }
      *o = std::move(reordered);
    }
    if (!o->contains("CreateIndex")) (*o)["CreateIndex"] = 0;
    if (!o->contains("ModifyIndex")) (*o)["ModifyIndex"] = 0;
  }
  std::string out;
  put_value(out, v, 0);
  return out;
}

error_code read_config_entry(std::string_view text, config_entry& out, diagnostics& diag) {
  // JSON when it starts as an object does, else HCL (which Consul's reader also tries first).
  json::value input;
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') {
    error_code ec;
    input = core::parse_json(text, ec);
    if (ec) return refuse(diag, "invalid JSON: " + ec.message());
  } else {
    std::string why;
    if (!parse_hcl(text, input, why)) return refuse(diag, "invalid HCL: " + why);
  }
  if (!input.is_object()) return refuse(diag, "the input must be one JSON object");
  const json::value* kind = input.get_object().if_contains("Kind");
  if (!kind) kind = input.get_object().if_contains("kind");
  if (!kind) return refuse(diag, "Payload does not contain a kind/Kind key at the top level");
  if (!kind->is_string()) return refuse(diag, "Kind value in payload is not a string");
  if (!is_known_config_entry_kind(std::string_view(kind->get_string())))
    return refuse(diag, "invalid config entry kind: " + std::string(kind->get_string()));

  config_entry entry;
  if (auto ec = decode_json(json::serialize(input), entry, diag)) return ec;
  std::vector<std::string> unused;
  unused_keys(input, core::parse_json(encode_json(entry, encode_mode::all_fields)), "", unused);
  if (!unused.empty()) {
    std::vector<std::string> errors;
    for (const auto& k : unused) errors.push_back("invalid config key \"" + k + "\"");
    return refuse(diag, multierror(errors));
  }
  out = std::move(entry);
  diag.clear();
  return {};
}

}  // namespace coconsul::cli
