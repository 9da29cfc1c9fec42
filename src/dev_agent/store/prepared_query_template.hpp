#pragma once
// Consul's prepared-query templates (agent/consul/prepared_query/template.go and walk.go):
// "name_prefix_match" with its optional RE2 Regexp, and every string of the Service part
// interpolated with the subset of HIL that templates use: ${name.full}, ${name.prefix},
// ${name.suffix}, ${agent.segment} and ${match(N)}, "$${" for a literal "${". Pure code.

#include "dev_agent/store/prepared_query_state.hpp"

#include <string>
#include <string_view>
#include <variant>

namespace coconsul::dev {

// Consul's Compile: the type, every string of Service parses, the Regexp compiles, and a
// render with the template's own name succeeds. Consul's error text, or "" when it compiles.
std::string check_template(const prepared_query_record& tpl);

// Consul's Render for the name `name` was resolved with: the template with every string of
// Service interpolated, and empty tags dropped when RemoveEmptyTags. The error text when an
// interpolation fails.
std::variant<prepared_query_record, std::string> render_template(const prepared_query_record& tpl, std::string_view name);

}  // namespace coconsul::dev
