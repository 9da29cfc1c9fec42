// /v1/catalog/gateway-services/:gateway (Catalog.GatewayServices: the services an ingress or
// terminating gateway's config entry links to) and /v1/health/ingress/:service (Health.ServiceNodes
// with Ingress: the health entries of the ingress gateways exposing the service). Both block on
// the config entries and the catalog. The mapping itself is config_entries/gateway_services.

#include "dev_agent/config_entries/gateway_services.hpp"
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
namespace ce = config_entries;

namespace {

json::object service_name(const std::string& name) {
  json::object o;
  o["Name"] = name;
  return o;
}

// structs.GatewayService as Go writes it (omitempty on everything after GatewayKind).
json::object render_gateway_service(const ce::gateway_service& g) {
  json::object o;
  o["Gateway"] = service_name(g.gateway);
  o["Service"] = service_name(g.service);
  o["GatewayKind"] = g.gateway_kind;
  if (g.port) o["Port"] = g.port;
  if (!g.protocol.empty()) o["Protocol"] = g.protocol;
  if (!g.hosts.empty()) o["Hosts"] = render_strings(g.hosts);
  if (!g.ca_file.empty()) o["CAFile"] = g.ca_file;
  if (!g.cert_file.empty()) o["CertFile"] = g.cert_file;
  if (!g.key_file.empty()) o["KeyFile"] = g.key_file;
  if (!g.sni.empty()) o["SNI"] = g.sni;
  if (g.from_wildcard) o["FromWildcard"] = true;
  o["CreateIndex"] = g.create_index;
  o["ModifyIndex"] = g.modify_index;
  return o;
}

std::uint64_t mapping_index(const endpoint_context& c) {
  return std::max(c.config_entries.table_index(), c.state.table_index(tbl_services));
}

// Catalog.GatewayServices: service:read on the gateway, else 403; then each mapping filtered
// by service:read on its service (aclfilter's filterGatewayServices).
asio::awaitable<http_response> gateway_services(endpoint_context& c, http_request& req) {
  std::string gateway = path_suffix(req, "/v1/catalog/gateway-services/");
  if (gateway.empty()) throw_bad_request("Missing gateway name");
  const request_acl& caller = c.caller();
  const acl::authorizer& authz = caller.authz();
  caller.require(authz.service_read(gateway));
  std::function<query_answer()> run = [&c, &caller, &authz, gateway] {
    json::array out;
    for (const auto& g : ce::services_of_gateway(c.config_entries, c.state, gateway)) {
      if (!caller.visible(authz.service_read(g.service))) continue;
      out.push_back(render_gateway_service(g));
    }
    return query_answer{mapping_index(c), json_response(out)};
  };
  co_return co_await blocking_query(c.hub, req, tbl_config_entries | tbl_services, run);
}

// Health.ServiceNodes with Ingress: without service:read on the service the answer is empty
// (not a 403); the gateways' entries are filtered as any health entries are.
asio::awaitable<http_response> ingress_health(endpoint_context& c, http_request& req) {
  std::string name = path_suffix(req, "/v1/health/ingress/");
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
  const acl::authorizer& authz = caller.authz();
  std::function<query_answer()> run = [&c, &caller, &authz, &f, name, passing_only] {
    json::array out;
    std::uint64_t index = mapping_index(c);
    if (!authz.service_read(name)) return query_answer{index, json_response(out)};
    for (const auto& gw : ce::gateways_of_service(c.config_entries, c.state, name, "ingress-gateway")) {
      index = std::max(index, c.state.service_index(gw, true));
      for (const auto* s : c.state.service_instances(gw)) {
        if (s->kind != "ingress-gateway") continue;
        const auto* n = c.state.node(s->node);
        auto checks = c.state.instance_checks(*s);
        bool all_passing =
            std::all_of(checks.begin(), checks.end(), [](auto* chk) { return chk->status == "passing"; });
        if (passing_only && !all_passing) continue;
        json::object entry;
        entry["Node"] = n ? json::value(render_node(*n)) : json::value(nullptr);
        entry["Service"] = render_node_service(*s);
        json::array rendered_checks;
        for (const auto* chk : checks) rendered_checks.emplace_back(render_check(*chk));
        entry["Checks"] = std::move(rendered_checks);
        if (f && !f->matches(entry)) continue;
        if (!caller.visible(authz.node_read(s->node)) || !caller.visible(authz.service_read(s->name))) continue;
        out.emplace_back(std::move(entry));
      }
    }
    return query_answer{index, json_response(out)};
  };
  co_return co_await blocking_query(c.hub, req, tbl_config_entries | tbl_nodes | tbl_services | tbl_checks, run);
}

}  // namespace

void add_gateway_service_routes(route_table& r) {
  r.add("/v1/catalog/gateway-services/", {"GET"}, &gateway_services);
  r.add("/v1/health/ingress/", {"GET"}, &ingress_health);
}

}  // namespace coconsul::dev
