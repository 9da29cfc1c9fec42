#pragma once
// Internal: the compiled bodies behind acl_api (src/client/acl_*.cpp).

#include <coconsul/detail/async.hpp>
#include <coconsul/model/acl.hpp>
#include <coconsul/query.hpp>

#include <optional>
#include <string>
#include <vector>

namespace coconsul {
struct acl_token_list_filter;
}

namespace coconsul::detail {

struct client_state;

template <class T>
using acl_read = completion_handler<query_result<T>>;

// Bootstrap, replication, login and logout (acl_system.cpp).
void acl_bootstrap(client_state&, write_options, completion_handler<acl_token>);
void acl_replication(client_state&, query_options, acl_read<acl_replication_status>);
void acl_login(client_state&, acl_login_params, write_options, completion_handler<acl_token>);
void acl_logout(client_state&, write_options, completion_handler<void>);

// Tokens (acl_tokens.cpp).
void acl_token_create(client_state&, acl_token, write_options, completion_handler<acl_token>);
void acl_token_read(client_state&, std::string, query_options, acl_read<acl_token>);
void acl_token_read_expanded(client_state&, std::string, query_options, acl_read<acl_token_expanded>);
void acl_token_read_self(client_state&, query_options, acl_read<acl_token>);
void acl_token_update(client_state&, acl_token, write_options, completion_handler<acl_token>);
void acl_token_clone(client_state&, std::string, std::string, write_options, completion_handler<acl_token>);
void acl_token_delete(client_state&, std::string, write_options, completion_handler<void>);
void acl_token_list(client_state&, acl_token_list_filter, query_options, acl_read<std::vector<acl_token_list_entry>>);

// Policies and roles (acl_policies.cpp).
void acl_policy_create(client_state&, acl_policy, write_options, completion_handler<acl_policy>);
void acl_policy_read(client_state&, std::string, query_options, acl_read<acl_policy>);
void acl_policy_read_by_name(client_state&, std::string, query_options, acl_read<acl_policy>);
void acl_policy_update(client_state&, acl_policy, write_options, completion_handler<acl_policy>);
void acl_policy_delete(client_state&, std::string, write_options, completion_handler<void>);
void acl_policy_list(client_state&, query_options, acl_read<std::vector<acl_policy_list_entry>>);
void acl_role_create(client_state&, acl_role, write_options, completion_handler<acl_role>);
void acl_role_read(client_state&, std::string, query_options, acl_read<std::optional<acl_role>>);
void acl_role_read_by_name(client_state&, std::string, query_options, acl_read<std::optional<acl_role>>);
void acl_role_update(client_state&, acl_role, write_options, completion_handler<acl_role>);
void acl_role_delete(client_state&, std::string, write_options, completion_handler<void>);
void acl_role_list(client_state&, std::string, query_options, acl_read<std::vector<acl_role>>);

// Auth methods and binding rules (acl_auth.cpp).
void acl_auth_method_create(client_state&, acl_auth_method, write_options, completion_handler<acl_auth_method>);
void acl_auth_method_read(client_state&, std::string, query_options, acl_read<std::optional<acl_auth_method>>);
void acl_auth_method_update(client_state&, acl_auth_method, write_options, completion_handler<acl_auth_method>);
void acl_auth_method_delete(client_state&, std::string, write_options, completion_handler<void>);
void acl_auth_method_list(client_state&, query_options, acl_read<std::vector<acl_auth_method_list_entry>>);
void acl_binding_rule_create(client_state&, acl_binding_rule, write_options, completion_handler<acl_binding_rule>);
void acl_binding_rule_read(client_state&, std::string, query_options, acl_read<std::optional<acl_binding_rule>>);
void acl_binding_rule_update(client_state&, acl_binding_rule, write_options, completion_handler<acl_binding_rule>);
void acl_binding_rule_delete(client_state&, std::string, write_options, completion_handler<void>);
void acl_binding_rule_list(client_state&, std::string, query_options, acl_read<std::vector<acl_binding_rule>>);

}  // namespace coconsul::detail
