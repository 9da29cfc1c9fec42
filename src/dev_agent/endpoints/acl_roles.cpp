// /v1/acl/role, /v1/acl/role/:id, /v1/acl/role/name/:name and /v1/acl/roles?policy=
// (Consul's agent/acl_endpoint.go and ACL.Role* in agent/consul/acl_endpoint.go).

#include "dev_agent/common/uuid.hpp"
#include "dev_agent/endpoints/acl_common.hpp"
#include "dev_agent/endpoints/acl_render.hpp"
#include "dev_agent/endpoints/blocking.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/request_values.hpp"
#include "dev_agent/http/responders.hpp"

#include <boost/json/array.hpp>

#include <algorithm>

namespace coconsul::dev {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

[[noreturn]] void rpc_error(std::string text) { throw http_error{500, std::move(text)}; }

acl_role_record decode_role(const http_request& req, const std::string& url_id) {
  acl_role_record r = decode_acl_role(req.body);
  if (!r.id.empty() && r.id != url_id) throw_bad_request("Role ID in URL and payload do not match");
  r.id = url_id;
  return r;
}

// ACL.RoleSet: Consul's checks in Consul's order, then the write.
http_response upsert(endpoint_context& c, acl_role_record r) {
  require_acl(c, acl_access::write);
  auto& tables = c.acl.tables;
  if (r.name.empty()) rpc_error("Invalid Role: no Name is set");
  if (!valid_role_name(r.name)) rpc_error("Invalid Role: invalid Name. Only alphanumeric characters, '-' and '_' are allowed");
  check_description(r.description);
  if (r.id.empty()) {
    if (tables.role_by_name(r.name)) rpc_error("Invalid Role: A Role with Name \"" + r.name + "\" already exists");
    check_count(tables.role_count(), max_acl_roles, "roles");
    r.id = generate_uuid();
  } else {
    if (!is_uuid(r.id)) rpc_error("Role ID invalid UUID");
    const auto* stored = tables.role_by_id(r.id);
    if (!stored) rpc_error("cannot find role " + r.id);
    if (stored->name != r.name && tables.role_by_name(r.name))
      rpc_error("Invalid Role: A role with name \"" + r.name + "\" already exists");
  }
  r.policies = resolve_policy_links(tables, r.policies);
  r.service_identities = check_service_identities(std::move(r.service_identities), "role", false);
  r.node_identities = check_node_identities(std::move(r.node_identities), "role");
  std::string id = r.id;
  {
    acl_write w(c);
    w.tables().put_role(w.txn(), std::move(r));
  }
  return json_response(render_acl_role(tables, *tables.role_by_id(id)));
}

http_response create(endpoint_context& c, http_request& req) {
  require_acls_enabled(c);
  return upsert(c, decode_role(req, ""));
}

// A role that does not exist is a bare 404 (Consul writes the status and no body).
asio::awaitable<http_response> read(endpoint_context& c, http_request& req, std::string id, std::string name) {
  require_acl(c, acl_access::read);
  std::function<query_answer()> run = [&] {
    const auto* r = id.empty() ? c.acl.tables.role_by_name(name) : c.acl.tables.role_by_id(id);
    http_response resp = r ? json_response(render_acl_role(c.acl.tables, *r)) : empty_response(404);
    return query_answer{c.state.table_index(tbl_acl_roles), std::move(resp)};
  };
  co_return co_await blocking_query(c.hub, req, tbl_acl_roles, run);
}

asio::awaitable<http_response> crud(endpoint_context& c, http_request& req) {
  require_acls_enabled(c);
  std::string id = path_suffix(req, "/v1/acl/role/");
  if (id.empty() && req.method != "PUT") throw_bad_request("Missing role ID");
  if (req.method == "GET") {
    std::string no_name;  // a named local: gcc 12 and temporaries inside co_await (BUILD-NOTES)
    co_return co_await read(c, req, id, no_name);
  }
  if (req.method == "DELETE") {
    require_acl(c, acl_access::write);
    if (c.acl.tables.role_by_id(id)) {
      acl_write w(c);
      w.tables().delete_role(w.txn(), id);
    }
    co_return json_response(json::value(true));
  }
  co_return upsert(c, decode_role(req, id));
}

asio::awaitable<http_response> by_name(endpoint_context& c, http_request& req) {
  require_acls_enabled(c);
  std::string name = path_suffix(req, "/v1/acl/role/name/");
  if (name.empty()) throw_bad_request("Missing role Name");
  std::string no_id;
  co_return co_await read(c, req, no_id, name);
}

asio::awaitable<http_response> list(endpoint_context& c, http_request& req) {
  require_acl(c, acl_access::read);
  std::string policy = req.query.get("policy").value_or("");
  std::function<query_answer()> run = [&] {
    json::array out;
    for (const auto* r : c.acl.tables.roles()) {
      bool linked = std::any_of(r->policies.begin(), r->policies.end(), [&](const acl_link& l) { return l.id == policy; });
      if (policy.empty() || linked) out.emplace_back(render_acl_role(c.acl.tables, *r));
    }
    return query_answer{c.state.table_index(tbl_acl_roles), json_response(out)};
  };
  co_return co_await blocking_query(c.hub, req, tbl_acl_roles, run);
}

}  // namespace

void add_acl_role_routes(route_table& r) {
  r.add("/v1/acl/role", {"PUT"}, &immediate<create>);
  r.add("/v1/acl/role/", {"GET", "PUT", "DELETE"}, &crud);
  r.add("/v1/acl/role/name/", {"GET"}, &by_name);
  r.add("/v1/acl/roles", {"GET"}, &list);
}

}  // namespace coconsul::dev
