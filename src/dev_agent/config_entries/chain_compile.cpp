// The discovery chain compiler (see chain_compile.hpp), following discoverychain/compile.go's
// steps: assemble router -> splitter -> resolver nodes, detect circular references, flatten
// splitters that lead to splitters, drop unreachable nodes and targets, check the protocol,
// apply the overrides. Errors travel as return values (one `fail` per Consul error).
// Over 500 lines because the steps are one class's methods sharing the chain being built, as
// compile.go's are; the pure helpers (targets, hash, render) are in their own chain_* files.

#include "dev_agent/config_entries/chain_compile.hpp"

#include "dev_agent/config_entries/chain_hash.hpp"
#include "dev_agent/config_entries/chain_targets.hpp"
#include "dev_agent/config_entries/common_rules.hpp"
#include "dev_agent/config_entries/decode.hpp"
#include "dev_agent/config_entries/entry_fields.hpp"
#include "dev_agent/config_entries/errors.hpp"
#include "dev_agent/config_entries/schema.hpp"
#include "dev_agent/config_entries/service_defaults.hpp"
#include "dev_agent/config_entries/service_resolver.hpp"
#include "dev_agent/config_entries/service_router.hpp"
#include "dev_agent/config_entries/service_splitter.hpp"

#include <cmath>
#include <optional>
#include <set>

namespace coconsul::dev::config_entries {

namespace json = boost::json;

const json::object* chain_entries::find(std::string_view k, std::string_view n) const {
  if (!kind.empty() && k == kind && n == name) return proposed;
  const auto* r = store.find(k, n);
  return r ? &r->body : nullptr;
}

namespace {

constexpr std::string_view default_ns = "default";

// A service's node name: "svc.ns.partition" (serviceIDString).
std::string service_id_string(std::string_view service) {
  return std::string(service) + "." + std::string(default_ns) + "." + std::string(default_ns);
}

// NormalizeServiceSplitWeight: rounded to 0.01, in float32.
float normalize_weight(float w) {
  double scaled = std::round(static_cast<double>(w * 100.0f));
  std::uint32_t n = scaled <= 0 ? 0u : static_cast<std::uint32_t>(scaled);
  return static_cast<float>(n) / 100.0f;
}

bool hash_based(const std::optional<json::object>& lb) {
  if (!lb) return false;
  auto p = str(*lb, "Policy");
  return p == "ring_hash" || p == "maglev";
}

// MergeHTTPHeaderModifiers(base, overrides): overrides win on Add/Set; Remove deduplicated.
std::optional<json::object> merge_headers(const json::object* base, const json::object* over) {
  auto zero = [](const json::object* h) {
    return !h || (count(*h, "Add") == 0 && count(*h, "Set") == 0 && count(*h, "Remove") == 0);
  };
  if (zero(base)) return over ? std::optional<json::object>(*over) : std::nullopt;
  json::object merged = *base;
  if (zero(over)) return merged;
  for (std::string_view key : {"Add", "Set"})
    if (const auto* m = obj(*over, key)) {
      auto* dst = obj(merged, key);
      if (!dst) dst = &merged[key].emplace_object();
      for (const auto& [k, v] : *m) (*dst)[k] = v;
    }
  if (const auto* rm = arr(*over, "Remove")) {
    auto* dst = arr(merged, "Remove");
    if (!dst) dst = &merged["Remove"].emplace_array();
    std::set<std::string> seen;
    for (const auto& v : *dst)
      if (v.is_string()) seen.emplace(v.get_string());
    for (const auto& v : *rm)
      if (v.is_string() && seen.emplace(v.get_string()).second) dst->push_back(v);
  }
  return merged;
}

// ServiceSplit.MergeParent: the child's definition with the parent's request handling merged
// in under it, and the parent's response handling over it.
json::object merge_parent(const json::object& child, const json::object& parent) {
  json::object out = child;
  auto req = merge_headers(obj(parent, "RequestHeaders"), obj(child, "RequestHeaders"));
  auto resp = merge_headers(obj(child, "ResponseHeaders"), obj(parent, "ResponseHeaders"));
  if (req) out["RequestHeaders"] = std::move(*req);
  if (resp) out["ResponseHeaders"] = std::move(*resp);
  return out;
}

// The route Consul appends to every router: everything else to the router's own service.
json::object default_route(std::string_view service) {
  json::object route;
  route["Match"] = json::object{{"HTTP", json::object{{"PathPrefix", "/"}}}};
  route["Destination"] = json::object{{"Service", service}, {"Namespace", default_ns}, {"Partition", default_ns}};
  // Rendered through the router's schema, so it reads as the stored routes do.
  json::object entry{{"Kind", "service-router"}, {"Name", service}, {"Routes", json::array{route}}};
  json::object rendered = render_entry(*entry_schema("service-router"), entry);
  return rendered.at("Routes").as_array().at(0).as_object();
}

// A resolver as the compiler uses it: the stored entry, or the default one Consul makes up.
struct resolver_info {
  service_resolver view;
  const json::object* body = nullptr;  // null for a default resolver

  bool is_default() const {
    return view.default_subset.empty() && view.subsets.empty() && !view.redirect && view.failover.empty() &&
           view.connect_timeout.count() == 0 && !view.lb;
  }
};

using error = std::optional<std::string>;

class compiler {
 public:
  compiler(const chain_entries& entries, const chain_request& req) : entries_(entries), req_(req) {
    if (!req.override_protocol.empty()) disable_advanced_ = !http_like(req.override_protocol);
  }

  chain_result run() {
    if (auto e = assemble()) return *e;
    if (auto e = detect_circular_references()) return *e;
    flatten_adjacent_splitters();
    remove_unused_nodes();
    for (auto it = out_.targets.begin(); it != out_.targets.end();)
      it = retained_.contains(it->first) ? std::next(it) : out_.targets.erase(it);
    if (!http_like(protocol_) && uses_advanced_)
      return "discovery chain " + go_quote(req_.service) + " uses a protocol " + go_quote(protocol_) +
             " that does not permit advanced routing or splitting behavior";
    if (!req_.override_protocol.empty() && req_.override_protocol != protocol_) {
      protocol_ = req_.override_protocol;
      customized_protocol_ = true;
    }
    if (customized_mesh_ || customized_protocol_ || customized_timeout_)
      out_.customization_hash =
          customization_hash(customized_mesh_ ? req_.override_mesh_gateway : "",
                             customized_protocol_ ? req_.override_protocol : "",
                             customized_timeout_ ? req_.override_connect_timeout : std::chrono::nanoseconds(0));
    out_.service_name = req_.service;
    out_.namespace_ = out_.partition = std::string(default_ns);
    out_.datacenter = req_.datacenter;
    out_.protocol = protocol_;
    out_.is_default = is_default_chain();
    return std::move(out_);
  }

 private:
  // --- entries ---
  const json::object* service_defaults_body(std::string_view service) const {
    return entries_.find("service-defaults", service);
  }
  const json::object* proxy_defaults_body() const { return entries_.find("proxy-defaults", "global"); }

  const resolver_info& resolver_for(const std::string& service) {
    auto it = resolvers_.find(service);
    if (it != resolvers_.end()) return it->second;
    resolver_info r;
    if (const auto* body = entries_.find("service-resolver", service)) {
      r.view = read_service_resolver(*body);
      r.body = body;
    } else {
      r.view.name = service;
    }
    return resolvers_.emplace(service, std::move(r)).first->second;
  }

  // --- protocol ---
  error record_service_protocol(std::string_view service) {
    if (const auto* sd = service_defaults_body(service)) return record_protocol(service, str(*sd, "Protocol"));
    if (const auto* pd = proxy_defaults_body()) {
      auto p = read_proxy_defaults(*pd).protocol;
      if (!p.empty()) return record_protocol(service, p);
    }
    return record_protocol(service, "");
  }

  error record_protocol(std::string_view service, std::string_view given) {
    std::string protocol = given.empty() ? std::string("tcp") : ascii_lower(given);
    if (protocol_.empty()) {
      protocol_ = protocol;
    } else if (protocol_ != protocol) {
      return "discovery chain " + go_quote(req_.service) + " uses inconsistent protocols; service " +
             go_quote(service) + " has " + go_quote(protocol) + " which is not " + go_quote(protocol_);
    }
    return std::nullopt;
  }

  // --- targets ---
  // newTarget: the defaults filled in; the one already loaded with that ID if any.
  std::string new_target(target_opts o) {
    if (o.peer.empty()) {
      if (o.datacenter.empty()) o.datacenter = req_.datacenter;
      if (o.namespace_.empty()) o.namespace_ = std::string(default_ns);
      if (o.partition.empty()) o.partition = std::string(default_ns);
    } else {
      o.datacenter.clear();
      o.partition = std::string(default_ns);
      if (o.namespace_.empty()) o.namespace_ = std::string(default_ns);
    }
    std::string id = target_id(o);
    if (out_.targets.contains(id)) return id;
    chain_target t;
    t.id = id;
    if (o.peer.empty()) {
      t.sni = target_sni(o, req_.trust_domain);
      t.name = t.sni;
    }
    t.opts = std::move(o);
    out_.targets.emplace(id, std::move(t));
    return id;
  }

  std::string rewrite(const std::string& id, const target_opts& with) {
    return new_target(rewrite_target(out_.targets.at(id).opts, with));
  }

  // --- nodes ---
  const chain_node& record(chain_node n) {
    std::string key = n.key();
    if (n.type == "splitter") splitter_nodes_[n.name] = key;
    if (n.type == "resolver") resolve_nodes_[n.resolver->target] = key;
    return out_.nodes[key] = std::move(n);
  }

  error assemble() {
    if (const auto* sd = service_defaults_body(req_.service)) out_.service_meta = read_service_defaults(*sd).meta;

    const json::object* router = entries_.find("service-router", req_.service);
    if (router && disable_advanced_) {
      router = nullptr;
      customized_protocol_ = true;
    }
    std::string key;
    if (!router) {
      if (auto e = splitter_or_resolver(new_target({.service = req_.service}), key)) return e;
      out_.start_node = key;
      return std::nullopt;
    }

    chain_node node{.type = "router", .name = service_id_string(req_.service)};
    uses_advanced_ = true;
    if (auto e = record_service_protocol(req_.service)) return e;
    service_router view = read_service_router(*router);
    const auto* raw_routes = arr(*router, "Routes");
    for (std::size_t i = 0; i < view.routes.size(); ++i) {
      chain_route route{.definition = raw_routes->at(i).as_object()};
      route_destination dest = view.routes[i].destination.value_or(route_destination{.service = req_.service});
      std::string svc = dest.service.empty() ? req_.service : dest.service;
      error e = dest.service_subset.empty()
                    ? splitter_or_resolver(new_target({.service = svc}), key)
                    : resolver_node(new_target({.service = svc, .service_subset = dest.service_subset}), false, key);
      if (e) return e;
      route.next_node = key;
      node.routes.push_back(std::move(route));
    }
    if (auto e = splitter_or_resolver(new_target({.service = req_.service}), key)) return e;
    node.routes.push_back(chain_route{default_route(req_.service), key});
    out_.start_node = node.key();
    record(std::move(node));
    return std::nullopt;
  }

  error splitter_or_resolver(const std::string& target, std::string& key) {
    std::string service = out_.targets.at(target).opts.service;
    bool found = false;
    if (auto e = splitter_node(service, key, found)) return e;
    if (found) return std::nullopt;
    return resolver_node(target, false, key);
  }

  error splitter_node(const std::string& service, std::string& key, bool& found) {
    std::string name = service_id_string(service);
    found = false;
    if (auto it = splitter_nodes_.find(name); it != splitter_nodes_.end()) {
      key = it->second;
      found = true;
      return std::nullopt;
    }
    const json::object* splitter = entries_.find("service-splitter", service);
    if (splitter && disable_advanced_) {
      splitter = nullptr;
      customized_protocol_ = true;
    }
    if (!splitter) return std::nullopt;

    // Recorded before its splits are followed, so a loop below finds it and stops.
    std::string self = record(chain_node{.type = "splitter", .name = name}).key();
    service_splitter view = read_service_splitter(*splitter);
    const auto* raw = arr(*splitter, "Splits");
    bool has_lb = false;
    for (std::size_t i = 0; i < view.splits.size(); ++i) {
      const service_split& s = view.splits[i];
      chain_split split{.definition = raw->at(i).as_object(), .weight = static_cast<float>(s.weight)};
      std::string svc = s.service.empty() ? service : s.service;
      std::string next;
      bool nested = false;
      if (svc != service && s.service_subset.empty())
        if (auto e = splitter_node(svc, next, nested)) return e;
      if (!nested) {
        if (auto e = resolver_node(new_target({.service = svc, .service_subset = s.service_subset}), false, next))
          return e;
        const chain_node& n = out_.nodes.at(next);
        if (!has_lb && hash_based(n.load_balancer)) {
          out_.nodes.at(self).load_balancer = n.load_balancer;
          has_lb = true;
        }
      }
      split.next_node = next;
      out_.nodes.at(self).splits.push_back(std::move(split));
    }
    uses_advanced_ = true;
    key = self;
    found = true;
    return std::nullopt;
  }

  // getResolverNode: follows redirects and the default subset, then builds the node. For a
  // failover target (`for_failover`) the node is not recorded and `key` is its target's ID.
  error resolver_node(std::string target, bool for_failover, std::string& key) {
    std::set<std::string> history;
    std::vector<std::string> order;
    for (;;) {
      if (auto it = resolve_nodes_.find(target); it != resolve_nodes_.end()) {
        key = for_failover ? target : it->second;
        return std::nullopt;
      }
      const target_opts& opts = out_.targets.at(target).opts;
      std::string service = opts.service;
      if (opts.peer.empty())
        if (auto e = record_service_protocol(service)) return e;
      const resolver_info& resolver = resolver_for(service);
      order.push_back(target);
      if (!history.insert(target).second) {
        std::string path;
        for (const auto& t : order) path += (path.empty() ? "" : " -> ") + t;
        return "detected circular resolver redirect: [" + path + "]";
      }
      if (const auto& r = resolver.view.redirect) {
        std::string redirected = rewrite(target, {r->service, r->service_subset, r->namespace_, r->partition,
                                                  r->datacenter, r->peer});
        if (redirected != target) {
          target = redirected;
          continue;
        }
      }
      if (opts.service_subset.empty() && !resolver.view.default_subset.empty()) {
        target = rewrite(target, {.service_subset = resolver.view.default_subset});
        continue;
      }
      return build_resolver(target, resolver, for_failover, key);
    }
  }

  error build_resolver(const std::string& target, const resolver_info& resolver, bool for_failover, std::string& key) {
    chain_target& t = out_.targets.at(target);
    const std::string service = t.opts.service;
    const std::string subset = t.opts.service_subset;
    if (!subset.empty() && !resolver.view.subsets.contains(subset))
      return "service " + go_quote(service) + " does not have a subset named " + go_quote(subset);

    auto timeout = resolver.view.connect_timeout;
    if (timeout.count() < 1) timeout = std::chrono::seconds(5);
    if (req_.override_connect_timeout.count() > 0 && timeout != req_.override_connect_timeout) {
      timeout = req_.override_connect_timeout;
      customized_timeout_ = true;
    }
    t.connect_timeout = timeout;

    chain_node node{.type = "resolver", .name = target};
    node.resolver = chain_resolver{.is_default = resolver.is_default(), .connect_timeout = timeout, .target = target};
    if (resolver.body)
      if (const auto* lb = obj(*resolver.body, "LoadBalancer")) node.load_balancer = *lb;

    t.subset = json::object();
    if (resolver.body && !subset.empty())
      if (const auto* subsets = obj(*resolver.body, "Subsets"))
        if (const auto* s = obj(*subsets, subset)) t.subset = *s;

    const json::object* sd_body = service_defaults_body(service);
    std::optional<service_defaults> sd;
    if (sd_body) sd = read_service_defaults(*sd_body);
    if (sd && !sd->external_sni.empty()) {
      t.sni = sd->external_sni;
      t.external = true;
    }
    if (t.external) {
      auto refuse = [&](std::string_view what) {
        return "service " + go_quote(service) + " has an external SNI set; cannot define " + std::string(what) +
               " for external services";
      };
      if (resolver.view.redirect) return refuse("redirects");
      if (!resolver.view.subsets.empty()) return refuse("subsets");
      if (!resolver.view.failover.empty()) return refuse("failover");
      t.mesh_gateway_mode.clear();
    } else {
      if (sd) {
        t.mesh_gateway_mode = sd->mesh_gateway.mode;
        t.dialed_directly = sd->dialed_directly;
      }
      if (const auto* pd_body = proxy_defaults_body()) {
        proxy_defaults pd = read_proxy_defaults(*pd_body);
        if (t.mesh_gateway_mode.empty()) t.mesh_gateway_mode = pd.mesh_gateway.mode;
        if (!t.dialed_directly) t.dialed_directly = pd.dialed_directly;
      }
      if (!req_.override_mesh_gateway.empty() && t.mesh_gateway_mode != req_.override_mesh_gateway) {
        t.mesh_gateway_mode = req_.override_mesh_gateway;
        customized_mesh_ = true;
      }
    }
    retained_.insert(target);

    if (for_failover) {
      key = target;
      return std::nullopt;
    }
    key = record(std::move(node)).key();
    return failover(target, resolver, key);
  }

  error failover(const std::string& target, const resolver_info& resolver, const std::string& node_key) {
    const auto& f = resolver.view.failover;
    if (f.empty()) return std::nullopt;
    auto it = f.find(out_.targets.at(target).opts.service_subset);
    if (it == f.end()) it = f.find("*");
    if (it == f.end()) return std::nullopt;
    const resolver_failover& fo = it->second;

    std::vector<std::string> candidates;
    auto add = [&](const target_opts& with) {
      std::string t = rewrite(target, with);
      if (t != target) candidates.push_back(t);  // never fail over to oneself
    };
    target_opts base{.service = fo.service, .service_subset = fo.service_subset, .namespace_ = fo.namespace_};
    if (!fo.datacenters.empty()) {
      for (const auto& dc : fo.datacenters) {
        base.datacenter = dc;
        add(base);
      }
    } else if (!fo.targets.empty()) {
      for (const auto& ft : fo.targets)
        add({ft.service, ft.service_subset, ft.namespace_, ft.partition, ft.datacenter, ft.peer});
    } else {
      add(base);
    }
    if (candidates.empty()) return std::nullopt;

    std::vector<std::string> resolved;
    for (const auto& c : candidates) {
      std::string t;
      if (auto e = resolver_node(c, true, t)) return e;
      resolved.push_back(t);
    }
    out_.nodes.at(node_key).resolver->failover_targets = std::move(resolved);
    return std::nullopt;
  }

  // --- after assembly ---
  std::vector<std::string> next_nodes(const chain_node& n) const {
    std::vector<std::string> out;
    for (const auto& r : n.routes) out.push_back(r.next_node);
    for (const auto& s : n.splits) out.push_back(s.next_node);
    return out;
  }

  // A depth-first walk from the start that reports the first node met twice on one path.
  error detect_circular_references() const {
    std::vector<std::string> todo{out_.start_node};
    std::vector<std::string> path;
    std::set<std::string> on_path;
    const std::string pop_marker = "_popvisit";
    while (!todo.empty()) {
      std::string current = todo.back();
      todo.pop_back();
      if (current == pop_marker) {
        if (!path.empty()) {
          on_path.erase(path.back());
          path.pop_back();
        }
        continue;
      }
      path.push_back(current);
      if (!on_path.insert(current).second) {
        std::string text;
        for (const auto& p : path) text += (text.empty() ? "" : " -> ") + p;
        return "detected circular reference: [" + text + "]";
      }
      todo.push_back(pop_marker);
      for (auto& next : next_nodes(out_.nodes.at(current))) todo.push_back(std::move(next));
    }
    return std::nullopt;
  }

  void flatten_adjacent_splitters() {
    for (bool any = true; any;) {
      any = false;
      for (auto& [key, node] : out_.nodes) {
        if (node.type != "splitter") continue;
        std::vector<chain_split> fixed;
        bool changed = false;
        for (const auto& split : node.splits) {
          const chain_node& next = out_.nodes.at(split.next_node);
          if (next.type != "splitter") {
            fixed.push_back(split);
            continue;
          }
          changed = true;
          for (const auto& inner : next.splits)
            fixed.push_back(chain_split{merge_parent(inner.definition, split.definition),
                                        normalize_weight(split.weight * inner.weight / 100.0f), inner.next_node});
        }
        if (changed) {
          node.splits = std::move(fixed);
          any = true;
        }
      }
    }
  }

  void remove_unused_nodes() {
    std::set<std::string> visited;
    std::vector<std::string> todo{out_.start_node};
    while (!todo.empty()) {
      std::string next = todo.back();
      todo.pop_back();
      if (!visited.insert(next).second) continue;
      for (auto& n : next_nodes(out_.nodes.at(next))) todo.push_back(std::move(n));
    }
    std::erase_if(out_.nodes, [&](const auto& kv) { return !visited.contains(kv.first); });
  }

  // determineIfDefaultChain: only the default resolution of the chain's own service.
  bool is_default_chain() const {
    if (out_.start_node.empty() || out_.nodes.empty()) return true;
    const chain_node& n = out_.nodes.at(out_.start_node);
    if (n.type != "resolver" || !n.resolver->is_default) return false;
    const chain_target& t = out_.targets.at(n.resolver->target);
    return t.opts.service == req_.service && t.opts.namespace_ == default_ns && t.opts.partition == default_ns;
  }

  const chain_entries& entries_;
  const chain_request& req_;
  compiled_chain out_;
  std::map<std::string, resolver_info> resolvers_;
  std::map<std::string, std::string> splitter_nodes_;  // node name -> key
  std::map<std::string, std::string> resolve_nodes_;   // target ID -> key
  std::set<std::string> retained_;
  std::string protocol_;
  bool uses_advanced_ = false;
  bool disable_advanced_ = false;
  bool customized_mesh_ = false, customized_protocol_ = false, customized_timeout_ = false;
};

}  // namespace

chain_result compile_chain(const chain_entries& entries, const chain_request& request) {
  return compiler(entries, request).run();
}

}  // namespace coconsul::dev::config_entries
