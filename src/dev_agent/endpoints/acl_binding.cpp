// Claims to bindings for a jwt login (see acl_binding.hpp): Consul 1.14's ssoauth identity,
// auth.Binder and lib/template's HIL interpolation.
#include "dev_agent/endpoints/acl_binding.hpp"

#include "core/text.hpp"
#include "dev_agent/endpoints/filter.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/json_out.hpp"

#include <boost/json/array.hpp>

namespace coconsul::dev {
namespace json = boost::json;

namespace {

bool lower_or_digit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// ^[a-z0-9]([a-z0-9\-_]*[a-z0-9])?$, at most 256 bytes.
bool is_identity_name(std::string_view name) {
  if (name.empty() || name.size() > 256 || !lower_or_digit(name.front()) || !lower_or_digit(name.back())) return false;
  for (char c : name)
    if (!lower_or_digit(c) && c != '-' && c != '_') return false;
  return true;
}

// HIL's identifiers: a letter or '_', then letters, digits, '_', '-' and '.'. Bytes of UTF-8
// sequences count as letters (HIL takes Unicode letters; its splat '*' is not read here).
bool ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }
bool hil_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// HIL's positions: 1-based line and column, columns counted in characters.
std::string position(std::string_view s, std::size_t at) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < at && i < s.size(); ++i) {
    if (s[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

std::string ascii_lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

json::object values_object(const std::map<std::string, std::string>& values) {
  json::object o;
  for (const auto& [k, v] : values) o[k] = v;
  return o;
}

json::object lists_object(const std::map<std::string, std::vector<std::string>>& lists) {
  json::object o;
  for (const auto& [k, list] : lists) {
    json::array a;
    for (const auto& v : list) a.emplace_back(v);
    o[k] = std::move(a);
  }
  return o;
}

// computeBindName: the interpolated name and whether it suits the bind type.
std::optional<std::string> compute_bind_name(const acl_binding_rule& rule, const std::map<std::string, std::string>& vars,
                                             bool& valid, std::string& error) {
  auto name = interpolate_bind_name(rule.bind_name, vars, error);
  if (!name) return std::nullopt;
  if (rule.bind_type == "service") valid = is_valid_service_identity_name(*name);
  else if (rule.bind_type == "node") valid = is_valid_node_identity_name(*name);
  else if (rule.bind_type == "role") valid = is_valid_role_name(*name);
  else {
    error = "unknown binding rule bind type: " + rule.bind_type;
    return std::nullopt;
  }
  return name;
}

}  // namespace

bool is_valid_service_identity_name(std::string_view name) { return is_identity_name(name); }
bool is_valid_node_identity_name(std::string_view name) { return is_identity_name(name); }

bool is_valid_role_name(std::string_view name) {
  if (name.empty() || name.size() > 256) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      return false;
  return true;
}

acl_login_identity blank_login_identity(const acl::jwt_method_config& config) {
  acl_login_identity id;
  std::map<std::string, std::string> values;
  std::map<std::string, std::vector<std::string>> lists;
  for (const auto& [claim, target] : config.claim_mappings) {
    values[target] = "";
    id.projected_vars["value." + target] = "";
  }
  for (const auto& [claim, target] : config.list_claim_mappings) lists[target] = {};
  id.selectable = json::object{{"value", values_object(values)}, {"list", lists_object(lists)}};
  return id;
}

acl_login_identity login_identity(const acl::jwt_method_config& config, const acl::jwt_claims& claims) {
  acl_login_identity id = blank_login_identity(config);
  // The selectable fields are the claims' own maps (what the token lacked is absent); the
  // variables keep their empty defaults.
  id.selectable = json::object{{"value", values_object(claims.values)}, {"list", lists_object(claims.lists)}};
  for (const auto& [k, v] : claims.values) id.projected_vars["value." + k] = v;
  return id;
}

std::optional<std::string> interpolate_bind_name(std::string_view s, const std::map<std::string, std::string>& vars,
                                                 std::string& error) {
  if (s.find("${") == std::string_view::npos) return std::string(s);  // not parsed at all, as in Consul
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '$' && i + 1 < s.size() && s[i + 1] == '$') {
      out += '$';  // "$$" is one '$' in HIL's literal text, so "$${" writes "${"
      i += 2;
      continue;
    }
    if (!(s[i] == '$' && i + 1 < s.size() && s[i + 1] == '{')) {
      out += s[i++];
      continue;
    }
    i += 2;
    while (i < s.size() && hil_space(s[i])) ++i;
    if (i == s.size()) {
      error = "parse error at " + position(s, i) + ": expected expression but found end of string";
      return std::nullopt;
    }
    if (!ident_start(s[i])) {
      error = "parse error at " + position(s, i) + ": expected a variable name (the dev agent reads no other HIL)";
      return std::nullopt;
    }
    const std::size_t start = i;
    while (i < s.size() && ident_char(s[i])) ++i;
    const std::string name(s.substr(start, i - start));
    while (i < s.size() && hil_space(s[i])) ++i;
    if (i == s.size() || s[i] != '}') {
      error = "parse error at " + position(s, i) + ": expected \"}\" but found " +
              (i == s.size() ? std::string("end of string") : core::quoted(s.substr(i, 1)));
      return std::nullopt;
    }
    ++i;
    auto it = vars.find(name);
    if (it == vars.end()) {
      error = position(s, start) + ": unknown variable accessed: " + name;
      return std::nullopt;
    }
    out += ascii_lower(it->second);
  }
  return out;
}

bool selector_matches(const std::string& selector, const json::value& selectable) {
  if (selector.empty()) return true;
  // The ?filter engine reports a bad expression or selector as the http_error its endpoints
  // answer with; for a binding rule that is simply no match (Consul's doesSelectorMatch).
  try {
    return parse_filter(selector).matches(selectable);
  } catch (const http_error&) {
    return false;
  }
}

std::optional<std::string> validate_binding_rule(const acl::jwt_method_config& config, const acl_binding_rule& rule) {
  if (!rule.selector.empty()) {
    try {
      parse_filter(rule.selector);
    } catch (const http_error& e) {
      return "invalid Binding Rule: Selector is invalid: " + e.reason;
    }
  }
  if (rule.bind_type.empty()) return std::string("Invalid Binding Rule: no BindType is set");
  if (rule.bind_name.empty()) return std::string("Invalid Binding Rule: no BindName is set");
  if (rule.bind_type != "service" && rule.bind_type != "node" && rule.bind_type != "role")
    return "Invalid Binding Rule: unknown BindType " + core::quoted(rule.bind_type);
  // IsValidBindName: every variable the method can give stands in as "fake".
  std::map<std::string, std::string> fake;
  for (const auto& [name, value] : blank_login_identity(config).projected_vars) fake[name] = "fake";
  bool valid = false;
  std::string error;
  if (!compute_bind_name(rule, fake, valid, error)) return "Invalid Binding Rule: invalid BindName: " + error;
  if (!valid) return std::string("Invalid Binding Rule: invalid BindName");
  return std::nullopt;
}

std::variant<acl_login_bindings, acl_login_failure> evaluate_login(const json::object& method_config,
                                                                   const std::vector<acl_binding_rule>& rules,
                                                                   std::string_view bearer_token,
                                                                   const acl_login_context& context) {
  acl::jwt_method_config config;
  if (auto e = acl::parse_jwt_method_config(method_config, config)) return acl_login_failure{500, *e};
  acl::jwt_claims claims;
  if (auto e = acl::claims_from_jwt(config, bearer_token, context.now, claims)) return acl_login_failure{500, *e};
  const acl_login_identity id = login_identity(config, claims);

  acl_login_bindings out;
  for (const auto& rule : rules) {
    if (!selector_matches(rule.selector, id.selectable)) continue;
    bool valid = false;
    std::string error;
    auto name = compute_bind_name(rule, id.projected_vars, valid, error);
    if (!name)
      return acl_login_failure{500, "cannot compute " + core::quoted(rule.bind_type) + " bind name for bind target: " + error};
    if (!valid)
      return acl_login_failure{500, "computed " + core::quoted(rule.bind_type) + " bind name for bind target is invalid: " +
                                        core::quoted(*name)};
    if (rule.bind_type == "service") {
      out.service_identities.push_back(*name);
    } else if (rule.bind_type == "node") {
      out.node_identities.push_back({*name, context.datacenter});
    } else if (auto role = context.role_id_by_name ? context.role_id_by_name(*name) : std::nullopt) {
      out.roles.push_back({*role, *name});  // a role that does not exist binds nothing
    }
  }
  // Consul refuses to mint a token that could do nothing.
  if (out.service_identities.empty() && out.node_identities.empty() && out.roles.empty())
    return acl_login_failure{403, "Permission denied"};
  return out;
}

std::string login_token_description(const std::map<std::string, std::string>& meta) {
  const std::string prefix = "token created via login";
  if (meta.empty()) return prefix;
  json::object o;
  for (const auto& [k, v] : meta) o[k] = v;  // std::map's order is Go's sorted keys
  return prefix + ": " + render_compact(o);
}

}  // namespace coconsul::dev
