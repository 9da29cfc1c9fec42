#pragma once
// Naming discovery chain targets as Consul 1.14 does: the target ID
// (`[subset.]svc.ns.partition.dc`, or `svc.ns.default.external.peer`), its SNI
// (agent/connect/sni.go) and how a redirect or failover rewrites a target. Strings only.

#include "dev_agent/config_entries/chain_model.hpp"

#include <string>
#include <string_view>

namespace coconsul::dev::config_entries {

// DiscoveryTarget's ID (chainID).
std::string target_id(const target_opts& t);

// connect.TargetSNI: `[subset.]svc.ns.dc.internal.<trust-domain>` in the default partition,
// `[subset.]svc.ns.partition.dc.internal-v1.<trust-domain>` in another.
std::string target_sni(const target_opts& t, std::string_view trust_domain);

// The compiler's rewriteTarget: `t` with what `with` names (another service drops the subset;
// a namespace only when given or with a peer; the peer always taken from `with`).
target_opts rewrite_target(const target_opts& t, const target_opts& with);

}  // namespace coconsul::dev::config_entries
