#pragma once
// The checks Consul's state store makes against the other entries when a discovery chain entry
// (service-defaults, proxy-defaults, router, splitter, resolver) is written or deleted: it
// compiles every chain the change could affect (chain_compile.hpp) with the proposed entry in
// place and refuses the change with the first compiler error, or when an intention's L7
// permissions would meet a protocol that is not HTTP-like.

#include "dev_agent/store/config_entry_state.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace coconsul::dev::config_entries {

// With (kind, name) replaced by `proposed` (null: deleted), the first chain that would not
// compile, as Consul's text; nullopt when all do.
std::optional<std::string> check_chains(const config_entry_state& entries, std::string_view kind,
                                        std::string_view name, const boost::json::object* proposed);

// The services a router, splitter or resolver sends traffic to, itself left out (Consul's
// ListRelatedServices): route destinations, splits, the redirect, failovers (their targets when
// they have them, a peer's left out).
std::set<std::string> related_services(const boost::json::object& entry);

// A chain's protocol as its compilation finds it (with (kind, name) replaced as above); for a
// chain that does not compile, its own service's: service-defaults' Protocol when the entry
// exists, else proxy-defaults' Config.protocol, else "tcp".
std::string chain_protocol(const config_entry_state& entries, std::string_view service, std::string_view kind,
                           std::string_view name, const boost::json::object* proposed);

}  // namespace coconsul::dev::config_entries
