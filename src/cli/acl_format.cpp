// Consul's CLI text for ACL objects (command/acl/*/formatter.go's layout: "Name:  value" rows,
// links as "ID - Name" under a heading) and the flags that name grants.
#include "cli/acl_format.hpp"

#include <coconsul/json.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace coconsul::cli::acl {
namespace {

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

// "Label:" padded to `width`, then the value.
void row(std::string_view indent, std::string_view label, std::string_view value, std::size_t width) {
  std::string head = std::string(label) + ":";
  if (head.size() < width) head.append(width - head.size(), ' ');
  std::cout << indent << head << value << "\n";
}

void links(std::string_view indent, std::string_view heading, const std::vector<acl_link>& items) {
  if (items.empty()) return;
  std::cout << indent << heading << ":\n";
  for (const auto& l : items) std::cout << indent << "   " << l.id << " - " << l.name << "\n";
}

void identities(std::string_view indent, const std::vector<acl_service_identity>& services,
                const std::vector<acl_node_identity>& nodes) {
  if (!services.empty()) {
    std::cout << indent << "Service Identities:\n";
    for (const auto& s : services)
      std::cout << indent << "   " << s.service_name << " (Datacenters: "
                << (s.datacenters.empty() ? std::string("all") : join(s.datacenters, ", ")) << ")\n";
  }
  if (!nodes.empty()) {
    std::cout << indent << "Node Identities:\n";
    for (const auto& n : nodes) std::cout << indent << "   " << n.node_name << " (Datacenter: " << n.datacenter << ")\n";
  }
}

// The fields tokens and token list entries share.
template <class T>
void token_rows(const T& t, std::string_view indent) {
  constexpr std::size_t w = 18;
  row(indent, "AccessorID", t.accessor_id, w);
  row(indent, "SecretID", t.secret_id, w);
  row(indent, "Description", t.description, w);
  row(indent, "Local", t.local ? "true" : "false", w);
  if (!t.auth_method.empty()) row(indent, "Auth Method", t.auth_method, w);
  row(indent, "Create Time", t.create_time, w);
  if (t.expiration_time) row(indent, "Expiration Time", *t.expiration_time, w);
  links(indent, "Policies", t.policies);
  links(indent, "Roles", t.roles);
  identities(indent, t.service_identities, t.node_identities);
}

template <class T>
void json_out(const T& value) {
  std::cout << encode_json(value, encode_mode::all_fields) << "\n";
}

void role_rows(const acl_role& r, std::string_view indent) {
  constexpr std::size_t w = 14;
  row(indent, "ID", r.id, w);
  row(indent, "Name", r.name, w);
  row(indent, "Description", r.description, w);
  links(indent, "Policies", r.policies);
  identities(indent, r.service_identities, r.node_identities);
}

acl_link by_id(const std::string& id) { return acl_link{.id = id, .name = ""}; }
acl_link by_name(const std::string& name) { return acl_link{.id = "", .name = name}; }

std::optional<format> format_of(const std::string& text) {
  if (text.empty() || text == "pretty") return format::pretty;
  if (text == "json") return format::json;
  return std::nullopt;
}
std::string bad_format(const std::string& text) { return "-format must be pretty or json, not \"" + text + "\""; }

}  // namespace

format parse_format(const std::string& text) {
  if (auto f = format_of(text)) return *f;
  throw usage_error{bad_format(text)};
}

std::optional<int> read_format(const command_line& cmd, const std::string& text, format& out) {
  auto f = format_of(text);
  if (!f) return cmd.fail(bad_format(text));
  out = *f;
  return std::nullopt;
}

void print(const acl_token& t, format f) {
  if (f == format::json) return json_out(t);
  token_rows(t, "");
}

void print(const acl_token_expanded& t, format f) {
  if (f == format::json) {
    // One object, as Consul answers: the token's fields and the expansion's.
    std::string token = encode_json(t.token, encode_mode::all_fields);
    std::string more = encode_json(t.expansion, encode_mode::all_fields);
    token.pop_back();
    std::cout << token << "," << more.substr(1) << "\n";
    return;
  }
  token_rows(t.token, "");
  if (!t.expansion.expanded_policies.empty()) {
    std::cout << "Expanded Policies:\n";
    for (const auto& p : t.expansion.expanded_policies) {
      std::cout << "   " << p.id << " - " << p.name << "\n";
      std::istringstream rules(p.rules);
      for (std::string l; std::getline(rules, l);) std::cout << "      " << l << "\n";
    }
  }
  if (!t.expansion.expanded_roles.empty()) {
    std::cout << "Expanded Roles:\n";
    for (const auto& r : t.expansion.expanded_roles) std::cout << "   " << r.id << " - " << r.name << "\n";
  }
  if (!t.expansion.agent_acl_default_policy.empty())
    row("", "Default Policy", t.expansion.agent_acl_default_policy, 18);
}

void print(const std::vector<acl_token_list_entry>& tokens, format f) {
  if (f == format::json) return json_out(tokens);
  bool first = true;
  for (const auto& t : tokens) {
    if (!first) std::cout << "\n";
    first = false;
    token_rows(t, "");
    row("", "Legacy", t.legacy ? "true" : "false", 18);
  }
}

void print(const acl_policy& p, format f) {
  if (f == format::json) return json_out(p);
  constexpr std::size_t w = 14;
  row("", "ID", p.id, w);
  row("", "Name", p.name, w);
  row("", "Description", p.description, w);
  row("", "Datacenters", join(p.datacenters, ", "), w);
  std::cout << "Rules:\n" << p.rules << "\n";
}

void print(const std::vector<acl_policy_list_entry>& policies, format f) {
  if (f == format::json) return json_out(policies);
  for (const auto& p : policies) {
    std::cout << p.name << ":\n";
    row("   ", "ID", p.id, 14);
    row("   ", "Description", p.description, 14);
    row("   ", "Datacenters", join(p.datacenters, ", "), 14);
  }
}

void print(const acl_role& r, format f) {
  if (f == format::json) return json_out(r);
  role_rows(r, "");
}

void print(const std::vector<acl_role>& roles, format f) {
  if (f == format::json) return json_out(roles);
  for (const auto& r : roles) {
    std::cout << r.name << ":\n";
    role_rows(r, "   ");
  }
}

void grant_flags::add_to(arg_parser& p, bool with_roles) {
  p.add_values("policy-id", policy_ids);
  p.add_values("policy-name", policy_names);
  if (with_roles) {
    p.add_values("role-id", role_ids);
    p.add_values("role-name", role_names);
  }
  p.add_values("service-identity", service_identities);
  p.add_values("node-identity", node_identities);
}

bool grant_flags::any() const {
  return !policy_ids.empty() || !policy_names.empty() || !role_ids.empty() || !role_names.empty() ||
         !service_identities.empty() || !node_identities.empty();
}

std::vector<acl_link> grant_flags::policies() const {
  std::vector<acl_link> out;
  for (const auto& id : policy_ids) out.push_back(by_id(id));
  for (const auto& name : policy_names) out.push_back(by_name(name));
  return out;
}

std::vector<acl_link> grant_flags::roles() const {
  std::vector<acl_link> out;
  for (const auto& id : role_ids) out.push_back(by_id(id));
  for (const auto& name : role_names) out.push_back(by_name(name));
  return out;
}

std::vector<acl_service_identity> grant_flags::services() const {
  std::vector<acl_service_identity> out;
  for (const auto& spec : service_identities) {
    acl_service_identity s;
    const auto colon = spec.find(':');
    s.service_name = spec.substr(0, colon);
    if (s.service_name.empty()) throw usage_error{"-service-identity needs a service name: \"" + spec + "\""};
    if (colon != std::string::npos) {
      std::stringstream dcs(spec.substr(colon + 1));
      for (std::string dc; std::getline(dcs, dc, ',');)
        if (!dc.empty()) s.datacenters.push_back(dc);
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<acl_node_identity> grant_flags::nodes() const {
  std::vector<acl_node_identity> out;
  for (const auto& spec : node_identities) {
    const auto colon = spec.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size())
      throw usage_error{"-node-identity must be NODE:DATACENTER, not \"" + spec + "\""};
    out.push_back(acl_node_identity{.node_name = spec.substr(0, colon), .datacenter = spec.substr(colon + 1)});
  }
  return out;
}

std::string read_rules(const std::string& value) {
  if (value == "-") return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  if (!value.starts_with("@")) return value;
  std::ifstream in(value.substr(1), std::ios::binary);
  if (!in) throw usage_error{"cannot read the rules file \"" + value.substr(1) + "\""};
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace coconsul::cli::acl
