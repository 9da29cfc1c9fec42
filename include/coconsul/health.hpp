#pragma once
// /v1/health: service instances with their health, and checks by service, node or state.
// Every read blocks with query_options::index.

#include <coconsul/async.hpp>
#include <coconsul/detail/health.hpp>
#include <coconsul/model/check.hpp>
#include <coconsul/model/health.hpp>
#include <coconsul/query.hpp>

#include <memory>
#include <string>
#include <vector>

namespace coconsul {

// Bad input (an empty name, control characters, an unknown state) fails with
// errc::invalid_argument before anything is sent. Cancellation: terminal, partial and total.
class health_api {
 public:
  explicit health_api(std::shared_ptr<detail::client_state> st) : state_(std::move(st)) {}

  // The instances of a service with their node and checks. opts.passing keeps only instances
  // whose every check (node checks included) passes; opts.tags, opts.filter and opts.near apply.
  template <class Token = use_awaitable_t>
  auto service(std::string name, query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<std::vector<service_entry>>>(
        std::forward<Token>(token), &detail::health_service, state_, std::move(name), std::move(opts));
  }

  // The instances that carry a service's Connect traffic, with their node and checks: the
  // proxies whose destination is `name` (its sidecars) and its Connect-native instances. Like
  // service(): opts.passing, tags, filter and near apply; it blocks with opts.index; without
  // service:read on `name` the list is empty.
  template <class Token = use_awaitable_t>
  auto connect_service(std::string name, query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<std::vector<service_entry>>>(
        std::forward<Token>(token), &detail::health_connect_service, state_, std::move(name), std::move(opts));
  }

  // The checks of every instance of a service.
  template <class Token = use_awaitable_t>
  auto checks(std::string service, query_options opts = query_options(), Token&& token = {}) {
    return list(detail::health_list::service, std::move(service), std::move(opts), std::forward<Token>(token));
  }

  // The checks of a node (its node checks and its services' checks).
  template <class Token = use_awaitable_t>
  auto node(std::string node_name, query_options opts = query_options(), Token&& token = {}) {
    return list(detail::health_list::node, std::move(node_name), std::move(opts), std::forward<Token>(token));
  }

  // The checks in a state: "any", "passing", "warning" or "critical".
  template <class Token = use_awaitable_t>
  auto state(std::string state, query_options opts = query_options(), Token&& token = {}) {
    return list(detail::health_list::state, std::move(state), std::move(opts), std::forward<Token>(token));
  }

 private:
  template <class Token>
  auto list(detail::health_list which, std::string name, query_options opts, Token&& token) {
    return detail::launch<query_result<std::vector<health_check>>>(
        std::forward<Token>(token), &detail::health_checks, state_, which, std::move(name), std::move(opts));
  }

  std::shared_ptr<detail::client_state> state_;
};

}  // namespace coconsul
