// One request through the agent: injected faults, the agent cache, routing, Consul's 404/405
// answers, the handler, and the headers every Consul response carries.

#include "core/text.hpp"
#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/json_in.hpp"
#include "dev_agent/http/responders.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>

namespace coconsul::dev {
namespace asio = boost::asio;

namespace {

// What a client agent answers from itself when it has lost its servers: its own services,
// checks, members and health (Consul's agent-local endpoints). The Connect CA's agent endpoints
// come from the servers (through the cache).
bool needs_servers(std::string_view path) {
  if (path.rfind("/v1/", 0) != 0) return false;
  return path.rfind("/v1/agent/", 0) != 0 || path.rfind("/v1/agent/connect/", 0) == 0;
}

std::string join_allow(const std::vector<std::string>& methods) {
  std::string allow = "OPTIONS";
  for (const auto& m : methods) allow += "," + m;
  return allow;
}

// Which enterprise metadata an endpoint parses (agent/http_ce.go): most call parseEntMeta
// (namespace and partition), a few only parseEntMetaPartition, the rest neither and ignore both.
enum class ent_meta { both, partition_only, none };

ent_meta ent_meta_of(std::string_view path) {
  auto starts = [&](std::string_view prefix) { return path.substr(0, prefix.size()) == prefix; };
  if (!starts("/v1/")) return ent_meta::none;  // the UI and other pages are not the API
  for (std::string_view p : {"/v1/status/", "/v1/agent/self", "/v1/agent/host", "/v1/agent/metrics",
                             "/v1/agent/monitor", "/v1/agent/reload", "/v1/agent/join/", "/v1/agent/leave",
                             "/v1/agent/maintenance", "/v1/agent/token/", "/v1/agent/connect/ca/roots",
                             "/v1/connect/ca/", "/v1/event/", "/v1/catalog/datacenters", "/v1/txn",
                             "/v1/operator/"})
    if (starts(p)) return ent_meta::none;
  for (std::string_view p : {"/v1/agent/members", "/v1/agent/force-leave/", "/v1/coordinate/"})
    if (starts(p)) return ent_meta::partition_only;
  return ent_meta::both;
}

// Consul CE refuses any namespace or partition, even "default", where the endpoint parses them:
// the header first, then the query parameter, namespace before partition. "" when allowed.
std::string enterprise_meta_refusal(const http_request& req) {
  ent_meta which = ent_meta_of(req.path);
  if (which == ent_meta::none) return {};
  auto refused = [&](std::string_view header, std::string_view param, std::string_view feature) -> std::string {
    if (!req.header(header).empty())
      return "Invalid header: \"" + std::string(header) + "\" - " + std::string(feature) + " are a Consul Enterprise feature";
    if (auto v = req.query.get(std::string(param)); v && !v->empty())
      return "Invalid query parameter: \"" + std::string(param) + "\" - " + std::string(feature) +
             " are a Consul Enterprise feature";
    return {};
  };
  if (which == ent_meta::both)
    if (auto why = refused("X-Consul-Namespace", "ns", "Namespaces"); !why.empty()) return why;
  return refused("X-Consul-Partition", "partition", "Partitions");
}

asio::awaitable<http_response> route_request(endpoint_context& c, http_request& req) {
  if (core::has_control(req.path)) co_return text_response(400, "Invalid URL path: non-printable characters");
  const auto* r = c.routes.find(req.path);
  if (!r) {
    bool api = req.path.rfind("/v1/", 0) == 0;
    co_return text_response(404, api ? "Invalid URL path: not a recognized HTTP API endpoint\n"
                                     : "Invalid URL path: if attempting to use the HTTP API, ensure the path "
                                       "starts with '/v1/'\n");
  }
  if (req.method == "OPTIONS") {
    http_response resp = empty_response(200);
    resp.set_header("Allow", join_allow(r->methods));
    co_return resp;
  }
  if (std::find(r->methods.begin(), r->methods.end(), req.method) == r->methods.end()) {
    http_response resp = text_response(405, "method " + req.method + " not allowed");
    resp.set_header("Allow", join_allow(r->methods));
    co_return resp;
  }
  if (auto why = enterprise_meta_refusal(req); !why.empty()) co_return text_response(400, why);
  // One datacenter: asking for another is what Consul answers when it has no route to it.
  if (auto dc = req.query.get("dc"); dc && !dc->empty() && *dc != c.options.datacenter)
    co_return text_response(500, "No path to datacenter");
  if (c.faults.server_contact_lost_since && needs_servers(req.path)) co_return text_response(500, "No known Consul servers");
  // The handler gets this request's context: the agent's, with its caller.
  request_acl caller(c, req);
  endpoint_context for_request = c;
  for_request.request_caller = &caller;
  std::optional<http_response> failed;
  try {
    http_response resp = co_await r->handler(for_request, req);
    if (caller.results_filtered()) resp.set_header("X-Consul-Results-Filtered-By-ACLs", "true");
    co_return resp;
  } catch (const http_error& e) {
    failed = text_response(e.status, e.reason);
  } catch (const body_decode_error& e) {
    failed = text_response(400, std::string("Request decode failed: ") + e.what());
  } catch (const std::exception& e) {
    failed = text_response(500, e.what());
  }
  co_return std::move(*failed);
}

// A GET of an endpoint Consul caches goes through the agent cache when it asks (?cached) or
// always does (the agent's CA roots); everything else straight to its route.
asio::awaitable<http_response> serve(endpoint_context& c, http_request& req) {
  bool always = false;
  std::optional<cache_kind> kind;
  if (req.method == "GET" && c.options.use_cache) kind = cache_kind_for(req.path, &always);
  if (!kind || !(always || req.query.has("cached"))) co_return co_await route_request(c, req);
  agent_cache::fetch_fn fetch = [&c](http_request& r) { return route_request(c, r); };
  co_return co_await c.cache.serve(req, *kind, fetch, c.faults.server_contact_lost_since);
}
// Counts a request in flight for as long as dispatch runs, however it ends (a blocking query
// cut short by stop() destroys the coroutine).
struct in_flight_count {
  explicit in_flight_count(std::uint64_t& n) : n_(n) { ++n_; }
  ~in_flight_count() { --n_; }
  in_flight_count(const in_flight_count&) = delete;
  in_flight_count& operator=(const in_flight_count&) = delete;

 private:
  std::uint64_t& n_;
};

}  // namespace

asio::awaitable<http_response> dispatch(endpoint_context& c, http_request& req) {
  auto started = std::chrono::steady_clock::now();
  if (c.faults.latency.count() > 0) {
    asio::steady_timer t(co_await asio::this_coro::executor, c.faults.latency);
    co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  in_flight_count counting(c.counters.in_flight);
  http_response resp;
  if (unsigned status = c.faults.take_failure()) {
    // Consul's rate limiter answers 429 with an empty body; a 500 carries the error text.
    resp = status == 429 ? empty_response(429) : text_response(status, "injected fault (coconsul dev agent)");
  } else {
    resp = co_await serve(c, req);
  }
  resp.set_header("X-Consul-Default-Acl-Policy", c.options.acl.default_policy);
  resp.set_header("Vary", "Accept-Encoding");
  const auto* route = c.routes.find(req.path);
  c.counters.record(req.method, route ? route->pattern : std::string(), resp.status,
                    std::chrono::steady_clock::now() - started);
  if (c.log.enabled(log_level::debug)) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    c.log.log(log_level::debug, "agent.http",
              "Request finished: method=" + req.method + " url=" + req.target + " from=" + req.remote +
                  " status=" + std::to_string(resp.status) + " latency=" + std::to_string(us.count()) + "µs");
  }
  co_return resp;
}

}  // namespace coconsul::dev
