// /v1/acl/auth-method[/:name], /v1/acl/auth-methods, /v1/acl/binding-rule[/:id] and
// /v1/acl/binding-rules?authmethod= (Consul's agent/acl_endpoint.go and ACL.AuthMethod*,
// ACL.BindingRule* in agent/consul/acl_endpoint.go). The types Consul CE registers are accepted
// and their Config kept; whether a Config is usable is check_auth_method_config's answer.

#include "dev_agent/common/uuid.hpp"
#include "dev_agent/endpoints/acl_binding.hpp"
#include "dev_agent/endpoints/acl_common.hpp"
#include "dev_agent/endpoints/acl_render.hpp"
#include "dev_agent/endpoints/blocking.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/request_values.hpp"
#include "dev_agent/http/responders.hpp"

#include <coconsul/duration.hpp>

#include <boost/json/array.hpp>

namespace coconsul::dev {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

[[noreturn]] void rpc_error(std::string text) { throw http_error{500, std::move(text)}; }

// authmethod.Types() of Consul CE, sorted as Go prints them.
constexpr const char* registered_types = "[aws-iam jwt kubernetes]";
bool registered(const std::string& type) { return type == "aws-iam" || type == "jwt" || type == "kubernetes"; }

// --- auth methods ---

acl_auth_method_record decode_method(const http_request& req, const std::string& url_name) {
  acl_auth_method_record m = decode_acl_auth_method(req.body);
  if (!url_name.empty()) {
    if (!m.name.empty() && m.name != url_name) throw_bad_request("AuthMethod Name in URL and payload do not match");
    m.name = url_name;
  }
  return m;
}

http_response upsert_method(endpoint_context& c, acl_auth_method_record m) {
  require_acl(c, acl_access::write);
  auto& tables = c.acl.tables;
  if (m.name.empty()) rpc_error("Invalid Auth Method: no Name is set");
  if (!valid_auth_method_name(m.name))
    rpc_error("Invalid Auth Method: invalid Name. Only alphanumeric characters, '-' and '_' are allowed");
  check_description(m.description);
  check_description(m.display_name);
  const auto* stored = tables.auth_method(m.name);
  if (stored) {
    if (m.type.empty()) m.type = stored->type;
    else if (m.type != stored->type) rpc_error("the Type field of an Auth Method is immutable");
  }
  if (!registered(m.type)) rpc_error(std::string("Invalid Auth Method: Type should be one of: ") + registered_types);
  if (m.max_token_ttl.count() != 0) {
    auto max = std::chrono::nanoseconds(c.options.acl.token_max_expiration_ttl);
    auto min = std::chrono::nanoseconds(c.options.acl.token_min_expiration_ttl);
    if (m.max_token_ttl > max)
      rpc_error("MaxTokenTTL " + format_duration(m.max_token_ttl) + " cannot be more than " + format_duration(max));
    if (m.max_token_ttl < min)
      rpc_error("MaxTokenTTL " + format_duration(m.max_token_ttl) + " cannot be less than " + format_duration(min));
  }
  if (m.token_locality != "" && m.token_locality != "local" && m.token_locality != "global")
    rpc_error("Invalid Auth Method: TokenLocality should be one of 'local' or 'global'");
  if (auto why = check_auth_method_config(m.type, m.config)) rpc_error("Invalid Auth Method: " + *why);
  if (!stored) check_count(tables.auth_method_count(), max_acl_auth_methods, "auth methods");
  std::string name = m.name;
  {
    acl_write w(c);
    w.tables().put_auth_method(w.txn(), std::move(m));
  }
  return json_response(render_acl_auth_method(*tables.auth_method(name)));
}

http_response create_method(endpoint_context& c, http_request& req) {
  require_acls_enabled(c);
  std::string no_name;
  return upsert_method(c, decode_method(req, no_name));
}

asio::awaitable<http_response> method_crud(endpoint_context& c, http_request& req) {
  require_acls_enabled(c);
  std::string name = path_suffix(req, "/v1/acl/auth-method/");
  if (name.empty() && req.method != "PUT") throw_bad_request("Missing auth method name");
  if (req.method == "GET") {
    require_acl(c, acl_access::read);
    std::function<query_answer()> run = [&] {
      const auto* m = c.acl.tables.auth_method(name);
      http_response r = m ? json_response(render_acl_auth_method(*m)) : empty_response(404);
      return query_answer{c.state.table_index(tbl_acl_auth_methods), std::move(r)};
    };
    co_return co_await blocking_query(c.hub, req, tbl_acl_auth_methods, run);
  }
  if (req.method == "DELETE") {
    require_acl(c, acl_access::write);
    if (c.acl.tables.auth_method(name)) {
      acl_write w(c);
      w.tables().delete_auth_method(w.txn(), name);
    }
    co_return json_response(json::value(true));
  }
  co_return upsert_method(c, decode_method(req, name));
}

asio::awaitable<http_response> method_list(endpoint_context& c, http_request& req) {
  require_acl(c, acl_access::read);
  std::function<query_answer()> run = [&] {
    json::array out;
    for (const auto* m : c.acl.tables.auth_methods()) out.emplace_back(render_acl_auth_method_stub(*m));
    return query_answer{c.state.table_index(tbl_acl_auth_methods), json_response(out)};
  };
  co_return co_await blocking_query(c.hub, req, tbl_acl_auth_methods, run);
}

// --- binding rules ---

// Consul interpolates ${var} with the method's projected variables and checks the result for
// the bind type; each variable stands for a valid name part here (the JWT engineer's claim
// mappings decide which exist).
bool valid_bind_name(const std::string& type, const std::string& name) {
  std::string filled;
  for (std::size_t i = 0; i < name.size();) {
    if (name.compare(i, 2, "${") == 0) {
      auto end = name.find('}', i);
      if (end == std::string::npos) return false;
      filled += "fake";
      i = end + 1;
    } else {
      filled += name[i++];
    }
  }
  if (type == "role") return valid_role_name(filled);
  return valid_identity_name(filled);
}

acl_binding_rule_record decode_rule(const http_request& req, const std::string& url_id) {
  acl_binding_rule_record r = decode_acl_binding_rule(req.body);
  if (!r.id.empty() && r.id != url_id) throw_bad_request("BindingRule ID in URL and payload do not match");
  r.id = url_id;
  return r;
}

http_response upsert_rule(endpoint_context& c, acl_binding_rule_record r) {
  require_acl(c, acl_access::write);
  auto& tables = c.acl.tables;
  check_description(r.description);
  check_description(r.selector);
  if (r.id.empty()) {
    check_count(tables.binding_rule_count(), max_acl_binding_rules, "binding rules");
    r.id = generate_uuid();
  } else {
    if (!is_uuid(r.id)) rpc_error("Binding Rule ID invalid UUID");
    const auto* stored = tables.binding_rule(r.id);
    if (!stored) rpc_error("cannot find binding rule " + r.id);
    if (r.auth_method.empty()) r.auth_method = stored->auth_method;
    else if (r.auth_method != stored->auth_method) rpc_error("the AuthMethod field of an Binding Rule is immutable");
  }
  if (r.auth_method.empty()) rpc_error("Invalid Binding Rule: no AuthMethod is set");
  const auto* method = tables.auth_method(r.auth_method);
  if (!method) rpc_error("cannot find auth method with name \"" + r.auth_method + "\"");
  if (method->type == "jwt") {
    // The method's variables decide which BindNames are valid, and the Selector must parse
    // (acl_binding.hpp: Consul's BindingRuleSet checks for a jwt method).
    acl::jwt_method_config config;
    const json::object none;
    if (auto why = acl::parse_jwt_method_config(method->config.is_object() ? method->config.as_object() : none, config))
      rpc_error("Invalid Auth Method: " + *why);
    acl_binding_rule rule{r.id, r.description, r.auth_method, r.selector, r.bind_type, r.bind_name};
    if (auto why = validate_binding_rule(config, rule)) rpc_error(*why);
  } else {
    if (r.bind_type.empty()) rpc_error("Invalid Binding Rule: no BindType is set");
    if (r.bind_name.empty()) rpc_error("Invalid Binding Rule: no BindName is set");
    if (r.bind_type != "service" && r.bind_type != "node" && r.bind_type != "role")
      rpc_error("Invalid Binding Rule: unknown BindType \"" + r.bind_type + "\"");
    if (!valid_bind_name(r.bind_type, r.bind_name)) rpc_error("Invalid Binding Rule: invalid BindName");
  }
  std::string id = r.id;
  {
    acl_write w(c);
    w.tables().put_binding_rule(w.txn(), std::move(r));
  }
  return json_response(render_acl_binding_rule(*tables.binding_rule(id)));
}

http_response create_rule(endpoint_context& c, http_request& req) {
  require_acls_enabled(c);
  std::string no_id;
  return upsert_rule(c, decode_rule(req, no_id));
}

asio::awaitable<http_response> rule_crud(endpoint_context& c, http_request& req) {
  require_acls_enabled(c);
  std::string id = path_suffix(req, "/v1/acl/binding-rule/");
  if (id.empty() && req.method != "PUT") throw_bad_request("Missing binding rule ID");
  if (req.method == "GET") {
    require_acl(c, acl_access::read);
    std::function<query_answer()> run = [&] {
      const auto* r = c.acl.tables.binding_rule(id);
      http_response resp = r ? json_response(render_acl_binding_rule(*r)) : empty_response(404);
      return query_answer{c.state.table_index(tbl_acl_binding_rules), std::move(resp)};
    };
    co_return co_await blocking_query(c.hub, req, tbl_acl_binding_rules, run);
  }
  if (req.method == "DELETE") {
    require_acl(c, acl_access::write);
    if (c.acl.tables.binding_rule(id)) {
      acl_write w(c);
      w.tables().delete_binding_rule(w.txn(), id);
    }
    co_return json_response(json::value(true));
  }
  co_return upsert_rule(c, decode_rule(req, id));
}

asio::awaitable<http_response> rule_list(endpoint_context& c, http_request& req) {
  require_acl(c, acl_access::read);
  std::string method = req.query.get("authmethod").value_or("");
  std::function<query_answer()> run = [&] {
    json::array out;
    for (const auto* r : c.acl.tables.binding_rules())
      if (method.empty() || r->auth_method == method) out.emplace_back(render_acl_binding_rule(*r));
    return query_answer{c.state.table_index(tbl_acl_binding_rules), json_response(out)};
  };
  co_return co_await blocking_query(c.hub, req, tbl_acl_binding_rules, run);
}

}  // namespace

void add_acl_auth_method_routes(route_table& r) {
  r.add("/v1/acl/auth-method", {"PUT"}, &immediate<create_method>);
  r.add("/v1/acl/auth-method/", {"GET", "PUT", "DELETE"}, &method_crud);
  r.add("/v1/acl/auth-methods", {"GET"}, &method_list);
  r.add("/v1/acl/binding-rule", {"PUT"}, &immediate<create_rule>);
  r.add("/v1/acl/binding-rule/", {"GET", "PUT", "DELETE"}, &rule_crud);
  r.add("/v1/acl/binding-rules", {"GET"}, &rule_list);
}

}  // namespace coconsul::dev
