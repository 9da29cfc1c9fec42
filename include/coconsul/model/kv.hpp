#pragma once
// A key/value entry (Consul's KVPair): GET /v1/kv/:key returns std::vector<kv_pair>.

#include <coconsul/model/wire.hpp>

#include <cstdint>
#include <string>

namespace coconsul {

struct kv_pair {
  std::string key{};
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;  // the index to pass as ?cas= for check-and-set
  std::uint64_t lock_index = 0;    // how many times the key was acquired
  std::uint64_t flags = 0;         // opaque to Consul; all 64 bits kept
  // The value's bytes, decoded from base64. A std::string, not std::vector<std::byte>: it
  // holds any bytes (NUL included), and most values are text. An empty or null value is "".
  std::string value{};
  std::string session{};  // the session holding the lock, if any
  std::string namespace_name{};
  std::string partition{};

  bool operator==(const kv_pair&) const = default;
};
COCONSUL_WIRE_STRUCT(kv_pair,
                     (key, "Key"), (create_index, "CreateIndex"),
                     (modify_index, "ModifyIndex"), (lock_index, "LockIndex"),
                     (flags, "Flags"), (value, "Value", base64), (session, "Session"),
                     (namespace_name, "Namespace"), (partition, "Partition"))

}  // namespace coconsul
