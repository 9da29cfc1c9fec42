#pragma once
// What every /v1/acl/* endpoint shares: the ACLs-off answer, the one permission check every ACL
// endpoint calls, a write of the ACL tables, the validation Consul's ACL RPCs do on names, IDs,
// links and identities (their texts are Consul's; they answer 500, as RPC errors do) and the
// bounds on what a client may store. Body decoding is in acl_decode.hpp.

#include "dev_agent/endpoints/acl_decode.hpp"
#include "dev_agent/endpoints/acl_layer.hpp"
#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/http/json_in.hpp"
#include "dev_agent/store/acl_records.hpp"

#include <boost/json/value.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul::dev {

// Bounds (the Hardening issue): without them one client could grow the agent without end.
// Consul has none of these; each is far above what a test or a developer's cluster holds.
inline constexpr std::size_t max_acl_tokens = 10000;
inline constexpr std::size_t max_acl_policies = 2000;
inline constexpr std::size_t max_acl_roles = 2000;
inline constexpr std::size_t max_acl_auth_methods = 200;
inline constexpr std::size_t max_acl_binding_rules = 2000;
inline constexpr std::size_t max_acl_rules_bytes = 128 * 1024;      // one policy's Rules
inline constexpr std::size_t max_acl_description_bytes = 8 * 1024;  // any Description
inline constexpr std::size_t max_acl_links = 256;                   // links or identities per object

enum class acl_access { read, write };

// Who called, as far as the ACL endpoints care.
struct acl_caller {
  std::string secret;
  // May see other tokens' SecretIDs (acl:write); "<hidden>" otherwise.
  bool sees_secrets = true;
};

// 401 "ACL support disabled" when ACLs are off (Consul's checkACLDisabled, before anything else).
void require_acls_enabled(const endpoint_context& c);
// require_acls_enabled, then the caller's token (acl_token_source.hpp: 403 "ACL not found"),
// then the permission. For now every resolvable token may read and write ACLs: the
// authorizer (next phase) decides here, and only here, with Consul's 403 texts.
acl_caller require_acl(endpoint_context& c, acl_access level);

// ACL.Login's tokenSetInternal(fromLogin): stores a new token that names its auth method (a
// create otherwise refuses AuthMethod) with the create's checks; its JSON (acl_tokens.cpp).
http_response create_login_token(endpoint_context& c, acl_token_body token);

// One write of the ACL tables: expired tokens are reaped in the same index (so a write never
// sees them), and the reaper is re-armed when it ends.
class acl_write {
 public:
  explicit acl_write(endpoint_context& c);
  ~acl_write();
  acl_write(const acl_write&) = delete;
  acl_write& operator=(const acl_write&) = delete;
  write_txn& txn() { return txn_; }
  acl_state& tables() { return layer_.tables; }

 private:
  acl_layer& layer_;
  write_txn txn_;
};

// Consul's go-uuid ParseUUID: 36 characters, hyphens at 8, 13, 18 and 23, hex elsewhere.
bool is_uuid(std::string_view s);
// structs.ACLIDReserved: the prefix of the builtin IDs.
bool is_reserved_id(std::string_view s);
// Consul's name rules (agent/consul/acl_endpoint.go).
bool valid_policy_name(std::string_view s);       // [A-Za-z0-9-_]{1,128}
bool valid_role_name(std::string_view s);         // [A-Za-z0-9-_]{1,256}
bool valid_auth_method_name(std::string_view s);  // [A-Za-z0-9-_]{1,128}
bool valid_identity_name(std::string_view s);     // [a-z0-9]([a-z0-9-_]*[a-z0-9])?, up to 256

// A policy's Rules, checked before they are stored: nullopt when acceptable, else Consul's
// text. For now refuses only what no parser would take (not UTF-8, over max_acl_rules_bytes);
// the rule parser (src/dev_agent/acl/) replaces the body of this one function.
std::optional<std::string> check_policy_rules(std::string_view rules);
// An auth method's Config for its Type: nullopt when acceptable, else the reason (Consul
// prefixes it with "Invalid Auth Method: "). For now accepts any object; the jwt validator
// replaces the body of this one function.
std::optional<std::string> check_auth_method_config(std::string_view type, const boost::json::value& config);

// Links by ID or by name, resolved to IDs and deduplicated (Consul's token and role upserts):
// throws http_error 500 "No such ACL policy with name \"x\"" and the like.
std::vector<acl_link> resolve_policy_links(const acl_state& t, const std::vector<acl_link>& in);
std::vector<acl_link> resolve_role_links(const acl_state& t, const std::vector<acl_link>& in);
// Validates and deduplicates identities (Consul's texts name the `owner`: "token" or "role").
std::vector<acl_service_identity> check_service_identities(std::vector<acl_service_identity> in,
                                                          std::string_view owner, bool local_token);
std::vector<acl_node_identity> check_node_identities(std::vector<acl_node_identity> in, std::string_view owner);
// 500 with Consul's "... limit" text when `count` would pass `max` (kind: "tokens", ...).
void check_count(std::size_t count, std::size_t max, std::string_view kind);
void check_description(const std::string& d);

}  // namespace coconsul::dev
