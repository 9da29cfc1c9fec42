#pragma once
// Transactions: PUT /v1/txn takes std::vector<txn_op> (at most 64) and answers txn_response
// (HTTP 200 when applied; 409 with the errors when rolled back).

#include <coconsul/model/catalog.hpp>
#include <coconsul/model/check.hpp>
#include <coconsul/model/kv.hpp>
#include <coconsul/model/service.hpp>
#include <coconsul/model/wire.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul {

// KV verbs of a transaction.
namespace txn_verb {
inline constexpr std::string_view set = "set";
inline constexpr std::string_view cas = "cas";
inline constexpr std::string_view lock = "lock";
inline constexpr std::string_view unlock = "unlock";
inline constexpr std::string_view get = "get";
inline constexpr std::string_view get_or_empty = "get-or-empty";
inline constexpr std::string_view get_tree = "get-tree";
inline constexpr std::string_view check_index = "check-index";
inline constexpr std::string_view check_session = "check-session";
inline constexpr std::string_view check_not_exists = "check-not-exists";
inline constexpr std::string_view delete_key = "delete";
inline constexpr std::string_view delete_tree = "delete-tree";
inline constexpr std::string_view delete_cas = "delete-cas";
}  // namespace txn_verb

// One KV operation (Consul's TxnKVOp).
struct txn_kv_op {
  std::string verb{};  // see txn_verb
  std::string key{};
  std::string value{};     // bytes, base64 on the wire
  std::uint64_t flags = 0;
  std::uint64_t index = 0;  // for cas, delete-cas, check-index
  std::string session{};    // for lock, unlock, check-session
  std::string namespace_name{};
  std::string partition{};

  bool operator==(const txn_kv_op&) const = default;
};
COCONSUL_WIRE_STRUCT(txn_kv_op,
                     (verb, "Verb"), (key, "Key"), (value, "Value", base64),
                     (flags, "Flags"), (index, "Index"), (session, "Session"),
                     (namespace_name, "Namespace"), (partition, "Partition"))

// One operation of a transaction. Only KV operations are modelled for writing.
struct txn_op {
  std::optional<txn_kv_op> kv{};

  bool operator==(const txn_op&) const = default;
};
COCONSUL_WIRE_STRUCT(txn_op, (kv, "KV"))

// One result, in the order of the operations that produced one.
struct txn_result {
  std::optional<kv_pair> kv{};
  std::optional<coconsul::node> node{};
  std::optional<agent_service> service{};
  std::optional<health_check> check{};

  bool operator==(const txn_result&) const = default;
};
COCONSUL_WIRE_STRUCT(txn_result,
                     (kv, "KV"), (node, "Node"), (service, "Service"), (check, "Check"))

// Why an operation failed; op_index counts from 0.
struct txn_error {
  int op_index = 0;
  std::string what{};

  bool operator==(const txn_error&) const = default;
};
COCONSUL_WIRE_STRUCT(txn_error, (op_index, "OpIndex"), (what, "What"))

struct txn_response {
  std::vector<txn_result> results{};
  std::vector<txn_error> errors{};

  bool operator==(const txn_response&) const = default;
};
COCONSUL_WIRE_STRUCT(txn_response, (results, "Results"), (errors, "Errors"))

}  // namespace coconsul
