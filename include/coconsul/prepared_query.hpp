#pragma once
// /v1/query: prepared queries, stored service lookups that clients (and DNS, as
// <name>.query.consul) execute by ID or name.

#include <coconsul/async.hpp>
#include <coconsul/detail/prepared_query.hpp>
#include <coconsul/model/prepared_query.hpp>
#include <coconsul/query.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace coconsul {

// Bad input (an empty ID or name, control characters, a create with an ID, an update
// without one, a negative limit) fails with errc::invalid_argument before anything is sent.
// Consul's refusals (an invalid definition, a denied name) come back with its message.
// Cancellation: terminal, partial and total.
class prepared_query_api {
 public:
  explicit prepared_query_api(std::shared_ptr<detail::client_state> st) : state_(std::move(st)) {}

  // Stores a new query and returns the ID Consul gave it (`q.id` must be empty).
  template <class Token = use_awaitable_t>
  auto create(prepared_query q, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<std::string>(std::forward<Token>(token), &detail::prepared_query_create, state_, std::move(q),
                                       std::move(w));
  }

  // Replaces the query `q.id` names with `q`.
  template <class Token = use_awaitable_t>
  auto update(prepared_query q, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::prepared_query_update, state_, std::move(q),
                                std::move(w));
  }

  // Deletes a query by ID.
  template <class Token = use_awaitable_t>
  auto erase(std::string id, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::prepared_query_erase, state_, std::move(id),
                                std::move(w));
  }

  // A query by ID; an empty optional when there is none.
  template <class Token = use_awaitable_t>
  auto get(std::string id, query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<std::optional<prepared_query>>>(
        std::forward<Token>(token), &detail::prepared_query_get, state_, std::move(id), std::move(opts));
  }

  // Every query the token may read (blocking with opts.index).
  template <class Token = use_awaitable_t>
  auto list(query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<std::vector<prepared_query>>>(std::forward<Token>(token),
                                                                     &detail::prepared_query_list, state_, std::move(opts));
  }

  // Runs the query an ID or name resolves to (a template renders for the name) and returns the
  // healthy instances it finds; opts.near sorts near a node. errc::not_found when nothing
  // resolves.
  template <class Token = use_awaitable_t>
  auto execute(std::string id_or_name, query_execute_options how = query_execute_options(),
               query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<prepared_query_result>>(std::forward<Token>(token),
                                                               &detail::prepared_query_execute, state_,
                                                               std::move(id_or_name), how, std::move(opts));
  }

  // The query an ID or name resolves to, a template rendered for that name, without running
  // it. errc::not_found when nothing resolves.
  template <class Token = use_awaitable_t>
  auto explain(std::string id_or_name, query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<prepared_query>>(std::forward<Token>(token), &detail::prepared_query_explain,
                                                        state_, std::move(id_or_name), std::move(opts));
  }

 private:
  std::shared_ptr<detail::client_state> state_;
};

}  // namespace coconsul
