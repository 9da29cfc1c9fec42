// /v1/config: PUT an entry (?cas), GET one or a kind's list (blocking), DELETE (?cas), as
// Consul's agent/config_endpoint.go and ConfigEntry.Apply/Get/List/Delete do: decode errors are
// 400 "Request decoding failed: ...", the kinds' own errors plain 500s, ACLs per kind
// (CanRead/CanWrite) and lists filtered by CanRead. What each kind means is config_entries/.

#include "dev_agent/config_entries/decode.hpp"
#include "dev_agent/config_entries/errors.hpp"
#include "dev_agent/config_entries/kinds.hpp"
#include "dev_agent/config_entries/limits.hpp"
#include "dev_agent/endpoints/blocking.hpp"
#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/json_in.hpp"
#include "dev_agent/http/json_out.hpp"
#include "dev_agent/http/request_values.hpp"
#include "dev_agent/http/responders.hpp"

#include <boost/json.hpp>

#include <chrono>

namespace coconsul::dev {

namespace asio = boost::asio;
namespace json = boost::json;
namespace ce = config_entries;

namespace {

[[noreturn]] void rpc_error(std::string text) { throw http_error{500, std::move(text)}; }

// ?cas=N: strconv.ParseUint's error comes back as a plain 500, as Consul's handler returns it.
std::optional<std::uint64_t> cas_param(const http_request& req) {
  auto v = req.query.get("cas");
  if (!v || v->empty()) return std::nullopt;
  auto n = parse_uint64(*v);
  if (!n) rpc_error("strconv.ParseUint: parsing \"" + *v + "\": invalid syntax");
  return n;
}

// MakeConfigEntry's refusal of an unknown kind.
const ce::kind_info& kind_or_fail(std::string_view kind) {
  const auto* k = ce::find_kind(kind);
  if (!k) rpc_error("invalid config entry kind: " + std::string(kind));
  return *k;
}

// The entry as Consul writes it out: its fields, then the raft indexes.
json::object rendered(const config_entry_record& r) {
  json::object o = r.body;
  o["CreateIndex"] = r.create_index;
  o["ModifyIndex"] = r.modify_index;
  return o;
}

// The blank entry Consul's MakeConfigEntry(kind, name) makes, for the ACL checks of a read or a
// delete (mesh's name is always "mesh").
json::object lookup_entry(std::string_view kind, std::string_view name) {
  json::object o;
  o["Kind"] = kind;
  o["Name"] = kind == "mesh" ? std::string_view("mesh") : name;
  return o;
}

http_response apply(endpoint_context& c, http_request& req) {
  json::value body;
  try {
    body = parse_body(req.body);
  } catch (const body_decode_error& e) {
    throw_bad_request(std::string("Request decoding failed: ") + e.what());
  }
  ce::decoded_entry d = ce::decode_entry(body);
  if (!d.error.empty()) throw_bad_request("Request decoding failed: " + d.error);
  auto cas = cas_param(req);
  const ce::kind_info& kind = kind_or_fail(d.kind);
  const acl::authorizer& authz = c.caller().authz();  // an unknown token first, as Consul resolves it first

  const config_entry_record* existing = c.config_entries.find(d.kind, ce::entry_name(d.kind, d.entry));
  ce::kind_context ctx{c.config_entries, existing, std::chrono::system_clock::now(), c.options.datacenter,
                       c.connect.ca.enabled()};
  if (auto err = kind.normalize_validate(d.entry, ctx)) rpc_error(*err);
  c.caller().require(kind.can_write(authz, d.entry));

  config_entry_record r;
  r.kind = d.kind;
  r.name = ce::entry_name(d.kind, d.entry);
  r.body = ce::render_entry(*ce::entry_schema(d.kind), d.entry);
  if (auto err = ce::check_write(c.config_entries, r.kind, r.name, r.body)) rpc_error(*err);
  std::size_t size = render_compact(r.body).size();
  if (size > ce::max_entry_bytes)
    throw http_error{413, "Config entry is " + std::to_string(size) + " bytes, over this agent's limit of " +
                              std::to_string(ce::max_entry_bytes)};
  if (!c.config_entries.find(r.kind, r.name) && c.config_entries.size() >= ce::max_entries)
    rpc_error("This agent holds " + std::to_string(c.config_entries.size()) +
              " config entries, its limit: delete some first");
  write_txn w(c.state);
  bool ok = c.config_entries.put(w, std::move(r), cas);
  if (!ok) w.discard();
  return json_response(ok);
}

asio::awaitable<http_response> get_or_list(endpoint_context& c, http_request& req) {
  std::string rest = path_suffix(req, "/v1/config/");
  auto slash = rest.find('/');
  std::string kind = rest.substr(0, slash);
  const request_acl& caller = c.caller();
  const acl::authorizer& authz = caller.authz();
  if (slash != std::string::npos) {
    std::string name = rest.substr(slash + 1);
    const ce::kind_info& k = kind_or_fail(kind);
    caller.require(k.can_read(authz, lookup_entry(kind, name)));
    std::function<query_answer()> run = [&c, kind, name] {
      std::uint64_t index = c.config_entries.table_index();
      const config_entry_record* r = c.config_entries.find(kind, name);
      if (!r)
        return query_answer{index, text_response(404, "Config entry not found for " + ce::go_quote(kind) + " / " +
                                                          ce::go_quote(name))};
      return query_answer{index, json_response(rendered(*r))};
    };
    co_return co_await blocking_query(c.hub, req, tbl_config_entries, run);
  }
  const ce::kind_info* k = kind.empty() ? nullptr : &kind_or_fail(kind);
  std::function<query_answer()> run = [&c, &caller, &authz, kind, k] {
    json::array out;
    for (const auto* r : c.config_entries.list(kind)) {
      const ce::kind_info* rk = k ? k : ce::find_kind(r->kind);
      if (!rk || !caller.visible(rk->can_read(authz, r->body))) continue;
      out.push_back(rendered(*r));
    }
    return query_answer{c.config_entries.table_index(), json_response(out)};
  };
  co_return co_await blocking_query(c.hub, req, tbl_config_entries, run);
}

http_response erase(endpoint_context& c, http_request& req) {
  std::string rest = path_suffix(req, "/v1/config/");
  auto slash = rest.find('/');
  if (slash == std::string::npos) throw http_error{404, "Must provide both a kind and name to delete"};
  std::string kind = rest.substr(0, slash);
  std::string name = rest.substr(slash + 1);
  const ce::kind_info& k = kind_or_fail(kind);
  auto cas = cas_param(req);
  const acl::authorizer& authz = c.caller().authz();
  json::object blank = lookup_entry(kind, name);
  // Delete normalizes the blank entry (proxy-defaults refuses another name) before its ACL check.
  if (kind == "proxy-defaults" && name != "global" && !name.empty())
    rpc_error("invalid name (" + ce::go_quote(name) + "), only \"global\" is supported");
  c.caller().require(k.can_write(authz, blank));
  if (kind == "mesh") name = "mesh";
  if (c.config_entries.find(kind, name))
    if (auto err = ce::check_delete(c.config_entries, kind, name)) rpc_error(*err);
  write_txn w(c.state);
  bool ok = c.config_entries.erase(w, kind, name, cas);
  if (cas) return json_response(ok);
  return json_response(json::object());
}

asio::awaitable<http_response> config_path(endpoint_context& c, http_request& req) {
  if (req.method == "DELETE") co_return erase(c, req);
  co_return co_await get_or_list(c, req);
}

}  // namespace

void add_config_entry_routes(route_table& r) {
  r.add("/v1/config", {"PUT"}, &immediate<apply>);
  r.add("/v1/config/", {"GET", "DELETE"}, &config_path);
}

}  // namespace coconsul::dev
