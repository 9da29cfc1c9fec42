// Consul's CheckType.Type(), Valid() and Validate() (see check_spec.hpp).

#include "dev_agent/local/check_spec.hpp"

namespace coconsul::dev {

std::string check_spec::type() const {
  const auto& d = definition;
  if (!d.grpc.empty()) return "grpc";
  if (!d.http.empty()) return "http";
  if (d.ttl.count() > 0) return "ttl";
  if (!d.tcp.empty()) return "tcp";
  if (!d.udp.empty()) return "udp";
  if (!d.alias_node.empty() || !d.alias_service.empty()) return "alias";
  if (!d.docker_container_id.empty()) return "docker";
  if (!d.script_args.empty()) return "script";
  if (!d.h2ping.empty()) return "h2ping";
  if (!d.os_service.empty()) return "os_service";
  return "";
}

bool check_spec::has_type() const { return !type().empty(); }

std::string check_spec::validate() const {
  const auto& d = definition;
  bool interval_check = !d.script_args.empty() || !d.http.empty() || !d.tcp.empty() || !d.udp.empty() ||
                        !d.grpc.empty() || !d.h2ping.empty() || !d.os_service.empty();
  if (d.interval.count() > 0 && d.ttl.count() > 0) return "Interval and TTL cannot both be specified";
  if (interval_check && d.interval.count() <= 0)
    return "Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks";
  if (d.output_max_size < 0) return "MaxOutputMaxSize must be positive";
  if (failures_before_warning > failures_before_critical)
    return "FailuresBeforeWarning can't be higher than FailuresBeforeCritical";
  return {};
}

}  // namespace coconsul::dev
