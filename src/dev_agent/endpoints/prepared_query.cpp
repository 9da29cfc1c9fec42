// /v1/query and /v1/query/:id[/execute|/explain] (agent/prepared_query_endpoint.go over the
// server's PreparedQuery.Apply, Get, List, Execute and Explain). ACLs as Consul's: writes need
// query:write on the name (a named query or a template; the old definition's too on update and
// delete), reads filter on query:read, and unnamed queries are seen by management tokens only
// in lists, by anyone holding the ID otherwise; tokens stored in queries show as "<hidden>"
// except to acl:write. The bare "Permission denied" is Consul's text here.

#include "dev_agent/acl/denied.hpp"
#include "dev_agent/common/uuid.hpp"
#include "dev_agent/endpoints/blocking.hpp"
#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/endpoints/prepared_query_body.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/json_in.hpp"
#include "dev_agent/http/request_values.hpp"
#include "dev_agent/http/responders.hpp"
#include "dev_agent/store/prepared_query_template.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <random>

namespace coconsul::dev {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr std::string_view not_found = "Query not found";

[[noreturn]] void deny() { throw http_error{403, std::string(acl::permission_denied)}; }

// GetACLPrefix: a named query or a template is governed by its name's query rules.
bool has_acl_prefix(const prepared_query_record& q) { return !q.name.empty() || q.is_template(); }

// redactPreparedQueryTokens: the stored token only for acl:write.
prepared_query_record redacted(const acl::authorizer& authz, prepared_query_record q) {
  if (!authz.acl_write() && !q.token.empty()) q.token = "<hidden>";
  return q;
}

// filterPreparedQueries for one query: nullopt when the caller may not see it.
std::optional<prepared_query_record> readable(endpoint_context& c, const prepared_query_record& q) {
  const auto& authz = c.caller().authz();
  if (authz.acl_write()) return q;
  if (!has_acl_prefix(q) || !c.caller().visible(authz.prepared_query_read(q.name))) return std::nullopt;
  return redacted(authz, q);
}

[[noreturn]] void write_error(const std::string& text) { throw http_error{500, text}; }

// PreparedQuery.Apply for create and update: the ACL checks, parseQuery, the session, the
// template, then the table's own checks.
void apply(endpoint_context& c, prepared_query_record q, const prepared_query_record* old) {
  const auto& authz = c.caller().authz();
  if (has_acl_prefix(q) && !authz.prepared_query_write(q.name)) deny();
  if (old && has_acl_prefix(*old) && !authz.prepared_query_write(old->name)) deny();
  if (auto why = prepared_query_problem(q); !why.empty()) write_error("Invalid prepared query: " + why);
  if (!q.session.empty() && !c.state.session(q.session)) write_error("invalid session \"" + q.session + "\"");
  if (q.is_template())
    if (auto why = check_template(q); !why.empty()) write_error("failed compiling template: " + why);
  write_txn w(c.state);
  if (auto why = c.state.prepared_queries().put(w, std::move(q)); !why.empty()) {
    w.discard();
    write_error(why);
  }
}

http_response create(endpoint_context& c, http_request& req) {
  auto q = decode_prepared_query(parse_body(req.body));
  if (!q.id.empty()) write_error("ID must be empty when creating a new prepared query");
  do q.id = generate_uuid();
  while (c.state.prepared_queries().find(q.id));
  std::string id = q.id;
  apply(c, std::move(q), nullptr);
  json::object out;
  out["ID"] = id;
  return json_response(out);
}

asio::awaitable<http_response> list(endpoint_context& c, http_request& req) {
  c.caller().authz();  // an unknown token is a 403 before any wait
  std::function<query_answer()> run = [&] {
    json::array out;
    for (const auto* q : c.state.prepared_queries().list())
      if (auto shown = readable(c, *q)) out.emplace_back(render_prepared_query(*shown));
    return query_answer{c.state.prepared_queries().table_index(), json_response(out)};
  };
  co_return co_await blocking_query(c.hub, req, tbl_prepared_queries, run);
}

std::optional<int> parse_limit(const http_request& req) {
  auto arg = req.query.get("limit");
  if (!arg || arg->empty()) return 0;
  int v = 0;
  auto [end, ec] = std::from_chars(arg->data(), arg->data() + arg->size(), v);
  if (ec != std::errc() || end != arg->data() + arg->size()) return std::nullopt;
  return v;
}

// strconv.Atoi's error as "Bad limit: " shows it.
[[noreturn]] void bad_limit(const http_request& req) {
  std::string arg = req.query.get_or("limit", "");
  throw http_error{500, "Bad limit: strconv.Atoi: parsing \"" + arg + "\": invalid syntax"};
}

// What ?near=_ip looks up: X-Forwarded-For's first address, else the client's.
std::string source_ip(const http_request& req) {
  std::string fwd(req.header("X-Forwarded-For"));
  if (!fwd.empty()) {
    auto comma = fwd.find(',');
    std::string first = fwd.substr(0, comma);
    while (!first.empty() && first.front() == ' ') first.erase(0, 1);
    while (!first.empty() && first.back() == ' ') first.pop_back();
    return first;
  }
  auto colon = req.remote.rfind(':');
  std::string ip = req.remote.substr(0, colon);
  if (ip.size() >= 2 && ip.front() == '[') ip = ip.substr(1, ip.size() - 2);
  return ip;
}

// PreparedQueryResolve with the rendering; throws 404 when nothing resolves.
prepared_query_record resolve(endpoint_context& c, const std::string& id_or_name) {
  auto [found, by_prefix] = c.state.prepared_queries().resolve(id_or_name);
  if (!found) throw http_error{404, std::string(not_found)};
  if (!found->is_template()) return *found;
  auto rendered = render_template(*found, by_prefix ? std::string_view(id_or_name) : std::string_view(found->name));
  if (auto* e = std::get_if<std::string>(&rendered)) throw http_error{500, *e};
  return std::get<prepared_query_record>(std::move(rendered));
}

// The QueryMeta Consul embeds in execute and explain responses: these RPCs do not block, so
// Index stays 0 (the header says 1, as every index header).
void embed_query_meta(json::object& o, const read_options& opts, bool filtered) {
  o["Index"] = 0;
  o["LastContact"] = 0;
  o["KnownLeader"] = true;
  o["ConsistencyLevel"] = opts.consistency;
  o["NotModified"] = false;
  o["Backend"] = 0;
  o["ResultsFilteredByACLs"] = filtered;
}

http_response execute(endpoint_context& c, http_request& req, const std::string& id) {
  auto opts = parse_read_options(req);
  auto limit = parse_limit(req);
  if (!limit) bad_limit(req);
  const auto& caller_authz = c.caller().authz();
  prepared_query_record q = resolve(c, id);
  // The query's own token, when it has one, decides what the results may hold.
  std::optional<acl::authorizer> own;
  if (!q.token.empty()) {
    auto resolved = c.acl.authorize(q.token, c.controls);
    if (auto* failure = std::get_if<std::string>(&resolved)) throw http_error{403, *failure};
    own = std::get<acl::resolved_token>(std::move(resolved)).authz;
  }
  const acl::authorizer& authz = own ? *own : caller_authz;
  bool filtered = false;
  instance_visible visible = [&](const service_record& s, const node_record*) {
    bool ok = authz.node_read(s.node) && authz.service_read(s.name);
    if (!ok) filtered = true;
    return ok;
  };
  query_execution how;
  how.agent_node = c.options.node_name;
  how.datacenter = c.options.datacenter;
  how.near = req.query.get_or("near", "");
  how.source_ip = source_ip(req);
  how.connect = req.query.has("connect");
  how.limit = *limit;
  static thread_local std::mt19937 random{std::random_device{}()};
  query_result r = execute_query(c.state, q, how, visible, random);
  json::object out = render_query_result(q, r);
  // maskResultsFilteredByACLs: the flag only when the request carried a token.
  bool shown_filtered = filtered && !c.caller().secret().empty();
  embed_query_meta(out, opts, shown_filtered);
  auto resp = json_response(out);
  set_query_meta(resp, 0, opts);
  if (shown_filtered) resp.set_header("X-Consul-Results-Filtered-By-ACLs", "true");
  return resp;
}

http_response explain(endpoint_context& c, http_request& req, const std::string& id) {
  auto opts = parse_read_options(req);
  if (!parse_limit(req)) bad_limit(req);
  prepared_query_record q = resolve(c, id);
  auto shown = readable(c, q);
  if (!shown) deny();
  json::object out;
  out["Query"] = render_prepared_query(*shown);
  embed_query_meta(out, opts, false);
  auto resp = json_response(out);
  set_query_meta(resp, 0, opts);
  return resp;
}

asio::awaitable<http_response> get(endpoint_context& c, http_request& req, std::string id) {
  c.caller().authz();  // an unknown token is a 403 before any wait
  std::function<query_answer()> run = [&] {
    const auto* q = c.state.prepared_queries().find(id);
    if (!q) throw http_error{404, std::string(not_found)};
    json::array out;
    const auto& authz = c.caller().authz();
    if (!has_acl_prefix(*q)) {
      // Whoever has the ID of an unnamed query may read it, its token redacted.
      out.emplace_back(render_prepared_query(redacted(authz, *q)));
    } else {
      auto shown = readable(c, *q);
      if (!shown) deny();
      out.emplace_back(render_prepared_query(*shown));
    }
    return query_answer{c.state.prepared_queries().table_index(), json_response(out)};
  };
  co_return co_await blocking_query(c.hub, req, tbl_prepared_queries, run);
}

http_response update(endpoint_context& c, http_request& req, const std::string& id) {
  prepared_query_record q;
  if (!req.body.empty()) q = decode_prepared_query(parse_body(req.body));
  q.id = id;  // the URL's, not the body's
  const auto* old = c.state.prepared_queries().find(id);
  const auto& authz = c.caller().authz();
  if (has_acl_prefix(q) && !authz.prepared_query_write(q.name)) deny();
  if (!old) write_error("Cannot modify non-existent prepared query: '" + id + "'");
  apply(c, std::move(q), old);
  return empty_response(200);
}

http_response erase(endpoint_context& c, const std::string& id) {
  const auto& authz = c.caller().authz();
  const auto* old = c.state.prepared_queries().find(id);
  if (!old) write_error("Cannot modify non-existent prepared query: '" + id + "'");
  if (has_acl_prefix(*old) && !authz.prepared_query_write(old->name)) deny();
  write_txn w(c.state);
  c.state.prepared_queries().erase(w, id);
  return empty_response(200);
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

asio::awaitable<http_response> general(endpoint_context& c, http_request& req) {
  if (req.method == "POST") co_return create(c, req);
  co_return co_await list(c, req);
}

// PreparedQuerySpecific: /execute and /explain take GET only.
asio::awaitable<http_response> specific(endpoint_context& c, http_request& req) {
  std::string id = path_suffix(req, "/v1/query/");
  for (std::string_view action : {"/execute", "/explain"}) {
    if (!ends_with(req.path, action)) continue;
    if (req.method != "GET") {
      http_response resp = text_response(405, "method " + req.method + " not allowed");
      resp.set_header("Allow", "GET");
      co_return resp;
    }
    id.resize(id.size() - action.size());
    co_return action == "/execute" ? execute(c, req, id) : explain(c, req, id);
  }
  if (req.method == "GET") co_return co_await get(c, req, id);
  if (req.method == "PUT") co_return update(c, req, id);
  co_return erase(c, id);
}

}  // namespace

void add_prepared_query_routes(route_table& r) {
  r.add("/v1/query", {"GET", "POST"}, &general);
  r.add("/v1/query/", {"GET", "PUT", "DELETE"}, &specific);
}

}  // namespace coconsul::dev
