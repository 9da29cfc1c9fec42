#pragma once
// The ACL records as Consul's JSON, field for field in the order Go's structs declare them
// (structs.ACLToken and ACLTokenListStub, ACLPolicy and ACLPolicyListStub, ACLRole,
// ACLAuthMethod and its stub, ACLBindingRule). Links get their target's current name; links
// whose target is gone are left out, as Consul's state store does on every read.

#include "dev_agent/store/acl_state.hpp"

#include <boost/json/object.hpp>

namespace coconsul::dev {

// `show_secret` false: SecretID "<hidden>" (a caller without acl:write).
boost::json::object render_acl_token(const acl_state& t, const acl_token_record& token, bool show_secret);
boost::json::object render_acl_policy(const acl_policy_record& p);
boost::json::object render_acl_policy_stub(const acl_policy_record& p);
boost::json::object render_acl_role(const acl_state& t, const acl_role_record& r);
boost::json::object render_acl_auth_method(const acl_auth_method_record& m);
boost::json::object render_acl_auth_method_stub(const acl_auth_method_record& m);
boost::json::object render_acl_binding_rule(const acl_binding_rule_record& r);

}  // namespace coconsul::dev
