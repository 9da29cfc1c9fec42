#pragma once
// What the intention endpoints and /v1/agent/connect/authorize share: the stored intentions
// as the pure layer reads them, their index, Connect's precondition, the names in query
// parameters and the default decision.

#include "dev_agent/config_entries/intentions.hpp"
#include "dev_agent/store/config_entry_state.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul::dev {

struct endpoint_context;

// Every service-intentions entry, read into the typed view.
std::vector<config_entries::stored_entry> stored_intentions(const config_entry_state& entries);
// The index an intentions read reports: the config entries table's, at least 1.
std::uint64_t intentions_index(const config_entry_state& entries);
// Throws http_error 500 "Connect must be enabled in order to use this endpoint" when it is off.
void require_connect(const endpoint_context& c);
// "" or "default", any case: the only namespace (and partition) CE has.
bool is_default_name(std::string_view s);
// parseIntentionStringComponent in CE: "name", "ns/name" or "partition/ns/name", then the
// server's refusal of another namespace or partition. Returns the name. Throws http_error 500
// with Consul's texts (`<what> "<input>" is invalid: ...`, `Namespaces is a Consul Enterprise
// feature`).
std::string parse_intention_name(std::string_view input, std::string_view what);
// The decision when no intention matches: the ACL default policy (allow with ACLs off).
bool default_intention_allow(const endpoint_context& c);

}  // namespace coconsul::dev
