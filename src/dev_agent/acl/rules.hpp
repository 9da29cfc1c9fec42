#pragma once
// Consul's ACL rule language, parsed as Consul 1.14 parses a policy's Rules: HCL v1 (the subset
// policies use: blocks, attributes, lists, comments, heredocs) or its JSON form, decoded the way
// HCL v1 decodes into acl.PolicyRules, then validated with Consul's texts. No I/O.

#include "dev_agent/acl/policy.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

namespace coconsul::dev::acl {

// The message for nesting past max_rules_depth.
std::string rules_too_deep();

// Why rules were refused: Consul's text without the RPC's wrapping. Syntax and decoding errors
// are what follows "Failed to parse ACL rules: " (`parse_error` true: Consul prefixes them);
// validation errors are whole ("Invalid key policy: &acl.KeyRule{...}").
struct rules_error {
  std::string message;
  bool parse_error = false;
  // The text Consul's error carries: "Failed to parse ACL rules: <message>" or the message.
  std::string consul_text() const;
};

using rules_result = std::variant<policy_rules, rules_error>;

// The most rule text accepted: Consul has no own bound (its HTTP body and Raft entry limits
// bound it); this keeps a hostile policy from costing more than a large real one.
inline constexpr std::size_t max_rules_bytes = 512 * 1024;

// How deep rule text may nest. Real rules nest three levels (`namespace "x" { key "k" { policy
// = "read" } }`); the parsers are recursive descent, and core::max_nesting_depth levels of
// them overflow an 8 MiB stack (a few frames of ~1 KiB per level), so rules have this bound.
inline constexpr std::size_t max_rules_depth = 128;

// Parses and validates one policy's rules. Empty text is an empty policy, as in Consul.
// Never throws for any input; nesting past max_rules_depth is an error.
rules_result parse_rules(std::string_view text);

}  // namespace coconsul::dev::acl
