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
  // One datacenter: asking for another is what Consul answers when it has no route to it.
  if (auto dc = req.query.get("dc"); dc && !dc->empty() && *dc != c.options.datacenter)
    co_return text_response(500, "No path to datacenter");
  if (c.faults.server_contact_lost_since && needs_servers(req.path)) co_return text_response(500, "No known Consul servers");
  std::optional<http_response> failed;
  try {
    co_return co_await r->handler(c, req);
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

}  // namespace

asio::awaitable<http_response> dispatch(endpoint_context& c, http_request& req) {
  auto started = std::chrono::steady_clock::now();
  if (c.faults.latency.count() > 0) {
    asio::steady_timer t(co_await asio::this_coro::executor, c.faults.latency);
    co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  http_response resp;
  if (unsigned status = c.faults.take_failure()) {
    // Consul's rate limiter answers 429 with an empty body; a 500 carries the error text.
    resp = status == 429 ? empty_response(429) : text_response(status, "injected fault (coconsul dev agent)");
  } else {
    resp = co_await serve(c, req);
  }
  resp.set_header("X-Consul-Default-Acl-Policy", "allow");
  resp.set_header("Vary", "Accept-Encoding");
  if (c.log.enabled(log_level::debug)) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    c.log.log(log_level::debug, "agent.http",
              "Request finished: method=" + req.method + " url=" + req.target + " from=" + req.remote +
                  " status=" + std::to_string(resp.status) + " latency=" + std::to_string(us.count()) + "µs");
  }
  co_return resp;
}

}  // namespace coconsul::dev
