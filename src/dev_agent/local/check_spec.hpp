#pragma once
// A check as a request body gives it (Consul's CheckType / CheckDefinition), before the agent
// registers it: decoded by the endpoints, registered by the local agent.

#include "dev_agent/store/records.hpp"

#include <string>

namespace coconsul::dev {

struct check_spec {
  std::string check_id;
  std::string name;
  std::string notes;
  std::string status;
  std::string service_id;
  check_definition definition;
  int success_before_passing = 0;
  int failures_before_warning = 0;
  int failures_before_critical = 0;
  std::string type() const;  // Consul's CheckType.Type(): "http", "tcp", "ttl", ...
  bool has_type() const;      // CheckType.Valid()
  // CheckType.Validate(): "" or the reason.
  std::string validate() const;
};

}  // namespace coconsul::dev
