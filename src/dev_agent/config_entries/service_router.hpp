#pragma once
// A typed view of a service-router entry (ServiceRouterConfigEntry), for the discovery chain.

#include "dev_agent/config_entries/view_common.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coconsul::dev::config_entries {

struct route_match_header {
  std::string name;
  bool present = false;
  std::string exact, prefix, suffix, regex;
  bool invert = false;
};

struct route_match_query_param {
  std::string name;
  bool present = false;
  std::string exact, regex;
};

struct route_http_match {
  std::string path_exact, path_prefix, path_regex;
  std::vector<route_match_header> header;
  std::vector<route_match_query_param> query_param;
  std::vector<std::string> methods;  // upper-case
};

struct route_destination {
  std::string service, service_subset, namespace_, partition, prefix_rewrite;
  std::chrono::nanoseconds request_timeout{0};
  std::chrono::nanoseconds idle_timeout{0};
  std::uint32_t num_retries = 0;
  bool retry_on_connect_failure = false;
  std::vector<std::uint32_t> retry_on_status_codes;
  std::vector<std::string> retry_on;
  std::optional<header_modifiers> request_headers, response_headers;
};

struct service_route {
  std::optional<route_http_match> match;  // Match.HTTP; none: every request
  std::optional<route_destination> destination;
};

struct service_router {
  std::string name;
  std::vector<service_route> routes;
  std::map<std::string, std::string> meta;
};

service_router read_service_router(const boost::json::object& entry);

}  // namespace coconsul::dev::config_entries
