// /v1/acl/policy, /v1/acl/policy/:id, /v1/acl/policy/name/:name and /v1/acl/policies
// (Consul's agent/acl_endpoint.go and ACL.Policy* in agent/consul/acl_endpoint.go).

#include "dev_agent/common/uuid.hpp"
#include "dev_agent/endpoints/acl_common.hpp"
#include "dev_agent/endpoints/acl_render.hpp"
#include "dev_agent/endpoints/blocking.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/request_values.hpp"
#include "dev_agent/http/responders.hpp"

#include <boost/json/array.hpp>

namespace coconsul::dev {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

[[noreturn]] void rpc_error(std::string text) { throw http_error{500, std::move(text)}; }

// ACL.PolicySet: Consul's checks in Consul's order, then the write.
http_response upsert(endpoint_context& c, acl_policy_record p) {
  require_acl(c, acl_access::write);
  auto& tables = c.acl.tables;
  if (p.name.empty()) rpc_error("Invalid Policy: no Name is set");
  if (!valid_policy_name(p.name))
    rpc_error("Invalid Policy: invalid Name. Only alphanumeric characters, '-' and '_' are allowed");
  check_description(p.description);
  const acl_policy_record* by_id = nullptr;
  if (!p.id.empty()) {
    if (!is_uuid(p.id)) rpc_error("Policy ID invalid UUID");
    by_id = tables.policy_by_id(p.id);
  }
  const acl_policy_record* by_name = tables.policy_by_name(p.name);
  if (p.id.empty()) {
    if (by_name) rpc_error("Invalid Policy: A Policy with Name \"" + p.name + "\" already exists");
    check_count(tables.policy_count(), max_acl_policies, "policies");
    p.id = generate_uuid();
  } else {
    if (!by_id) rpc_error("cannot find policy " + p.id);
    if (by_id->name != p.name && by_name)
      rpc_error("Invalid Policy: A policy with name \"" + p.name + "\" already exists");
    if (p.id == acl_global_management_id) {
      if (p.datacenters) rpc_error("Changing the Datacenters of the builtin global-management policy is not permitted");
      if (p.rules != by_id->rules) rpc_error("Changing the Rules for the builtin global-management policy is not permitted");
    }
  }
  if (auto why = check_policy_rules(p.rules)) rpc_error(*why);
  std::string id = p.id;
  {
    acl_write w(c);
    w.tables().put_policy(w.txn(), std::move(p));
  }
  return json_response(render_acl_policy(*tables.policy_by_id(id)));
}

http_response create(endpoint_context& c, http_request& req) {
  require_acls_enabled(c);
  acl_policy_record p = decode_acl_policy(req.body);
  if (!p.id.empty()) throw_bad_request("Cannot specify the ID when creating a new policy");
  return upsert(c, std::move(p));
}

asio::awaitable<http_response> read(endpoint_context& c, http_request& req, std::string id, std::string name) {
  require_acl(c, acl_access::read);
  std::function<query_answer()> run = [&] {
    const auto* p = id.empty() ? c.acl.tables.policy_by_name(name) : c.acl.tables.policy_by_id(id);
    http_response r = p ? json_response(render_acl_policy(*p)) : text_response(403, "ACL not found");
    return query_answer{c.state.table_index(tbl_acl_policies), std::move(r)};
  };
  co_return co_await blocking_query(c.hub, req, tbl_acl_policies, run);
}

http_response remove(endpoint_context& c, const std::string& id) {
  require_acl(c, acl_access::write);
  const auto* p = c.acl.tables.policy_by_id(id);
  if (p) {
    if (p->id == acl_global_management_id)
      rpc_error("Delete operation not permitted on the builtin global-management policy");
    acl_write w(c);
    w.tables().delete_policy(w.txn(), id);
  }
  return json_response(json::value(true));
}

asio::awaitable<http_response> crud(endpoint_context& c, http_request& req) {
  require_acls_enabled(c);
  std::string id = path_suffix(req, "/v1/acl/policy/");
  if (id.empty() && req.method != "PUT") throw_bad_request("Missing policy ID");
  std::string no_name;  // a named local: gcc 12 and temporaries inside co_await (BUILD-NOTES)
  if (req.method == "GET") co_return co_await read(c, req, id, no_name);
  if (req.method == "DELETE") co_return remove(c, id);
  acl_policy_record p = decode_acl_policy(req.body);
  if (!p.id.empty() && p.id != id) throw_bad_request("Policy ID in URL and payload do not match");
  p.id = id;
  co_return upsert(c, std::move(p));
}

asio::awaitable<http_response> by_name(endpoint_context& c, http_request& req) {
  require_acls_enabled(c);
  std::string name = path_suffix(req, "/v1/acl/policy/name/");
  if (name.empty()) throw_bad_request("Missing policy Name");
  std::string no_id;
  co_return co_await read(c, req, no_id, name);
}

asio::awaitable<http_response> list(endpoint_context& c, http_request& req) {
  require_acl(c, acl_access::read);
  std::function<query_answer()> run = [&] {
    json::array out;
    for (const auto* p : c.acl.tables.policies()) out.emplace_back(render_acl_policy_stub(*p));
    return query_answer{c.state.table_index(tbl_acl_policies), json_response(out)};
  };
  co_return co_await blocking_query(c.hub, req, tbl_acl_policies, run);
}

}  // namespace

void add_acl_policy_routes(route_table& r) {
  r.add("/v1/acl/policy", {"PUT"}, &immediate<create>);
  r.add("/v1/acl/policy/", {"GET", "PUT", "DELETE"}, &crud);
  r.add("/v1/acl/policy/name/", {"GET"}, &by_name);
  r.add("/v1/acl/policies", {"GET"}, &list);
}

}  // namespace coconsul::dev
