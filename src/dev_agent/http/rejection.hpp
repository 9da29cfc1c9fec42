#pragma once
// The raw replies the agent's HTTP server writes before it closes a connection it will not
// serve, byte for byte as Go's net/http (and go-connlimit, for the per-client cap) writes them
// where Consul has one. Pure functions: the server writes what they return.

#include "dev_agent/http/request_reader.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace coconsul::dev {

// The reply to a request the reader refused (refusal::none gives ""). `content_length` is the
// request's, when it sent one; `max_body_bytes` the bound it broke.
std::string refusal_reply(refusal why, std::optional<std::uint64_t> content_length, std::size_t max_body_bytes);

// go-connlimit's 429 to a connection over limits.http_max_conns_per_client.
std::string too_many_connections_reply();

// 503 to a request whose body does not fit the bytes left of the agent's body budget.
std::string body_budget_reply(std::uint64_t wanted, std::size_t in_use, std::size_t capacity);

}  // namespace coconsul::dev
