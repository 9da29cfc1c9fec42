// /v1/health/*: service instances with their checks (and the Connect-capable ones,
// /v1/health/connect), checks by service, node and state. ACLs
// filter as Consul's Health endpoint does, after ?filter: an instance needs node:read on its node
// and service:read on its service (its checks come with it), a check node:read on its node and,
// for a service check, service:read on the service.

#include "dev_agent/endpoints/blocking.hpp"
#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/endpoints/filter.hpp"
#include "dev_agent/endpoints/render.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/request_values.hpp"
#include "dev_agent/http/responders.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace coconsul::dev {
namespace asio = boost::asio;
namespace json = boost::json;

bool node_meta_matches(const http_request& req, const node_record* n);  // endpoints_catalog.cpp
bool has_tags(const http_request& req, const std::vector<std::string>& tags);
std::vector<const service_record*> connect_instances(const state_store& state, const config_entry_state& entries,
                                                     const std::string& name);
std::uint64_t connect_index(const state_store& state, const config_entry_state& entries, unsigned tables);

namespace {

// Whether the caller may see a check; counts what it may not.
bool check_readable(const endpoint_context& c, const check_record& chk) {
  const request_acl& caller = c.caller();
  return caller.visible(caller.authz().node_read(chk.node)) &&
         (chk.service_name.empty() || caller.visible(caller.authz().service_read(chk.service_name)));
}

// The checks that pass ?filter and the caller may see.
json::array render_checks(const endpoint_context& c, const std::vector<const check_record*>& checks,
                          const std::optional<filter>& f) {
  json::array out;
  for (const auto* chk : checks) {
    auto r = render_check(*chk);
    if (f && !f->matches(r)) continue;
    if (!check_readable(c, *chk)) continue;
    out.emplace_back(std::move(r));
  }
  return out;
}

// An instance's checks, whole: Consul filters instances, not the checks inside them.
json::array render_instance_checks(const std::vector<const check_record*>& checks) {
  json::array out;
  for (const auto* chk : checks) out.emplace_back(render_check(*chk));
  return out;
}

// /v1/health/service/:name, and with `connect` /v1/health/connect/:name: the same read of
// another selection (catalog.cpp's connect_instances: proxies, native instances, terminating
// gateways), service:read on the service first.
asio::awaitable<http_response> service_health(endpoint_context& c, http_request& req, bool connect) {
  std::string name = path_suffix(req, connect ? "/v1/health/connect/" : "/v1/health/service/");
  if (name.empty()) throw_bad_request("Missing service name");
  bool passing_only = false;
  if (auto p = req.query.get("passing")) {
    if (p->empty()) {
      passing_only = true;
    } else {
      auto v = parse_go_bool(*p);
      if (!v) throw_bad_request("Invalid value for ?passing");
      passing_only = *v;
    }
  }
  auto f = compile_filter(req, filter_target::service_entry);
  const request_acl& caller = c.caller();
  const acl::authorizer& authz = caller.authz();  // an unknown token is a 403 before any wait
  // A connect read also follows the terminating-gateway entries that link the service.
  const unsigned tables = tbl_nodes | tbl_services | tbl_checks | (connect ? tbl_config_entries : 0u);
  std::function<query_answer()> run = [&] {
    json::array out;
    if (connect && !authz.service_read(name))
      return query_answer{connect_index(c.state, c.config_entries, tables), json_response(out)};
    auto selected = connect ? connect_instances(c.state, c.config_entries, name) : c.state.service_instances(name);
    for (const auto* s : selected) {
      const auto* n = c.state.node(s->node);
      if (!has_tags(req, s->tags) || !node_meta_matches(req, n)) continue;
      auto checks = c.state.instance_checks(*s);
      bool all_passing = std::all_of(checks.begin(), checks.end(), [](auto* chk) { return chk->status == "passing"; });
      if (passing_only && !all_passing) continue;
      json::object entry;
      entry["Node"] = n ? json::value(render_node(*n)) : json::value(nullptr);
      entry["Service"] = render_node_service(*s);
      entry["Checks"] = render_instance_checks(checks);
      if (f && !f->matches(entry)) continue;
      if (!caller.visible(authz.node_read(s->node)) || !caller.visible(authz.service_read(s->name))) continue;
      out.emplace_back(std::move(entry));
    }
    std::uint64_t index =
        connect ? connect_index(c.state, c.config_entries, tables) : c.state.service_index(name, true);
    return query_answer{index, json_response(out)};
  };
  co_return co_await blocking_query(c.hub, req, tables, run);
}

asio::awaitable<http_response> service_health_of(endpoint_context& c, http_request& req) {
  return service_health(c, req, false);
}

asio::awaitable<http_response> connect_health(endpoint_context& c, http_request& req) {
  return service_health(c, req, true);
}

asio::awaitable<http_response> service_checks(endpoint_context& c, http_request& req) {
  std::string name = path_suffix(req, "/v1/health/checks/");
  if (name.empty()) throw_bad_request("Missing service name");
  auto f = compile_filter(req, filter_target::health_check);
  c.caller().authz();  // an unknown token is a 403 before any wait
  std::function<query_answer()> run = [&] {
    std::vector<const check_record*> checks;
    for (const auto* chk : c.state.checks_of_service_name(name))
      if (node_meta_matches(req, c.state.node(chk->node))) checks.push_back(chk);
    return query_answer{c.state.table_index(tbl_checks), json_response(render_checks(c, checks, f))};
  };
  co_return co_await blocking_query(c.hub, req, tbl_checks | tbl_nodes, run);
}

asio::awaitable<http_response> node_health(endpoint_context& c, http_request& req) {
  std::string node = path_suffix(req, "/v1/health/node/");
  if (node.empty()) throw_bad_request("Missing node name");
  auto f = compile_filter(req, filter_target::health_check);
  c.caller().authz();  // an unknown token is a 403 before any wait
  std::function<query_answer()> run = [&] {
    return query_answer{c.state.table_index(tbl_checks), json_response(render_checks(c, c.state.node_checks(node), f))};
  };
  co_return co_await blocking_query(c.hub, req, tbl_checks, run);
}

asio::awaitable<http_response> state_checks(endpoint_context& c, http_request& req) {
  std::string state = path_suffix(req, "/v1/health/state/");
  if (state.empty()) throw_bad_request("Missing check state");
  if (state != "any" && state != "passing" && state != "warning" && state != "critical")
    throw_bad_request("Invalid check state: \"" + state + "\"");
  auto f = compile_filter(req, filter_target::health_check);
  c.caller().authz();  // an unknown token is a 403 before any wait
  std::function<query_answer()> run = [&] {
    std::vector<const check_record*> checks;
    for (const auto* chk : state == "any" ? c.state.all_checks() : c.state.checks_in_state(state))
      if (node_meta_matches(req, c.state.node(chk->node))) checks.push_back(chk);
    return query_answer{c.state.table_index(tbl_checks), json_response(render_checks(c, checks, f))};
  };
  co_return co_await blocking_query(c.hub, req, tbl_checks, run);
}

}  // namespace

void add_health_routes(route_table& r) {
  r.add("/v1/health/service/", {"GET"}, &service_health_of);
  r.add("/v1/health/connect/", {"GET"}, &connect_health);
  r.add("/v1/health/checks/", {"GET"}, &service_checks);
  r.add("/v1/health/node/", {"GET"}, &node_health);
  r.add("/v1/health/state/", {"GET"}, &state_checks);
}

}  // namespace coconsul::dev
