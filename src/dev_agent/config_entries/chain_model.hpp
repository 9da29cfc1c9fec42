#pragma once
// A compiled discovery chain as Consul 1.14's structs.CompiledDiscoveryChain holds it: nodes
// (router, splitter, resolver) keyed "type:name", targets keyed by their ID. Plain data: the
// compiler (chain_compile.hpp) fills it, chain_render.hpp writes it out as Consul's JSON.

#include <boost/json/object.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coconsul::dev::config_entries {

// DiscoveryTargetOpts: what names a target.
struct target_opts {
  std::string service, service_subset, namespace_, partition, datacenter, peer;
};

// DiscoveryTarget.
struct chain_target {
  std::string id;
  target_opts opts;
  std::string mesh_gateway_mode;
  boost::json::object subset;  // the resolver's ServiceResolverSubset, as stored; {} when none
  bool dialed_directly = false;
  std::chrono::nanoseconds connect_timeout{0};
  bool external = false;
  std::string sni, name;  // both empty for a peer's target (its trust domain is unknown)
};

// DiscoveryRoute / DiscoverySplit: the entry's definition, as stored, and where it leads.
struct chain_route {
  boost::json::object definition;  // ServiceRoute
  std::string next_node;
};
struct chain_split {
  boost::json::object definition;  // ServiceSplit
  float weight = 0;                // the effective weight once nested splitters are flattened
  std::string next_node;
};

// DiscoveryResolver.
struct chain_resolver {
  bool is_default = false;
  std::chrono::nanoseconds connect_timeout{0};
  std::string target;
  std::optional<std::vector<std::string>> failover_targets;  // DiscoveryFailover.Targets
};

// DiscoveryGraphNode.
struct chain_node {
  std::string type;  // "router", "splitter", "resolver"
  std::string name;
  std::vector<chain_route> routes;
  std::vector<chain_split> splits;
  std::optional<chain_resolver> resolver;
  std::optional<boost::json::object> load_balancer;  // the resolver's LoadBalancer, as stored

  std::string key() const { return type + ":" + name; }
};

struct compiled_chain {
  std::string service_name, namespace_, partition, datacenter;
  std::string customization_hash;  // "" unless an override changed the result
  bool is_default = false;
  std::string protocol;
  std::map<std::string, std::string> service_meta;
  std::string start_node;
  std::map<std::string, chain_node> nodes;      // by key()
  std::map<std::string, chain_target> targets;  // by id
};

}  // namespace coconsul::dev::config_entries
