#pragma once
// Prepared queries (/v1/query): a definition (which service to look up, how to filter it and
// where to fail over), a template that answers every name with its prefix, the DNS options,
// and what execute and explain answer.

#include <coconsul/model/health.hpp>
#include <coconsul/model/wire.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace coconsul {

// A peer or datacenter to fail over to (Consul's QueryFailoverTarget).
struct query_failover_target {
  std::string peer{};
  std::string datacenter{};

  bool operator==(const query_failover_target&) const = default;
};
COCONSUL_WIRE_STRUCT(query_failover_target, (peer, "Peer"), (datacenter, "Datacenter"))

// Where to look when the local datacenter has no healthy instance: the nearest N other
// datacenters by round-trip time, then the listed ones; or, instead, explicit targets.
struct query_failover {
  int nearest_n = 0;
  std::vector<std::string> datacenters{};
  std::vector<query_failover_target> targets{};

  bool operator==(const query_failover&) const = default;
};
COCONSUL_WIRE_STRUCT(query_failover, (nearest_n, "NearestN"), (datacenters, "Datacenters"), (targets, "Targets"))

// What a query looks up (Consul's ServiceQuery).
struct service_query {
  std::string service{};  // required; in a template, may interpolate ${name.full}, ${match(1)}, ...
  query_failover failover{};
  bool only_passing = false;               // warning instances out too, not only critical ones
  std::vector<std::string> ignore_check_ids{};  // checks that do not count for health
  std::string near{};                      // a node to sort near ("_agent", "_ip")
  std::vector<std::string> tags{};         // all required; "!tag" forbids one (any case)
  std::map<std::string, std::string> node_meta{};
  std::map<std::string, std::string> service_meta{};
  bool connect = false;                    // the Connect-capable instances (proxies, native)
  std::string peer{};

  bool operator==(const service_query&) const = default;
};
COCONSUL_WIRE_STRUCT(service_query,
                     (service, "Service"), (failover, "Failover"), (only_passing, "OnlyPassing"),
                     (ignore_check_ids, "IgnoreCheckIDs"), (near, "Near"), (tags, "Tags"),
                     (node_meta, "NodeMeta"), (service_meta, "ServiceMeta"), (connect, "Connect"),
                     (peer, "Peer"))

// A template: the query answers every name its Name prefixes (type "name_prefix_match"),
// its Regexp's groups available as ${match(N)}.
struct query_template {
  std::string type{};  // "" (not a template) or "name_prefix_match"
  std::string regexp{};
  bool remove_empty_tags = false;

  bool operator==(const query_template&) const = default;
};
COCONSUL_WIRE_STRUCT(query_template, (type, "Type"), (regexp, "Regexp"), (remove_empty_tags, "RemoveEmptyTags"))

struct query_dns_options {
  std::chrono::nanoseconds ttl{};  // zero: the agent's service TTL

  bool operator==(const query_dns_options&) const = default;
};
COCONSUL_WIRE_STRUCT(query_dns_options, (ttl, "TTL"))

// A prepared query's definition (Consul's PreparedQuery). A query needs a name, a template or
// a session (then it is deleted with the session). `token`, when set, is what the query runs
// with; Consul shows it as "<hidden>" to all but ACL managers.
struct prepared_query {
  std::string id{};  // empty on create: Consul assigns it
  std::string name{};
  std::string session{};
  std::string token{};
  query_template template_options{};
  service_query service{};
  query_dns_options dns{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const prepared_query&) const = default;
};
COCONSUL_WIRE_STRUCT(prepared_query,
                     (id, "ID"), (name, "Name"), (session, "Session"), (token, "Token"),
                     (template_options, "Template"), (service, "Service"), (dns, "DNS"),
                     (create_index, "CreateIndex"), (modify_index, "ModifyIndex"))

// POST /v1/query's answer.
struct prepared_query_created {
  std::string id{};
  bool operator==(const prepared_query_created&) const = default;
};
COCONSUL_WIRE_STRUCT(prepared_query_created, (id, "ID"))

// GET /v1/query/:id/execute: the instances found, the query's DNS options, where they came
// from and how many datacenters failover tried. Consul embeds its QueryMeta in this body too
// (Index, KnownLeader, ...): the same as the response's query_meta, which has it.
struct prepared_query_result {
  std::string service{};
  std::vector<service_entry> nodes{};
  query_dns_options dns{};
  std::string datacenter{};
  std::string peer_name{};
  int failovers = 0;

  bool operator==(const prepared_query_result&) const = default;
};
COCONSUL_WIRE_STRUCT(prepared_query_result,
                     (service, "Service"), (nodes, "Nodes"), (dns, "DNS"), (datacenter, "Datacenter"),
                     (peer_name, "PeerName"), (failovers, "Failovers"))

// GET /v1/query/:id/explain: the query a name resolves to, a template rendered for that name.
struct prepared_query_explanation {
  prepared_query query{};
  bool operator==(const prepared_query_explanation&) const = default;
};
COCONSUL_WIRE_STRUCT(prepared_query_explanation, (query, "Query"))

}  // namespace coconsul
