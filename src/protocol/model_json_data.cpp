// JSON conversions of the catalog, KV, session, event and transaction model types, and of
// the plain values some endpoints return (strings, booleans, lists and maps of strings).
#include "protocol/json_codec.hpp"

#include <coconsul/model/catalog.hpp>
#include <coconsul/model/event.hpp>
#include <coconsul/model/kv.hpp>
#include <coconsul/model/session.hpp>
#include <coconsul/model/txn.hpp>

namespace {
template <class T> using list = std::vector<T>;
template <class T> using by_name = std::map<std::string, T>;
}  // namespace

#define COCONSUL_JSON_INSTANTIATE_ALL(T) \
  COCONSUL_JSON_INSTANTIATE(T)           \
  COCONSUL_JSON_INSTANTIATE(list<T>)     \
  COCONSUL_JSON_INSTANTIATE(by_name<T>)

COCONSUL_JSON_INSTANTIATE_ALL(coconsul::node)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::catalog_service)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::catalog_node)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::catalog_registration)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::catalog_deregistration)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::kv_pair)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::session_service_check)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::session)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::session_create_request)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::session_create_response)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::user_event)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::txn_kv_op)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::txn_op)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::txn_result)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::txn_error)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::txn_response)

// Plain values: /v1/status/leader (a string), /v1/kv PUT (a boolean), /v1/status/peers and
// /v1/kv?keys (lists of strings), /v1/catalog/services (name -> tags), service metadata.
COCONSUL_JSON_INSTANTIATE_ALL(std::string)
COCONSUL_JSON_INSTANTIATE(bool)
COCONSUL_JSON_INSTANTIATE(by_name<list<std::string>>)
