#pragma once
#include <string>
namespace coconsul::dev {
// A random (version 4) UUID, as Consul's session and node IDs.
std::string generate_uuid();
}  // namespace coconsul::dev
