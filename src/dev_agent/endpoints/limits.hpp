#pragma once
// Consul's endpoint limits in one place, with their default values: the KV value size, the
// transaction's length and operation count, the user event size and the session lock delay.
// The HTTP server's own bounds (headers, bodies, connections) are not here: they live with it.

#include "dev_agent/store/records.hpp"

#include <chrono>
#include <cstddef>

namespace coconsul::dev::limits {

// limits.kv_max_value_size (raft.SuggestedMaxDataSize, 512 KiB): the largest KV value, by PUT
// /v1/kv or inside a transaction.
inline constexpr std::size_t kv_max_value_size = 512 * 1024;

// limits.txn_max_req_len (512 KiB): the largest /v1/txn body; Consul takes the larger of this
// and kv_max_value_size.
inline constexpr std::size_t txn_max_req_len = 512 * 1024;
inline constexpr std::size_t txn_max_body =
    txn_max_req_len > kv_max_value_size ? txn_max_req_len : kv_max_value_size;

// agent/txn_endpoint.go's maxTxnOps.
inline constexpr std::size_t txn_max_ops = 128;

// serf's UserEventSizeLimit (Consul leaves serf's default): the event's name plus its encoded
// envelope, before and again after serf's own encoding.
inline constexpr std::size_t user_event_size_limit = 512;

// structs.MaxLockDelay: a session's lock delay is applied up to this, whatever it asked for
// (defined in the store, which applies it).
inline constexpr std::chrono::seconds max_lock_delay = dev::max_lock_delay;

}  // namespace coconsul::dev::limits
