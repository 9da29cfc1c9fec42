#pragma once
// Request bodies, decoded strictly as Consul's structs (agent/structs): ServiceDefinition,
// CheckType, CheckDefinition, the TTL update, Session, RegisterRequest, DeregisterRequest.
// Each throws body_decode_error with Go's text.

#include "dev_agent/http/json_in.hpp"
#include "dev_agent/local/check_spec.hpp"
#include "dev_agent/store/records.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace coconsul::dev {

struct service_definition {
  service_record service;
  bool weights_given = false;
  std::optional<check_spec> check;  // "Check"
  std::vector<check_spec> checks;   // "Checks"
};
service_definition decode_service_definition(const boost::json::value& v);

// POST /agent/check/register: structs.CheckDefinition.
check_spec decode_check_definition(const boost::json::value& v);

struct ttl_check_update {
  std::string status;
  std::string output;
};
ttl_check_update decode_check_update(const boost::json::value& v);

// PUT /session/create: fields over `defaults`.
struct session_request {
  session_record session;
  std::optional<std::vector<std::string>> checks;  // deprecated "Checks"
  std::optional<go_duration> lock_delay;
};
session_request decode_session(const boost::json::value& v, session_record defaults);

// PUT /catalog/register: structs.RegisterRequest.
struct catalog_register {
  std::string datacenter;
  node_record node;
  std::optional<service_record> service;
  std::optional<check_record> check;
  std::vector<check_record> checks;
  bool skip_node_update = false;
};
catalog_register decode_catalog_register(const boost::json::value& v);

// PUT /catalog/deregister: structs.DeregisterRequest.
struct catalog_deregister {
  std::string datacenter;
  std::string node;
  std::string service_id;
  std::string check_id;
};
catalog_deregister decode_catalog_deregister(const boost::json::value& v);

}  // namespace coconsul::dev
