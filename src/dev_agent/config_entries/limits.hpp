#pragma once
// The dev agent's bounds on config entries (Consul has none of its own besides raft's): how deep
// an entry may nest, what it may weigh once rendered, and how many the agent keeps.

#include <cstddef>

namespace coconsul::dev::config_entries {

// raft.SuggestedMaxDataSize, the bound Consul's KV values have: 512 KiB of rendered JSON.
inline constexpr std::size_t max_entry_bytes = 512 * 1024;
// Levels of objects and arrays, the entry's own included. The JSON reader allows 10,000, as Go's;
// an entry that deep would be written back (pretty, as dev mode answers) with 4 spaces per level
// on each of its lines: hundreds of megabytes from a 50 KB body. No kind's fields nest past 8;
// an opaque Config gets the rest.
inline constexpr std::size_t max_entry_depth = 64;
// Entries of all kinds together.
inline constexpr std::size_t max_entries = 10000;

}  // namespace coconsul::dev::config_entries
