#pragma once
// A typed view of a service-resolver entry (ServiceResolverConfigEntry), for the discovery chain.

#include "dev_agent/config_entries/view_common.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coconsul::dev::config_entries {

struct resolver_subset {
  std::string filter;
  bool only_passing = false;
};

struct resolver_redirect {
  std::string service, service_subset, namespace_, partition, datacenter, peer;
};

struct failover_target {
  std::string service, service_subset, partition, namespace_, datacenter, peer;
};

struct resolver_failover {
  std::string service, service_subset, namespace_;
  std::vector<std::string> datacenters;
  std::vector<failover_target> targets;
};

struct cookie_config {
  bool session = false;
  std::chrono::nanoseconds ttl{0};
  std::string path;
};

struct hash_policy {
  std::string field, field_value;  // field: "header", "cookie", "query_parameter" or ""
  std::optional<cookie_config> cookie;
  bool source_ip = false;
  bool terminal = false;
};

struct load_balancer {
  std::string policy;  // "", "random", "round_robin", "least_request", "ring_hash", "maglev"
  std::optional<std::uint64_t> ring_hash_minimum, ring_hash_maximum;  // RingHashConfig
  std::optional<std::uint32_t> least_request_choice_count;           // LeastRequestConfig
  std::vector<hash_policy> hash_policies;
};

struct service_resolver {
  std::string name;
  std::string default_subset;
  std::map<std::string, resolver_subset> subsets;
  std::optional<resolver_redirect> redirect;
  std::map<std::string, resolver_failover> failover;  // by subset name, "*" for any
  std::chrono::nanoseconds connect_timeout{0};         // 0: unset (the chain uses 5 s)
  std::optional<load_balancer> lb;
  std::map<std::string, std::string> meta;
};

service_resolver read_service_resolver(const boost::json::object& entry);

}  // namespace coconsul::dev::config_entries
