// The web UI's routes: `/` (a redirect to /ui/, or Consul's "UI disabled" text), the compiled-in
// files under /ui/ (any other path there is the page itself, which draws the view the path
// names), and the summaries Consul's own UI reads: /v1/internal/ui/services, /nodes, /node/:name,
// filtered by the caller's ACLs as Consul's Internal endpoints filter them.

#include "dev_agent/endpoints/blocking.hpp"
#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/endpoints/render.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/request_values.hpp"
#include "dev_agent/http/responders.hpp"
#include "dev_agent/ui/assets.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace coconsul::dev {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// Go's http.Redirect: the Location, and for a GET a one-line HTML body.
http_response moved_permanently(const http_request& req, std::string location) {
  http_response resp = empty_response(301);
  if (req.method == "GET") {
    resp.set_header("Content-Type", "text/html; charset=utf-8");
    resp.body = "<a href=\"" + location + "\">Moved Permanently</a>.\n\n";
  }
  resp.set_header("Location", std::move(location));
  return resp;
}

http_response index_with_ui(endpoint_context&, http_request& req) { return moved_permanently(req, "/ui/"); }

http_response index_without_ui(endpoint_context&, http_request&) {
  return text_response(200, "Consul Agent: UI disabled. To enable, set ui_config.enabled=true in the agent "
                            "configuration and restart.");
}

// Go's ServeMux sends "/ui" to "/ui/" the same way.
http_response ui_without_slash(endpoint_context&, http_request& req) { return moved_permanently(req, "/ui/"); }

http_response serve_asset(const embedded_asset& asset) {
  http_response resp;
  resp.set_header("Content-Type", std::string(asset_content_type(asset.path)));
  // The page is tiny and changes with the binary: always revalidate, never serve a stale UI.
  resp.set_header("Cache-Control", "no-cache");
  resp.body.assign(asset.bytes);
  return resp;
}

http_response ui_file(endpoint_context&, http_request& req) {
  std::string path = path_suffix(req, "/ui/");
  if (const auto* asset = find_asset(path)) return serve_asset(*asset);
  // A missing asset is a 404 as Go's file server answers it; every other path is a view of the
  // page (/ui/dc1/services/web/instances), so a reload or a pasted link opens that view.
  if (path.rfind("assets/", 0) == 0) return text_response(404, "404 page not found\n");
  return serve_asset(*find_asset("index.html"));
}

// Consul's ServiceSummary, as its UI lists services (agent/ui_endpoint.go summarizeServices):
// per name, its nodes and tags (each once, sorted), instances, and its instances' checks counted
// once per node and check ID.
struct service_summary {
  std::string kind;  // "" for a typical service (omitted, as Go's omitempty does)
  std::string datacenter;
  std::set<std::string> nodes;
  std::set<std::string> tags;
  std::vector<std::string> external_sources;  // in first-seen order, each once
  int instances = 0;
  std::map<std::pair<std::string, std::string>, std::string> check_status;  // (node, check ID) -> status
};

json::value strings_or_null(const std::vector<std::string>& v) {
  if (v.empty()) return nullptr;  // Go's nil slice
  return render_strings(v);
}

// What the caller may see, as Consul's Internal endpoints filter their dumps: an instance needs
// node:read on its node and service:read on its service; a check node:read, and service:read
// when it belongs to a service. Each refusal is counted for the filtered header.
bool instance_readable(const endpoint_context& c, const service_record& s) {
  const request_acl& caller = c.caller();
  return caller.visible(caller.authz().node_read(s.node)) && caller.visible(caller.authz().service_read(s.name));
}
bool check_readable(const endpoint_context& c, const check_record& chk) {
  const request_acl& caller = c.caller();
  return caller.visible(caller.authz().node_read(chk.node)) &&
         (chk.service_name.empty() || caller.visible(caller.authz().service_read(chk.service_name)));
}

json::array render_summaries(const endpoint_context& c) {
  const state_store& state = c.state;
  std::map<std::string, service_summary> by_name;
  for (const auto* s : state.all_services()) {
    if (!instance_readable(c, *s)) continue;
    auto& sum = by_name[s->name];
    sum.kind = s->kind;
    const auto* n = state.node(s->node);
    sum.datacenter = n ? n->datacenter : std::string();
    sum.nodes.insert(s->node);
    sum.tags.insert(s->tags.begin(), s->tags.end());
    if (auto src = s->meta.find("external-source"); src != s->meta.end() && !src->second.empty() &&
        std::find(sum.external_sources.begin(), sum.external_sources.end(), src->second) == sum.external_sources.end())
      sum.external_sources.push_back(src->second);
    ++sum.instances;
    for (const auto* c : state.instance_checks(*s)) sum.check_status[{c->node, c->check_id}] = c->status;
  }
  json::array out;
  for (const auto& [name, sum] : by_name) {
    int passing = 0, warning = 0, critical = 0;
    for (const auto& [key, status] : sum.check_status) {
      passing += status == "passing";
      warning += status == "warning";
      critical += status == "critical";
    }
    json::object o;
    if (!sum.kind.empty()) o["Kind"] = sum.kind;
    o["Name"] = name;
    o["Datacenter"] = sum.datacenter;
    o["Tags"] = strings_or_null({sum.tags.begin(), sum.tags.end()});
    o["Nodes"] = strings_or_null({sum.nodes.begin(), sum.nodes.end()});
    o["ExternalSources"] = strings_or_null(sum.external_sources);
    o["InstanceCount"] = sum.instances;
    o["ChecksPassing"] = passing;
    o["ChecksWarning"] = warning;
    o["ChecksCritical"] = critical;
    o["GatewayConfig"] = json::object();
    o["TransparentProxy"] = false;
    o["ConnectNative"] = false;
    o["ConnectedWithProxy"] = false;
    o["ConnectedWithGateway"] = false;
    out.emplace_back(std::move(o));
  }
  return out;
}

// Consul's NodeInfo: the node with its services and every check on it.
json::object render_node_info(const endpoint_context& c, const node_record& n) {
  const state_store& state = c.state;
  json::object o;
  o["ID"] = n.id;
  o["Node"] = n.name;
  o["Address"] = n.address;
  o["TaggedAddresses"] = render_string_map(n.tagged_addresses);
  o["Meta"] = render_string_map(n.meta);
  json::array services;
  for (const auto* s : state.node_services(n.name))
    if (c.caller().visible(c.caller().authz().service_read(s->name))) services.emplace_back(render_node_service(*s));
  o["Services"] = std::move(services);
  json::array checks;
  for (const auto* chk : state.node_checks(n.name))
    if (check_readable(c, *chk)) checks.emplace_back(render_check(*chk));
  o["Checks"] = std::move(checks);
  return o;
}

constexpr unsigned catalog_tables = tbl_nodes | tbl_services | tbl_checks;

asio::awaitable<http_response> ui_services(endpoint_context& c, http_request& req) {
  c.caller().authz();  // an unknown token is a 403 before any wait
  std::function<query_answer()> run = [&] {
    return query_answer{c.state.table_index(catalog_tables), json_response(render_summaries(c))};
  };
  co_return co_await blocking_query(c.hub, req, catalog_tables, run);
}

asio::awaitable<http_response> ui_nodes(endpoint_context& c, http_request& req) {
  c.caller().authz();
  std::function<query_answer()> run = [&] {
    json::array out;
    for (const auto* n : c.state.nodes())
      if (c.caller().visible(c.caller().authz().node_read(n->name))) out.emplace_back(render_node_info(c, *n));
    return query_answer{c.state.table_index(catalog_tables), json_response(out)};
  };
  co_return co_await blocking_query(c.hub, req, catalog_tables, run);
}

asio::awaitable<http_response> ui_node(endpoint_context& c, http_request& req) {
  std::string name = path_suffix(req, "/v1/internal/ui/node/");
  if (name.empty()) throw_bad_request("Missing node name");
  c.caller().authz();
  std::function<query_answer()> run = [&] {
    const auto* n = c.state.node(name);
    // Consul answers a missing node, or one the caller may not read, with a bare 404.
    if (n && !c.caller().visible(c.caller().authz().node_read(name))) n = nullptr;
    return query_answer{c.state.table_index(catalog_tables),
                        n ? json_response(render_node_info(c, *n)) : empty_response(404)};
  };
  co_return co_await blocking_query(c.hub, req, catalog_tables, run);
}

}  // namespace

void add_ui_routes(route_table& r, bool ui_enabled) {
  // Go's mux sends every method of "/" to its index handler.
  std::vector<std::string> any_method = {"GET", "HEAD", "PUT", "POST", "DELETE", "PATCH"};
  if (ui_enabled) {
    r.add("/", any_method, &immediate<index_with_ui>);
    r.add("/ui", {"GET"}, &immediate<ui_without_slash>);
    r.add("/ui/", {"GET"}, &immediate<ui_file>);
  } else {
    r.add("/", any_method, &immediate<index_without_ui>);
  }
  r.add("/v1/internal/ui/services", {"GET"}, &ui_services);
  r.add("/v1/internal/ui/nodes", {"GET"}, &ui_nodes);
  r.add("/v1/internal/ui/node/", {"GET"}, &ui_node);
}

}  // namespace coconsul::dev
