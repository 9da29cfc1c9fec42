#pragma once
// Service and check definitions from config files, rewritten as the JSON bodies of PUT
// /v1/agent/service/register and /v1/agent/check/register. Consul's config decoder takes
// snake_case keys (and, case-insensitively, their CamelCase spellings); the HTTP decoder
// matches Go field names case-insensitively, so a key loses its underscores, and a check's
// "id" inside a service becomes "CheckID". Maps of user keys (meta, header, tagged addresses)
// are copied as they are. No I/O.

#include <boost/json/object.hpp>

#include <string>

namespace coconsul::dev::config {

boost::json::object service_definition_body(const boost::json::object& config_definition);
boost::json::object check_definition_body(const boost::json::object& config_definition);

}  // namespace coconsul::dev::config
