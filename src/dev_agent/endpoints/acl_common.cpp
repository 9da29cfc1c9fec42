// Shared pieces of the ACL endpoints (see acl_common.hpp).

#include "dev_agent/endpoints/acl_common.hpp"

#include "dev_agent/acl/jwt_config.hpp"
#include "dev_agent/acl/rules.hpp"
#include "dev_agent/http/error.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <variant>

namespace coconsul::dev {

namespace json = boost::json;

void require_acls_enabled(const endpoint_context& c) {
  if (!c.controls.acl_enabled) throw http_error{401, "ACL support disabled"};
}

acl_caller require_acl(endpoint_context& c, acl_access level) {
  require_acls_enabled(c);
  const acl::authorizer& authz = c.caller().authz();  // 403 "ACL not found" first
  c.caller().require(level == acl_access::read ? authz.acl_read() : authz.acl_write());
  acl_caller who;
  who.secret = c.caller().secret();  // resolved once, by the caller
  who.sees_secrets = authz.acl_write().allowed;  // other tokens' SecretIDs: "<hidden>" otherwise
  return who;
}

acl_write::acl_write(endpoint_context& c) : layer_(c.acl), txn_(c.state) {
  layer_.tables.reap_expired(txn_, std::chrono::system_clock::now());
}

acl_write::~acl_write() { layer_.token_written(); }

namespace {
bool is_hex(char ch) { return std::isxdigit(static_cast<unsigned char>(ch)) != 0; }
bool name_char(char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_'; }
bool name_of(std::string_view s, std::size_t max) {
  return !s.empty() && s.size() <= max && std::all_of(s.begin(), s.end(), name_char);
}
[[noreturn]] void rpc_error(std::string text) { throw http_error{500, std::move(text)}; }
std::string quoted(std::string_view s) {  // Go's %q for the printable names these texts carry
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

// Well-formed UTF-8 (no overlong forms, no surrogates), as Go's utf8.ValidString.
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    std::uint32_t cp = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
    for (std::size_t k = 1; k < n; ++k) {
      auto cb = static_cast<unsigned char>(s[i + k]);
      if ((cb >> 6) != 0x2) return false;
      cp = (cp << 6) | (cb & 0x3F);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n;
  }
  return true;
}
}  // namespace

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool hyphen = i == 8 || i == 13 || i == 18 || i == 23;
    if (hyphen ? s[i] != '-' : !is_hex(s[i])) return false;
  }
  return true;
}

bool is_reserved_id(std::string_view s) { return s.substr(0, std::string_view(acl_reserved_prefix).size()) == acl_reserved_prefix; }
bool valid_policy_name(std::string_view s) { return name_of(s, 128); }
bool valid_role_name(std::string_view s) { return name_of(s, 256); }
bool valid_auth_method_name(std::string_view s) { return name_of(s, 128); }

bool valid_identity_name(std::string_view s) {
  if (s.empty() || s.size() > 256) return false;
  auto lower_alnum = [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'); };
  if (!lower_alnum(s.front()) || !lower_alnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(), [&](char ch) { return lower_alnum(ch) || ch == '-' || ch == '_'; });
}

std::optional<std::string> check_policy_rules(std::string_view rules) {
  if (rules.size() > max_acl_rules_bytes)
    return "Failed to parse ACL rules: the rules are " + std::to_string(rules.size()) + " bytes, over this agent's limit of " +
           std::to_string(max_acl_rules_bytes);
  if (!valid_utf8(rules)) return std::string("Failed to parse ACL rules: the rules are not valid UTF-8");
  auto parsed = acl::parse_rules(rules);
  if (const auto* refused = std::get_if<acl::rules_error>(&parsed)) return refused->consul_text();
  return std::nullopt;
}

std::optional<std::string> check_auth_method_config(std::string_view type, const json::value& config) {
  if (!config.is_null() && !config.is_object()) return std::string("Config must be an object");
  if (type == "jwt") {
    const json::object none;
    return acl::validate_jwt_method_config(config.is_object() ? config.as_object() : none);
  }
  return std::nullopt;
}

namespace {
template <class Find>
std::vector<acl_link> resolve_links(const std::vector<acl_link>& in, std::string_view kind, Find find) {
  if (in.size() > max_acl_links) rpc_error("Too many " + std::string(kind) + " links (this agent's limit is " + std::to_string(max_acl_links) + ")");
  std::vector<acl_link> out;
  std::set<std::string> seen;
  for (const auto& link : in) {
    std::string id;
    if (link.id.empty()) {
      id = find(link.name, true);
      if (id.empty()) rpc_error("No such ACL " + std::string(kind) + " with name " + quoted(link.name));
    } else {
      id = find(link.id, false);
      if (id.empty()) rpc_error("No such ACL " + std::string(kind) + " with ID " + quoted(link.id));
    }
    if (seen.insert(id).second) out.push_back(acl_link{id, ""});
  }
  return out;
}
}  // namespace

std::vector<acl_link> resolve_policy_links(const acl_state& t, const std::vector<acl_link>& in) {
  return resolve_links(in, "policy", [&](const std::string& key, bool by_name) {
    const auto* p = by_name ? t.policy_by_name(key) : t.policy_by_id(key);
    return p ? p->id : std::string();
  });
}

std::vector<acl_link> resolve_role_links(const acl_state& t, const std::vector<acl_link>& in) {
  return resolve_links(in, "role", [&](const std::string& key, bool by_name) {
    const auto* r = by_name ? t.role_by_name(key) : t.role_by_id(key);
    return r ? r->id : std::string();
  });
}

std::vector<acl_service_identity> check_service_identities(std::vector<acl_service_identity> in, std::string_view owner,
                                                          bool local_token) {
  if (in.size() > max_acl_links) rpc_error("Too many service identities (this agent's limit is " + std::to_string(max_acl_links) + ")");
  for (const auto& s : in) {
    if (s.service_name.empty()) rpc_error("Service identity is missing the service name field on this " + std::string(owner));
    if (local_token && !s.datacenters.empty())
      rpc_error("Service identity " + quoted(s.service_name) + " cannot specify a list of datacenters on a local token");
    if (!valid_identity_name(s.service_name))
      rpc_error("Service identity " + quoted(s.service_name) +
                " has an invalid name. Only alphanumeric characters, '-' and '_' are allowed");
  }
  // dedupeServiceIdentities: one per name, the union of their datacenters (none: all of them).
  std::vector<acl_service_identity> out;
  for (auto& s : in) {
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& o) { return o.service_name == s.service_name; });
    if (it == out.end()) {
      out.push_back(std::move(s));
    } else if (it->datacenters.empty() || s.datacenters.empty()) {
      it->datacenters.clear();
    } else {
      for (auto& dc : s.datacenters)
        if (std::find(it->datacenters.begin(), it->datacenters.end(), dc) == it->datacenters.end())
          it->datacenters.push_back(dc);
    }
  }
  return out;
}

std::vector<acl_node_identity> check_node_identities(std::vector<acl_node_identity> in, std::string_view owner) {
  if (in.size() > max_acl_links) rpc_error("Too many node identities (this agent's limit is " + std::to_string(max_acl_links) + ")");
  std::vector<acl_node_identity> out;
  for (auto& n : in) {
    if (n.node_name.empty()) rpc_error("Node identity is missing the node name field on this " + std::string(owner));
    if (n.datacenter.empty()) rpc_error("Node identity is missing the datacenter field on this " + std::string(owner));
    if (!valid_identity_name(n.node_name))
      rpc_error("Node identity has an invalid name. Only alphanumeric characters, '-' and '_' are allowed");
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(std::move(n));
  }
  return out;
}

void check_count(std::size_t count, std::size_t max, std::string_view kind) {
  if (count >= max)
    rpc_error("This agent holds " + std::to_string(count) + " ACL " + std::string(kind) + ", its limit: delete some first");
}

void check_description(const std::string& d) {
  if (d.size() > max_acl_description_bytes)
    throw http_error{400, "Description is " + std::to_string(d.size()) + " bytes, over this agent's limit of " +
                              std::to_string(max_acl_description_bytes)};
}

}  // namespace coconsul::dev
