#pragma once
// Consul's structs.NodeService.Validate for Connect: what a connect-proxy, a gateway, a
// Connect-native service and a nested SidecarService must satisfy, with Consul's texts. Pure:
// the callers say how to report them (the agent endpoint: 400 "Validation failed: " + Go's
// multierror text).

#include "dev_agent/store/records.hpp"

#include <string>
#include <vector>

namespace coconsul::dev {

// The nested Connect.SidecarService of a registration, as far as the rules look at it.
struct nested_sidecar {
  bool present = false;
  bool has_id = false;      // SidecarService.ID given
  bool has_sidecar = false; // SidecarService.Connect.SidecarService given
};

// Every rule `s` breaks, in Consul's order (empty: valid).
std::vector<std::string> connect_rule_errors(const service_record& s, const nested_sidecar& sidecar = {});

bool is_gateway_kind(const std::string& kind);

}  // namespace coconsul::dev
