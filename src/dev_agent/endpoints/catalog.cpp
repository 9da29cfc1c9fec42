// /v1/catalog/*: datacenters, nodes, services, one service's instances (and its Connect-capable
// ones, /v1/catalog/connect), one node, register, deregister. ACLs filter reads as Consul's Catalog endpoint does, after ?filter: nodes by
// node:read, service names by service:read, instances by both; one node is null without
// node:read, and its services need service:read. Writes are vetted as Consul's
// vetRegisterWithACL and vetDeregisterWithACL (below).

#include "dev_agent/config/config_error.hpp"
#include "dev_agent/config_entries/gateway_services.hpp"
#include "dev_agent/endpoints/blocking.hpp"
#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/endpoints/decode.hpp"
#include "dev_agent/endpoints/filter.hpp"
#include "dev_agent/endpoints/render.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/request_values.hpp"
#include "dev_agent/http/responders.hpp"
#include "dev_agent/local/proxy_rules.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <set>

namespace coconsul::dev {
namespace asio = boost::asio;
namespace json = boost::json;

// ?node-meta=key:value (repeatable): every pair must match.
bool node_meta_matches(const http_request& req, const node_record* n) {
  for (const auto& pair : req.query.all("node-meta")) {
    auto colon = pair.find(':');
    std::string key = pair.substr(0, colon);
    std::string value = colon == std::string::npos ? "" : pair.substr(colon + 1);
    if (!n) return false;
    auto it = n->meta.find(key);
    if (it == n->meta.end() || it->second != value) return false;
  }
  return true;
}

// ?tag=a&tag=b: the service must carry all of them.
bool has_tags(const http_request& req, const std::vector<std::string>& tags) {
  for (const auto& t : req.query.all("tag"))
    if (std::find(tags.begin(), tags.end(), t) == tags.end()) return false;
  return true;
}

// /v1/catalog|health/connect/:service's selection (Consul's connect index): the proxies whose
// destination is the service and its Connect-native instances, then (connectServiceNodes'
// serviceGatewayNodes) every instance of each terminating gateway a config entry links it to.
std::vector<const service_record*> connect_instances(const state_store& state, const config_entry_state& entries,
                                                     const std::string& name) {
  std::vector<const service_record*> out;
  for (const auto* s : state.all_services()) {
    bool proxy = s->kind == "connect-proxy" && s->proxy.destination_service_name == name;
    if (proxy || (s->connect_native && s->name == name)) out.push_back(s);
  }
  for (const auto& gateway : config_entries::gateways_of_service(entries, state, name, "terminating-gateway"))
    for (const auto* s : state.service_instances(gateway)) out.push_back(s);
  return out;
}

// The index of a connect read. Consul reports the destination service's own index, which does
// not move when only a proxy changes (its state store's TODO says so), so a blocking read there
// waits out its timeout; this agent reports the index of the tables read, which moves with every
// change that can alter the answer (the config entries' own index too: they link gateways).
std::uint64_t connect_index(const state_store& state, const config_entry_state& entries, unsigned tables) {
  return std::max(state.table_index(tables), entries.table_index());
}

namespace {

http_response datacenters(endpoint_context& c, http_request&) {
  json::array a;
  a.emplace_back(c.options.datacenter);
  return json_response(a);
}

asio::awaitable<http_response> nodes(endpoint_context& c, http_request& req) {
  auto f = compile_filter(req, filter_target::node);
  const request_acl& caller = c.caller();
  const acl::authorizer& authz = caller.authz();  // an unknown token is a 403 before any wait
  std::function<query_answer()> run = [&] {
    json::array out;
    for (const auto* n : c.state.nodes()) {
      if (!node_meta_matches(req, n)) continue;
      auto r = render_node(*n);
      if (f && !f->matches(r)) continue;
      if (!caller.visible(authz.node_read(n->name))) continue;
      out.emplace_back(std::move(r));
    }
    return query_answer{c.state.table_index(tbl_nodes), json_response(out)};
  };
  co_return co_await blocking_query(c.hub, req, tbl_nodes, run);
}

asio::awaitable<http_response> services(endpoint_context& c, http_request& req) {
  auto f = compile_filter(req, filter_target::catalog_service_node);
  const request_acl& caller = c.caller();
  const acl::authorizer& authz = caller.authz();
  std::function<query_answer()> run = [&] {
    std::map<std::string, std::set<std::string>> tags;
    std::set<std::string> hidden;  // each name decided (and counted) once
    for (const auto* s : c.state.all_services()) {
      if (!node_meta_matches(req, c.state.node(s->node))) continue;
      if (f && !f->matches(render_service_node(c.state.node(s->node), *s))) continue;
      if (hidden.count(s->name) || (!tags.count(s->name) && !caller.visible(authz.service_read(s->name)))) {
        hidden.insert(s->name);
        continue;
      }
      auto& set = tags[s->name];
      set.insert(s->tags.begin(), s->tags.end());
    }
    json::object out;
    for (const auto& [name, t] : tags) out[name] = render_strings({t.begin(), t.end()});
    return query_answer{c.state.table_index(tbl_services), json_response(out)};
  };
  co_return co_await blocking_query(c.hub, req, tbl_services | tbl_nodes, run);
}

// /v1/catalog/service/:name, and with `connect` /v1/catalog/connect/:name: the same read of
// another selection. A connect read needs service:read on the service itself (without it the
// answer is empty, as Consul's), then each instance is filtered as always.
asio::awaitable<http_response> service_nodes(endpoint_context& c, http_request& req, bool connect) {
  std::string name = path_suffix(req, connect ? "/v1/catalog/connect/" : "/v1/catalog/service/");
  if (name.empty()) throw_bad_request("Missing service name");
  auto f = compile_filter(req, filter_target::catalog_service_node);
  const request_acl& caller = c.caller();
  const acl::authorizer& authz = caller.authz();
  // A connect read also follows the terminating-gateway entries that link the service.
  const unsigned tables = tbl_services | tbl_nodes | (connect ? tbl_config_entries : 0u);
  std::function<query_answer()> run = [&] {
    json::array out;
    if (connect && !authz.service_read(name))
      return query_answer{connect_index(c.state, c.config_entries, tables), json_response(out)};
    auto selected = connect ? connect_instances(c.state, c.config_entries, name) : c.state.service_instances(name);
    for (const auto* s : selected) {
      const auto* n = c.state.node(s->node);
      if (!has_tags(req, s->tags) || !node_meta_matches(req, n)) continue;
      auto r = render_service_node(n, *s);
      if (f && !f->matches(r)) continue;
      if (!caller.visible(authz.node_read(s->node)) || !caller.visible(authz.service_read(s->name))) continue;
      out.emplace_back(std::move(r));
    }
    std::uint64_t index =
        connect ? connect_index(c.state, c.config_entries, tables) : c.state.service_index(name, false);
    return query_answer{index, json_response(out)};
  };
  co_return co_await blocking_query(c.hub, req, tables, run);
}

asio::awaitable<http_response> service_nodes_of(endpoint_context& c, http_request& req) {
  return service_nodes(c, req, false);
}

asio::awaitable<http_response> connect_nodes(endpoint_context& c, http_request& req) {
  return service_nodes(c, req, true);
}

asio::awaitable<http_response> node_services(endpoint_context& c, http_request& req) {
  std::string name = path_suffix(req, "/v1/catalog/node/");
  if (name.empty()) throw_bad_request("Missing node name");
  auto f = compile_filter(req, filter_target::other);
  const request_acl& caller = c.caller();
  const acl::authorizer& authz = caller.authz();
  std::function<query_answer()> run = [&] {
    const auto* n = c.state.node(name);
    std::uint64_t idx = c.state.table_index(tbl_nodes | tbl_services);
    if (!n || !caller.visible(authz.node_read(name))) return query_answer{idx, json_response(nullptr)};
    json::object services;
    for (const auto* s : c.state.node_services(name)) {
      auto r = render_node_service(*s);
      if (f && !f->matches(r)) continue;
      if (!caller.visible(authz.service_read(s->name))) continue;
      services[s->id] = std::move(r);
    }
    json::object out;
    out["Node"] = render_node(*n);
    out["Services"] = std::move(services);
    return query_answer{idx, json_response(out)};
  };
  co_return co_await blocking_query(c.hub, req, tbl_nodes | tbl_services, run);
}

// Consul's structs.RegisterRequest.ChangesNode: the request would write the node anew.
bool changes_node(const catalog_register& r, const node_record* existing) {
  if (!existing) return true;
  if (r.skip_node_update) return false;
  return (!r.node.id.empty() && r.node.id != existing->id) || r.node.address != existing->address ||
         r.node.tagged_addresses != existing->tagged_addresses || r.node.meta != existing->meta;
}

// vetRegisterWithACL: node:write when the node is new or changes; service:write on the service
// and on the service its ID replaces (a bare "Permission denied", as Consul); node:write for node
// checks, service:write on the service of a check for another service.
void vet_register(const endpoint_context& c, const catalog_register& r) {
  const request_acl& caller = c.caller();
  const acl::authorizer& authz = caller.authz();
  if (changes_node(r, c.state.node(r.node.name))) caller.require(authz.node_write(r.node.name));
  if (r.service) {
    caller.require(authz.service_write(r.service->name));
    // A proxy also needs service:write on its destination (servicePreApply).
    if (r.service->kind == "connect-proxy")
      caller.require(authz.service_write(r.service->proxy.destination_service_name));
    if (const service_record* old = c.state.service(r.node.name, r.service->id); old && old->name != r.service->name)
      if (!authz.service_write(old->name)) throw http_error{403, "Permission denied"};
  }
  for (const auto& chk : r.checks) {
    if (chk.service_id.empty()) {
      caller.require(authz.node_write(r.node.name));
    } else if (!(r.service && r.service->id == chk.service_id)) {
      if (const service_record* s = c.state.service(r.node.name, chk.service_id)) caller.require(authz.service_write(s->name));
    }
  }
}

// vetDeregisterWithACL: node:write on the node is enough for anything; without it a service (or
// a service check) needs service:write on its service, and the node itself or a node check fail
// with the node:write denial.
void vet_deregister(const endpoint_context& c, const catalog_deregister& d) {
  const request_acl& caller = c.caller();
  const acl::authorizer& authz = caller.authz();
  acl::verdict node_write = authz.node_write(d.node);
  if (node_write) return;
  if (!d.service_id.empty()) {
    const service_record* s = c.state.service(d.node, d.service_id);
    if (!s) throw http_error{500, "Unknown service ID '" + d.service_id + "'"};
    caller.require(authz.service_write(s->name));
  } else if (!d.check_id.empty()) {
    const check_record* chk = c.state.check(d.node, d.check_id);
    if (!chk) throw http_error{500, "Unknown check ID '" + d.check_id + "'"};
    caller.require(chk->service_name.empty() ? node_write : authz.service_write(chk->service_name));
  } else {
    caller.require(node_write);
  }
}

http_response register_entity(endpoint_context& c, http_request& req) {
  auto body = parse_body(req.body);
  catalog_register r = decode_catalog_register(body);
  if (!r.datacenter.empty() && r.datacenter != c.options.datacenter) throw http_error{500, "No path to datacenter"};
  if (r.node.name.empty()) throw http_error{500, "Must provide node"};
  if (r.node.address.empty() && !r.skip_node_update) throw http_error{500, "Must provide address"};
  if (r.service) {
    // Consul's servicePreApply: NodeService.Validate first (the Connect rules, a connect-proxy's
    // port or socket path included: no agent assigns one here), Go's multierror text as a 500.
    if (auto errors = connect_rule_errors(*r.service); !errors.empty())
      throw http_error{500, config::multierror_text(errors)};
    if (r.service->name.empty()) throw http_error{500, "Must provide service name (Service.Service) with ID \"" + r.service->id + "\""};
    if (r.service->id.empty()) r.service->id = r.service->name;
  }
  if (r.check) r.checks.push_back(*r.check);
  for (auto& chk : r.checks) {
    if (chk.node.empty()) chk.node = r.node.name;
    if (chk.node != r.node.name) throw http_error{500, "Check node doesn't match register request node"};
    if (chk.check_id.empty()) chk.check_id = chk.name;
    if (chk.status.empty()) chk.status = "critical";
    if (chk.status != "passing" && chk.status != "warning" && chk.status != "critical")
      throw http_error{500, "Invalid check status: '" + chk.status + "'"};
    if (!chk.service_id.empty() && !c.state.service(r.node.name, chk.service_id) &&
        !(r.service && r.service->id == chk.service_id))
      throw http_error{500, "Unknown service ID '" + chk.service_id + "' for check ID '" + chk.check_id + "'"};
  }
  vet_register(c, r);
  write_txn w(c.state);
  const auto* existing = c.state.node(r.node.name);
  if (!existing || !r.skip_node_update) {
    node_record n = r.node;
    n.datacenter = c.options.datacenter;
    if (existing && n.id.empty()) n.id = existing->id;
    c.state.ensure_node(w, n);
  }
  if (r.service) {
    r.service->node = r.node.name;
    c.state.ensure_service(w, *r.service);
  }
  for (auto& chk : r.checks) c.state.ensure_check(w, chk);
  return json_response(true);
}

http_response deregister_entity(endpoint_context& c, http_request& req) {
  auto body = parse_body(req.body);
  catalog_deregister d = decode_catalog_deregister(body);
  if (!d.datacenter.empty() && d.datacenter != c.options.datacenter) throw http_error{500, "No path to datacenter"};
  if (d.node.empty()) throw http_error{500, "Must provide node"};
  vet_deregister(c, d);
  // The agent's own services go through the agent, so their check runners stop too.
  if (!d.service_id.empty() && d.node == c.options.node_name && c.local.services().count(d.service_id)) {
    c.local.remove_service(d.service_id);
    return json_response(true);
  }
  if (!d.check_id.empty() && d.service_id.empty() && d.node == c.options.node_name && c.local.checks().count(d.check_id)) {
    c.local.remove_check(d.check_id);
    return json_response(true);
  }
  write_txn w(c.state);
  if (!d.service_id.empty()) {
    c.state.delete_service(w, d.node, d.service_id);
  } else if (!d.check_id.empty()) {
    c.state.delete_check(w, d.node, d.check_id);
  } else {
    c.state.delete_node(w, d.node);
  }
  return json_response(true);
}

}  // namespace

void add_catalog_routes(route_table& r) {
  r.add("/v1/catalog/datacenters", {"GET"}, &immediate<datacenters>);
  r.add("/v1/catalog/nodes", {"GET"}, &nodes);
  r.add("/v1/catalog/services", {"GET"}, &services);
  r.add("/v1/catalog/service/", {"GET"}, &service_nodes_of);
  r.add("/v1/catalog/connect/", {"GET"}, &connect_nodes);
  r.add("/v1/catalog/node/", {"GET"}, &node_services);
  r.add("/v1/catalog/register", {"PUT"}, &immediate<register_entity>);
  r.add("/v1/catalog/deregister", {"PUT"}, &immediate<deregister_entity>);
}

}  // namespace coconsul::dev
