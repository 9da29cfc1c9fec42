// Rendering a compiled discovery chain (see chain_render.hpp).

#include "dev_agent/config_entries/chain_render.hpp"

#include "dev_agent/config_entries/entry_fields.hpp"

#include <coconsul/duration.hpp>

namespace coconsul::dev::config_entries {

namespace json = boost::json;

namespace {

void put_string(json::object& o, std::string_view key, std::string_view v) {
  if (!v.empty()) o[key] = v;
}

void put_duration(json::object& o, std::string_view key, std::chrono::nanoseconds d) {
  if (d.count() != 0) o[key] = format_duration(d);
}

json::object render_target(const chain_target& t) {
  json::object o;
  put_duration(o, "ConnectTimeout", t.connect_timeout);
  put_string(o, "ID", t.id);
  put_string(o, "Service", t.opts.service);
  put_string(o, "ServiceSubset", t.opts.service_subset);
  put_string(o, "Namespace", t.opts.namespace_);
  put_string(o, "Partition", t.opts.partition);
  put_string(o, "Datacenter", t.opts.datacenter);
  put_string(o, "Peer", t.opts.peer);
  json::object mesh;
  put_string(mesh, "Mode", t.mesh_gateway_mode);
  o["MeshGateway"] = std::move(mesh);
  o["Subset"] = t.subset;
  json::object tproxy;
  if (t.dialed_directly) tproxy["DialedDirectly"] = true;
  o["TransparentProxy"] = std::move(tproxy);
  if (t.external) o["External"] = true;
  put_string(o, "SNI", t.sni);
  put_string(o, "Name", t.name);
  return o;
}

json::object render_resolver(const chain_resolver& r) {
  json::object o;
  put_duration(o, "ConnectTimeout", r.connect_timeout);
  if (r.is_default) o["Default"] = true;
  put_string(o, "Target", r.target);
  if (r.failover_targets) {
    json::object f;
    if (!r.failover_targets->empty()) {
      json::array targets;
      for (const auto& t : *r.failover_targets) targets.emplace_back(t);
      f["Targets"] = std::move(targets);
    }
    o["Failover"] = std::move(f);
  }
  return o;
}

json::object render_node(const chain_node& n) {
  json::object o;
  o["Type"] = n.type;
  o["Name"] = n.name;
  if (!n.routes.empty()) {
    json::array routes;
    for (const auto& r : n.routes) {
      json::object x;
      x["Definition"] = r.definition;
      put_string(x, "NextNode", r.next_node);
      routes.emplace_back(std::move(x));
    }
    o["Routes"] = std::move(routes);
  }
  if (!n.splits.empty()) {
    json::array splits;
    for (const auto& s : n.splits) {
      json::object x;
      x["Definition"] = s.definition;
      if (s.weight != 0) x["Weight"] = as_float32(s.weight);
      put_string(x, "NextNode", s.next_node);
      splits.emplace_back(std::move(x));
    }
    o["Splits"] = std::move(splits);
  }
  if (n.resolver) o["Resolver"] = render_resolver(*n.resolver);
  if (n.load_balancer) o["LoadBalancer"] = *n.load_balancer;
  return o;
}

}  // namespace

json::object render_chain(const compiled_chain& c) {
  json::object o;
  o["ServiceName"] = c.service_name;
  o["Namespace"] = c.namespace_;
  o["Partition"] = c.partition;
  o["Datacenter"] = c.datacenter;
  put_string(o, "CustomizationHash", c.customization_hash);
  if (c.is_default) o["Default"] = true;
  put_string(o, "Protocol", c.protocol);
  if (!c.service_meta.empty()) {
    json::object meta;
    for (const auto& [k, v] : c.service_meta) meta[k] = v;
    o["ServiceMeta"] = std::move(meta);
  }
  put_string(o, "StartNode", c.start_node);
  if (!c.nodes.empty()) {
    json::object nodes;
    for (const auto& [k, n] : c.nodes) nodes[k] = render_node(n);
    o["Nodes"] = std::move(nodes);
  }
  if (!c.targets.empty()) {
    json::object targets;
    for (const auto& [k, t] : c.targets) targets[k] = render_target(t);
    o["Targets"] = std::move(targets);
  }
  return o;
}

}  // namespace coconsul::dev::config_entries
