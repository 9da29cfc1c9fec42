#pragma once
// The discovery chain's config entries: service-router, service-splitter and service-resolver
// (Consul's api/config_entry_discoverychain.go, as of Consul 1.14), and the HTTP header
// modifiers they share with the ingress gateway. Durations are std::chrono, Go strings on the
// wire ("5s").

#include <coconsul/model/wire.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul {

struct http_header_modifiers {
  std::map<std::string, std::string> add{};  // appended (duplicates allowed)
  std::map<std::string, std::string> set{};  // replacing any header of that name
  std::vector<std::string> remove{};

  bool operator==(const http_header_modifiers&) const = default;
};
COCONSUL_WIRE_STRUCT(http_header_modifiers, (add, "Add"), (set, "Set"), (remove, "Remove"))

// --- service-router ---------------------------------------------------------------------

struct service_route_http_match_header {
  std::string name{};
  bool present = false;
  std::string exact{};
  std::string prefix{};
  std::string suffix{};
  std::string regex{};
  bool invert = false;

  bool operator==(const service_route_http_match_header&) const = default;
};
COCONSUL_WIRE_STRUCT(service_route_http_match_header, (name, "Name"), (present, "Present"), (exact, "Exact"),
                     (prefix, "Prefix"), (suffix, "Suffix"), (regex, "Regex"), (invert, "Invert"))

struct service_route_http_match_query_param {
  std::string name{};
  bool present = false;
  std::string exact{};
  std::string regex{};

  bool operator==(const service_route_http_match_query_param&) const = default;
};
COCONSUL_WIRE_STRUCT(service_route_http_match_query_param, (name, "Name"), (present, "Present"),
                     (exact, "Exact"), (regex, "Regex"))

struct service_route_http_match {
  std::string path_exact{};
  std::string path_prefix{};
  std::string path_regex{};
  std::vector<service_route_http_match_header> header{};
  std::vector<service_route_http_match_query_param> query_param{};
  std::vector<std::string> methods{};

  bool operator==(const service_route_http_match&) const = default;
};
COCONSUL_WIRE_STRUCT(service_route_http_match, (path_exact, "PathExact"), (path_prefix, "PathPrefix"),
                     (path_regex, "PathRegex"), (header, "Header"), (query_param, "QueryParam"),
                     (methods, "Methods"))

struct service_route_match {
  std::optional<service_route_http_match> http{};

  bool operator==(const service_route_match&) const = default;
};
COCONSUL_WIRE_STRUCT(service_route_match, (http, "HTTP"))

struct service_route_destination {
  std::string service{};
  std::string service_subset{};
  std::string namespace_name{};
  std::string partition{};
  std::string prefix_rewrite{};
  std::chrono::nanoseconds request_timeout{};
  std::chrono::nanoseconds idle_timeout{};
  std::uint32_t num_retries = 0;
  bool retry_on_connect_failure = false;
  std::vector<std::uint32_t> retry_on_status_codes{};
  std::vector<std::string> retry_on{};
  std::optional<http_header_modifiers> request_headers{};
  std::optional<http_header_modifiers> response_headers{};

  bool operator==(const service_route_destination&) const = default;
};
COCONSUL_WIRE_STRUCT(service_route_destination, (service, "Service"), (service_subset, "ServiceSubset"),
                     (namespace_name, "Namespace"), (partition, "Partition"),
                     (prefix_rewrite, "PrefixRewrite"), (request_timeout, "RequestTimeout"),
                     (idle_timeout, "IdleTimeout"), (num_retries, "NumRetries"),
                     (retry_on_connect_failure, "RetryOnConnectFailure"),
                     (retry_on_status_codes, "RetryOnStatusCodes"), (retry_on, "RetryOn"),
                     (request_headers, "RequestHeaders"), (response_headers, "ResponseHeaders"))

struct service_route {
  std::optional<service_route_match> match{};
  std::optional<service_route_destination> destination{};

  bool operator==(const service_route&) const = default;
};
COCONSUL_WIRE_STRUCT(service_route, (match, "Match"), (destination, "Destination"))

// Kind "service-router": L7 routes, the first that matches wins (needs an HTTP-like protocol).
struct service_router {
  static constexpr std::string_view kind = "service-router";

  std::string name{};
  std::string partition{};
  std::string namespace_name{};
  std::vector<service_route> routes{};
  std::map<std::string, std::string> meta{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const service_router&) const = default;
};
COCONSUL_WIRE_STRUCT(service_router, (name, "Name"), (partition, "Partition"), (namespace_name, "Namespace"),
                     (routes, "Routes"), (meta, "Meta"), (create_index, "CreateIndex"),
                     (modify_index, "ModifyIndex"))

// --- service-splitter -------------------------------------------------------------------

struct service_split {
  double weight = 0;  // percent; the splits' weights add up to 100 (a float32 in Consul)
  std::string service{};
  std::string service_subset{};
  std::string namespace_name{};
  std::string partition{};
  std::optional<http_header_modifiers> request_headers{};
  std::optional<http_header_modifiers> response_headers{};

  bool operator==(const service_split&) const = default;
};
COCONSUL_WIRE_STRUCT(service_split, (weight, "Weight"), (service, "Service"), (service_subset, "ServiceSubset"),
                     (namespace_name, "Namespace"), (partition, "Partition"),
                     (request_headers, "RequestHeaders"), (response_headers, "ResponseHeaders"))

// Kind "service-splitter": traffic split by weight between services or subsets.
struct service_splitter {
  static constexpr std::string_view kind = "service-splitter";

  std::string name{};
  std::string partition{};
  std::string namespace_name{};
  std::vector<service_split> splits{};
  std::map<std::string, std::string> meta{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const service_splitter&) const = default;
};
COCONSUL_WIRE_STRUCT(service_splitter, (name, "Name"), (partition, "Partition"),
                     (namespace_name, "Namespace"), (splits, "Splits"), (meta, "Meta"),
                     (create_index, "CreateIndex"), (modify_index, "ModifyIndex"))

// --- service-resolver -------------------------------------------------------------------

struct service_resolver_subset {
  std::string filter{};  // a filter expression over the service's instances
  bool only_passing = false;

  bool operator==(const service_resolver_subset&) const = default;
};
COCONSUL_WIRE_STRUCT(service_resolver_subset, (filter, "Filter"), (only_passing, "OnlyPassing"))

struct service_resolver_redirect {
  std::string service{};
  std::string service_subset{};
  std::string namespace_name{};
  std::string partition{};
  std::string datacenter{};
  std::string peer{};

  bool operator==(const service_resolver_redirect&) const = default;
};
COCONSUL_WIRE_STRUCT(service_resolver_redirect, (service, "Service"), (service_subset, "ServiceSubset"),
                     (namespace_name, "Namespace"), (partition, "Partition"), (datacenter, "Datacenter"),
                     (peer, "Peer"))

struct service_resolver_failover_target {
  std::string service{};
  std::string service_subset{};
  std::string partition{};
  std::string namespace_name{};
  std::string datacenter{};
  std::string peer{};

  bool operator==(const service_resolver_failover_target&) const = default;
};
COCONSUL_WIRE_STRUCT(service_resolver_failover_target, (service, "Service"), (service_subset, "ServiceSubset"),
                     (partition, "Partition"), (namespace_name, "Namespace"), (datacenter, "Datacenter"),
                     (peer, "Peer"))

struct service_resolver_failover {
  std::string service{};
  std::string service_subset{};
  std::string namespace_name{};
  std::vector<std::string> datacenters{};
  std::vector<service_resolver_failover_target> targets{};

  bool operator==(const service_resolver_failover&) const = default;
};
COCONSUL_WIRE_STRUCT(service_resolver_failover, (service, "Service"), (service_subset, "ServiceSubset"),
                     (namespace_name, "Namespace"), (datacenters, "Datacenters"), (targets, "Targets"))

struct ring_hash_config {
  std::uint64_t minimum_ring_size = 0;
  std::uint64_t maximum_ring_size = 0;

  bool operator==(const ring_hash_config&) const = default;
};
COCONSUL_WIRE_STRUCT(ring_hash_config, (minimum_ring_size, "MinimumRingSize"),
                     (maximum_ring_size, "MaximumRingSize"))

struct least_request_config {
  std::uint32_t choice_count = 0;

  bool operator==(const least_request_config&) const = default;
};
COCONSUL_WIRE_STRUCT(least_request_config, (choice_count, "ChoiceCount"))

struct cookie_config {
  bool session = false;
  std::chrono::nanoseconds ttl{};
  std::string path{};

  bool operator==(const cookie_config&) const = default;
};
COCONSUL_WIRE_STRUCT(cookie_config, (session, "Session"), (ttl, "TTL"), (path, "Path"))

struct hash_policy {
  std::string field{};  // "header", "cookie" or "query_parameter"
  std::string field_value{};
  std::optional<coconsul::cookie_config> cookie_config{};
  bool source_ip = false;
  bool terminal = false;

  bool operator==(const hash_policy&) const = default;
};
COCONSUL_WIRE_STRUCT(hash_policy, (field, "Field"), (field_value, "FieldValue"), (cookie_config, "CookieConfig"),
                     (source_ip, "SourceIP"), (terminal, "Terminal"))

struct load_balancer {
  std::string policy{};  // "", "random", "round_robin", "least_request", "ring_hash", "maglev"
  std::optional<coconsul::ring_hash_config> ring_hash_config{};
  std::optional<coconsul::least_request_config> least_request_config{};
  std::vector<hash_policy> hash_policies{};

  bool operator==(const load_balancer&) const = default;
};
COCONSUL_WIRE_STRUCT(load_balancer, (policy, "Policy"), (ring_hash_config, "RingHashConfig"),
                     (least_request_config, "LeastRequestConfig"), (hash_policies, "HashPolicies"))

// Kind "service-resolver": which instances serve a service: subsets, a redirect, failover.
struct service_resolver {
  static constexpr std::string_view kind = "service-resolver";

  std::string name{};
  std::string partition{};
  std::string namespace_name{};
  std::string default_subset{};
  std::map<std::string, service_resolver_subset> subsets{};
  std::optional<service_resolver_redirect> redirect{};
  std::map<std::string, service_resolver_failover> failover{};  // by subset name, "*" for any
  std::chrono::nanoseconds connect_timeout{};
  std::optional<coconsul::load_balancer> load_balancer{};
  std::map<std::string, std::string> meta{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const service_resolver&) const = default;
};
COCONSUL_WIRE_STRUCT(service_resolver, (name, "Name"), (partition, "Partition"),
                     (namespace_name, "Namespace"), (default_subset, "DefaultSubset"), (subsets, "Subsets"),
                     (redirect, "Redirect"), (failover, "Failover"), (connect_timeout, "ConnectTimeout"),
                     (load_balancer, "LoadBalancer"), (meta, "Meta"), (create_index, "CreateIndex"),
                     (modify_index, "ModifyIndex"))

}  // namespace coconsul
