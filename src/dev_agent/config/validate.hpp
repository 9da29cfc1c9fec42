#pragma once
// Consul's checks of single values (agent/config/builder.go, agent/structs, go-uuid, hclog),
// each returning or throwing Consul's text. No I/O.

#include <coconsul/dev_agent_options.hpp>

#include <boost/json/object.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul::dev::config {

// validateBasicName: lower-case alphanumerics, '-' and '_'. Throws config_error.
void validate_basic_name(std::string_view field, const std::string& value, bool allow_empty);
// structs.ValidateNodeMetadata: "" or why. Consul's callers that read a query's filter (a prepared
// query's NodeMeta, parseService) allow the reserved "consul-" prefix.
std::string node_meta_problem(const std::map<std::string, std::string>& meta, bool allow_consul_prefix = false);
// go-uuid's ParseUUID: "" or its error.
std::string uuid_problem(const std::string& text);
// Consul's log levels (TRACE DEBUG INFO WARN ERR ERROR, any case) and coconsul's "off".
// Throws config_error: "Invalid log level: X. Valid log levels are: [TRACE DEBUG INFO WARN ERR ERROR]".
dev_agent_options::log_level log_level_of(const std::string& text);
// The byte offset Go's base64 decoder names for what core::base64_decode refused.
std::string base64_error_offset(const std::string& why, const std::string& text);
// The one IP address of an address key (bind_addr, client_addr, addresses.http): "" when unset.
// A bad address is collected in `errors` ("client_addr: invalid ip address: x"); a template,
// a unix socket or several addresses are refused (config_error), as coconsul listens on one.
std::string single_address(const boost::json::object& c, std::string_view key, std::vector<std::string>& errors);

}  // namespace coconsul::dev::config
