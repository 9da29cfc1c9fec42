#pragma once
// A typed view of a service-splitter entry (ServiceSplitterConfigEntry), for the discovery chain.

#include "dev_agent/config_entries/view_common.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

namespace coconsul::dev::config_entries {

struct service_split {
  double weight = 0;  // percent, rounded to 0.01 by Normalize
  std::string service, service_subset, namespace_, partition;
  std::optional<header_modifiers> request_headers, response_headers;
};

struct service_splitter {
  std::string name;
  std::vector<service_split> splits;
  std::map<std::string, std::string> meta;
};

service_splitter read_service_splitter(const boost::json::object& entry);

}  // namespace coconsul::dev::config_entries
