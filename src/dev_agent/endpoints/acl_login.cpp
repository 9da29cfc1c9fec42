// POST /v1/acl/login and /v1/acl/logout (Consul's ACL.Login and ACL.Logout): a bearer token
// checked by its auth method and bound by the method's rules (acl_binding.hpp) becomes a token
// of the method, local unless the method's TokenLocality is "global", expiring after its
// MaxTokenTTL; logging out deletes such a token, and only such a token.

#include "dev_agent/acl/denied.hpp"
#include "dev_agent/endpoints/acl_binding.hpp"
#include "dev_agent/endpoints/acl_common.hpp"
#include "dev_agent/endpoints/acl_token_source.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/responders.hpp"

#include <variant>

namespace coconsul::dev {

namespace json = boost::json;

namespace {

http_response login(endpoint_context& c, http_request& req) {
  require_acls_enabled(c);
  acl_login_body in = decode_acl_login(req.body);
  const auto& tables = c.acl.tables;
  const acl_auth_method_record* method = tables.auth_method(in.auth_method);
  if (!method) throw http_error{403, std::string(acl::acl_not_found)};
  if (method->type != "jwt")  // the other CE types need a cluster this agent does not talk to
    throw http_error{500, "auth method \"" + method->name + "\" is of type \"" + method->type +
                              "\": this dev agent logs in with jwt auth methods only"};
  std::vector<acl_binding_rule> rules;
  for (const auto* r : tables.binding_rules())
    if (r->auth_method == method->name)
      rules.push_back(acl_binding_rule{r->id, r->description, r->auth_method, r->selector, r->bind_type, r->bind_name});
  acl_login_context context;
  context.now = std::chrono::system_clock::now();
  context.datacenter = c.options.datacenter;
  context.role_id_by_name = [&tables](const std::string& name) -> std::optional<std::string> {
    if (const auto* role = tables.role_by_name(name)) return role->id;
    return std::nullopt;
  };
  const json::object no_config;
  const json::object& config = method->config.is_object() ? method->config.as_object() : no_config;
  auto outcome = evaluate_login(config, rules, in.bearer_token, context);
  if (auto* refused = std::get_if<acl_login_failure>(&outcome)) throw http_error{refused->status, refused->text};
  const auto& bindings = std::get<acl_login_bindings>(outcome);

  acl_token_body token;
  acl_token_record& t = token.token;
  t.description = login_token_description(in.meta);
  t.local = method->token_locality != "global";
  t.auth_method = method->name;
  for (const auto& s : bindings.service_identities) t.service_identities.push_back(acl_service_identity{s, {}});
  for (const auto& n : bindings.node_identities) t.node_identities.push_back(acl_node_identity{n.node_name, n.datacenter});
  for (const auto& r : bindings.roles) t.roles.push_back(acl_link{r.id, r.name});
  token.expiration_ttl = method->max_token_ttl;
  return create_login_token(c, std::move(token));
}

http_response logout(endpoint_context& c, http_request& req) {
  require_acls_enabled(c);
  std::string secret = request_secret(req, c.controls);
  if (secret.empty()) throw http_error{403, std::string(acl::acl_not_found)};
  const acl_token_record* t = c.acl.tables.token_by_secret(secret);
  if (!t) throw http_error{403, std::string(acl::acl_not_found)};
  if (t->auth_method.empty()) throw http_error{403, "Permission denied: token wasn't created via login"};
  std::string accessor = t->accessor_id;
  {
    acl_write w(c);
    w.tables().delete_token(w.txn(), accessor);
  }
  return json_response(true);
}

}  // namespace

void add_acl_login_routes(route_table& r) {
  r.add("/v1/acl/login", {"POST"}, &immediate<login>);
  r.add("/v1/acl/logout", {"POST"}, &immediate<logout>);
}

}  // namespace coconsul::dev
