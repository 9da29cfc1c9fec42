#pragma once
// The acl block and the older top-level acl_* keys (agent/config/deprecated.go) turned into
// dev_agent_options::acl_settings, with Consul's deprecation warnings. No I/O.

#include <coconsul/dev_agent_options.hpp>

#include <boost/json/object.hpp>

#include <string>
#include <vector>

namespace coconsul::dev::config {

// Throws config_error for a down_policy or default_policy Consul refuses; bad durations are
// collected in `errors` as the builder words them; deprecated spellings add a warning each.
void apply_acl(const boost::json::object& c, dev_agent_options::acl_settings& out, std::vector<std::string>& warnings,
               std::vector<std::string>& errors);

}  // namespace coconsul::dev::config
