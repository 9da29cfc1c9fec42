#pragma once
// The checks Consul's state store makes against the other entries when a discovery chain entry
// (service-defaults, proxy-defaults, router, splitter, resolver) is written or deleted: it
// compiles every chain the change could affect and refuses what does not compile. Here the
// rule that compilation enforces on writes: a chain with a router or a splitter needs an
// HTTP-like protocol (http, http2, grpc) from its service-defaults or proxy-defaults.

#include "dev_agent/store/config_entry_state.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace coconsul::dev::config_entries {

// With (kind, name) replaced by `proposed` (null: deleted), the first chain that would not
// compile, as Consul's text; nullopt when all do.
std::optional<std::string> check_chains(const config_entry_state& entries, std::string_view kind,
                                        std::string_view name, const boost::json::object* proposed);

// A chain's protocol: service-defaults' Protocol, else proxy-defaults' Config.protocol, else
// "tcp" (discoverychain's getChainProtocol), with (kind, name) replaced as above.
std::string chain_protocol(const config_entry_state& entries, std::string_view service, std::string_view kind,
                           std::string_view name, const boost::json::object* proposed);

}  // namespace coconsul::dev::config_entries
