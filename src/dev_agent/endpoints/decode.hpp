#pragma once
// Request bodies, decoded strictly as Consul's structs (agent/structs): ServiceDefinition (with
// its ConnectProxyConfig and ServiceConnect), CheckType, CheckDefinition, the TTL update,
// Session, RegisterRequest, DeregisterRequest and the transaction's api.TxnOps. Each throws
// body_decode_error with Go's text.

#include "dev_agent/http/json_in.hpp"
#include "dev_agent/local/check_spec.hpp"
#include "dev_agent/store/records.hpp"

#include <boost/json/value.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul::dev {

struct service_definition {
  service_record service;
  bool weights_given = false;
  std::optional<check_spec> check;  // "Check"
  std::vector<check_spec> checks;   // "Checks"
  std::string token;                // "Token": a sidecar's own (the agent's vetServiceRegister)
  // Connect.SidecarService, a definition of its own (null: none; `{}` is one with defaults).
  std::shared_ptr<service_definition> sidecar;
};
service_definition decode_service_definition(const boost::json::value& v);

// structs.ConnectProxyConfig (decode_proxy.cpp).
proxy_record decode_proxy(const boost::json::value& v);

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

// PUT /v1/txn: the body as api.TxnOps, checked as Consul's convertOps checks it (limits.hpp):
// the body's length before decoding (413), the number of operations after (413), then each KV
// value against kv_max_value_size (413), all before anything is applied. Only KV operations:
// the others are a 400 (http_error). Throws body_decode_error or http_error.
struct txn_kv_op {
  std::string verb, key, session;
  std::optional<std::string> value;  // base64-decoded; nullopt when absent
  std::uint64_t flags = 0, index = 0;
  bool bad_base64 = false;  // reported per operation when applied, as Consul's
};
std::vector<txn_kv_op> decode_txn(std::string_view body);

}  // namespace coconsul::dev
