// /v1/connect/intentions: the legacy list and create, by ID (GET/PUT/DELETE), exact by source
// and destination (GET/PUT/DELETE), match and check (agent/intentions_endpoint.go with the
// server's Intention RPCs, agent/consul/intention_endpoint.go). Every intention lives in a
// service-intentions config entry; the decisions and edits are config_entries/intentions.hpp.

#include "dev_agent/config_entries/decode.hpp"
#include "dev_agent/config_entries/intentions.hpp"
#include "dev_agent/acl/denied.hpp"
#include "dev_agent/common/uuid.hpp"
#include "dev_agent/endpoints/acl_decode.hpp"
#include "dev_agent/endpoints/blocking.hpp"
#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/endpoints/filter.hpp"
#include "dev_agent/endpoints/intentions_common.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/request_values.hpp"
#include "dev_agent/http/responders.hpp"

#include <boost/json.hpp>

namespace coconsul::dev {
namespace json = boost::json;
namespace asio = boost::asio;
namespace ce = config_entries;

namespace {

constexpr std::string_view kind = "service-intentions";

[[noreturn]] void denied() { throw http_error{403, std::string(acl::permission_denied)}; }

// Intention.CanRead: intention:read on either end.
acl::verdict can_read(const acl::authorizer& a, const ce::intention& ixn) {
  if (ixn.source_peer.empty())
    if (auto v = a.intention_read(ixn.source_name)) return v;
  return a.intention_read(ixn.destination_name);
}

// The HTTP layer's CE checks on a legacy body (validateEnterpriseIntention): 400s.
void check_enterprise_fields(const ce::intention_body& b) {
  auto ns = [](std::string_view field, const std::string& v) {
    if (!v.empty() && !is_default_name(v))
      throw_bad_request("Invalid " + std::string(field) + "(" + v + "): Namespaces is a Consul Enterprise feature");
  };
  auto ap = [](std::string_view field, const std::string& v) {
    if (!v.empty() && !is_default_name(v))
      throw_bad_request("Invalid " + std::string(field) + "(" + v + "): Partitions is a Consul Enterprise feature");
  };
  ap("SourcePartition", b.source_partition);
  ap("DestinationPartition", b.destination_partition);
  ns("SourceNS", b.ixn.source_ns);
  ns("DestinationNS", b.ixn.destination_ns);
}

// What the server fills in before its checks (FillPartitionAndNamespace), and its refusal of
// a peer on the legacy API.
void fill_defaults(ce::intention_body& b) {
  if (b.ixn.source_ns.empty()) b.ixn.source_ns = "default";
  if (b.ixn.destination_ns.empty()) b.ixn.destination_ns = "default";
  if (!b.ixn.source_peer.empty())
    throw http_error{500, "SourcePeer field is not supported on this endpoint. Use config entries instead"};
}

// Stores what a legacy or exact write decided, or answers its refusal.
void apply(endpoint_context& c, const ce::entry_edit& edit) {
  if (edit.error) throw http_error{500, *edit.error};
  if (edit.put) {
    if (auto err = ce::check_l7_protocol(*edit.put, ce::destination_protocol(c.config_entries, edit.put->name)))
      throw http_error{500, *err};
    write_txn w(c.state);
    config_entry_record rec;
    rec.kind = std::string(kind);
    rec.name = edit.put->name;
    // Stored as every config entry is (the schema's rendering), as PUT /v1/config stores it.
    rec.body = ce::render_entry(*ce::entry_schema(kind), ce::render(*edit.put));
    c.config_entries.put(w, std::move(rec));
  } else if (edit.erase) {
    write_txn w(c.state);
    c.config_entries.erase(w, kind, *edit.erase);
  }
}

const ce::stored_entry* entry_named(const std::vector<ce::stored_entry>& all, std::string_view name) {
  for (const auto& e : all)
    if (e.entry.name == name) return &e;
  return nullptr;
}

// The stored entry holding legacy ID `id`.
const ce::stored_entry* entry_with_id(const std::vector<ce::stored_entry>& all, std::string_view id) {
  for (const auto& e : all)
    for (const auto& s : e.entry.sources)
      if (s.legacy_id == id) return &e;
  return nullptr;
}

std::string now_text() { return go_time(std::chrono::system_clock::now()); }

// GET /v1/connect/intentions
asio::awaitable<http_response> list(endpoint_context& c, http_request& req) {
  require_connect(c);
  auto f = compile_filter(req, filter_target::other);
  const request_acl& caller = c.caller();
  const acl::authorizer& authz = caller.authz();
  std::function<query_answer()> run = [&] {
    json::array out;
    for (const auto& ixn : ce::all_intentions(stored_intentions(c.config_entries))) {
      // ACLs before ?filter, so that a filter cannot probe what the token may not read.
      if (!caller.visible(can_read(authz, ixn))) continue;
      json::object r = ce::render_intention(ixn);
      if (f && !f->matches(r)) continue;
      out.emplace_back(std::move(r));
    }
    return query_answer{intentions_index(c.config_entries), json_response(out)};
  };
  co_return co_await blocking_query(c.hub, req, tbl_config_entries, run);
}

// POST /v1/connect/intentions: a legacy create; answers {"ID": ...}.
http_response create(endpoint_context& c, http_request& req) {
  ce::intention_body body = ce::decode_intention(req.body, 500, "Failed to decode request body: ");
  check_enterprise_fields(body);
  require_connect(c);
  fill_defaults(body);
  if (!body.ixn.destination_name.empty() && !c.caller().authz().intention_write(body.ixn.destination_name)) denied();
  if (body.ixn.destination_name.empty()) denied();  // CanWrite: no destination, no write
  auto all = stored_intentions(c.config_entries);
  const ce::stored_entry* existing = entry_named(all, body.ixn.destination_name);
  std::string id = generate_uuid();
  while (ce::find_by_id(all, id)) id = generate_uuid();
  ce::entry_edit edit = ce::legacy_create(body, existing ? &existing->entry : nullptr, id, now_text());
  apply(c, edit);
  json::object o;
  o["ID"] = edit.id;
  return json_response(o);
}

// GET /v1/connect/intentions/:id
asio::awaitable<http_response> get_by_id(endpoint_context& c, http_request& req) {
  std::string id = path_suffix(req, "/v1/connect/intentions/");
  require_connect(c);
  const acl::authorizer& authz = c.caller().authz();
  std::function<query_answer()> run = [&] {
    // memdb's UUID index refuses a malformed ID; the HTTP layer turns that into a 400.
    if (auto bad = ce::uuid_lookup_error(id)) throw_bad_request("failed config entry lookup: " + *bad);
    auto found = ce::find_by_id(stored_intentions(c.config_entries), id);
    if (!found) throw http_error{404, "Intention not found"};
    if (!can_read(authz, *found)) denied();
    return query_answer{intentions_index(c.config_entries), json_response(ce::render_intention(*found))};
  };
  co_return co_await blocking_query(c.hub, req, tbl_config_entries, run);
}

// The intention with legacy ID `id` and its entry, or Consul's lookup error (HTTP 500).
std::pair<ce::intention, const ce::stored_entry*> existing_by_id(const std::vector<ce::stored_entry>& all,
                                                                std::string_view id, std::string_view verb) {
  if (auto bad = ce::uuid_lookup_error(id))
    throw http_error{500, "Intention lookup failed: failed config entry lookup: " + *bad};
  auto found = ce::find_by_id(all, id);
  if (!found) throw http_error{500, "Cannot " + std::string(verb) + " non-existent intention: '" + std::string(id) + "'"};
  return {*found, entry_with_id(all, id)};
}

// PUT /v1/connect/intentions/:id: a legacy update; answers {"ID": ...}.
http_response update_by_id(endpoint_context& c, http_request& req) {
  std::string id = path_suffix(req, "/v1/connect/intentions/");
  ce::intention_body body = ce::decode_intention(req.body, 400, "Request decode failed: ");
  check_enterprise_fields(body);
  require_connect(c);
  fill_defaults(body);
  auto all = stored_intentions(c.config_entries);
  auto [old, entry] = existing_by_id(all, id, "modify");
  if (!c.caller().authz().intention_write(old.destination_name)) denied();
  ce::entry_edit edit = ce::legacy_update(body, entry->entry, id, now_text());
  apply(c, edit);
  json::object o;
  o["ID"] = edit.id;
  return json_response(o);
}

// DELETE /v1/connect/intentions/:id
http_response delete_by_id(endpoint_context& c, http_request& req) {
  std::string id = path_suffix(req, "/v1/connect/intentions/");
  require_connect(c);
  auto all = stored_intentions(c.config_entries);
  auto [old, entry] = existing_by_id(all, id, "delete");
  if (!c.caller().authz().intention_write(old.destination_name)) denied();
  apply(c, ce::legacy_delete(entry->entry, id));
  return json_response(true);
}

asio::awaitable<http_response> by_id(endpoint_context& c, http_request& req) {
  if (req.method == "GET") co_return co_await get_by_id(c, req);
  if (req.method == "PUT") co_return update_by_id(c, req);
  co_return delete_by_id(c, req);
}

// The exact API's ?source= and ?destination= (parseIntentionQueryExact); `nonempty` as the
// writes ask, where an empty value counts as missing. Only a read may name a peer's source,
// "peer:<peer>/<name>".
struct exact_names {
  std::string peer, source, destination;
};
exact_names exact_params(const http_request& req, bool nonempty, bool allow_peer) {
  auto one = [&](std::string_view key) {
    auto all = req.query.all(key);
    if (all.size() != 1 || (nonempty && all[0].empty()))
      throw http_error{500, "required query parameter '" + std::string(key) + "' not set"};
    return all[0];
  };
  std::string source = one("source"), destination = one("destination");
  exact_names out;
  if (allow_peer && source.starts_with("peer:")) {
    auto slash = source.find('/');
    if (slash == std::string::npos || source.find('/', slash + 1) != std::string::npos)
      throw http_error{500, "source \"" + source + "\" is invalid: need to specify the service name as well"};
    out.peer = source.substr(5, slash - 5);
    out.source = source.substr(slash + 1);
  } else {
    out.source = parse_intention_name(source, "source");
  }
  out.destination = parse_intention_name(destination, "destination");
  return out;
}

asio::awaitable<http_response> exact(endpoint_context& c, http_request& req) {
  if (req.method == "GET") {
    require_connect(c);
    auto [peer, source, destination] = exact_params(req, false, true);
    if (source.empty()) throw http_error{500, "SourceName is missing"};
    if (destination.empty()) throw http_error{500, "DestinationName is missing"};
    const acl::authorizer& authz = c.caller().authz();
    std::function<query_answer()> run = [&] {
      auto found = ce::find_exact(stored_intentions(c.config_entries), source, destination, peer);
      if (!found) throw http_error{404, "Intention not found"};
      if (!can_read(authz, *found)) denied();
      return query_answer{intentions_index(c.config_entries), json_response(ce::render_intention(*found))};
    };
    co_return co_await blocking_query(c.hub, req, tbl_config_entries, run);
  }
  auto [peer, source, destination] = exact_params(req, true, false);
  std::optional<ce::intention_body> body;
  if (req.method == "PUT") body = ce::decode_intention(req.body, 400, "Request decode failed: ");
  require_connect(c);
  if (body && !body->ixn.source_peer.empty())
    throw http_error{500, "SourcePeer field is not supported on this endpoint. Use config entries instead"};
  if (!c.caller().authz().intention_write(destination)) denied();
  auto all = stored_intentions(c.config_entries);
  const ce::stored_entry* existing = entry_named(all, destination);
  const ce::intentions_entry* e = existing ? &existing->entry : nullptr;
  if (body) {
    body->ixn.source_ns = body->ixn.destination_ns = "default";
    apply(c, ce::upsert_exact(*body, e, source, destination));
  } else {
    apply(c, ce::delete_exact(e, source));
  }
  co_return json_response(true);
}

// GET /v1/connect/intentions/match?by=source|destination&name=...: {"<name>": [...]} with the
// names in the order asked.
asio::awaitable<http_response> match(endpoint_context& c, http_request& req) {
  require_connect(c);
  auto by = req.query.all("by");
  if (by.size() != 1) throw http_error{500, "required query parameter 'by' not set"};
  ce::match_type type;
  if (by[0] == "source")
    type = ce::match_type::source;
  else if (by[0] == "destination")
    type = ce::match_type::destination;
  else
    throw http_error{500, "'by' parameter must be one of 'source' or 'destination'"};
  std::vector<std::string> names = req.query.all("name");
  if (names.empty()) throw http_error{500, "required query parameter 'name' not set"};
  std::vector<std::string> parsed;
  for (const auto& n : names) parsed.push_back(parse_intention_name(n, "name"));
  // intention:read on every name asked (Intention.Match), before any wait.
  for (const auto& n : parsed)
    if (!n.empty()) c.caller().require(c.caller().authz().intention_read(n));
  std::function<query_answer()> run = [&] {
    auto all = stored_intentions(c.config_entries);
    json::object out;
    for (std::size_t i = 0; i < names.size(); ++i) {
      json::array a;
      for (const auto& ixn : ce::match(all, type, parsed[i])) a.emplace_back(ce::render_intention(ixn));
      out[names[i]] = std::move(a);
    }
    return query_answer{intentions_index(c.config_entries), json_response(out)};
  };
  co_return co_await blocking_query(c.hub, req, tbl_config_entries, run);
}

// GET /v1/connect/intentions/check?source=&destination= -> {"Allowed": bool}.
http_response check(endpoint_context& c, http_request& req) {
  require_connect(c);
  std::string source_type = "consul";
  if (auto t = req.query.all("source-type"); !t.empty()) source_type = t[0];
  auto sources = req.query.all("source");
  if (sources.size() != 1) throw http_error{500, "required query parameter 'source' not set"};
  auto destinations = req.query.all("destination");
  if (destinations.size() != 1) throw http_error{500, "required query parameter 'destination' not set"};
  std::string source = source_type == "consul" ? parse_intention_name(sources[0], "source") : sources[0];
  std::string destination = parse_intention_name(destinations[0], "destination");
  if (source_type != "consul") throw http_error{500, "unsupported SourceType: \"" + source_type + "\""};
  // service:read on the destination: Check tells only allowed or not.
  if (!destination.empty()) c.caller().require(c.caller().authz().service_read(destination));
  auto matches = ce::match(stored_intentions(c.config_entries), ce::match_type::destination, destination);
  json::object o;
  o["Allowed"] = ce::check_allowed(matches, "default", source, default_intention_allow(c));
  return json_response(o);
}

}  // namespace

void add_intention_routes(route_table& r) {
  r.add("/v1/connect/intentions", {"GET", "POST"}, [](endpoint_context& c, http_request& req) {
    return req.method == "GET" ? list(c, req) : immediate<create>(c, req);
  });
  r.add("/v1/connect/intentions/match", {"GET"}, &match);
  r.add("/v1/connect/intentions/check", {"GET"}, &immediate<check>);
  r.add("/v1/connect/intentions/exact", {"GET", "PUT", "DELETE"}, &exact);
  r.add("/v1/connect/intentions/", {"GET", "PUT", "DELETE"}, &by_id);
}

}  // namespace coconsul::dev
