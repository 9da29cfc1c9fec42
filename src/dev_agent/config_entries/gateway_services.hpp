#pragma once
// Consul's gateway-services table, derived instead of kept: which services each ingress and
// terminating gateway config entry links to (agent/consul/state/catalog.go's
// ingressConfigGatewayServices, terminatingConfigGatewayServices and updateGatewayNamespace).
// A wildcard ("*") stands for every typical service in the catalog, each marked FromWildcard;
// a service the entry names itself on the same port is not repeated. Computed on each read, so
// services registered after the entry are included as Consul adds them on registration.

#include "dev_agent/store/config_entry_state.hpp"
#include "dev_agent/store/state.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul::dev::config_entries {

struct gateway_service {
  std::string gateway;
  std::string service;
  std::string gateway_kind;  // "ingress-gateway" or "terminating-gateway"
  int port = 0;              // ingress
  std::string protocol;      // ingress
  std::vector<std::string> hosts;
  std::string ca_file, cert_file, key_file, sni;  // terminating
  bool from_wildcard = false;
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;
};

// The services of one gateway, by service name then port; the wildcard itself not listed (as
// Consul's collectGatewayServices leaves it out).
std::vector<gateway_service> services_of_gateway(const config_entry_state& entries, const state_store& state,
                                                 std::string_view gateway);

// The gateways of `kind` that link to `service`, by name.
std::vector<std::string> gateways_of_service(const config_entry_state& entries, const state_store& state,
                                             std::string_view service, std::string_view kind);

}  // namespace coconsul::dev::config_entries
