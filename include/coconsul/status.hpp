#pragma once
// /v1/status: the Raft leader and peers, as the agent sees them. Not blocking; no ACL needed.

#include <coconsul/async.hpp>
#include <coconsul/detail/status.hpp>
#include <coconsul/query.hpp>

#include <memory>
#include <string>
#include <vector>

namespace coconsul {

class status_api {
 public:
  explicit status_api(std::shared_ptr<detail::client_state> st) : state_(std::move(st)) {}

  // The leader's "ip:port", or "" when the cluster has no leader. Only dc and token are used
  // from opts. Cancellation: terminal, partial and total (the request is abandoned).
  template <class Token = use_awaitable_t>
  auto leader(query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<std::string>(std::forward<Token>(token), &detail::status_leader, state_,
                                       std::move(opts));
  }

  // The Raft peers' "ip:port" addresses. Cancellation as leader().
  template <class Token = use_awaitable_t>
  auto peers(query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<std::vector<std::string>>(std::forward<Token>(token), &detail::status_peers, state_,
                                                    std::move(opts));
  }

 private:
  std::shared_ptr<detail::client_state> state_;
};

}  // namespace coconsul
