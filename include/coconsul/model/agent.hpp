#pragma once
// The agent itself: cluster members (GET /v1/agent/members returns std::vector<member>) and
// GET /v1/agent/self, of which only Config is promised to stay stable.

#include <coconsul/model/wire.hpp>

#include <cstdint>
#include <map>
#include <string>

namespace coconsul {

// A gossip pool member (Consul's AgentMember).
struct member {
  std::string name{};
  std::string addr{};
  std::uint16_t port = 0;
  std::map<std::string, std::string> tags{};  // "role": "consul" on servers, "dc", ...
  int status = 0;  // 0 none, 1 alive, 2 leaving, 3 left, 4 failed
  int protocol_min = 0;
  int protocol_max = 0;
  int protocol_cur = 0;
  int delegate_min = 0;
  int delegate_max = 0;
  int delegate_cur = 0;

  bool operator==(const member&) const = default;
};
COCONSUL_WIRE_STRUCT(member,
                     (name, "Name"), (addr, "Addr"), (port, "Port"), (tags, "Tags"),
                     (status, "Status"), (protocol_min, "ProtocolMin"),
                     (protocol_max, "ProtocolMax"), (protocol_cur, "ProtocolCur"),
                     (delegate_min, "DelegateMin"), (delegate_max, "DelegateMax"),
                     (delegate_cur, "DelegateCur"))

// The Config part of /v1/agent/self.
struct agent_config {
  std::string datacenter{};
  std::string primary_datacenter{};
  std::string node_name{};
  std::string node_id{};
  std::string partition{};
  bool server = false;
  std::string revision{};
  std::string version{};

  bool operator==(const agent_config&) const = default;
};
COCONSUL_WIRE_STRUCT(agent_config,
                     (datacenter, "Datacenter"), (primary_datacenter, "PrimaryDatacenter"),
                     (node_name, "NodeName"), (node_id, "NodeID"), (partition, "Partition"),
                     (server, "Server"), (revision, "Revision"), (version, "Version"))

// GET /v1/agent/self, the stable parts (DebugConfig, Coord, Stats and xDS are ignored).
struct agent_self {
  agent_config config{};
  coconsul::member member{};
  std::map<std::string, std::string> meta{};  // the node's metadata
  // Stats: per subsystem ("agent", "build", "raft", ...), values as strings (`consul info`).
  std::map<std::string, std::map<std::string, std::string>> stats{};

  bool operator==(const agent_self&) const = default;
};
COCONSUL_WIRE_STRUCT(agent_self, (config, "Config"), (member, "Member"), (meta, "Meta"), (stats, "Stats"))

}  // namespace coconsul
