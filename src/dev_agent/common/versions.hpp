#pragma once
// The versions the dev agent reports: the Consul release whose HTTP API it follows (what
// /v1/agent/self, the consul service's meta and `coconsul version` say) and coconsul's own.

#include <string_view>

namespace coconsul::dev {

// Consul 1.14: the API the dev agent and the client follow (docs/dev-agent.md).
inline constexpr std::string_view consul_version = "1.14.0";
// Consul's RPC protocol versions, as `consul version` prints them.
inline constexpr int consul_protocol_default = 2;
inline constexpr int consul_protocol_min = 2;
inline constexpr int consul_protocol_max = 3;
// coconsul's own version (CMakeLists.txt's project version).
inline constexpr std::string_view coconsul_version = "0.1.0";

}  // namespace coconsul::dev
