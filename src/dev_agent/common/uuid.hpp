#pragma once
// Random (version 4) UUIDs, as Consul makes for sessions, nodes and events.

#include <string>

namespace coconsul::dev {

// A random (version 4) UUID, as Consul's session and node IDs.
std::string generate_uuid();

}  // namespace coconsul::dev
