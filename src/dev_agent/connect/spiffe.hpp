#pragma once
// Connect's names: the trust domain, the SPIFFE IDs of the CA and of a service, and the root's
// common name, as Consul spells them (agent/connect/uri_signing.go, uri_service.go,
// common_names.go). Strings only: no certificates here.

#include <string>
#include <string_view>

namespace coconsul::dev::connect {

// "<cluster-id>.consul", lower-case (SpiffeIDSigning.Host).
std::string trust_domain(std::string_view cluster_id);
// "spiffe://<trust-domain>": the URI SAN of every root (SpiffeIDSigning.URI).
std::string signing_uri(std::string_view cluster_id);
// "spiffe://<trust-domain>/ns/default/dc/<dc>/svc/<service>" (SpiffeIDService.URI in CE: the
// default namespace, no partition segment), the path escaped as Go's url.URL.String() does.
std::string service_uri(std::string_view trust_domain, std::string_view datacenter, std::string_view service);
// The root's CN: "pri-<8 random base-36 characters>.consul.ca.<cluster-id[:8]>.consul"
// (CACN("consul", CompactUID(), cluster_id, true)).
std::string root_common_name(std::string_view cluster_id);

}  // namespace coconsul::dev::connect
