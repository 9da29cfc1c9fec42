#pragma once
// Health answers: an instance of a service with its node and checks (service_entry, the rows
// of /v1/health/service/:name), and the agent-local aggregate of one service.

#include <coconsul/model/catalog.hpp>
#include <coconsul/model/check.hpp>
#include <coconsul/model/service.hpp>
#include <coconsul/model/wire.hpp>

#include <string>
#include <vector>

namespace coconsul {

// One instance of a service (Consul's ServiceEntry): the node it runs on, the service, and
// every check of both (node checks such as "serfHealth" included).
struct service_entry {
  coconsul::node node{};
  agent_service service{};
  std::vector<health_check> checks{};

  bool operator==(const service_entry&) const = default;
};
COCONSUL_WIRE_STRUCT(service_entry, (node, "Node"), (service, "Service"), (checks, "Checks"))

// GET /v1/agent/health/service/id/:id (and, as a list, .../name/:name): the local agent's
// view of one service instance with its worst status (Consul's AgentServiceChecksInfo).
struct agent_service_health {
  std::string aggregated_status{};  // passing, warning, critical or maintenance
  agent_service service{};
  std::vector<health_check> checks{};

  bool operator==(const agent_service_health&) const = default;
};
COCONSUL_WIRE_STRUCT(agent_service_health,
                     (aggregated_status, "AggregatedStatus"), (service, "Service"),
                     (checks, "Checks"))

}  // namespace coconsul
