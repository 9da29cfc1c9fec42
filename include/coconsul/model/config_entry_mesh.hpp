#pragma once
// The mesh-wide config entries: service-intentions, mesh and exported-services (Consul's
// api/config_entry_intentions.go, config_entry_mesh.go and config_entry_exports.go, as of
// Consul 1.14). A source's L7 permissions are the intentions API's types (model/intention.hpp):
// Consul has one IntentionPermission for both.

#include <coconsul/model/intention.hpp>
#include <coconsul/model/wire.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul {

// --- service-intentions -----------------------------------------------------------------

// One source of a service-intentions entry: an Action (L4) or Permissions (L7), not both.
struct source_intention {
  std::string name{};  // a service name or "*"
  std::string peer{};
  std::string partition{};
  std::string namespace_name{};
  std::string action{};
  std::vector<intention_permission> permissions{};  // the L7 rules, as the intentions API has them
  int precedence = 0;    // filled in by Consul
  std::string type{};    // "consul"
  std::string description{};
  std::string legacy_id{};
  std::map<std::string, std::string> legacy_meta{};
  std::optional<std::string> legacy_create_time{};  // RFC 3339
  std::optional<std::string> legacy_update_time{};

  bool operator==(const source_intention&) const = default;
};
COCONSUL_WIRE_STRUCT(source_intention, (name, "Name"), (peer, "Peer"), (partition, "Partition"),
                     (namespace_name, "Namespace"), (action, "Action"), (permissions, "Permissions"),
                     (precedence, "Precedence"), (type, "Type"), (description, "Description"),
                     (legacy_id, "LegacyID"), (legacy_meta, "LegacyMeta"),
                     (legacy_create_time, "LegacyCreateTime"), (legacy_update_time, "LegacyUpdateTime"))

// Kind "service-intentions": who may call the destination service `name` ("*": every one).
struct service_intentions {
  static constexpr std::string_view kind = "service-intentions";

  std::string name{};
  std::string partition{};
  std::string namespace_name{};
  std::vector<source_intention> sources{};
  std::map<std::string, std::string> meta{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const service_intentions&) const = default;
};
COCONSUL_WIRE_STRUCT(service_intentions, (name, "Name"), (partition, "Partition"),
                     (namespace_name, "Namespace"), (sources, "Sources"), (meta, "Meta"),
                     (create_index, "CreateIndex"), (modify_index, "ModifyIndex"))

// --- mesh ---------------------------------------------------------------------------------

struct mesh_transparent_proxy {
  bool mesh_destinations_only = false;

  bool operator==(const mesh_transparent_proxy&) const = default;
};
COCONSUL_WIRE_STRUCT(mesh_transparent_proxy, (mesh_destinations_only, "MeshDestinationsOnly"))

struct mesh_directional_tls {
  std::string tls_min_version{};
  std::string tls_max_version{};
  std::vector<std::string> cipher_suites{};

  bool operator==(const mesh_directional_tls&) const = default;
};
COCONSUL_WIRE_STRUCT(mesh_directional_tls, (tls_min_version, "TLSMinVersion"),
                     (tls_max_version, "TLSMaxVersion"), (cipher_suites, "CipherSuites"))

struct mesh_tls {
  std::optional<mesh_directional_tls> incoming{};
  std::optional<mesh_directional_tls> outgoing{};

  bool operator==(const mesh_tls&) const = default;
};
COCONSUL_WIRE_STRUCT(mesh_tls, (incoming, "Incoming"), (outgoing, "Outgoing"))

struct mesh_http {
  bool sanitize_x_forwarded_client_cert = false;

  bool operator==(const mesh_http&) const = default;
};
COCONSUL_WIRE_STRUCT(mesh_http, (sanitize_x_forwarded_client_cert, "SanitizeXForwardedClientCert"))

struct mesh_peering {
  bool peer_through_mesh_gateways = false;

  bool operator==(const mesh_peering&) const = default;
};
COCONSUL_WIRE_STRUCT(mesh_peering, (peer_through_mesh_gateways, "PeerThroughMeshGateways"))

// Kind "mesh": the one mesh-wide entry. It has no Name on the wire: Consul's is always "mesh".
struct mesh_config {
  static constexpr std::string_view kind = "mesh";

  std::string partition{};
  std::string namespace_name{};
  mesh_transparent_proxy transparent_proxy{};
  std::optional<mesh_tls> tls{};
  std::optional<mesh_http> http{};
  std::optional<mesh_peering> peering{};
  std::map<std::string, std::string> meta{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const mesh_config&) const = default;
};
COCONSUL_WIRE_STRUCT(mesh_config, (partition, "Partition"), (namespace_name, "Namespace"),
                     (transparent_proxy, "TransparentProxy"), (tls, "TLS"), (http, "HTTP"),
                     (peering, "Peering"), (meta, "Meta"), (create_index, "CreateIndex"),
                     (modify_index, "ModifyIndex"))

// --- exported-services ----------------------------------------------------------------

// Who may import an exported service: a partition or a peer, one of them (Consul 1.14 names
// the peer PeerName; later versions call it Peer).
struct service_consumer {
  std::string partition{};
  std::string peer_name{};

  bool operator==(const service_consumer&) const = default;
};
COCONSUL_WIRE_STRUCT(service_consumer, (partition, "Partition"), (peer_name, "PeerName"))

struct exported_service {
  std::string name{};
  std::string namespace_name{};
  std::vector<service_consumer> consumers{};

  bool operator==(const exported_service&) const = default;
};
COCONSUL_WIRE_STRUCT(exported_service, (name, "Name"), (namespace_name, "Namespace"), (consumers, "Consumers"))

// Kind "exported-services": the services a partition exports. Consul CE accepts only the
// name "default" (the partition's name).
struct exported_services {
  static constexpr std::string_view kind = "exported-services";

  std::string name = "default";
  std::string partition{};
  std::vector<exported_service> services{};
  std::map<std::string, std::string> meta{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const exported_services&) const = default;
};
COCONSUL_WIRE_STRUCT(exported_services, (name, "Name"), (partition, "Partition"), (services, "Services"),
                     (meta, "Meta"), (create_index, "CreateIndex"), (modify_index, "ModifyIndex"))

}  // namespace coconsul
