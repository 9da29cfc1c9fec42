#pragma once
// A compiled discovery chain (GET|POST /v1/discovery-chain/:service): Consul's
// CompiledDiscoveryChain as of 1.14. Walk it from start_node through `nodes`: a router's routes
// and a splitter's splits name the next node, a resolver names its target (and its failover
// targets) in `targets`. The route and split definitions are the config entries' own types.

#include <coconsul/model/config_entry_chain.hpp>
#include <coconsul/model/config_entry_service.hpp>
#include <coconsul/model/wire.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coconsul {

// How a resolver fails over: the targets to try, in order.
struct discovery_failover {
  std::vector<std::string> targets{};

  bool operator==(const discovery_failover&) const = default;
};
COCONSUL_WIRE_STRUCT(discovery_failover, (targets, "Targets"))

struct discovery_resolver {
  bool is_default = false;  // made up by Consul: no service-resolver entry applies
  std::chrono::nanoseconds connect_timeout{};
  std::string target{};  // a key of compiled_discovery_chain::targets
  std::optional<discovery_failover> failover{};

  bool operator==(const discovery_resolver&) const = default;
};
COCONSUL_WIRE_STRUCT(discovery_resolver, (is_default, "Default"), (connect_timeout, "ConnectTimeout"),
                     (target, "Target"), (failover, "Failover"))

struct discovery_route {
  std::optional<service_route> definition{};
  std::string next_node{};

  bool operator==(const discovery_route&) const = default;
};
COCONSUL_WIRE_STRUCT(discovery_route, (definition, "Definition"), (next_node, "NextNode"))

struct discovery_split {
  std::optional<service_split> definition{};
  double weight = 0;  // the effective percentage, nested splitters flattened
  std::string next_node{};

  bool operator==(const discovery_split&) const = default;
};
COCONSUL_WIRE_STRUCT(discovery_split, (definition, "Definition"), (weight, "Weight"), (next_node, "NextNode"))

// One node: `type` says which of routes, splits or resolver is set.
struct discovery_graph_node {
  std::string type{};  // "router", "splitter" or "resolver"
  std::string name{};
  std::vector<discovery_route> routes{};
  std::vector<discovery_split> splits{};
  std::optional<discovery_resolver> resolver{};
  std::optional<coconsul::load_balancer> load_balancer{};  // a resolver's, or a splitter's hash-based one

  bool is_router() const { return type == "router"; }
  bool is_splitter() const { return type == "splitter"; }
  bool is_resolver() const { return type == "resolver"; }
  bool operator==(const discovery_graph_node&) const = default;
};
COCONSUL_WIRE_STRUCT(discovery_graph_node, (type, "Type"), (name, "Name"), (routes, "Routes"), (splits, "Splits"),
                     (resolver, "Resolver"), (load_balancer, "LoadBalancer"))

struct discovery_target_tproxy {
  bool dialed_directly = false;

  bool operator==(const discovery_target_tproxy&) const = default;
};
COCONSUL_WIRE_STRUCT(discovery_target_tproxy, (dialed_directly, "DialedDirectly"))

// Where a resolver sends traffic: a service (subset) in a datacenter, or a peer's.
struct discovery_target {
  std::string id{};  // "[subset.]service.namespace.partition.datacenter"
  std::string service{};
  std::string service_subset{};
  std::string namespace_name{};
  std::string partition{};
  std::string datacenter{};
  std::string peer{};
  entry_mesh_gateway mesh_gateway{};
  service_resolver_subset subset{};  // the subset's filter
  discovery_target_tproxy transparent_proxy{};
  std::chrono::nanoseconds connect_timeout{};
  bool external = false;  // service-defaults' ExternalSNI
  std::string sni{};      // the TLS server name of its instances
  std::string name{};

  bool operator==(const discovery_target&) const = default;
};
COCONSUL_WIRE_STRUCT(discovery_target, (id, "ID"), (service, "Service"), (service_subset, "ServiceSubset"),
                     (namespace_name, "Namespace"), (partition, "Partition"), (datacenter, "Datacenter"),
                     (peer, "Peer"), (mesh_gateway, "MeshGateway"), (subset, "Subset"),
                     (transparent_proxy, "TransparentProxy"), (connect_timeout, "ConnectTimeout"),
                     (external, "External"), (sni, "SNI"), (name, "Name"))

struct compiled_discovery_chain {
  std::string service_name{};
  std::string namespace_name{};
  std::string partition{};
  std::string datacenter{};
  std::string customization_hash{};  // set when an override changed the chain
  bool is_default = false;           // no router, splitter or resolver entry applies
  std::string protocol{};
  std::map<std::string, std::string> service_meta{};
  std::string start_node{};
  std::map<std::string, discovery_graph_node> nodes{};
  std::map<std::string, discovery_target> targets{};

  bool operator==(const compiled_discovery_chain&) const = default;
};
COCONSUL_WIRE_STRUCT(compiled_discovery_chain, (service_name, "ServiceName"), (namespace_name, "Namespace"),
                     (partition, "Partition"), (datacenter, "Datacenter"),
                     (customization_hash, "CustomizationHash"), (is_default, "Default"), (protocol, "Protocol"),
                     (service_meta, "ServiceMeta"), (start_node, "StartNode"), (nodes, "Nodes"),
                     (targets, "Targets"))

// The endpoint's answer: {"Chain": {...}}.
struct discovery_chain_response {
  compiled_discovery_chain chain{};

  bool operator==(const discovery_chain_response&) const = default;
};
COCONSUL_WIRE_STRUCT(discovery_chain_response, (chain, "Chain"))

// The overrides of a chain read (POST's body); all empty: a plain GET.
struct discovery_chain_options {
  std::string compile_datacenter{};              // ?compile-dc; "": the agent's
  std::string override_protocol{};               // "tcp" drops routers and splitters
  std::chrono::nanoseconds override_connect_timeout{};
  std::string override_mesh_gateway_mode{};      // "none", "local" or "remote"

  // Whether the read must be a POST carrying the overrides (Go's requiresPOST).
  bool overrides() const {
    return !override_protocol.empty() || override_connect_timeout.count() != 0 || !override_mesh_gateway_mode.empty();
  }
};

}  // namespace coconsul
