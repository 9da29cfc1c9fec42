#pragma once
// Consul's ACL error texts (acl/errors.go, 1.14): the fixed ones and the permission denial
// built from a verdict. Text only; the status code is the endpoints' business.

#include "dev_agent/acl/authorizer.hpp"

#include <string>
#include <string_view>

namespace coconsul::dev::acl {

inline constexpr std::string_view acl_not_found = "ACL not found";
inline constexpr std::string_view root_denied = "Cannot resolve root ACL";
inline constexpr std::string_view acl_disabled = "ACL support disabled";
inline constexpr std::string_view permission_denied = "Permission denied";

// "Permission denied: token with AccessorID '<id>' lacks permission '<resource>:<level>' on
// "<segment>"" (no " on ..." for an unnamed permission; "provided token" without an accessor;
// "Permission denied: <cause>" when the verdict has a cause). For a denied verdict.
std::string denial_text(std::string_view accessor_id, const verdict& v);

// "Permission denied: <cause>" (acl.PermissionDenied), for the denials that name no rule.
std::string denied_because(std::string_view cause);

}  // namespace coconsul::dev::acl
