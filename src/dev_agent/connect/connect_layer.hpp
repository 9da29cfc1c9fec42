#pragma once
// The Connect CA side of the dev agent as one object: the CA a server keeps (ca_state.hpp) and
// the agent's cache of leaf certificates in front of it (leaf_cache.hpp). The agent
// (dev_agent.cpp) owns one; endpoints get it by reference.

#include "dev_agent/connect/ca_state.hpp"
#include "dev_agent/connect/leaf_cache.hpp"

namespace coconsul::dev::connect {

struct connect_layer {
  connect_layer(const dev_agent_options& options, state_store& state) : ca(options, state) {}
  connect_layer(const connect_layer&) = delete;
  connect_layer& operator=(const connect_layer&) = delete;

  certificate_authority ca;
  leaf_cache leaves;
  // Whether the agent cache holds the roots yet (its first read is a miss, later ones hits: the
  // roots are a background-refresh cache type, kept current).
  bool roots_cached = false;
};

}  // namespace coconsul::dev::connect
