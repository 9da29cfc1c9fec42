// /v1/acl/token, /v1/acl/token/:accessor (read, update, delete, ?expanded), .../clone,
// /v1/acl/token/self and /v1/acl/tokens with its filters (Consul's agent/acl_endpoint.go and
// ACL.Token* in agent/consul/acl_endpoint.go: their checks in their order, their texts).

#include "dev_agent/acl/identities.hpp"
#include "dev_agent/common/uuid.hpp"
#include "dev_agent/endpoints/acl_common.hpp"
#include "dev_agent/endpoints/acl_render.hpp"
#include "dev_agent/endpoints/acl_token_source.hpp"
#include "dev_agent/endpoints/blocking.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/request_values.hpp"
#include "dev_agent/http/responders.hpp"

#include <coconsul/duration.hpp>

#include <boost/json/array.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace coconsul::dev {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

[[noreturn]] void rpc_error(std::string text) { throw http_error{500, std::move(text)}; }

using token_body = acl_token_body;

token_body decode_token(const http_request& req) { return decode_acl_token(req.body); }

// The checks of a new token's AccessorID or SecretID (Consul's tokenSetInternal).
void check_new_id(const acl_state& tables, const std::string& id, std::string_view which) {
  std::string field(which);
  if (!is_uuid(id)) rpc_error("Invalid Token: " + field + " is not a valid UUID");
  if (tables.token_by_accessor(id) || tables.token_by_secret(id)) rpc_error("Invalid Token: " + field + " is already in use");
  if (is_reserved_id(id))
    rpc_error("Invalid Token: UUIDs with the prefix \"" + std::string(acl_reserved_prefix) + "\" are reserved");
}

// ACL.TokenSet / tokenSetInternal: validates `in` as a create or an update, stores it, renders it.
http_response upsert(endpoint_context& c, token_body in, bool create, bool from_login = false) {
  auto& tables = c.acl.tables;
  acl_token_record& t = in.token;
  auto now = std::chrono::system_clock::now();
  check_description(t.description);
  if (!in.rules.empty()) rpc_error("Rules cannot be specified for this token");
  if (t.accessor_id.empty() || create) {
    if (t.accessor_id.empty()) t.accessor_id = generate_uuid();
    else check_new_id(tables, t.accessor_id, "AccessorID");
    if (t.secret_id.empty()) t.secret_id = generate_uuid();
    else check_new_id(tables, t.secret_id, "SecretID");
    t.create_time = now;
    if (!t.auth_method.empty() && !from_login) rpc_error("AuthMethod field is disallowed outside of Login");
    if (in.expiration_ttl.count() != 0) {
      if (in.expiration_ttl.count() < 0)
        rpc_error("Token Expiration TTL '" + format_duration(in.expiration_ttl) + "' should be > 0");
      if (t.expiration_time) rpc_error("Token Expiration TTL and Expiration Time cannot both be set");
      t.expiration_time = t.create_time + std::chrono::duration_cast<acl_time::duration>(in.expiration_ttl);
    }
    if (t.expiration_time) {
      if (*t.expiration_time < t.create_time) rpc_error("ExpirationTime cannot be before CreateTime");
      auto in_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(*t.expiration_time - t.create_time);
      auto max = std::chrono::nanoseconds(c.options.acl.token_max_expiration_ttl);
      auto min = std::chrono::nanoseconds(c.options.acl.token_min_expiration_ttl);
      if (in_ns > max)
        rpc_error("ExpirationTime cannot be more than " + format_duration(max) + " in the future (was " +
                  format_duration(in_ns) + ")");
      if (in_ns < min)
        rpc_error("ExpirationTime cannot be less than " + format_duration(min) + " in the future (was " +
                  format_duration(in_ns) + ")");
    }
    check_count(tables.token_count(), max_acl_tokens, "tokens");
  } else {
    if (!is_uuid(t.accessor_id)) rpc_error("AccessorID is not a valid UUID");
    if (t.secret_id == "allow" || t.secret_id == "deny" || t.secret_id == "manage")
      throw http_error{403, "Permission denied: Cannot modify root ACL"};
    const auto* stored = tables.token_by_accessor(t.accessor_id);
    if (!stored || stored->expired(now)) rpc_error("Cannot find token \"" + t.accessor_id + "\"");
    if (t.secret_id.empty()) t.secret_id = stored->secret_id;
    else if (t.secret_id != stored->secret_id) rpc_error("Changing a tokens SecretID is not permitted");
    if (t.local != stored->local) rpc_error("cannot toggle local mode of " + t.accessor_id);
    if (t.auth_method.empty()) t.auth_method = stored->auth_method;
    else if (t.auth_method != stored->auth_method) rpc_error("Cannot change AuthMethod of " + t.accessor_id);
    if (in.expiration_ttl.count() != 0) rpc_error("Cannot change expiration time of " + t.accessor_id);
    if (!t.expiration_time) t.expiration_time = stored->expiration_time;
    else if (!stored->expiration_time || *stored->expiration_time != *t.expiration_time)
      rpc_error("Cannot change expiration time of " + t.accessor_id);
    t.create_time = stored->create_time;
  }
  t.policies = resolve_policy_links(tables, t.policies);
  t.roles = resolve_role_links(tables, t.roles);
  t.service_identities = check_service_identities(std::move(t.service_identities), "token", t.local);
  t.node_identities = check_node_identities(std::move(t.node_identities), "token");
  std::string accessor = t.accessor_id;
  {
    acl_write w(c);
    w.tables().put_token(w.txn(), std::move(t));
  }
  return json_response(render_acl_token(tables, *tables.token_by_accessor(accessor), true));
}

}  // namespace

http_response create_login_token(endpoint_context& c, acl_token_body token) {
  return upsert(c, std::move(token), true, true);
}

namespace {

http_response create(endpoint_context& c, http_request& req) {
  require_acls_enabled(c);
  token_body b = decode_token(req);
  require_acl(c, acl_access::write);
  return upsert(c, std::move(b), true);
}

// The synthetic policy of an identity, as ?expanded shows it (Consul's SyntheticPolicy: no
// indexes, the datacenters it is limited to).
template <class Identity>
acl_policy_record synthetic_record(const Identity& identity) {
  acl::synthetic_policy s = acl::synthesize(identity);
  acl_policy_record p{s.id, s.name, s.description, s.rules_text, std::nullopt, "", 0, 0};
  if (!s.datacenters.empty()) p.datacenters = s.datacenters;
  p.hash = policy_hash(p);
  return p;
}

// ACLTokenExpanded: the policies and roles the token gets, its own and its roles' identities'
// synthetic policies after the stored ones, then the token's own fields.
json::object render_expanded(endpoint_context& c, const acl_token_record& t, bool show_secret) {
  const auto& tables = c.acl.tables;
  json::array policies, roles;
  std::set<std::string> seen;
  std::map<std::string, acl_policy_record> synthetic;  // by ID: an identity given twice shows once
  auto add_policy = [&](const std::string& id) {
    if (const auto* p = tables.policy_by_id(id); p && seen.insert(id).second) policies.emplace_back(render_acl_policy(*p));
  };
  auto add_identities = [&](const auto& holder) {
    for (const auto& s : holder.service_identities) {
      auto p = synthetic_record(acl::service_identity{s.service_name, s.datacenters});
      synthetic.emplace(p.id, std::move(p));
    }
    for (const auto& n : holder.node_identities) {
      auto p = synthetic_record(acl::node_identity{n.node_name, n.datacenter});
      synthetic.emplace(p.id, std::move(p));
    }
  };
  for (const auto& l : t.policies) add_policy(l.id);
  add_identities(t);
  for (const auto& l : t.roles)
    if (const auto* r = tables.role_by_id(l.id)) {
      roles.emplace_back(render_acl_role(tables, *r));
      for (const auto& pl : r->policies) add_policy(pl.id);
      add_identities(*r);
    }
  for (const auto& [id, p] : synthetic) policies.emplace_back(render_acl_policy(p));
  json::object o;
  o["ExpandedPolicies"] = policies.empty() ? json::value(nullptr) : json::value(std::move(policies));
  o["ExpandedRoles"] = roles.empty() ? json::value(nullptr) : json::value(std::move(roles));
  o["NamespaceDefaultPolicyIDs"] = nullptr;
  o["NamespaceDefaultRoleIDs"] = nullptr;
  o["AgentACLDefaultPolicy"] = c.options.acl.default_policy;
  o["AgentACLDownPolicy"] = c.options.acl.down_policy;
  o["ResolvedByAgent"] = c.options.node_name;
  for (auto& kv : render_acl_token(tables, t, show_secret)) o[kv.key()] = kv.value();
  return o;
}

asio::awaitable<http_response> read(endpoint_context& c, http_request& req, const std::string& accessor) {
  acl_caller who = require_acl(c, acl_access::read);
  bool expanded = req.query.has("expanded");
  std::function<query_answer()> run = [&] {
    const auto* t = c.acl.tables.token_by_accessor(accessor);
    http_response r = text_response(403, "ACL not found");
    if (t && !t->expired(std::chrono::system_clock::now()))
      r = json_response(expanded ? render_expanded(c, *t, who.sees_secrets)
                                 : render_acl_token(c.acl.tables, *t, who.sees_secrets));
    return query_answer{c.state.table_index(tbl_acl_tokens), std::move(r)};
  };
  co_return co_await blocking_query(c.hub, req, tbl_acl_tokens, run);
}

http_response remove(endpoint_context& c, const std::string& accessor) {
  acl_caller who = require_acl(c, acl_access::write);
  if (!is_uuid(accessor)) rpc_error("Accessor ID is missing or an invalid UUID");
  if (accessor == acl_anonymous_id) rpc_error("Delete operation not permitted on the anonymous token");
  if (const auto* t = c.acl.tables.token_by_accessor(accessor)) {
    if (t->secret_id == who.secret) rpc_error("Deletion of the request's authorization token is not permitted");
    acl_write w(c);
    w.tables().delete_token(w.txn(), accessor);
  }
  return json_response(json::value(true));
}

http_response clone(endpoint_context& c, http_request& req, const std::string& accessor) {
  token_body b = decode_token(req);
  require_acl(c, acl_access::write);
  const auto* t = c.acl.tables.token_by_accessor(accessor);
  if (!t || t->expired(std::chrono::system_clock::now())) throw http_error{403, "ACL not found"};
  if (!t->auth_method.empty()) rpc_error("Cannot clone a token created from an auth method");
  token_body copy;
  copy.token.policies = t->policies;
  copy.token.roles = t->roles;
  copy.token.service_identities = t->service_identities;
  copy.token.node_identities = t->node_identities;
  copy.token.local = t->local;
  copy.token.description = b.token.description.empty() ? t->description : b.token.description;
  copy.token.expiration_time = t->expiration_time;
  return upsert(c, std::move(copy), true);
}

asio::awaitable<http_response> crud(endpoint_context& c, http_request& req) {
  require_acls_enabled(c);
  std::string id = path_suffix(req, "/v1/acl/token/");
  constexpr std::string_view clone_suffix = "/clone";
  if (req.method == "PUT" && id.size() >= clone_suffix.size() &&
      id.compare(id.size() - clone_suffix.size(), clone_suffix.size(), clone_suffix) == 0) {
    id.resize(id.size() - clone_suffix.size());
    co_return clone(c, req, id);
  }
  if (id.empty() && req.method != "PUT") throw_bad_request("Missing token ID");
  if (req.method == "GET") co_return co_await read(c, req, id);
  if (req.method == "DELETE") co_return remove(c, id);
  token_body b = decode_token(req);
  if (!b.token.accessor_id.empty() && b.token.accessor_id != id)
    throw_bad_request("Token Accessor ID in URL and payload do not match");
  b.token.accessor_id = id;
  require_acl(c, acl_access::write);
  co_return upsert(c, std::move(b), false);
}

// GET /v1/acl/token/self: the token the request's secret names; no permission needed.
asio::awaitable<http_response> self(endpoint_context& c, http_request& req) {
  require_acls_enabled(c);
  std::string secret = request_secret(req, c.controls);
  std::function<query_answer()> run = [&] {
    const auto* t = secret.empty() ? nullptr : c.acl.tables.token_by_secret(secret);
    http_response r = text_response(403, "ACL not found");
    if (t && !t->expired(std::chrono::system_clock::now())) r = json_response(render_acl_token(c.acl.tables, *t, true));
    return query_answer{c.state.table_index(tbl_acl_tokens), std::move(r)};
  };
  co_return co_await blocking_query(c.hub, req, tbl_acl_tokens, run);
}

bool links_to(const std::vector<acl_link>& links, const std::string& id) {
  return std::any_of(links.begin(), links.end(), [&](const acl_link& l) { return l.id == id; });
}

asio::awaitable<http_response> list(endpoint_context& c, http_request& req) {
  acl_caller who = require_acl(c, acl_access::read);
  std::string policy = req.query.get("policy").value_or("");
  std::string role = req.query.get("role").value_or("");
  std::string method = req.query.get("authmethod").value_or("");
  if (int(!policy.empty()) + int(!role.empty()) + int(!method.empty()) > 1)
    rpc_error("can only filter by one of policy, role, or methodName at a time");
  std::function<query_answer()> run = [&] {
    auto now = std::chrono::system_clock::now();
    json::array out;
    for (const auto* t : c.acl.tables.tokens()) {
      if (t->expired(now)) continue;
      if (!policy.empty() && !links_to(t->policies, policy)) continue;
      if (!role.empty() && !links_to(t->roles, role)) continue;
      if (!method.empty() && t->auth_method != method) continue;
      out.emplace_back(render_acl_token(c.acl.tables, *t, who.sees_secrets));
    }
    return query_answer{c.state.table_index(tbl_acl_tokens), json_response(out)};
  };
  co_return co_await blocking_query(c.hub, req, tbl_acl_tokens, run);
}

}  // namespace

void add_acl_token_routes(route_table& r) {
  r.add("/v1/acl/token", {"PUT"}, &immediate<create>);
  r.add("/v1/acl/token/", {"GET", "PUT", "DELETE"}, &crud);
  r.add("/v1/acl/token/self", {"GET"}, &self);
  r.add("/v1/acl/tokens", {"GET"}, &list);
}

}  // namespace coconsul::dev
