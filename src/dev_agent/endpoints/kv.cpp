// /v1/kv/*: reads (one key, recurse, keys with separator, raw), writes (flags, cas, acquire,
// release) and deletes (recurse, cas), as agent/kvs_endpoint.go, with Consul's ACL checks
// (agent/consul/kvs_endpoint.go): one key denies without key:read (found or not), lists leave
// out what the caller may not read (and need key:list on the prefix with
// enable_key_list_policy), writes deny without key:write (a recursive delete: on the prefix and
// everything under it).

#include "dev_agent/endpoints/blocking.hpp"
#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/endpoints/limits.hpp"
#include "dev_agent/endpoints/render.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/request_values.hpp"
#include "dev_agent/http/responders.hpp"

#include <boost/json.hpp>

#include <set>

namespace coconsul::dev {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

std::string key_of(const http_request& req) { return path_suffix(req, "/v1/kv/"); }

// cas, acquire and release exclude each other: "Conflicting flags: <query>".
void check_conflicts(const http_request& req, std::initializer_list<const char*> flags) {
  int found = 0;
  for (const char* f : flags)
    if (req.query.has(f)) ++found;
  if (found > 1) throw http_error{400, "Conflicting flags: " + req.query.encode()};
}

asio::awaitable<http_response> kv_get(endpoint_context& c, http_request& req) {
  std::string key = key_of(req);
  bool keys = req.query.has("keys");
  bool recurse = req.query.has("recurse") || keys;
  if (!recurse && key.empty()) throw_bad_request("Missing key name");
  std::string separator = req.query.get_or("separator", req.query.get_or("seperator", ""));
  bool raw = req.query.has("raw");
  const request_acl& caller = c.caller();
  const acl::authorizer& authz = caller.authz();  // before waiting: an unknown token is a 403 at once
  if (!recurse) caller.require(authz.key_read(key));
  else if (c.options.acl.enable_key_list_policy) caller.require(authz.key_list(key));
  std::function<query_answer()> run = [&]() -> query_answer {
    if (keys) {
      std::vector<std::string> out;
      std::set<std::string> seen;
      // As Consul's ListKeys: entries without key:read go before the separator collapses them.
      for (const auto* e : c.state.kv_list(key)) {
        if (!caller.visible(authz.key_read(e->key))) continue;
        std::string k = e->key;
        if (!separator.empty()) {
          auto pos = k.find(separator, key.size());
          if (pos != std::string::npos) k = k.substr(0, pos + separator.size());
        }
        if (seen.insert(k).second) out.push_back(k);
      }
      std::uint64_t idx = c.state.kv_prefix_index(key);
      if (out.empty() && !key.empty()) return {idx, empty_response(404)};
      return {idx, json_response(render_strings(out))};
    }
    if (recurse) {
      auto entries = c.state.kv_list(key);
      caller.filter(entries, [&](const kv_entry* e) { return authz.key_read(e->key); });
      std::uint64_t idx = c.state.kv_prefix_index(key);
      if (entries.empty()) return {idx, empty_response(404)};
      json::array out;
      for (const auto* e : entries) out.emplace_back(render_kv(*e));
      return {idx, json_response(out)};
    }
    const auto* e = c.state.kv_get(key);
    std::uint64_t idx = c.state.kv_key_index(key);
    if (!e) return {idx, empty_response(404)};
    if (raw) {
      http_response r;
      r.body = e->value.value_or("");
      r.set_header("Content-Type", "text/plain");
      r.set_header("X-Content-Type-Options", "nosniff");
      r.set_header("Content-Security-Policy", "sandbox");
      return {idx, std::move(r)};
    }
    json::array out;
    out.emplace_back(render_kv(*e));
    return {idx, json_response(out)};
  };
  co_return co_await blocking_query(c.hub, req, tbl_kvs | tbl_sessions, run);
}

std::uint64_t uint_param(const http_request& req, const char* name) {
  auto v = parse_uint64(req.query.get_or(name, ""));
  // Consul returns the strconv error raw, hence a 500.
  if (!v) throw http_error{500, "strconv.ParseUint: parsing \"" + req.query.get_or(name, "") + "\": invalid syntax"};
  return *v;
}

http_response kv_put(endpoint_context& c, http_request& req) {
  std::string key = key_of(req);
  if (key.empty()) throw_bad_request("Missing key name");
  check_conflicts(req, {"cas", "acquire", "release"});
  if (req.body.size() > limits::kv_max_value_size) {
    throw http_error{413, "Request body(" + std::to_string(req.body.size()) + " bytes) too large, max size: " +
                              std::to_string(limits::kv_max_value_size) +
                              " bytes. See https://www.consul.io/docs/agent/config/config-files#kv_max_value_size."};
  }
  c.caller().require(c.caller().authz().key_write(key));
  kv_entry e;
  e.key = key;
  if (!req.body.empty()) e.value = req.body;
  if (req.query.has("flags")) e.flags = uint_param(req, "flags");
  bool ok = true;
  std::string error;
  write_txn w(c.state);
  if (req.query.has("cas")) {
    ok = c.state.kv_cas(w, e, uint_param(req, "cas"));
  } else if (req.query.has("acquire")) {
    e.session = req.query.get_or("acquire", "");
    if (auto until = c.state.kv_lock_delay(key)) {
      c.log.log(log_level::warn, "agent.server.kvs", "Rejecting lock of key due to lock-delay: key=" + key);
      ok = false;
    } else {
      ok = c.state.kv_lock(w, e, &error);
    }
  } else if (req.query.has("release")) {
    e.session = req.query.get_or("release", "");
    ok = c.state.kv_unlock(w, e, &error);
  } else {
    c.state.kv_set(w, e);
  }
  if (!error.empty()) throw http_error{500, error};
  return json_response(ok);
}

http_response kv_delete(endpoint_context& c, http_request& req) {
  std::string key = key_of(req);
  bool recurse = req.query.has("recurse");
  if (!recurse && key.empty()) throw_bad_request("Missing key name");
  check_conflicts(req, {"recurse", "cas"});
  const acl::authorizer& authz = c.caller().authz();
  c.caller().require(recurse ? authz.key_write_prefix(key) : authz.key_write(key));
  write_txn w(c.state);
  if (recurse) {
    c.state.kv_delete_tree(w, key);
    return json_response(true);
  }
  if (req.query.has("cas")) return json_response(c.state.kv_delete_cas(w, key, uint_param(req, "cas")));
  c.state.kv_delete(w, key);
  return json_response(true);
}

// One pattern, three methods: pick the handler by method.
asio::awaitable<http_response> kv_endpoint(endpoint_context& c, http_request& req) {
  if (req.method == "GET") co_return co_await kv_get(c, req);
  if (req.method == "PUT") co_return kv_put(c, req);
  co_return kv_delete(c, req);
}

}  // namespace

void add_kv_routes(route_table& r) { r.add("/v1/kv/", {"GET", "PUT", "DELETE"}, &kv_endpoint); }

}  // namespace coconsul::dev
