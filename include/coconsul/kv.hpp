#pragma once
// /v1/kv: Consul's key/value store. Keys are paths ("config/web/port"); one leading '/' is
// ignored, as Consul's Go client does. Values are bytes (std::string). Reads block with
// query_options::index; writes return Consul's true/false where it has one.

#include <coconsul/async.hpp>
#include <coconsul/detail/kv.hpp>
#include <coconsul/model/kv.hpp>
#include <coconsul/query.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace coconsul {

// Every operation: bad input (an empty key where one is required, a control character) fails
// with errc::invalid_argument before anything is sent. Cancellation: terminal, partial and
// total; the request's connection is closed and, for a write, whether it was applied is unknown.
class kv_api {
 public:
  explicit kv_api(std::shared_ptr<detail::client_state> st) : state_(std::move(st)) {}

  // The pair at `key`, or an empty optional when there is none (not an error).
  template <class Token = use_awaitable_t>
  auto get(std::string key, query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<std::optional<kv_pair>>>(std::forward<Token>(token), &detail::kv_get, state_,
                                                                std::move(key), std::move(opts));
  }

  // Every pair whose key starts with `prefix` ("" lists the whole store), sorted by key.
  template <class Token = use_awaitable_t>
  auto list(std::string prefix, query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<std::vector<kv_pair>>>(std::forward<Token>(token), &detail::kv_list, state_,
                                                              std::move(prefix), std::move(opts));
  }

  // The keys under `prefix`; with a separator (usually "/"), keys are cut after the first
  // separator past the prefix, like a directory listing.
  template <class Token = use_awaitable_t>
  auto keys(std::string prefix, std::string separator = {}, query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<std::vector<std::string>>>(
        std::forward<Token>(token), &detail::kv_keys, state_, std::move(prefix), std::move(separator), std::move(opts));
  }

  // Sets `key` to `value` with `flags` (an opaque 64-bit number for the application).
  template <class Token = use_awaitable_t>
  auto put(std::string key, std::string value, std::uint64_t flags = 0, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::kv_put_checked, state_,
                                detail::kv_write{.key = std::move(key), .value = std::move(value), .flags = flags,
                                                 .scope = std::move(w)});
  }

  // Check-and-set: writes only if the key's ModifyIndex is still `modify_index` (0: only if the
  // key does not exist). Returns whether it was written.
  template <class Token = use_awaitable_t>
  auto cas(std::string key, std::string value, std::uint64_t modify_index, std::uint64_t flags = 0,
           write_options w = write_options(), Token&& token = {}) {
    return detail::launch<bool>(std::forward<Token>(token), &detail::kv_put, state_,
                                detail::kv_write{.mode = detail::kv_mode::cas, .key = std::move(key),
                                                 .value = std::move(value), .flags = flags, .cas_index = modify_index,
                                                 .scope = std::move(w)});
  }

  // Takes the lock on `key` for `session` and sets the value. Returns whether the lock was
  // taken (false: another session holds it, or the lock-delay after a release is running).
  template <class Token = use_awaitable_t>
  auto acquire(std::string key, std::string session, std::string value, std::uint64_t flags = 0,
               write_options w = write_options(), Token&& token = {}) {
    return detail::launch<bool>(std::forward<Token>(token), &detail::kv_put, state_,
                                detail::kv_write{.mode = detail::kv_mode::acquire, .key = std::move(key),
                                                 .value = std::move(value), .flags = flags,
                                                 .session = std::move(session), .scope = std::move(w)});
  }

  // Releases `session`'s lock on `key` and sets the value. Returns whether it was released.
  template <class Token = use_awaitable_t>
  auto release(std::string key, std::string session, std::string value, std::uint64_t flags = 0,
               write_options w = write_options(), Token&& token = {}) {
    return detail::launch<bool>(std::forward<Token>(token), &detail::kv_put, state_,
                                detail::kv_write{.mode = detail::kv_mode::release, .key = std::move(key),
                                                 .value = std::move(value), .flags = flags,
                                                 .session = std::move(session), .scope = std::move(w)});
  }

  // Deletes `key` (nothing happens if it does not exist).
  template <class Token = use_awaitable_t>
  auto delete_key(std::string key, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::kv_remove_checked, state_,
                                detail::kv_delete{.key = std::move(key), .scope = std::move(w)});
  }

  // Deletes every key under `prefix`. An empty prefix deletes the whole store.
  template <class Token = use_awaitable_t>
  auto delete_tree(std::string prefix, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::kv_remove_checked, state_,
                                detail::kv_delete{.key = std::move(prefix), .recurse = true, .scope = std::move(w)});
  }

  // Deletes `key` only if its ModifyIndex is still `modify_index`. Returns whether it did.
  template <class Token = use_awaitable_t>
  auto delete_cas(std::string key, std::uint64_t modify_index, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<bool>(std::forward<Token>(token), &detail::kv_remove, state_,
                                detail::kv_delete{.key = std::move(key), .cas = modify_index, .scope = std::move(w)});
  }

 private:
  std::shared_ptr<detail::client_state> state_;
};

}  // namespace coconsul
