#pragma once
// The pieces of /v1/agent/self and /v1/agent/host that are long lists of facts: the agent's
// DebugConfig (agent_debug_config.cpp) and the host it runs on (agent_host.cpp).

#include "dev_agent/endpoints/context.hpp"

#include <boost/json/object.hpp>

#include <string_view>

namespace coconsul::dev {

// The agent's revision, where Consul reports its 8-character git commit.
inline constexpr std::string_view agent_revision = "coconsul";

// Consul's RuntimeConfig.Sanitized() for the keys that mean something here, filled from the
// options: durations as Go strings, addresses as tcp://..., secrets "hidden".
boost::json::object debug_config(const endpoint_context& c);

// gopsutil's view of the host, as Consul's debug.CollectHostInfo: Memory, CPU, Host, Disk,
// CollectionTime, Errors. Read from /proc and the C library; what cannot be read is an error in
// Errors and a zero value, as Consul reports it.
boost::json::object host_info();

}  // namespace coconsul::dev
