#pragma once
// The config blocks that fill a struct of their own in dev_agent_options: connect (the built-in
// CA's settings) and dns_config. Durations are Go's. No I/O.

#include <coconsul/dev_agent_options.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul::dev::config {

// A Go duration at `path`; a bad one is collected as Consul's builder words it.
std::optional<std::chrono::nanoseconds> duration_at(const boost::json::object& c, std::string_view path,
                                                    std::vector<std::string>& errors);

// connect.enabled, connect.ca_provider and connect.ca_config (snake_case or the provider's
// CamelCase keys, as Consul translates them). Throws config_error for another CA provider or a
// cluster_id that is not a UUID; ca_config keys without effect here go to `ignored`.
void apply_connect(const boost::json::object& c, dev_agent_options::connect_settings& out,
                   std::set<std::string>& ignored);

// domain and dns_config.*.
void apply_dns(const boost::json::object& c, dev_agent_options::dns_settings& out, std::vector<std::string>& errors);

}  // namespace coconsul::dev::config
