#pragma once
// /v1/session: sessions, the basis of KV locks and leader election (see lock.hpp).

#include <coconsul/async.hpp>
#include <coconsul/detail/session.hpp>
#include <coconsul/model/session.hpp>
#include <coconsul/query.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace coconsul {

// Bad input (an empty ID, control characters, a TTL outside 10s..24h) fails with
// errc::invalid_argument before anything is sent. Cancellation: terminal, partial and total.
class session_api {
 public:
  explicit session_api(std::shared_ptr<detail::client_state> st) : state_(std::move(st)) {}

  // Creates a session and returns its ID. A session with a TTL must be renewed within it
  // (Consul may keep it up to twice as long).
  template <class Token = use_awaitable_t>
  auto create(session_create_request req = session_create_request(), write_options w = write_options(), Token&& token = {}) {
    return detail::launch<std::string>(std::forward<Token>(token), &detail::session_create, state_, std::move(req),
                                       std::move(w));
  }

  // Destroys a session, releasing (or deleting, by its behavior) the keys it holds. Destroying
  // an unknown session is not an error.
  template <class Token = use_awaitable_t>
  auto destroy(std::string id, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::session_destroy, state_, std::move(id),
                                std::move(w));
  }

  // Restarts a session's TTL and returns it (its TTL may come back longer than asked).
  // errc::not_found when the session no longer exists.
  template <class Token = use_awaitable_t>
  auto renew(std::string id, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<session>(std::forward<Token>(token), &detail::session_renew, state_, std::move(id),
                                   std::move(w));
  }

  // A session by ID; an empty optional when it does not exist.
  template <class Token = use_awaitable_t>
  auto info(std::string id, query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<std::optional<session>>>(std::forward<Token>(token), &detail::session_info,
                                                                state_, std::move(id), std::move(opts));
  }

  // The sessions of a node.
  template <class Token = use_awaitable_t>
  auto node(std::string node_name, query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<std::vector<session>>>(std::forward<Token>(token), &detail::session_node,
                                                              state_, std::move(node_name), std::move(opts));
  }

  // Every session in the datacenter.
  template <class Token = use_awaitable_t>
  auto list(query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<std::vector<session>>>(std::forward<Token>(token), &detail::session_list,
                                                              state_, std::move(opts));
  }

 private:
  std::shared_ptr<detail::client_state> state_;
};

}  // namespace coconsul
