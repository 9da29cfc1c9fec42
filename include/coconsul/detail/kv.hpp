#pragma once
// Internal: the compiled bodies behind kv_api (src/client/kv.cpp) and the requests they take.

#include <coconsul/detail/async.hpp>
#include <coconsul/model/kv.hpp>
#include <coconsul/query.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coconsul::detail {

struct client_state;

enum class kv_mode { set, cas, acquire, release };
struct kv_write {
  kv_mode mode = kv_mode::set;
  std::string key;
  std::string value;
  std::uint64_t flags = 0;
  std::uint64_t cas_index = 0;  // kv_mode::cas: the ModifyIndex to match (0: only if absent)
  std::string session;          // kv_mode::acquire and release
  write_options scope;
};
struct kv_delete {
  std::string key;
  bool recurse = false;
  std::optional<std::uint64_t> cas;
  write_options scope;
};

void kv_get(client_state&, std::string, query_options, completion_handler<query_result<std::optional<kv_pair>>>);
void kv_list(client_state&, std::string, query_options, completion_handler<query_result<std::vector<kv_pair>>>);
void kv_keys(client_state&, std::string, std::string, query_options,
             completion_handler<query_result<std::vector<std::string>>>);
// Consul's true/false answer.
void kv_put(client_state&, kv_write, completion_handler<bool>);
void kv_remove(client_state&, kv_delete, completion_handler<bool>);
// Writes whose Consul answer is always true: the answer is checked, then dropped.
void kv_put_checked(client_state&, kv_write, completion_handler<void>);
void kv_remove_checked(client_state&, kv_delete, completion_handler<void>);

}  // namespace coconsul::detail
