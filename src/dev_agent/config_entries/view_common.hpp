#pragma once
// Pieces the typed views of the discovery chain kinds share (service_defaults.hpp and the
// others): plain structs, read from an entry as stored (config_entry_record::body).

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coconsul::dev::config_entries {

// MeshGatewayConfig: "", "none", "local" or "remote".
struct mesh_gateway_config {
  std::string mode;
};

// HTTPHeaderModifiers.
struct header_modifiers {
  std::map<std::string, std::string> add;
  std::map<std::string, std::string> set;
  std::vector<std::string> remove;
};

}  // namespace coconsul::dev::config_entries
