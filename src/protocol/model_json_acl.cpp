// JSON conversions of the ACL model types (include/coconsul/model/acl.hpp) and their lists.
#include "protocol/json_codec.hpp"

#include <coconsul/model/acl.hpp>

namespace {
template <class T> using list = std::vector<T>;
}  // namespace

#define COCONSUL_JSON_INSTANTIATE_WITH_LIST(T) \
  COCONSUL_JSON_INSTANTIATE(T)                 \
  COCONSUL_JSON_INSTANTIATE(list<T>)

COCONSUL_JSON_INSTANTIATE_WITH_LIST(coconsul::acl_link)
COCONSUL_JSON_INSTANTIATE_WITH_LIST(coconsul::acl_service_identity)
COCONSUL_JSON_INSTANTIATE_WITH_LIST(coconsul::acl_node_identity)
COCONSUL_JSON_INSTANTIATE_WITH_LIST(coconsul::acl_token)
COCONSUL_JSON_INSTANTIATE_WITH_LIST(coconsul::acl_token_list_entry)
COCONSUL_JSON_INSTANTIATE(coconsul::acl_token_expansion)
COCONSUL_JSON_INSTANTIATE_WITH_LIST(coconsul::acl_policy)
COCONSUL_JSON_INSTANTIATE_WITH_LIST(coconsul::acl_policy_list_entry)
COCONSUL_JSON_INSTANTIATE_WITH_LIST(coconsul::acl_role)
COCONSUL_JSON_INSTANTIATE_WITH_LIST(coconsul::acl_auth_method)
COCONSUL_JSON_INSTANTIATE_WITH_LIST(coconsul::acl_auth_method_list_entry)
COCONSUL_JSON_INSTANTIATE_WITH_LIST(coconsul::acl_binding_rule)
COCONSUL_JSON_INSTANTIATE(coconsul::acl_login_params)
COCONSUL_JSON_INSTANTIATE(coconsul::acl_token_clone_request)
COCONSUL_JSON_INSTANTIATE(coconsul::acl_replication_status)
