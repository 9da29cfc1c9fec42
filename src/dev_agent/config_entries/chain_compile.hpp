#pragma once
// The discovery chain compiler: Consul 1.14's discoverychain.Compile over the config entries
// the store holds (router -> splitters -> resolvers, redirects, subsets, failover, timeouts,
// the protocol, the overrides). Pure: reads entries, writes nothing. Its errors are Consul's
// ConfigEntryGraphError texts; the write checks (chain_checks.hpp) refuse entries with them.

#include "dev_agent/config_entries/chain_model.hpp"
#include "dev_agent/store/config_entry_state.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <variant>

namespace coconsul::dev::config_entries {

// The entries a compilation reads: the store's, with (kind, name) replaced by `proposed`
// (null: as if deleted), as Consul's speculative compile on a write sees them. An empty kind
// replaces nothing.
struct chain_entries {
  const config_entry_state& store;
  std::string_view kind;
  std::string_view name;
  const boost::json::object* proposed = nullptr;

  const boost::json::object* find(std::string_view k, std::string_view n) const;
};

// CompileRequest (CE: the namespace and partition are always "default").
struct chain_request {
  std::string service;
  std::string datacenter;    // EvaluateInDatacenter
  std::string trust_domain;  // for the targets' SNI: "<cluster-id>.consul"
  std::string override_mesh_gateway;  // a mesh gateway mode; "" for none
  std::string override_protocol;
  std::chrono::nanoseconds override_connect_timeout{0};
};

// The chain, or Consul's error text.
using chain_result = std::variant<compiled_chain, std::string>;

chain_result compile_chain(const chain_entries& entries, const chain_request& request);

}  // namespace coconsul::dev::config_entries
