#pragma once
// Sessions: the body of PUT /v1/session/create and the sessions Consul reports
// (/v1/session/info/:id, /node/:node, /list and /renew/:id return std::vector<session>).

#include <coconsul/model/wire.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coconsul {

// A service check a session is tied to (Consul's ServiceCheck).
struct session_service_check {
  std::string id{};
  std::string namespace_name{};

  bool operator==(const session_service_check&) const = default;
};
COCONSUL_WIRE_STRUCT(session_service_check, (id, "ID"), (namespace_name, "Namespace"))

struct session {
  std::string id{};
  std::string name{};
  std::string node{};
  // Consul sends LockDelay as integer nanoseconds (15000000000), unlike every other duration.
  std::chrono::nanoseconds lock_delay{};
  std::string behavior{};  // "release" or "delete"
  std::chrono::nanoseconds ttl{};  // zero: no TTL
  std::vector<std::string> checks{};
  std::vector<std::string> node_checks{};
  std::vector<session_service_check> service_checks{};
  std::string namespace_name{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const session&) const = default;
};
COCONSUL_WIRE_STRUCT(session,
                     (id, "ID"), (name, "Name"), (node, "Node"),
                     (lock_delay, "LockDelay", nanoseconds), (behavior, "Behavior"),
                     (ttl, "TTL"), (checks, "Checks"), (node_checks, "NodeChecks"),
                     (service_checks, "ServiceChecks"), (namespace_name, "Namespace"),
                     (create_index, "CreateIndex"), (modify_index, "ModifyIndex"))

// The body of PUT /v1/session/create. Unset members are not sent, so Consul's defaults
// apply: the agent's node, lock delay 15s, behavior "release", node checks ["serfHealth"].
struct session_create_request {
  std::string name{};
  std::string node{};
  std::chrono::nanoseconds lock_delay{};
  std::string behavior{};          // "release" (default) or "delete"
  std::chrono::nanoseconds ttl{};  // 10s to 24h; Consul may reap after twice this
  // nullopt: Consul's default (["serfHealth"]); an empty list: no node checks at all, for a
  // session that lives only by its TTL.
  std::optional<std::vector<std::string>> node_checks{};
  std::vector<session_service_check> service_checks{};
  std::optional<std::vector<std::string>> checks{};  // deprecated by Consul: node_checks
  std::string namespace_name{};

  bool operator==(const session_create_request&) const = default;
};
COCONSUL_WIRE_STRUCT(session_create_request,
                     (name, "Name"), (node, "Node"), (lock_delay, "LockDelay"),
                     (behavior, "Behavior"), (ttl, "TTL"), (node_checks, "NodeChecks"),
                     (service_checks, "ServiceChecks"), (checks, "Checks"),
                     (namespace_name, "Namespace"))

// The answer to PUT /v1/session/create.
struct session_create_response {
  std::string id{};

  bool operator==(const session_create_response&) const = default;
};
COCONSUL_WIRE_STRUCT(session_create_response, (id, "ID"))

}  // namespace coconsul
