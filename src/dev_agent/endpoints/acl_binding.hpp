#pragma once
// From a bearer token to what the login token gets, as Consul 1.14's ACL.Login does for a `jwt`
// auth method: the token's claims (acl/jwt_token.hpp) projected into the selectable fields
// (`value.<name>`, `list.<name>`) and the bind-name variables (`value.<name>`), each binding rule
// whose Selector matches (?filter's engine), its BindName interpolated (HIL's `${...}`, values
// lower-cased) and checked for its BindType. Not the token store, nor the HTTP endpoint.

#include "dev_agent/acl/jwt_config.hpp"
#include "dev_agent/acl/jwt_token.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace coconsul::dev {

// A binding rule as Consul stores one (structs.ACLBindingRule); BindType "service", "node" or
// "role" (Consul 1.14 has no others).
struct acl_binding_rule {
  std::string id;
  std::string description;
  std::string auth_method;
  std::string selector;
  std::string bind_type;
  std::string bind_name;
};

// What a rule's Selector is evaluated against and what its BindName may name: Consul's
// authmethod.Identity for the jwt type.
struct acl_login_identity {
  boost::json::value selectable;                       // {"value":{name:text},"list":{name:[text]}}
  std::map<std::string, std::string> projected_vars;   // "value.<name>" -> text
};

// NewIdentity: every ClaimMappings target present and empty (for BindName checks).
acl_login_identity blank_login_identity(const acl::jwt_method_config& config);
// identityFromClaims: the selectable fields hold what the token had, the variables keep "".
acl_login_identity login_identity(const acl::jwt_method_config& config, const acl::jwt_claims& claims);

// lib/template.InterpolateHIL with lowercase values: "${value.name}" and text around it;
// "$${" stands for "${". Only variable references are read (HIL's functions, literals and
// operators are refused with a parse error). nullopt and `error` on failure, as HIL words it:
// "1:3: unknown variable accessed: value.x".
std::optional<std::string> interpolate_bind_name(std::string_view bind_name,
                                                 const std::map<std::string, std::string>& vars, std::string& error);

// acl.IsValidServiceIdentityName, IsValidNodeIdentityName, IsValidRoleName.
bool is_valid_service_identity_name(std::string_view name);
bool is_valid_node_identity_name(std::string_view name);
bool is_valid_role_name(std::string_view name);

// doesSelectorMatch: an empty selector matches all; one that does not parse or evaluate matches
// nothing.
bool selector_matches(const std::string& selector, const boost::json::value& selectable);

// The checks of Consul's BindingRuleSet that need the method: the Selector parses, BindType and
// BindName are set and valid for the method's variables. Consul's texts ("Invalid Binding Rule:
// invalid BindName", …); nullopt when the rule is acceptable. The Selector is checked for syntax
// only (go-bexpr also checks its field names against the identity's type).
std::optional<std::string> validate_binding_rule(const acl::jwt_method_config& config, const acl_binding_rule& rule);

// What a login token is given (auth.Bindings).
struct acl_login_bindings {
  struct node_identity {
    std::string node_name;
    std::string datacenter;
  };
  struct role_link {
    std::string id;
    std::string name;
  };
  std::vector<std::string> service_identities;  // ServiceName; no Datacenters
  std::vector<node_identity> node_identities;
  std::vector<role_link> roles;
};

// A login refused: Consul's HTTP status and text. 403 "Permission denied" when no rule binds
// anything; 500 with the validator's or binder's text otherwise.
struct acl_login_failure {
  unsigned status;
  std::string text;
};

struct acl_login_context {
  std::chrono::system_clock::time_point now;
  std::string datacenter;  // node identities are bound in it
  // A role's ID by its name; nullopt when there is none (a rule naming it then binds nothing).
  std::function<std::optional<std::string>(const std::string& name)> role_id_by_name;
};

// ACL.Login's validation and binding for a jwt auth method: the method's Config (as stored; its
// validation texts come back as 500s), the method's binding rules in order, the request's
// BearerToken.
std::variant<acl_login_bindings, acl_login_failure> evaluate_login(const boost::json::object& method_config,
                                                                   const std::vector<acl_binding_rule>& rules,
                                                                   std::string_view bearer_token,
                                                                   const acl_login_context& context);

// auth.BuildTokenDescription("token created via login", meta): the login token's Description,
// the request's Meta (if any) appended as Go marshals a map (keys sorted, HTML-safe escapes).
std::string login_token_description(const std::map<std::string, std::string>& meta);

}  // namespace coconsul::dev
