#pragma once
// A compiled discovery chain as Consul 1.14's json.Marshal writes structs.CompiledDiscoveryChain:
// omitempty fields left out, structs (MeshGateway, Subset, TransparentProxy) always present,
// durations as Go strings written first (the MarshalJSON of DiscoveryResolver and
// DiscoveryTarget), maps in key order.

#include "dev_agent/config_entries/chain_model.hpp"

#include <boost/json/object.hpp>

namespace coconsul::dev::config_entries {

boost::json::object render_chain(const compiled_chain& chain);

}  // namespace coconsul::dev::config_entries
