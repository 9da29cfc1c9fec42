#pragma once
// A compiled chain's CustomizationHash: the first 8 hex digits of mitchellh/hashstructure
// (v1, FNV-1 64) over the overrides that changed the result, as Consul 1.14 computes it, so a
// proxy sees the same value from this agent as from Consul.

#include <chrono>
#include <string>
#include <string_view>

namespace coconsul::dev::config_entries {

// The overrides that customized the chain; the others passed as empty / zero.
std::string customization_hash(std::string_view mesh_gateway_mode, std::string_view protocol,
                               std::chrono::nanoseconds connect_timeout);

}  // namespace coconsul::dev::config_entries
