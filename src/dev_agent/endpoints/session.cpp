// /v1/session/*: create, destroy, renew, info, node, list (agent/session_endpoint.go and the
// server's Session.Apply validation). ACLs as Consul's Session endpoint: writes need
// session:write on the session's node, reads leave out sessions without session:read on it.

#include "dev_agent/common/uuid.hpp"
#include "dev_agent/endpoints/blocking.hpp"
#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/endpoints/decode.hpp"
#include "dev_agent/endpoints/render.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/request_values.hpp"
#include "dev_agent/http/responders.hpp"

#include <coconsul/duration.hpp>

#include <boost/json.hpp>

namespace coconsul::dev {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr auto session_ttl_max = std::chrono::hours(24);

// Whether the caller may see a session (session:read on its node); counts what it may not.
bool readable(const endpoint_context& c, const session_record& s) {
  return c.caller().visible(c.caller().authz().session_read(s.node));
}

http_response create(endpoint_context& c, http_request& req) {
  session_record defaults;
  defaults.node = c.options.node_name;
  defaults.node_checks = std::vector<std::string>{"serfHealth"};
  defaults.lock_delay = std::chrono::seconds(15);
  defaults.behavior = "release";
  session_request r;
  r.session = defaults;
  if (!req.body.empty()) {
    auto body = parse_body(req.body);
    r = decode_session(body, defaults);
  }
  auto& s = r.session;
  c.caller().require(c.caller().authz().session_write(s.node));  // before Consul's validation
  if (r.checks) {
    // The deprecated "Checks" lists node checks.
    if (!s.node_checks) s.node_checks = std::vector<std::string>{};
    for (const auto& id : *r.checks)
      if (std::find(s.node_checks->begin(), s.node_checks->end(), id) == s.node_checks->end()) s.node_checks->push_back(id);
  }
  if (s.behavior.empty()) s.behavior = "release";
  if (s.behavior != "release" && s.behavior != "delete") throw http_error{500, "Invalid Behavior setting '" + s.behavior + "'"};
  if (!s.ttl.empty()) {
    std::string why;
    auto ttl = try_parse_duration(s.ttl, &why);
    if (!ttl) throw http_error{500, "Session TTL '" + s.ttl + "' invalid: time: invalid duration \"" + s.ttl + "\""};
    if (ttl->count() != 0 && (*ttl < std::chrono::nanoseconds(c.options.session_ttl_min) || *ttl > session_ttl_max)) {
      throw http_error{500, "Invalid Session TTL '" + std::to_string(ttl->count()) + "', must be between [" +
                                format_duration(c.options.session_ttl_min) + "=" + format_duration(session_ttl_max) + "]"};
    }
  }
  if (s.node.empty()) throw http_error{500, "Must provide Node"};
  if (!c.state.node(s.node)) throw http_error{500, "Missing node registration"};
  auto require = [&](const std::string& id) {
    const auto* chk = c.state.check(s.node, id);
    if (!chk) throw http_error{500, "Missing check '" + id + "' registration"};
    if (chk->status == "critical") throw http_error{500, "Check '" + id + "' is in critical state"};
  };
  if (s.node_checks)
    for (const auto& id : *s.node_checks) require(id);
  if (s.service_checks)
    for (const auto& id : *s.service_checks) require(id);
  s.id = generate_uuid();
  {
    write_txn w(c.state);
    c.state.create_session(w, s);
  }
  c.local.start_session_timer(s);
  json::object out;
  out["ID"] = s.id;
  return json_response(out);
}

http_response destroy(endpoint_context& c, http_request& req) {
  std::string id = path_suffix(req, "/v1/session/destroy/");
  if (id.empty()) throw_bad_request("Missing session");
  if (const auto* existing = c.state.session(id))  // a missing session is nothing to destroy
    c.caller().require(c.caller().authz().session_write(existing->node));
  c.local.stop_session_timer(id);
  write_txn w(c.state);
  c.state.destroy_session(w, id);
  return json_response(true);
}

http_response renew(endpoint_context& c, http_request& req) {
  std::string id = path_suffix(req, "/v1/session/renew/");
  if (id.empty()) throw_bad_request("Missing session");
  const auto* s = c.state.session(id);
  if (!s) throw http_error{404, "Session id '" + id + "' not found"};
  c.caller().require(c.caller().authz().session_write(s->node));
  c.local.renew_session_timer(id);
  json::array out;
  out.emplace_back(render_session(*s));
  return json_response(out);
}

asio::awaitable<http_response> info(endpoint_context& c, http_request& req) {
  c.caller().authz();  // an unknown token is a 403 before any wait
  std::string id = path_suffix(req, "/v1/session/info/");
  if (id.empty()) throw_bad_request("Missing session");
  std::function<query_answer()> run = [&] {
    json::array out;
    if (const auto* s = c.state.session(id); s && readable(c, *s)) out.emplace_back(render_session(*s));
    return query_answer{c.state.table_index(tbl_sessions), json_response(out)};
  };
  co_return co_await blocking_query(c.hub, req, tbl_sessions, run);
}

asio::awaitable<http_response> node_sessions(endpoint_context& c, http_request& req) {
  c.caller().authz();  // an unknown token is a 403 before any wait
  std::string node = path_suffix(req, "/v1/session/node/");
  if (node.empty()) throw_bad_request("Missing node name");
  std::function<query_answer()> run = [&] {
    json::array out;
    for (const auto* s : c.state.node_sessions(node))
      if (readable(c, *s)) out.emplace_back(render_session(*s));
    return query_answer{c.state.table_index(tbl_sessions), json_response(out)};
  };
  co_return co_await blocking_query(c.hub, req, tbl_sessions, run);
}

asio::awaitable<http_response> list(endpoint_context& c, http_request& req) {
  c.caller().authz();  // an unknown token is a 403 before any wait
  std::function<query_answer()> run = [&] {
    json::array out;
    for (const auto* s : c.state.sessions())
      if (readable(c, *s)) out.emplace_back(render_session(*s));
    return query_answer{c.state.table_index(tbl_sessions), json_response(out)};
  };
  co_return co_await blocking_query(c.hub, req, tbl_sessions, run);
}

}  // namespace

void add_session_routes(route_table& r) {
  r.add("/v1/session/create", {"PUT"}, &immediate<create>);
  r.add("/v1/session/destroy/", {"PUT"}, &immediate<destroy>);
  r.add("/v1/session/renew/", {"PUT"}, &immediate<renew>);
  r.add("/v1/session/info/", {"GET"}, &info);
  r.add("/v1/session/node/", {"GET"}, &node_sessions);
  r.add("/v1/session/list", {"GET"}, &list);
}

}  // namespace coconsul::dev
