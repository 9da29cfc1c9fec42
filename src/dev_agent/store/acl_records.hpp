#pragma once
// The ACL tables' record types (Consul's structs.ACLToken, ACLPolicy, ACLRole, ACLAuthMethod,
// ACLBindingRule) and the builtin IDs. Plain data: validation lives with the endpoints, the
// tables and their lookups in acl_state.hpp.

#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coconsul::dev {

// structs.ACLPolicyGlobalManagementID, ACLTokenAnonymousID and ACLReservedPrefix.
inline constexpr const char* acl_global_management_id = "00000000-0000-0000-0000-000000000001";
inline constexpr const char* acl_anonymous_id = "00000000-0000-0000-0000-000000000002";
inline constexpr const char* acl_reserved_prefix = "00000000-0000-0000-0000-0000000000";

// A link to a policy or a role. Stored by ID only: the name shown is looked up at read time,
// so a rename shows in every token and role that links to it (Consul's link.Name = "").
struct acl_link {
  std::string id;
  std::string name;  // only on input (a link by name) and in rendered output
  bool operator==(const acl_link&) const = default;
};

struct acl_service_identity {
  std::string service_name;
  std::vector<std::string> datacenters;
  bool operator==(const acl_service_identity&) const = default;
};

struct acl_node_identity {
  std::string node_name;
  std::string datacenter;
  bool operator==(const acl_node_identity&) const = default;
};

using acl_time = std::chrono::system_clock::time_point;

struct acl_token_record {
  std::string accessor_id;
  std::string secret_id;
  std::string description;
  std::vector<acl_link> policies;
  std::vector<acl_link> roles;
  std::vector<acl_service_identity> service_identities;
  std::vector<acl_node_identity> node_identities;
  bool local = false;
  std::string auth_method;
  std::optional<acl_time> expiration_time;
  acl_time create_time{};
  std::string hash;  // base64
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool expired(acl_time now) const { return expiration_time && *expiration_time <= now; }
};

struct acl_policy_record {
  std::string id;
  std::string name;
  std::string description;
  std::string rules;
  std::optional<std::vector<std::string>> datacenters;  // nullopt: Go's nil slice
  std::string hash;
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;
};

struct acl_role_record {
  std::string id;
  std::string name;
  std::string description;
  std::vector<acl_link> policies;
  std::vector<acl_service_identity> service_identities;
  std::vector<acl_node_identity> node_identities;
  std::string hash;
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;
};

struct acl_auth_method_record {
  std::string name;
  std::string type;
  std::string display_name;
  std::string description;
  std::chrono::nanoseconds max_token_ttl{0};
  std::string token_locality;
  boost::json::value config;  // the type's configuration, kept as sent (an object or null)
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;
};

struct acl_binding_rule_record {
  std::string id;
  std::string description;
  std::string auth_method;
  std::string selector;
  std::string bind_type;
  std::string bind_name;
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;
};

}  // namespace coconsul::dev
