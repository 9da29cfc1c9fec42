#pragma once
// What the host sends to the agent, worked out once from its options (no I/O): the options'
// validation, the registration with every check's ID made explicit, and the TTL checks the
// host must heartbeat.

#include <coconsul/service_host.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace coconsul::detail {

struct ttl_check {
  std::string check_id;
  std::chrono::nanoseconds ttl{};
};

struct host_plan {
  service_registration registration;  // id set; every check in `checks`, each with its CheckID
  std::vector<ttl_check> ttl_checks;
};

// Throws coconsul::error (errc::invalid_argument) saying what is wrong with the options.
void validate(const service_host_options& opts);

// The service's ID: its id, or its name when the id is empty (as Consul does).
std::string service_id_of(const service_registration& s);
// The ID the agent gives the service's sidecar: "<service id>-sidecar-proxy".
std::string sidecar_id_of(const service_registration& s);

// The registration for `opts`. The service's `check` and `checks` and the host's `http_check`
// become one list in that order, and a check without an ID gets Consul's default
// ("service:<id>", or "service:<id>:<n>" numbered from 1 when there are several), so the host
// knows the IDs of the TTL checks it heartbeats. A sidecar's own checks are numbered likewise
// under its ID ("service:<id>-sidecar-proxy"), and its TTL checks heartbeated too.
// `health_url` fills an HTTP check's empty URL.
host_plan plan_registration(const service_host_options& opts, const std::string& health_url);

}  // namespace coconsul::detail
