// Decoding and checking a prepared query definition (see prepared_query_body.hpp): the
// strict decoder every request body goes through (http/json_in.hpp), and parseQuery,
// parseService and parseDNS's checks with Consul's texts.

#include "dev_agent/endpoints/prepared_query_body.hpp"

#include "dev_agent/config/validate.hpp"
#include "dev_agent/http/json_in.hpp"

#include <coconsul/duration.hpp>

#include <algorithm>
#include <cctype>

namespace coconsul::dev {
namespace json = boost::json;

namespace {

constexpr std::string_view type_name = "PreparedQuery";

// A list field that may be null (left nil, rendered null) or given (even empty).
template <class T>
json_field optional_field(std::string_view name, std::optional<T>& out) {
  return {name, [&out](const json::value& v, const json_context& ctx) {
            if (v.is_null()) return;
            T value;
            assign(v, value, ctx);
            out = std::move(value);
          }};
}

void decode_targets(const json::value& v, const json_context& ctx,
                    std::optional<std::vector<prepared_query_record::failover_target>>& out) {
  if (v.is_null()) return;
  if (!v.is_array()) throw_type_error(v, ctx, "[]structs.QueryFailoverTarget");
  out.emplace();
  for (const auto& e : v.as_array()) {
    prepared_query_record::failover_target t;
    if (!e.is_null()) {
      std::vector<json_field> f{field("Peer", t.peer), field("Datacenter", t.datacenter), ignored_field("Partition"),
                                ignored_field("Namespace")};
      decode_object(e, {ctx.type_name, ctx.path}, f);
    }
    out->push_back(std::move(t));
  }
}

void decode_failover(const json::value& v, const json_context& ctx, prepared_query_record::service_query& s) {
  if (v.is_null()) return;
  std::vector<json_field> f{
      field("NearestN", s.nearest_n),
      optional_field("Datacenters", s.datacenters),
      {"Targets", [&s](const json::value& t, const json_context& c) { decode_targets(t, c, s.targets); }},
  };
  decode_object(v, ctx, f);
}

void decode_service(const json::value& v, const json_context& ctx, prepared_query_record::service_query& s) {
  if (v.is_null()) return;
  std::vector<json_field> f{
      field("Service", s.service),
      {"Failover", [&s](const json::value& x, const json_context& c) { decode_failover(x, c, s); }},
      field("OnlyPassing", s.only_passing),
      optional_field("IgnoreCheckIDs", s.ignore_check_ids),
      field("Near", s.near),
      optional_field("Tags", s.tags),
      optional_field("NodeMeta", s.node_meta),
      optional_field("ServiceMeta", s.service_meta),
      field("Peer", s.peer),
      field("Connect", s.connect),
      ignored_field("Namespace"),
      ignored_field("Partition"),
  };
  decode_object(v, ctx, f);
}


}  // namespace

prepared_query_record decode_prepared_query(const json::value& v) {
  prepared_query_record q;
  std::uint64_t ignored_index = 0;
  std::vector<json_field> f{
      field("ID", q.id),
      field("Name", q.name),
      field("Session", q.session),
      field("Token", q.token),
      {"Template",
       [&q](const json::value& t, const json_context& ctx) {
         if (t.is_null()) return;
         std::vector<json_field> tf{field("Type", q.template_type), field("Regexp", q.template_regexp),
                                    field("RemoveEmptyTags", q.remove_empty_tags)};
         decode_object(t, ctx, tf);
       }},
      {"Service", [&q](const json::value& s, const json_context& ctx) { decode_service(s, ctx, q.service); }},
      {"DNS",
       [&q](const json::value& d, const json_context& ctx) {
         if (d.is_null()) return;
         std::vector<json_field> df{field("TTL", q.dns_ttl)};
         decode_object(d, ctx, df);
       }},
      field("CreateIndex", ignored_index),
      field("ModifyIndex", ignored_index),
  };
  decode_object(v, {type_name, ""}, f);
  return q;
}

std::string prepared_query_problem(const prepared_query_record& q) {
  if (q.name.empty() && q.template_type.empty() && q.session.empty()) return "Must be bound to a session";
  if (q.token == "<hidden>")
    return "Bad Token '" + q.token + "', it looks like a query definition with a redacted token was submitted";
  const auto& s = q.service;
  if (s.service.empty()) return "Must provide a Service name to query";
  if (s.nearest_n < 0) return "Bad NearestN '" + std::to_string(s.nearest_n) + "', must be >= 0";
  if (s.targets && !s.targets->empty() && (s.nearest_n != 0 || (s.datacenters && !s.datacenters->empty())))
    return "Targets cannot be populated with NearestN or Datacenters";
  if (s.node_meta)
    if (auto why = config::node_meta_problem(*s.node_meta, /*allow_consul_prefix=*/true); !why.empty()) return why;
  if (!q.dns_ttl.empty()) {
    std::string why;
    auto ttl = try_parse_duration(q.dns_ttl, &why);
    // Go's time.ParseDuration texts for the two ways a TTL goes wrong.
    if (!ttl && why.find("missing unit") != std::string::npos)
      return "Bad DNS TTL '" + q.dns_ttl + "': time: missing unit in duration \"" + q.dns_ttl + "\"";
    if (!ttl) return "Bad DNS TTL '" + q.dns_ttl + "': time: invalid duration \"" + q.dns_ttl + "\"";
    if (ttl->count() < 0) return "DNS TTL '" + std::to_string(ttl->count()) + "', must be >=0";
  }
  return {};
}

}  // namespace coconsul::dev
