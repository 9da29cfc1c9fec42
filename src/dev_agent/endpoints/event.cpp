// /v1/event/*: fire and list user events (kept by the store, which wakes the lists' blocking
// waits). The list's index is derived from the newest event's ID, opaque and only compared for
// equality, as Consul's.
// ACLs: firing needs event:write on the name (a bare 403 "Permission denied", as Consul's handler
// answers), the list leaves out events without event:read.

#include "core/base64.hpp"
#include "dev_agent/common/uuid.hpp"
#include "dev_agent/endpoints/blocking.hpp"
#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/endpoints/event_size.hpp"
#include "dev_agent/endpoints/regex.hpp"
#include "dev_agent/endpoints/render.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/request_values.hpp"
#include "dev_agent/http/responders.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>

namespace coconsul::dev {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// Consul's uuidToUint64: the two halves of the UUID's hex, XORed.
std::uint64_t uuid_index(const std::string& id) {
  std::string hex;
  for (char ch : id)
    if (ch != '-') hex += ch;
  if (hex.size() != 32) return 1;
  return std::stoull(hex.substr(0, 16), nullptr, 16) ^ std::stoull(hex.substr(16), nullptr, 16);
}

json::object render_event(const event_record& e) {
  json::object o;
  o["ID"] = e.id;
  o["Name"] = e.name;
  o["Payload"] = e.payload ? json::value(core::base64_encode(*e.payload)) : json::value(nullptr);
  o["NodeFilter"] = e.node_filter;
  o["ServiceFilter"] = e.service_filter;
  o["TagFilter"] = e.tag_filter;
  o["Version"] = 1;
  o["LTime"] = e.ltime;
  return o;
}

// Consul's ValidateUserEvent.
void validate_filters(const event_record& e) {
  if (!e.tag_filter.empty() && e.service_filter.empty())
    throw http_error{500, "Cannot provide tag filter without service filter"};
  auto check = [](const std::string& re, const char* what) {
    if (re.empty()) return;
    consul_regex compiled(re);
    if (!compiled.ok()) throw http_error{500, std::string("Invalid ") + what + " filter: " + compiled.error()};
  };
  check(e.node_filter, "node");
  check(e.service_filter, "service");
  check(e.tag_filter, "tag");
}

// Consul's shouldProcessUserEvent: an agent keeps only the events whose filters match it.
bool delivered_here(endpoint_context& c, const event_record& e) {
  auto matches = [](const std::string& re, const std::string& text) { return consul_regex(re).search(text); };
  if (!e.node_filter.empty() && !matches(e.node_filter, c.options.node_name)) return false;
  if (e.service_filter.empty()) return true;
  for (const auto& id : c.local.services()) {
    const auto* s = c.state.service(c.options.node_name, id);
    if (!s || !matches(e.service_filter, s->name)) continue;
    if (e.tag_filter.empty()) return true;
    for (const auto& tag : s->tags)
      if (matches(e.tag_filter, tag)) return true;
  }
  return false;
}

http_response fire(endpoint_context& c, http_request& req) {
  std::string name = path_suffix(req, "/v1/event/fire/");
  if (name.empty()) throw_bad_request("Missing name");
  if (!req.query.get_or("dc", "").empty() && req.query.get_or("dc", "") != c.options.datacenter)
    throw http_error{500, "No path to datacenter"};
  event_record e;
  e.id = generate_uuid();
  e.name = name;
  if (!req.body.empty()) e.payload = req.body;
  e.node_filter = req.query.get_or("node", "");
  e.service_filter = req.query.get_or("service", "");
  e.tag_filter = req.query.get_or("tag", "");
  validate_filters(e);
  check_user_event_size(e);
  // event:write on the name, checked by the server; Consul's handler answers any denial with
  // the bare text.
  if (!c.caller().authz().event_write(name)) throw http_error{403, "Permission denied"};
  e.ltime = c.state.next_event_ltime();
  http_response resp = json_response(render_event(e));
  if (delivered_here(c, e)) c.state.add_event(std::move(e));
  return resp;
}

asio::awaitable<http_response> list(endpoint_context& c, http_request& req) {
  read_options opts = parse_read_options(req);
  std::string name = req.query.get_or("name", "");
  const request_acl& caller = c.caller();
  const acl::authorizer& authz = caller.authz();  // an unknown token is a 403 before any wait
  auto run = [&] {
    json::array out;
    std::uint64_t idx = 0;
    for (const auto& e : c.state.events()) {
      if (!name.empty() && e.name != name) continue;
      if (!caller.visible(authz.event_read(e.name))) continue;  // the index too is the last one shown
      out.emplace_back(render_event(e));
      idx = uuid_index(e.id);
    }
    return query_answer{idx, json_response(out)};
  };
  query_answer r = run();
  if (opts.min_index > 0 && r.index == opts.min_index) {
    auto wait = opts.wait.count() > 0 ? std::min<std::chrono::nanoseconds>(opts.wait, std::chrono::minutes(10))
                                      : std::chrono::nanoseconds(std::chrono::minutes(5));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(wait);
    for (;;) {
      auto woke = co_await c.hub.wait(tbl_events, deadline);
      r = run();
      if (woke != watch_hub::wake::changed || r.index != opts.min_index) break;
    }
  }
  set_query_meta(r.response, r.index, opts);
  co_return std::move(r.response);
}

}  // namespace

void add_event_routes(route_table& r) {
  r.add("/v1/event/fire/", {"PUT"}, &immediate<fire>);
  r.add("/v1/event/list", {"GET"}, &list);
}

}  // namespace coconsul::dev
