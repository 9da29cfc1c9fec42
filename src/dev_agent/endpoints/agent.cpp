// /v1/agent/*: the local agent's services, checks, TTL updates and maintenance (self, members,
// host and metrics are in agent_self.cpp). ACLs as Consul's agent endpoints (agent/acl.go's
// vetting): lists leave out what the token may not read, a service read needs service:read, a
// service write service:write on its name (and on the name of the service it replaces; for a
// proxy, on its destination; a sidecar's registration is vetted the same way, as its own
// SidecarService.Token when it has one), a node
// check or node maintenance node:write on this agent's node.

#include "dev_agent/acl/denied.hpp"
#include "dev_agent/endpoints/definitions.hpp"
#include "dev_agent/endpoints/blocking.hpp"
#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/endpoints/decode.hpp"
#include "dev_agent/endpoints/filter.hpp"
#include "dev_agent/endpoints/render.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/request_values.hpp"
#include "dev_agent/http/responders.hpp"


#include <boost/asio/ip/address.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <functional>
#include <variant>

namespace coconsul::dev {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

std::string unknown_service(const std::string& id) {
  return "Unknown service ID \"" + id + "\". Ensure that the service ID is passed, not the service name.";
}

const std::string& node_of(const endpoint_context& c) { return c.options.node_name; }

// What writing an existing check needs: service:write on its service, or node:write on this
// agent's node for a node check (Consul's vetCheckUpdate). Nothing for a check that is not there:
// the operation's own 404 follows.
void vet_check_update(const endpoint_context& c, const std::string& check_id) {
  const check_record* chk = c.state.check(node_of(c), check_id);
  if (!chk) return;
  const acl::authorizer& authz = c.caller().authz();
  c.caller().require(chk->service_name.empty() ? authz.node_write(node_of(c)) : authz.service_write(chk->service_name));
}

// service:write on the service an ID names now, when it names one (Consul's vetServiceUpdate).
void vet_service_update(const endpoint_context& c, const std::string& service_id) {
  if (const service_record* s = c.state.service(node_of(c), service_id))
    c.caller().require(c.caller().authz().service_write(s->name));
}

// Consul's vetServiceRegisterWithAuthorizer, as `authz`, denying through `require`.
template <class Require>
void vet_service_register_as(const endpoint_context& c, const acl::authorizer& authz, Require require,
                             const service_record& s) {
  require(authz.service_write(s.name));
  if (const service_record* existing = c.state.service(node_of(c), s.id)) require(authz.service_write(existing->name));
  if (s.kind == "connect-proxy") require(authz.service_write(s.proxy.destination_service_name));
}

void vet_service_register(const endpoint_context& c, const service_record& s) {
  vet_service_register_as(c, c.caller().authz(), [&](const acl::verdict& v) { c.caller().require(v); }, s);
}

// Consul's vetServiceRegister(sidecarToken, sidecar): a SidecarService with a Token of its own is
// vetted as that token (an unknown one is Consul's 403 "ACL not found"), else as the request.
void vet_sidecar_register(const endpoint_context& c, const sidecar_registration& sc) {
  if (sc.token.empty() || !c.controls.acl_enabled) return vet_service_register(c, sc.service);
  auto resolved = c.acl.authorize(sc.token, c.controls);
  if (auto* failure = std::get_if<std::string>(&resolved)) throw http_error{403, *failure};
  const auto& token = std::get<acl::resolved_token>(resolved);
  auto require = [&token](const acl::verdict& v) {
    if (!v) throw http_error{403, acl::denial_text(token.accessor_id, v)};
  };
  vet_service_register_as(c, token.authz, require, sc.service);
}

// --- reads ---

http_response agent_services(endpoint_context& c, http_request& req) {
  auto filter = compile_filter(req, filter_target::agent_service);
  const request_acl& caller = c.caller();
  json::object out;
  for (const auto* s : c.state.node_services(node_of(c))) {
    if (!c.local.services().count(s->id)) continue;
    auto rendered = render_agent_service(*s, c.options.datacenter);
    if (filter && !filter->matches(rendered)) continue;
    if (!caller.visible(caller.authz().service_read(s->name))) continue;
    out[s->id] = std::move(rendered);
  }
  return json_response(out);
}

std::string content_hash(const json::object& service) {
  // Opaque, as Consul's: a 64-bit FNV-1a of the rendered service, in hex.
  std::string text = json::serialize(service);
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char ch : text) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

asio::awaitable<http_response> agent_service(endpoint_context& c, http_request& req) {
  std::string id = path_suffix(req, "/v1/agent/service/");
  auto render = [&]() -> std::optional<json::object> {
    const auto* s = c.state.service(node_of(c), id);
    if (!s || !c.local.services().count(id)) return std::nullopt;
    auto o = render_agent_service(*s, c.options.datacenter);
    auto hash = content_hash(o);
    // ContentHash sits after EnableTagOverride in api.AgentService, before Proxy and Connect;
    // Datacenter stays last.
    json::object ordered;
    for (auto& kv : o) {
      bool after_hash = kv.key() == "Proxy" || kv.key() == "Connect" || kv.key() == "Datacenter";
      if (after_hash && !ordered.contains("ContentHash")) ordered["ContentHash"] = hash;
      ordered[kv.key()] = kv.value();
    }
    return ordered;
  };
  c.caller().authz();  // the token first (403 "ACL not found"), then the 404, then service:read
  auto current = render();
  if (!current) throw http_error{404, "unknown service ID: " + id};
  c.caller().require(c.caller().authz().service_read(std::string((*current)["Service"].as_string())));
  // Hash-based blocking: wait while the hash the client holds is still current.
  if (auto want = req.query.get("hash"); want && !want->empty()) {
    read_options opts = parse_read_options(req);
    auto wait = opts.wait.count() > 0 ? std::min<std::chrono::nanoseconds>(opts.wait, std::chrono::minutes(10))
                                      : std::chrono::nanoseconds(std::chrono::minutes(5));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(wait);
    while (current && (*current)["ContentHash"].as_string() == *want) {
      auto woke = co_await c.hub.wait(tbl_services | tbl_checks, deadline);
      current = render();
      if (woke != watch_hub::wake::changed) break;
    }
    if (!current) throw http_error{404, "unknown service ID: " + id};
  }
  http_response resp = json_response(*current);
  resp.set_header("X-Consul-Contenthash", std::string((*current)["ContentHash"].as_string()));
  co_return resp;
}

http_response agent_checks(endpoint_context& c, http_request& req) {
  auto filter = compile_filter(req, filter_target::health_check);
  const request_acl& caller = c.caller();
  const acl::authorizer& authz = caller.authz();
  json::object out;
  for (const auto* chk : c.state.node_checks(node_of(c))) {
    bool maintenance = chk->check_id == "_node_maintenance" || chk->check_id.rfind("_service_maintenance:", 0) == 0;
    if (!c.local.checks().count(chk->check_id) && !maintenance) continue;
    auto rendered = render_check(*chk);
    if (filter && !filter->matches(rendered)) continue;
    if (!caller.visible(chk->service_name.empty() ? authz.node_read(node_of(c)) : authz.service_read(chk->service_name)))
      continue;
    out[chk->check_id] = std::move(rendered);
  }
  return json_response(out);
}

// --- service registration ---

http_response register_service(endpoint_context& c, http_request& req) {
  auto body = parse_body(req.body);
  service_registration r = prepare_service_registration(body);
  // Consul's vetServiceRegister: the new name, the name of the service this ID replaces, and a
  // proxy's destination (it is found as an instance of it); then the same for the sidecar.
  vet_service_register(c, r.service);
  complete_sidecar(c.local, c.state, r);
  if (r.sidecar) vet_sidecar_register(c, *r.sidecar);
  bool replace = false;
  if (auto q = req.query.get("replace-existing-checks")) replace = q->empty() || parse_go_bool(*q).value_or(false);
  dev::register_service(c.local, std::move(r), replace);
  return empty_response();
}

http_response deregister_service(endpoint_context& c, http_request& req) {
  std::string id = path_suffix(req, "/v1/agent/service/deregister/");
  if (c.local.services().count(id)) vet_service_update(c, id);
  if (!c.local.remove_service(id)) throw http_error{404, unknown_service(id)};
  return empty_response();
}

http_response service_maintenance(endpoint_context& c, http_request& req) {
  std::string id = path_suffix(req, "/v1/agent/service/maintenance/");
  if (id.empty()) throw_bad_request("Missing service ID");
  auto enable = req.query.get("enable");
  if (!enable) throw_bad_request("Missing value for enable");
  auto on = parse_go_bool(*enable);
  if (!on) throw_bad_request("Invalid value for enable: \"" + *enable + "\"");
  if (c.local.services().count(id)) vet_service_update(c, id);
  if (*on) {
    c.local.enable_service_maintenance(id, req.query.get_or("reason", ""));
  } else {
    c.local.disable_service_maintenance(id);
  }
  return empty_response();
}

http_response node_maintenance(endpoint_context& c, http_request& req) {
  auto enable = req.query.get("enable");
  if (!enable) throw_bad_request("Missing value for enable");
  auto on = parse_go_bool(*enable);
  if (!on) throw_bad_request("Invalid value for enable: \"" + *enable + "\"");
  c.caller().require(c.caller().authz().node_write(node_of(c)));
  write_txn w(c.state);
  if (!*on) {
    c.state.delete_check(w, node_of(c), "_node_maintenance");
    return empty_response();
  }
  if (c.state.check(node_of(c), "_node_maintenance")) return empty_response();
  check_record rec;
  rec.node = node_of(c);
  rec.check_id = "_node_maintenance";
  rec.name = "Node Maintenance Mode";
  std::string reason = req.query.get_or("reason", "");
  rec.notes = reason.empty()
                  ? "Maintenance mode is enabled for this node, but no reason was provided. This is a default message."
                  : reason;
  rec.status = "critical";
  rec.type = "maintenance";
  c.state.ensure_check(w, rec);
  return empty_response();
}

// --- checks ---

http_response register_check(endpoint_context& c, http_request& req) {
  auto body = parse_body(req.body);
  check_spec spec = prepare_check_registration(body);
  // Consul's vetCheckRegister: the check's service (whose absence is register_check's 404), or
  // this agent's node for a node check; and whoever owns a check this ID replaces.
  if (spec.service_id.empty()) {
    c.caller().require(c.caller().authz().node_write(node_of(c)));
  } else if (const service_record* s = c.state.service(node_of(c), spec.service_id)) {
    c.caller().require(c.caller().authz().service_write(s->name));
  }
  if (c.local.checks().count(spec.check_id)) vet_check_update(c, spec.check_id);
  dev::register_check(c.local, c.state, node_of(c), std::move(spec));
  return empty_response();
}

http_response deregister_check(endpoint_context& c, http_request& req) {
  std::string id = path_suffix(req, "/v1/agent/check/deregister/");
  if (c.local.checks().count(id)) vet_check_update(c, id);
  if (!c.local.remove_check(id))
    throw http_error{404, "Unknown check ID \"" + id + "\". Ensure that the check ID is passed, not the check name."};
  return empty_response();
}

template <const char* Prefix, const char* Status>
http_response ttl_update(endpoint_context& c, http_request& req) {
  std::string id = path_suffix(req, Prefix);
  if (c.local.checks().count(id)) vet_check_update(c, id);
  c.local.update_ttl_check(id, Status, req.query.get_or("note", ""));
  return empty_response();
}
constexpr char pass_prefix[] = "/v1/agent/check/pass/";
constexpr char warn_prefix[] = "/v1/agent/check/warn/";
constexpr char fail_prefix[] = "/v1/agent/check/fail/";
constexpr char passing[] = "passing";
constexpr char warning[] = "warning";
constexpr char critical[] = "critical";

http_response update_check(endpoint_context& c, http_request& req) {
  std::string id = path_suffix(req, "/v1/agent/check/update/");
  auto body = parse_body(req.body);
  ttl_check_update u = decode_check_update(body);
  if (u.status != "passing" && u.status != "warning" && u.status != "critical")
    throw_bad_request("Invalid check status: '" + u.status + "'");
  if (c.local.checks().count(id)) vet_check_update(c, id);
  c.local.update_ttl_check(id, u.status, u.output);
  return empty_response();
}

// --- agent-local service health ---

std::string aggregate_status(const std::vector<const check_record*>& checks) {
  bool warning = false, critical = false;
  for (const auto* chk : checks) {
    if (chk->check_id == "_node_maintenance" || chk->check_id.rfind("_service_maintenance:", 0) == 0) return "maintenance";
    if (chk->status == "critical") critical = true;
    if (chk->status == "warning") warning = true;
  }
  return critical ? "critical" : warning ? "warning" : "passing";
}

unsigned status_code(const std::string& aggregate) {
  if (aggregate == "passing") return 200;
  if (aggregate == "warning") return 429;
  return 503;
}

struct service_health {
  std::string status;
  json::object body;
};

service_health health_of(endpoint_context& c, const service_record& s) {
  std::vector<const check_record*> checks;
  for (const auto* chk : c.state.node_checks(node_of(c))) {
    bool local_node_check =
        chk->service_id.empty() && (c.local.checks().count(chk->check_id) || chk->check_id == "_node_maintenance");
    if (chk->service_id == s.id || local_node_check) checks.push_back(chk);
  }
  service_health h;
  h.status = aggregate_status(checks);
  json::array arr;
  for (const auto* chk : checks) arr.emplace_back(render_check(*chk));
  h.body["AggregatedStatus"] = h.status;
  h.body["Service"] = render_agent_service(s, c.options.datacenter);
  h.body["Checks"] = std::move(arr);
  return h;
}

bool wants_text(const http_request& req) {
  if (req.query.get_or("format", "") == "text") return true;
  return req.header("Accept").rfind("text/plain", 0) == 0;
}

http_response health_response(const http_request& req, unsigned code, const std::string& status, json::value body) {
  http_response r = wants_text(req) ? text_response(code, status) : json_response(body, code);
  if (code != 200) r.set_header("X-Consul-Reason", status);
  return r;
}

http_response agent_health_by_id(endpoint_context& c, http_request& req) {
  std::string id = path_suffix(req, "/v1/agent/health/service/id/");
  if (id.empty()) throw_bad_request("Missing serviceID");
  c.caller().authz();  // the token first; an unknown ID is a 404 without a permission check
  const auto* s = c.state.service(node_of(c), id);
  if (s && c.local.services().count(id)) c.caller().require(c.caller().authz().service_read(s->name));
  if (!s || !c.local.services().count(id)) {
    std::string reason = "ServiceId " + id + " not found";
    http_response r = text_response(404, reason);
    r.set_header("X-Consul-Reason", reason);
    return r;
  }
  auto h = health_of(c, *s);
  return health_response(req, status_code(h.status), h.status, h.body);
}

http_response agent_health_by_name(endpoint_context& c, http_request& req) {
  std::string name = path_suffix(req, "/v1/agent/health/service/name/");
  if (name.empty()) throw_bad_request("Missing service Name");
  c.caller().require(c.caller().authz().service_read(name));  // before the lookup, as Consul
  json::array all;
  unsigned code = 200;
  std::string worst = "passing";
  bool found = false;
  for (const auto* s : c.state.node_services(node_of(c))) {
    if (s->name != name || !c.local.services().count(s->id)) continue;
    found = true;
    auto h = health_of(c, *s);
    unsigned sc = status_code(h.status);
    if (sc > code || (sc == code && h.status == "maintenance")) {
      code = sc;
      worst = h.status;
    }
    all.emplace_back(std::move(h.body));
  }
  if (!found) {
    std::string reason = "ServiceName " + name + " Not Found";
    http_response r = wants_text(req) ? text_response(404, reason) : json_response(json::array{}, 404);
    r.set_header("X-Consul-Reason", reason);
    return r;
  }
  return health_response(req, code, worst, all);
}

}  // namespace

void add_agent_routes(route_table& r) {
  r.add("/v1/agent/services", {"GET"}, &immediate<agent_services>);
  r.add("/v1/agent/service/", {"GET"}, &agent_service);
  r.add("/v1/agent/checks", {"GET"}, &immediate<agent_checks>);
  r.add("/v1/agent/service/register", {"PUT"}, &immediate<register_service>);
  r.add("/v1/agent/service/deregister/", {"PUT"}, &immediate<deregister_service>);
  r.add("/v1/agent/service/maintenance/", {"PUT"}, &immediate<service_maintenance>);
  r.add("/v1/agent/maintenance", {"PUT"}, &immediate<node_maintenance>);
  r.add("/v1/agent/check/register", {"PUT"}, &immediate<register_check>);
  r.add("/v1/agent/check/deregister/", {"PUT"}, &immediate<deregister_check>);
  r.add("/v1/agent/check/pass/", {"PUT"}, &immediate<ttl_update<pass_prefix, passing>>);
  r.add("/v1/agent/check/warn/", {"PUT"}, &immediate<ttl_update<warn_prefix, warning>>);
  r.add("/v1/agent/check/fail/", {"PUT"}, &immediate<ttl_update<fail_prefix, critical>>);
  r.add("/v1/agent/check/update/", {"PUT"}, &immediate<update_check>);
  r.add("/v1/agent/health/service/id/", {"GET"}, &immediate<agent_health_by_id>);
  r.add("/v1/agent/health/service/name/", {"GET"}, &immediate<agent_health_by_name>);
}

}  // namespace coconsul::dev
