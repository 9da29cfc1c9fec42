#pragma once
// /v1/txn: up to 64 operations applied atomically, all or none.

#include <coconsul/async.hpp>
#include <coconsul/detail/txn.hpp>
#include <coconsul/model/txn.hpp>
#include <coconsul/query.hpp>

#include <memory>
#include <vector>

namespace coconsul {

class txn_api {
 public:
  explicit txn_api(std::shared_ptr<detail::client_state> st) : state_(std::move(st)) {}

  // Applies `ops` atomically. A rollback is not an exception: the response's `errors` says
  // which operation failed and why (Consul's 409), and `results` is empty. Transport and other
  // HTTP failures are errors as usual. More than 64 operations, or an operation without a
  // verb or key, fails with errc::invalid_argument before anything is sent.
  // Cancellation: terminal, partial and total (whether it was applied is then unknown).
  template <class Token = use_awaitable_t>
  auto execute(std::vector<txn_op> ops, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<txn_response>(std::forward<Token>(token), &detail::txn_execute, state_, std::move(ops),
                                        std::move(w));
  }

 private:
  std::shared_ptr<detail::client_state> state_;
};

}  // namespace coconsul
