// Rendering prepared queries and their results in Go's field order (see
// prepared_query_body.hpp). A nil list or map is null, as Go's encoder writes it.

#include "dev_agent/endpoints/prepared_query_body.hpp"

#include "dev_agent/endpoints/render.hpp"

namespace coconsul::dev {
namespace json = boost::json;

namespace {

json::value strings_or_null(const std::optional<std::vector<std::string>>& v) {
  return v ? json::value(render_strings(*v)) : json::value(nullptr);
}

json::value map_or_null(const std::optional<std::map<std::string, std::string>>& m) {
  return m ? json::value(render_string_map(*m)) : json::value(nullptr);
}

json::object render_service_query(const prepared_query_record::service_query& s) {
  json::object failover;
  failover["NearestN"] = s.nearest_n;
  failover["Datacenters"] = strings_or_null(s.datacenters);
  if (s.targets) {
    json::array targets;
    for (const auto& t : *s.targets) {
      json::object o;
      o["Peer"] = t.peer;
      o["Datacenter"] = t.datacenter;
      targets.emplace_back(std::move(o));
    }
    failover["Targets"] = std::move(targets);
  } else {
    failover["Targets"] = nullptr;
  }
  json::object o;
  o["Service"] = s.service;
  o["Failover"] = std::move(failover);
  o["OnlyPassing"] = s.only_passing;
  o["IgnoreCheckIDs"] = strings_or_null(s.ignore_check_ids);
  o["Near"] = s.near;
  o["Tags"] = strings_or_null(s.tags);
  o["NodeMeta"] = map_or_null(s.node_meta);
  o["ServiceMeta"] = map_or_null(s.service_meta);
  o["Connect"] = s.connect;
  o["Peer"] = s.peer;
  return o;
}

}  // namespace

json::object render_prepared_query(const prepared_query_record& q) {
  json::object o;
  o["ID"] = q.id;
  o["Name"] = q.name;
  o["Session"] = q.session;
  o["Token"] = q.token;
  json::object tpl;
  tpl["Type"] = q.template_type;
  tpl["Regexp"] = q.template_regexp;
  tpl["RemoveEmptyTags"] = q.remove_empty_tags;
  o["Template"] = std::move(tpl);
  o["Service"] = render_service_query(q.service);
  json::object dns;
  dns["TTL"] = q.dns_ttl;
  o["DNS"] = std::move(dns);
  o["CreateIndex"] = q.create_index;
  o["ModifyIndex"] = q.modify_index;
  return o;
}

json::object render_query_result(const prepared_query_record& q, const query_result& r) {
  json::array nodes;
  for (const auto& i : r.nodes) {
    json::object entry;
    entry["Node"] = i.node ? json::value(render_node(*i.node)) : json::value(nullptr);
    entry["Service"] = render_node_service(*i.service);
    json::array checks;
    for (const auto* c : i.checks) checks.emplace_back(render_check(*c));
    entry["Checks"] = std::move(checks);
    nodes.emplace_back(std::move(entry));
  }
  json::object o;
  o["Service"] = q.service.service;
  o["Nodes"] = std::move(nodes);
  json::object dns;
  dns["TTL"] = q.dns_ttl;
  o["DNS"] = std::move(dns);
  o["Datacenter"] = r.datacenter;
  o["PeerName"] = "";
  o["Failovers"] = r.failovers;
  return o;
}

}  // namespace coconsul::dev
