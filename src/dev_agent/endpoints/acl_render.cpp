// The ACL records as Consul's JSON (see acl_render.hpp).

#include "dev_agent/endpoints/acl_render.hpp"

#include "dev_agent/endpoints/acl_common.hpp"

#include <coconsul/duration.hpp>

#include <boost/json/array.hpp>

namespace coconsul::dev {

namespace json = boost::json;

namespace {

json::array strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

// Links with the current names; omitempty: nothing when none is left.
template <class Lookup>
void put_links(json::object& o, std::string_view key, const std::vector<acl_link>& links, Lookup name_of) {
  json::array a;
  for (const auto& l : links)
    if (const std::string* name = name_of(l.id)) a.emplace_back(json::object{{"ID", l.id}, {"Name", *name}});
  if (!a.empty()) o[key] = std::move(a);
}

void put_identities(json::object& o, const std::vector<acl_service_identity>& s, const std::vector<acl_node_identity>& n) {
  if (!s.empty()) {
    json::array a;
    for (const auto& i : s) {
      json::object e{{"ServiceName", i.service_name}};
      if (!i.datacenters.empty()) e["Datacenters"] = strings(i.datacenters);
      a.emplace_back(std::move(e));
    }
    o["ServiceIdentities"] = std::move(a);
  }
  if (!n.empty()) {
    json::array a;
    for (const auto& i : n) a.emplace_back(json::object{{"NodeName", i.node_name}, {"Datacenter", i.datacenter}});
    o["NodeIdentities"] = std::move(a);
  }
}

auto policy_name(const acl_state& t) {
  return [&t](const std::string& id) -> const std::string* {
    const auto* p = t.policy_by_id(id);
    return p ? &p->name : nullptr;
  };
}

}  // namespace

json::object render_acl_token(const acl_state& t, const acl_token_record& token, bool show_secret) {
  json::object o;
  o["AccessorID"] = token.accessor_id;
  o["SecretID"] = show_secret ? token.secret_id : std::string("<hidden>");
  o["Description"] = token.description;
  put_links(o, "Policies", token.policies, policy_name(t));
  put_links(o, "Roles", token.roles, [&t](const std::string& id) -> const std::string* {
    const auto* r = t.role_by_id(id);
    return r ? &r->name : nullptr;
  });
  put_identities(o, token.service_identities, token.node_identities);
  o["Local"] = token.local;
  if (!token.auth_method.empty()) o["AuthMethod"] = token.auth_method;
  if (token.expiration_time) o["ExpirationTime"] = go_time(*token.expiration_time);
  o["CreateTime"] = go_time(token.create_time);
  o["Hash"] = token.hash;
  o["CreateIndex"] = token.create_index;
  o["ModifyIndex"] = token.modify_index;
  return o;
}

json::object render_acl_policy(const acl_policy_record& p) {
  json::object o{{"ID", p.id}, {"Name", p.name}, {"Description", p.description}, {"Rules", p.rules}};
  if (p.datacenters && !p.datacenters->empty()) o["Datacenters"] = strings(*p.datacenters);
  o["Hash"] = p.hash;
  o["CreateIndex"] = p.create_index;
  o["ModifyIndex"] = p.modify_index;
  return o;
}

json::object render_acl_policy_stub(const acl_policy_record& p) {
  json::object o{{"ID", p.id}, {"Name", p.name}, {"Description", p.description}};
  // ACLPolicyListStub's Datacenters has no omitempty: null for Go's nil slice.
  o["Datacenters"] = p.datacenters ? json::value(strings(*p.datacenters)) : json::value(nullptr);
  o["Hash"] = p.hash;
  o["CreateIndex"] = p.create_index;
  o["ModifyIndex"] = p.modify_index;
  return o;
}

json::object render_acl_role(const acl_state& t, const acl_role_record& r) {
  json::object o{{"ID", r.id}, {"Name", r.name}, {"Description", r.description}};
  put_links(o, "Policies", r.policies, policy_name(t));
  put_identities(o, r.service_identities, r.node_identities);
  o["Hash"] = r.hash;
  o["CreateIndex"] = r.create_index;
  o["ModifyIndex"] = r.modify_index;
  return o;
}

namespace {
void put_method_common(json::object& o, const acl_auth_method_record& m) {
  o["Name"] = m.name;
  o["Type"] = m.type;
  if (!m.display_name.empty()) o["DisplayName"] = m.display_name;
  if (!m.description.empty()) o["Description"] = m.description;
  // ACLAuthMethod's MarshalJSON writes MaxTokenTTL as a duration string.
  if (m.max_token_ttl.count() != 0) o["MaxTokenTTL"] = format_duration(m.max_token_ttl);
  if (!m.token_locality.empty()) o["TokenLocality"] = m.token_locality;
}
}  // namespace

json::object render_acl_auth_method(const acl_auth_method_record& m) {
  json::object o;
  put_method_common(o, m);
  o["Config"] = m.config;
  o["CreateIndex"] = m.create_index;
  o["ModifyIndex"] = m.modify_index;
  return o;
}

json::object render_acl_auth_method_stub(const acl_auth_method_record& m) {
  json::object o;
  put_method_common(o, m);
  o["CreateIndex"] = m.create_index;
  o["ModifyIndex"] = m.modify_index;
  return o;
}

json::object render_acl_binding_rule(const acl_binding_rule_record& r) {
  return json::object{{"ID", r.id},
                      {"Description", r.description},
                      {"AuthMethod", r.auth_method},
                      {"Selector", r.selector},
                      {"BindType", r.bind_type},
                      {"BindName", r.bind_name},
                      {"CreateIndex", r.create_index},
                      {"ModifyIndex", r.modify_index}};
}

}  // namespace coconsul::dev
