#pragma once
// Consul's ACL objects as /v1/acl/* sends and takes them: tokens, policies, roles, auth methods,
// binding rules, login parameters and the replication status. Field names are Consul's exactly;
// times are Consul's RFC 3339 strings ("2026-12-02T08:40:11.123456789Z"); Hash is bytes (base64 on
// the wire). Enterprise-only fields (Namespace, Partition) are kept so that nothing is lost.

#include <coconsul/model/wire.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coconsul {

// A policy or role named by ID or by Name (either is enough when writing; Consul fills both).
struct acl_link {
  std::string id{};
  std::string name{};

  bool operator==(const acl_link&) const = default;
};
COCONSUL_WIRE_STRUCT(acl_link, (id, "ID"), (name, "Name"))

// What a service needs to register itself and be discovered, as one grant (Consul derives a
// synthetic policy from it). No datacenters: all of them.
struct acl_service_identity {
  std::string service_name{};
  std::vector<std::string> datacenters{};

  bool operator==(const acl_service_identity&) const = default;
};
COCONSUL_WIRE_STRUCT(acl_service_identity, (service_name, "ServiceName"), (datacenters, "Datacenters"))

// What a node's agent needs, as one grant, in one datacenter.
struct acl_node_identity {
  std::string node_name{};
  std::string datacenter{};

  bool operator==(const acl_node_identity&) const = default;
};
COCONSUL_WIRE_STRUCT(acl_node_identity, (node_name, "NodeName"), (datacenter, "Datacenter"))

// A token (Consul's ACLToken): what token_create/token_update send and every token call returns.
// Leave accessor_id and secret_id empty to have Consul generate them.
struct acl_token {
  std::string accessor_id{};  // the public ID, used to manage the token
  std::string secret_id{};    // what requests carry; "<hidden>" in lists without acl:write
  std::string description{};
  std::vector<acl_link> policies{};
  std::vector<acl_link> roles{};
  std::vector<acl_service_identity> service_identities{};
  std::vector<acl_node_identity> node_identities{};
  bool local = false;          // this datacenter only (not replicated)
  std::string auth_method{};   // set on tokens made by login
  // When creating: a lifetime from now (Consul allows 1 minute to 24 hours by default) or,
  // instead, expiration_time. Consul answers with expiration_time set.
  std::chrono::nanoseconds expiration_ttl{};
  std::optional<std::string> expiration_time{};
  std::string create_time{};
  std::string hash{};          // bytes
  std::string namespace_name{};
  std::string partition{};
  std::string auth_method_namespace{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const acl_token&) const = default;
};
COCONSUL_WIRE_STRUCT(acl_token,
                     (accessor_id, "AccessorID"), (secret_id, "SecretID"), (description, "Description"),
                     (policies, "Policies"), (roles, "Roles"), (service_identities, "ServiceIdentities"),
                     (node_identities, "NodeIdentities"), (local, "Local"), (auth_method, "AuthMethod"),
                     (expiration_ttl, "ExpirationTTL"), (expiration_time, "ExpirationTime"),
                     (create_time, "CreateTime"), (hash, "Hash", base64), (namespace_name, "Namespace"),
                     (partition, "Partition"), (auth_method_namespace, "AuthMethodNamespace"),
                     (create_index, "CreateIndex"), (modify_index, "ModifyIndex"))

// An entry of GET /v1/acl/tokens (Consul's ACLTokenListEntry).
struct acl_token_list_entry {
  std::string accessor_id{};
  std::string secret_id{};
  std::string description{};
  std::vector<acl_link> policies{};
  std::vector<acl_link> roles{};
  std::vector<acl_service_identity> service_identities{};
  std::vector<acl_node_identity> node_identities{};
  bool local = false;
  std::string auth_method{};
  std::optional<std::string> expiration_time{};
  std::string create_time{};
  std::string hash{};  // bytes
  bool legacy = false;
  std::string namespace_name{};
  std::string partition{};
  std::string auth_method_namespace{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const acl_token_list_entry&) const = default;
};
COCONSUL_WIRE_STRUCT(acl_token_list_entry,
                     (accessor_id, "AccessorID"), (secret_id, "SecretID"), (description, "Description"),
                     (policies, "Policies"), (roles, "Roles"), (service_identities, "ServiceIdentities"),
                     (node_identities, "NodeIdentities"), (local, "Local"), (auth_method, "AuthMethod"),
                     (expiration_time, "ExpirationTime"), (create_time, "CreateTime"),
                     (hash, "Hash", base64), (legacy, "Legacy"), (namespace_name, "Namespace"),
                     (partition, "Partition"), (auth_method_namespace, "AuthMethodNamespace"),
                     (create_index, "CreateIndex"), (modify_index, "ModifyIndex"))

// A policy (Consul's ACLPolicy): rules in Consul's HCL or JSON rule language.
struct acl_policy {
  std::string id{};  // empty when creating: Consul assigns it
  std::string name{};
  std::string description{};
  std::string rules{};
  std::vector<std::string> datacenters{};  // empty: valid in all
  std::string hash{};                      // bytes
  std::string namespace_name{};
  std::string partition{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const acl_policy&) const = default;
};
COCONSUL_WIRE_STRUCT(acl_policy,
                     (id, "ID"), (name, "Name"), (description, "Description"), (rules, "Rules"),
                     (datacenters, "Datacenters"), (hash, "Hash", base64), (namespace_name, "Namespace"),
                     (partition, "Partition"), (create_index, "CreateIndex"), (modify_index, "ModifyIndex"))

// An entry of GET /v1/acl/policies: a policy without its rules.
struct acl_policy_list_entry {
  std::string id{};
  std::string name{};
  std::string description{};
  std::vector<std::string> datacenters{};
  std::string hash{};  // bytes
  std::string namespace_name{};
  std::string partition{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const acl_policy_list_entry&) const = default;
};
COCONSUL_WIRE_STRUCT(acl_policy_list_entry,
                     (id, "ID"), (name, "Name"), (description, "Description"), (datacenters, "Datacenters"),
                     (hash, "Hash", base64), (namespace_name, "Namespace"), (partition, "Partition"),
                     (create_index, "CreateIndex"), (modify_index, "ModifyIndex"))

// A role (Consul's ACLRole): policies and identities under one name, for tokens to link.
struct acl_role {
  std::string id{};  // empty when creating: Consul assigns it
  std::string name{};
  std::string description{};
  std::vector<acl_link> policies{};
  std::vector<acl_service_identity> service_identities{};
  std::vector<acl_node_identity> node_identities{};
  std::string hash{};  // bytes
  std::string namespace_name{};
  std::string partition{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const acl_role&) const = default;
};
COCONSUL_WIRE_STRUCT(acl_role,
                     (id, "ID"), (name, "Name"), (description, "Description"), (policies, "Policies"),
                     (service_identities, "ServiceIdentities"), (node_identities, "NodeIdentities"),
                     (hash, "Hash", base64), (namespace_name, "Namespace"), (partition, "Partition"),
                     (create_index, "CreateIndex"), (modify_index, "ModifyIndex"))

// What GET /v1/acl/token/:accessor?expanded adds to the token (Consul's ACLTokenExpanded
// without the token itself): the policies and roles it resolves to and the agent's defaults.
struct acl_token_expansion {
  std::vector<acl_policy> expanded_policies{};
  std::vector<acl_role> expanded_roles{};
  std::vector<std::string> namespace_default_policy_ids{};
  std::vector<std::string> namespace_default_role_ids{};
  std::string agent_acl_default_policy{};  // "allow" or "deny"
  std::string agent_acl_down_policy{};
  std::string resolved_by_agent{};  // the node name of the agent that answered

  bool operator==(const acl_token_expansion&) const = default;
};
COCONSUL_WIRE_STRUCT(acl_token_expansion,
                     (expanded_policies, "ExpandedPolicies"), (expanded_roles, "ExpandedRoles"),
                     (namespace_default_policy_ids, "NamespaceDefaultPolicyIDs"),
                     (namespace_default_role_ids, "NamespaceDefaultRoleIDs"),
                     (agent_acl_default_policy, "AgentACLDefaultPolicy"),
                     (agent_acl_down_policy, "AgentACLDownPolicy"), (resolved_by_agent, "ResolvedByAgent"))

// The answer of the expanded token read: one JSON object on the wire, the token's fields and
// the expansion's side by side; decoded as its two parts.
struct acl_token_expanded {
  acl_token token{};
  acl_token_expansion expansion{};

  bool operator==(const acl_token_expanded&) const = default;
};

// Enterprise: which namespace a login through this auth method binds to.
struct acl_auth_method_namespace_rule {
  std::string selector{};
  std::string bind_namespace{};

  bool operator==(const acl_auth_method_namespace_rule&) const = default;
};
COCONSUL_WIRE_STRUCT(acl_auth_method_namespace_rule, (selector, "Selector"), (bind_namespace, "BindNamespace"))

// An auth method (Consul's ACLAuthMethod): how login verifies a bearer token. Config is the
// type's own configuration, as JSON (for "jwt": JWTValidationPubKeys, BoundIssuer,
// ClaimMappings, ...).
struct acl_auth_method {
  std::string name{};
  std::string type{};  // "jwt", "kubernetes", "aws-iam" ("oidc" is Enterprise)
  std::string display_name{};
  std::string description{};
  std::chrono::nanoseconds max_token_ttl{};  // the lifetime of login tokens; zero: Consul's default
  std::string token_locality{};              // "local" (default) or "global"
  boost::json::object config{};
  std::vector<acl_auth_method_namespace_rule> namespace_rules{};
  std::string namespace_name{};
  std::string partition{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const acl_auth_method&) const = default;
};
COCONSUL_WIRE_STRUCT(acl_auth_method,
                     (name, "Name"), (type, "Type"), (display_name, "DisplayName"), (description, "Description"),
                     (max_token_ttl, "MaxTokenTTL"), (token_locality, "TokenLocality"), (config, "Config"),
                     (namespace_rules, "NamespaceRules"), (namespace_name, "Namespace"), (partition, "Partition"),
                     (create_index, "CreateIndex"), (modify_index, "ModifyIndex"))

// An entry of GET /v1/acl/auth-methods: an auth method without its Config.
struct acl_auth_method_list_entry {
  std::string name{};
  std::string type{};
  std::string display_name{};
  std::string description{};
  std::chrono::nanoseconds max_token_ttl{};
  std::string token_locality{};
  std::string namespace_name{};
  std::string partition{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const acl_auth_method_list_entry&) const = default;
};
COCONSUL_WIRE_STRUCT(acl_auth_method_list_entry,
                     (name, "Name"), (type, "Type"), (display_name, "DisplayName"), (description, "Description"),
                     (max_token_ttl, "MaxTokenTTL"), (token_locality, "TokenLocality"),
                     (namespace_name, "Namespace"), (partition, "Partition"), (create_index, "CreateIndex"),
                     (modify_index, "ModifyIndex"))

// A binding rule (Consul's ACLBindingRule): which logins (Selector over the verified claims)
// get which role, service identity or node identity (BindName, templated with ${claim}).
struct acl_binding_rule {
  std::string id{};  // empty when creating: Consul assigns it
  std::string description{};
  std::string auth_method{};
  std::string selector{};   // Consul's filter expression; empty: every login
  std::string bind_type{};  // "service", "node" or "role"
  std::string bind_name{};
  std::string namespace_name{};
  std::string partition{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const acl_binding_rule&) const = default;
};
COCONSUL_WIRE_STRUCT(acl_binding_rule,
                     (id, "ID"), (description, "Description"), (auth_method, "AuthMethod"), (selector, "Selector"),
                     (bind_type, "BindType"), (bind_name, "BindName"), (namespace_name, "Namespace"),
                     (partition, "Partition"), (create_index, "CreateIndex"), (modify_index, "ModifyIndex"))

// The body of POST /v1/acl/login.
struct acl_login_params {
  std::string auth_method{};
  std::string bearer_token{};  // e.g. a JWT; never logged
  std::map<std::string, std::string> meta{};  // recorded in the new token's description

  bool operator==(const acl_login_params&) const = default;
};
COCONSUL_WIRE_STRUCT(acl_login_params, (auth_method, "AuthMethod"), (bearer_token, "BearerToken"), (meta, "Meta"))

// The body of PUT /v1/acl/token/:accessor/clone.
struct acl_token_clone_request {
  std::string description{};

  bool operator==(const acl_token_clone_request&) const = default;
};
COCONSUL_WIRE_STRUCT(acl_token_clone_request, (description, "Description"))

// GET /v1/acl/replication (Consul's ACLReplicationStatus). A primary datacenter, as a dev
// agent is, reports Enabled false.
struct acl_replication_status {
  bool enabled = false;
  bool running = false;
  std::string source_datacenter{};
  std::string replication_type{};  // "legacy", "policies" or "tokens"
  std::uint64_t replicated_index = 0;
  std::uint64_t replicated_role_index = 0;
  std::uint64_t replicated_token_index = 0;
  std::string last_success{};
  std::string last_error{};
  std::string last_error_message{};

  bool operator==(const acl_replication_status&) const = default;
};
COCONSUL_WIRE_STRUCT(acl_replication_status,
                     (enabled, "Enabled"), (running, "Running"), (source_datacenter, "SourceDatacenter"),
                     (replication_type, "ReplicationType"), (replicated_index, "ReplicatedIndex"),
                     (replicated_role_index, "ReplicatedRoleIndex"),
                     (replicated_token_index, "ReplicatedTokenIndex"), (last_success, "LastSuccess"),
                     (last_error, "LastError"), (last_error_message, "LastErrorMessage"))

}  // namespace coconsul
