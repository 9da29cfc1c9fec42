#pragma once
// The ACL write bodies decoded as Consul decodes them (lib.DecodeJSON: Go's encoding/json with
// unknown fields refused, json_in.hpp), and Go's time.Time text. Pure: no store, no context,
// so the fuzz target (fuzz/fuzz_agent_acl_body.cpp) drives exactly what the endpoints run.

#include "dev_agent/http/json_in.hpp"
#include "dev_agent/store/acl_records.hpp"

#include <boost/json/value.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul::dev {

// structs.ACLToken as a body, with its input-only fields.
struct acl_token_body {
  acl_token_record token;
  std::chrono::nanoseconds expiration_ttl{0};
  std::string rules;  // the legacy field: refused by the endpoint when set
};

// Each throws http_error 400 "<Type> decoding failed: <Go's error>" ("... EOF" for an empty
// body), the prefix Consul's handler puts on it: Token, Policy, Role, AuthMethod, BindingRule.
acl_token_body decode_acl_token(std::string_view body);
acl_policy_record decode_acl_policy(std::string_view body);
acl_role_record decode_acl_role(std::string_view body);
acl_auth_method_record decode_acl_auth_method(std::string_view body);
acl_binding_rule_record decode_acl_binding_rule(std::string_view body);

// structs.ACLLoginParams, the body of POST /v1/acl/login. Throws http_error 400 "Failed to
// decode body: <Go's error>", the text Consul's ACLLogin handler puts on it.
struct acl_login_body {
  std::string auth_method;
  std::string bearer_token;
  std::map<std::string, std::string> meta;
};
acl_login_body decode_acl_login(std::string_view body);

// Go's time.Time in JSON (RFC 3339 with nanoseconds, trailing zeros dropped, UTC as "Z").
std::string go_time(acl_time t);
// Parses what Go's time.Time accepts in JSON (RFC 3339, any offset) between the years 1677 and
// 2262 (64-bit nanoseconds); nullopt otherwise.
std::optional<acl_time> parse_go_time(std::string_view s);

// Field decoding of the ACL types (the wrappers let json_in's field() find these overloads by
// argument-dependent lookup).
struct go_time_field {
  std::optional<acl_time> value;  // null or absent: none
};
struct nullable_strings {
  std::optional<std::vector<std::string>> value;  // Go's nil slice when null or absent
};
void assign(const boost::json::value& v, std::vector<acl_link>& out, const json_context& ctx);
void assign(const boost::json::value& v, std::vector<acl_service_identity>& out, const json_context& ctx);
void assign(const boost::json::value& v, std::vector<acl_node_identity>& out, const json_context& ctx);
void assign(const boost::json::value& v, go_time_field& out, const json_context& ctx);
void assign(const boost::json::value& v, nullable_strings& out, const json_context& ctx);

}  // namespace coconsul::dev
