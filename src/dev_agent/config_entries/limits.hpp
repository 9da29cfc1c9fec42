#pragma once
// The dev agent's bounds on config entries (Consul has none of its own besides raft's): what one
// entry may weigh once rendered, and how many the agent keeps. Nesting depth is the JSON
// reader's (core/nesting.hpp).

#include <cstddef>

namespace coconsul::dev::config_entries {

// raft.SuggestedMaxDataSize, the bound Consul's KV values have: 512 KiB of rendered JSON.
inline constexpr std::size_t max_entry_bytes = 512 * 1024;
// Entries of all kinds together.
inline constexpr std::size_t max_entries = 10000;

}  // namespace coconsul::dev::config_entries
