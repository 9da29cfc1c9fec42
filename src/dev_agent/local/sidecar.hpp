#pragma once
// Connect.SidecarService expanded as Consul's agent does (agent/sidecar_service.go): the sidecar
// proxy's ID, name, kind, address, tags and meta, its Proxy's destination and local service, a
// port from the agent's sidecar range, and its two default checks. No I/O: the caller registers
// what comes out (and deregisters it with the parent, local_agent::remove_service).

#include "dev_agent/local/check_spec.hpp"
#include "dev_agent/store/records.hpp"

#include <string>
#include <vector>

namespace coconsul::dev {

inline constexpr const char* sidecar_suffix = "-sidecar-proxy";

struct sidecar_registration {
  service_record service;
  std::vector<check_spec> checks;  // as given; empty gets the default checks
  // SidecarService.Token: the sidecar is registered (and vetted) with it; "" is the request's.
  std::string token;
};

// The sidecar of `parent` from the SidecarService `given` (its ID is ignored: always the
// parent's ID + "-sidecar-proxy"), with every default but the port (see assign_sidecar_port).
service_record sidecar_from_parent(const service_record& parent, service_record given);

// Consul's sidecar port: when `sidecar` has none, the lowest port of [min, max] no other
// service of this agent uses (its own when it is registered again). Then, when it was given no
// checks, the default checks: TCP "Connect Sidecar Listening" on its local service address and
// port every 10 s, and an alias of the parent. Throws http_error 400 "Invalid SidecarService: no
// port provided for sidecar_service and none left in the configured range [min, max]" (or "...
// and auto-assignment disabled in config" when the range is off).
void assign_sidecar_port(sidecar_registration& sidecar, const std::vector<const service_record*>& local_services,
                         int min, int max);

}  // namespace coconsul::dev
