#pragma once
// What the `coconsul acl` commands share: Consul's CLI text for tokens, policies and roles
// (`-format pretty`, the default) or the API's JSON (`-format json`), and the flags that name
// policies, roles and identities (-policy-id, -policy-name, -service-identity "web:dc1,dc2", ...).

#include "cli/command_support.hpp"

#include <coconsul/model/acl.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul::cli::acl {

// -format: "pretty" or "json"; anything else is a usage error (thrown as usage_error).
enum class format { pretty, json };
format parse_format(const std::string& text);
// parse_format for a command: on a bad value, the command's usage failure, as its exit code
// (used as `if (auto exit = read_format(cmd, text, f)) return *exit;`, like command_line::parse).
std::optional<int> read_format(const command_line& cmd, const std::string& text, format& out);

void print(const acl_token& t, format f);
void print(const acl_token_expanded& t, format f);
void print(const std::vector<acl_token_list_entry>& tokens, format f);
void print(const acl_policy& p, format f);
void print(const std::vector<acl_policy_list_entry>& policies, format f);
void print(const acl_role& r, format f);
void print(const std::vector<acl_role>& roles, format f);

// The links and identities named on a command line.
struct grant_flags {
  std::vector<std::string> policy_ids, policy_names, role_ids, role_names;
  std::vector<std::string> service_identities;  // "name" or "name:dc1,dc2"
  std::vector<std::string> node_identities;     // "name:dc"

  void add_to(arg_parser& p, bool with_roles);
  bool any() const;
  std::vector<acl_link> policies() const;
  std::vector<acl_link> roles() const;
  // Throw usage_error for a node identity without its datacenter or an empty name.
  std::vector<acl_service_identity> services() const;
  std::vector<acl_node_identity> nodes() const;
};

// -rules' value: the text itself, "@FILE" for a file's content, or "-" for stdin. Throws
// usage_error when the file cannot be read.
std::string read_rules(const std::string& value);

}  // namespace coconsul::cli::acl
