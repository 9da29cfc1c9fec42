#pragma once
// Consul's service virtual IPs (agent/consul/state/catalog.go's virtual_ips and free_virtual_ips
// tables): each service name in the mesh holds one address of 240.0.0.0/4, handed out in order
// from a counter, freed addresses reused lowest first. Plain bookkeeping: the state store
// decides when a name gets or gives back its address.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace coconsul::dev {

// The tagged address a mesh service's instances carry their virtual IP under.
inline constexpr const char* virtual_ip_tag = "consul-virtual";

class virtual_ip_table {
 public:
  // The address of `service`, assigned now if it has none. Empty when 240.0.0.0/4 is exhausted
  // (2^28 - 2 names; Consul then refuses the registration, unreachable in a dev agent).
  std::string assign(const std::string& service);
  // Gives the address of `service` back for reuse. False when it had none.
  bool free(const std::string& service);
  // The address of `service`, if it has one.
  std::optional<std::string> find(const std::string& service) const;

 private:
  std::map<std::string, std::uint32_t> assigned_;  // service name -> offset from 240.0.0.0
  std::set<std::uint32_t> freed_;
  std::uint32_t counter_ = 0;  // the last offset the counter handed out
};

}  // namespace coconsul::dev
