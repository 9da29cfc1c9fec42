// go-sso's claim mappings over a verified token's claims (extract_claims in jwt_token.hpp):
// getClaim with its JSON pointers, normalizeList and stringifyMetadataValue.
#include "core/text.hpp"
#include "dev_agent/acl/jwt_go_values.hpp"
#include "dev_agent/http/json_in.hpp"
#include "dev_agent/acl/jwt_token.hpp"

#include <charconv>

namespace coconsul::dev::acl {
namespace json = boost::json;

namespace {

// pointerstructure.Get: "/a/b~1c/0" walks objects by key ("~1" is '/', "~0" is '~') and lists
// by index. Anything it cannot follow is no claim (go-sso logs it and moves on).
const json::value* pointer_get(const json::object& all, std::string_view pointer) {
  const json::value* at = nullptr;
  std::string_view rest = pointer.substr(1);
  bool first = true;
  for (;;) {
    const auto slash = rest.find('/');
    const std::string_view raw = rest.substr(0, slash);
    std::string part;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        part += raw[i + 1] == '0' ? '~' : '/';
        ++i;
      } else {
        part += raw[i];
      }
    }
    const json::object* o = first ? &all : (at->is_object() ? &at->get_object() : nullptr);
    first = false;
    if (o) {
      at = o->if_contains(part);
      if (!at) return nullptr;
    } else if (at->is_array()) {
      std::size_t index = 0;
      const auto r = std::from_chars(part.data(), part.data() + part.size(), index);
      if (part.empty() || r.ec != std::errc() || r.ptr != part.data() + part.size() || index >= at->get_array().size())
        return nullptr;
      at = &at->get_array()[index];
    } else {
      return nullptr;
    }
    if (slash == std::string_view::npos) return at;
    rest = rest.substr(slash + 1);
  }
}

// go-sso's getClaim; null is no claim as well.
const json::value* get_claim(const json::object& all, const std::string& claim) {
  const json::value* v = claim.starts_with("/") ? pointer_get(all, claim) : all.if_contains(claim);
  return v && !v->is_null() ? v : nullptr;
}

// stringifyMetadataValue: strings as they are, booleans as words, numbers (float64 in Go)
// truncated to an integer.
bool stringify(const json::value& v, std::string& out) {
  double f = 0;
  if (v.is_string()) out = std::string(v.get_string());
  else if (v.is_bool()) out = v.get_bool() ? "true" : "false";
  else if (go_float(v, f)) out = std::to_string(go_float_to_int64(f));
  else return false;
  return true;
}

}  // namespace

std::optional<std::string> extract_claims(const jwt_method_config& config, const json::object& all, jwt_claims& out) {
  jwt_claims c;
  for (const auto& [source, target] : config.claim_mappings) {
    const json::value* v = get_claim(all, source);
    if (!v) continue;
    std::string s;
    if (!stringify(*v, s))
      return "error converting claim '" + source + "' to string from unknown type " + go_type_name(*v);
    c.values[target] = std::move(s);
  }
  for (const auto& [source, target] : config.list_claim_mappings) {
    const json::value* v = get_claim(all, source);
    if (!v) continue;
    if (v->is_object()) return core::quoted(source) + " list claim could not be converted to string list";
    // normalizeList: a lone value is a list of one.
    std::vector<const json::value*> items;
    if (v->is_array()) {
      for (const auto& e : v->get_array()) items.push_back(&e);
    } else {
      items.push_back(v);
    }
    std::vector<std::string> list;
    for (const auto* e : items) {
      std::string s;
      if (!stringify(*e, s))
        return "value " + go_format_v(*e) + " in " + core::quoted(source) + " list claim could not be parsed as string";
      if (!s.empty()) list.push_back(std::move(s));
    }
    c.lists[target] = std::move(list);
  }
  out = std::move(c);
  return std::nullopt;
}

}  // namespace coconsul::dev::acl
