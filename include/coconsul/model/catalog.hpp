#pragma once
// The catalog: nodes, the rows of /v1/catalog/service/:name, a node with its services, and
// the bodies of /v1/catalog/register and /v1/catalog/deregister.

#include <coconsul/model/check.hpp>
#include <coconsul/model/service.hpp>
#include <coconsul/model/wire.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coconsul {

// A node (Consul's Node): /v1/catalog/nodes and the Node of each health service entry.
struct node {
  std::string id{};
  std::string node{};  // the node name
  std::string address{};
  std::string datacenter{};
  std::map<std::string, std::string> tagged_addresses{};  // "lan", "wan", ... -> address
  std::map<std::string, std::string> meta{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;
  std::string partition{};
  std::string peer_name{};

  bool operator==(const coconsul::node&) const = default;
};
COCONSUL_WIRE_STRUCT(node,
                     (id, "ID"), (node, "Node"), (address, "Address"),
                     (datacenter, "Datacenter"), (tagged_addresses, "TaggedAddresses"),
                     (meta, "Meta"), (create_index, "CreateIndex"),
                     (modify_index, "ModifyIndex"), (partition, "Partition"),
                     (peer_name, "PeerName"))

// One instance of a service with its node, flattened (Consul's CatalogService): a row of
// GET /v1/catalog/service/:name. It carries no health; use service_entry for that.
struct catalog_service {
  std::string id{};  // the node's ID
  std::string node{};
  std::string address{};  // the node's address
  std::string datacenter{};
  std::map<std::string, std::string> tagged_addresses{};
  std::map<std::string, std::string> node_meta{};
  std::string service_id{};
  std::string service_name{};
  std::string service_kind{};
  std::string service_address{};  // empty: use address
  std::map<std::string, coconsul::service_address> service_tagged_addresses{};
  std::vector<std::string> service_tags{};
  std::map<std::string, std::string> service_meta{};
  int service_port = 0;
  coconsul::weights service_weights{};
  bool service_enable_tag_override = false;
  proxy_config service_proxy{};      // proxies and gateways; Consul sends it empty for the rest
  coconsul::service_connect service_connect{};  // native
  std::string namespace_name{};
  std::string partition{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const catalog_service&) const = default;
};
COCONSUL_WIRE_STRUCT(catalog_service,
                     (id, "ID"), (node, "Node"), (address, "Address"),
                     (datacenter, "Datacenter"), (tagged_addresses, "TaggedAddresses"),
                     (node_meta, "NodeMeta"), (service_id, "ServiceID"),
                     (service_name, "ServiceName"), (service_kind, "ServiceKind"),
                     (service_address, "ServiceAddress"),
                     (service_tagged_addresses, "ServiceTaggedAddresses"),
                     (service_tags, "ServiceTags"), (service_meta, "ServiceMeta"),
                     (service_port, "ServicePort"), (service_weights, "ServiceWeights"),
                     (service_enable_tag_override, "ServiceEnableTagOverride"),
                     (service_proxy, "ServiceProxy"), (service_connect, "ServiceConnect"),
                     (namespace_name, "Namespace"), (partition, "Partition"),
                     (create_index, "CreateIndex"), (modify_index, "ModifyIndex"))

// A node with the services registered on it (Consul's CatalogNode): GET
// /v1/catalog/node/:node; services are keyed by service ID.
struct catalog_node {
  coconsul::node node{};
  std::map<std::string, agent_service> services{};

  bool operator==(const catalog_node&) const = default;
};
COCONSUL_WIRE_STRUCT(catalog_node, (node, "Node"), (services, "Services"))

// The body of PUT /v1/catalog/register (Consul's CatalogRegistration).
struct catalog_registration {
  std::string id{};
  std::string node{};  // required
  std::string address{};  // required
  std::map<std::string, std::string> tagged_addresses{};
  std::map<std::string, std::string> node_meta{};
  std::string datacenter{};
  std::optional<agent_service> service{};
  std::optional<health_check> check{};
  std::vector<health_check> checks{};
  bool skip_node_update = false;
  std::string partition{};

  bool operator==(const catalog_registration&) const = default;
};
COCONSUL_WIRE_STRUCT(catalog_registration,
                     (id, "ID"), (node, "Node"), (address, "Address"),
                     (tagged_addresses, "TaggedAddresses"), (node_meta, "NodeMeta"),
                     (datacenter, "Datacenter"), (service, "Service"), (check, "Check"),
                     (checks, "Checks"), (skip_node_update, "SkipNodeUpdate"),
                     (partition, "Partition"))

// The body of PUT /v1/catalog/deregister (Consul's CatalogDeregistration): the node, or one
// of its services (service_id), or one of its checks (check_id).
struct catalog_deregistration {
  std::string node{};  // required
  std::string address{};
  std::string datacenter{};
  std::string service_id{};
  std::string check_id{};
  std::string namespace_name{};
  std::string partition{};

  bool operator==(const catalog_deregistration&) const = default;
};
COCONSUL_WIRE_STRUCT(catalog_deregistration,
                     (node, "Node"), (address, "Address"), (datacenter, "Datacenter"),
                     (service_id, "ServiceID"), (check_id, "CheckID"),
                     (namespace_name, "Namespace"), (partition, "Partition"))

}  // namespace coconsul
