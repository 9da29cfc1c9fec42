#pragma once
// /v1/catalog: the cluster's registry of datacenters, nodes and services. Reads block with
// query_options::index (datacenters excepted).

#include <coconsul/async.hpp>
#include <coconsul/detail/catalog.hpp>
#include <coconsul/model/catalog.hpp>
#include <coconsul/query.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace coconsul {

// Bad input (an empty name, control characters) fails with errc::invalid_argument before
// anything is sent. Cancellation: terminal, partial and total; the connection is closed.
class catalog_api {
 public:
  explicit catalog_api(std::shared_ptr<detail::client_state> st) : state_(std::move(st)) {}

  // Every known datacenter, nearest first.
  template <class Token = use_awaitable_t>
  auto datacenters(query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<std::vector<std::string>>>(std::forward<Token>(token),
                                                                   &detail::catalog_datacenters, state_, std::move(opts));
  }

  template <class Token = use_awaitable_t>
  auto nodes(query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<std::vector<coconsul::node>>>(std::forward<Token>(token), &detail::catalog_nodes, state_,
                                                           std::move(opts));
  }

  // A node with its services; an empty optional when the catalog has no such node.
  template <class Token = use_awaitable_t>
  auto node(std::string node_name, query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<std::optional<catalog_node>>>(std::forward<Token>(token), &detail::catalog_node,
                                                                     state_, std::move(node_name), std::move(opts));
  }

  // Service name -> the union of its instances' tags.
  template <class Token = use_awaitable_t>
  auto services(query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<std::map<std::string, std::vector<std::string>>>>(
        std::forward<Token>(token), &detail::catalog_services, state_, std::move(opts));
  }

  // The instances of a service, without health (opts.tags filters; empty for an unknown name).
  template <class Token = use_awaitable_t>
  auto service(std::string name, query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<std::vector<catalog_service>>>(
        std::forward<Token>(token), &detail::catalog_service, state_, std::move(name), std::move(opts));
  }

  // The instances that carry a service's Connect traffic: the proxies whose destination is
  // `name` (service_proxy.destination_service_name) and its Connect-native instances. Blocks
  // with opts.index; without service:read on `name` the list is empty.
  template <class Token = use_awaitable_t>
  auto connect_service(std::string name, query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<std::vector<catalog_service>>>(
        std::forward<Token>(token), &detail::catalog_connect_service, state_, std::move(name), std::move(opts));
  }

  // Registers a node, and optionally a service and checks on it, directly in the catalog
  // (for external services; agents' own services use agent().register_service).
  template <class Token = use_awaitable_t>
  auto register_entity(catalog_registration reg, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::catalog_register, state_, std::move(reg),
                                std::move(w));
  }

  // Removes a node, or one service or check of it, from the catalog.
  template <class Token = use_awaitable_t>
  auto deregister_entity(catalog_deregistration dereg, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::catalog_deregister, state_, std::move(dereg),
                                std::move(w));
  }

 private:
  std::shared_ptr<detail::client_state> state_;
};

}  // namespace coconsul
