// The sidecar a registration asks for (see sidecar.hpp).

#include "dev_agent/local/sidecar.hpp"

#include "dev_agent/http/error.hpp"

#include <chrono>
#include <set>
#include <string_view>

namespace coconsul::dev {

service_record sidecar_from_parent(const service_record& parent, service_record sc) {
  sc.id = parent.id + sidecar_suffix;
  sc.node = parent.node;
  // Meta and tags come from the parent unless the sidecar has its own.
  if (sc.meta.empty()) sc.meta = parent.meta;
  if (sc.tags.empty()) sc.tags = parent.tags;
  sc.locally_registered_as_sidecar = true;
  if (sc.kind.empty()) sc.kind = "connect-proxy";
  if (sc.name.empty()) sc.name = parent.name + sidecar_suffix;
  if (sc.address.empty()) sc.address = parent.address;
  auto& p = sc.proxy;
  if (p.destination_service_name.empty()) p.destination_service_name = parent.name;
  if (p.destination_service_id.empty()) p.destination_service_id = parent.id;
  // The local service's address components, unless one of them was given.
  if (p.local_service_socket_path.empty() && (p.local_service_address.empty() || p.local_service_port < 1)) {
    if (!parent.socket_path.empty()) {
      p.local_service_socket_path = parent.socket_path;
    } else {
      if (p.local_service_address.empty()) p.local_service_address = "127.0.0.1";
      if (p.local_service_port < 1) p.local_service_port = parent.port;
    }
  }
  return sc;
}

void assign_sidecar_port(sidecar_registration& r, const std::vector<const service_record*>& local_services, int min,
                         int max) {
  service_record& sc = r.service;
  if (sc.port < 1 && min > 0 && max >= min) {
    std::set<int> used;
    for (const auto* other : local_services) {
      if (other->port < min || other->port > max) continue;
      if (other->id == sc.id) {  // registered again: keep its port
        sc.port = other->port;
        break;
      }
      used.insert(other->port);
    }
    for (int p = min; sc.port < 1 && p <= max; ++p)
      if (!used.count(p)) sc.port = p;
  }
  if (sc.port < 1) {
    if (min < 1 || max < 1)
      throw http_error{400, "Invalid SidecarService: no port provided for sidecar_service and auto-assignment "
                            "disabled in config"};
    throw http_error{400, "Invalid SidecarService: no port provided for sidecar_service and none left in the "
                          "configured range [" + std::to_string(min) + ", " + std::to_string(max) + "]"};
  }
  if (!r.checks.empty()) return;
  // Consul 1.14 checks the proxy on the local service's address (the loopback by default).
  const std::string parent_id = sc.id.substr(0, sc.id.size() - std::string_view(sidecar_suffix).size());
  std::string host = sc.proxy.local_service_address;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  check_spec listening;
  listening.name = "Connect Sidecar Listening";
  listening.definition.tcp = host + ":" + std::to_string(sc.port);
  listening.definition.interval = std::chrono::seconds(10);
  check_spec aliasing;
  aliasing.name = "Connect Sidecar Aliasing " + parent_id;
  aliasing.definition.alias_service = parent_id;
  r.checks = {listening, aliasing};
}

}  // namespace coconsul::dev
