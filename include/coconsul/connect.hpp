#pragma once
// Connect's certificate authority: the trusted roots, the CA configuration, and the leaf
// certificate a service presents (/v1/connect/ca/* and /v1/agent/connect/ca/*).
//
//   coconsul::ca_roots roots = (co_await consul.connect().ca_roots()).value;
//   coconsul::issued_cert leaf = (co_await consul.connect().leaf("web")).value;
//   // leaf.cert_pem and leaf.private_key_pem for a TLS context; roots.roots[i].root_cert to trust
//
// Every operation: bad input (an empty service name, a control character) fails with
// errc::invalid_argument before anything is sent. Cancellation: terminal, partial and total;
// the request's connection is closed and, for set_ca_configuration, whether it was applied is
// unknown. With Connect disabled the configuration and leaf operations fail with Consul's 500
// ("Connect must be enabled in order to use this endpoint", "cluster has no CA bootstrapped yet")
// and ca_roots returns empty roots.

#include <coconsul/async.hpp>
#include <coconsul/detail/connect.hpp>
#include <coconsul/model/connect.hpp>
#include <coconsul/query.hpp>

#include <memory>
#include <string>

namespace coconsul {

class connect_api {
 public:
  explicit connect_api(std::shared_ptr<detail::client_state> st) : state_(std::move(st)) {}

  // The trusted roots, from the servers (GET /v1/connect/ca/roots). Blocks with opts.index
  // until a rotation or opts.wait.
  template <class Token = use_awaitable_t>
  auto ca_roots(query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<coconsul::ca_roots>>(std::forward<Token>(token), &detail::connect_ca_roots,
                                                            state_, detail::roots_source::servers, std::move(opts));
  }

  // The same roots through the agent's cache (GET /v1/agent/connect/ca/roots): meta.cache_hit
  // says whether the cache answered.
  template <class Token = use_awaitable_t>
  auto agent_ca_roots(query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<coconsul::ca_roots>>(std::forward<Token>(token), &detail::connect_ca_roots,
                                                            state_, detail::roots_source::agent, std::move(opts));
  }

  // Every root and intermediate certificate as one PEM bundle (?pem=true), for a trust store.
  template <class Token = use_awaitable_t>
  auto ca_roots_pem(query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<std::string>>(std::forward<Token>(token), &detail::connect_ca_roots_pem, state_,
                                                     std::move(opts));
  }

  // The CA configuration (GET /v1/connect/ca/configuration). Only dc and token are used from opts.
  template <class Token = use_awaitable_t>
  auto ca_configuration(query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<coconsul::ca_configuration>(std::forward<Token>(token), &detail::connect_ca_configuration,
                                                      state_, std::move(opts));
  }

  // Replaces the CA configuration (PUT /v1/connect/ca/configuration). A new key type or size, or
  // a private key or root certificate of your own, rotates the root: the old root stays trusted
  // (inactive), leaves are re-issued. Consul's validation errors come back as coconsul::error
  // with its text ("leaf cert TTL must be greater or equal than 1h0m0s").
  template <class Token = use_awaitable_t>
  auto set_ca_configuration(coconsul::ca_configuration cfg, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::connect_set_ca_configuration, state_,
                                std::move(cfg), std::move(w));
  }

  // The CA configuration as the JSON text Consul sent, its provider Config exactly as the
  // servers keep it (keys and values as written, "72h" not 72 hours): for tools that show or
  // copy it unchanged, as `coconsul connect ca get-config` does.
  template <class Token = use_awaitable_t>
  auto ca_configuration_json(query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<std::string>(std::forward<Token>(token), &detail::connect_ca_configuration_json, state_,
                                       std::move(opts));
  }

  // Sends `json` (a CAConfiguration object, e.g. a file's contents) as the new configuration,
  // unchanged: keys of the provider Config that ca_provider_config does not model pass through.
  // Failures and rotation as set_ca_configuration.
  template <class Token = use_awaitable_t>
  auto set_ca_configuration_json(std::string json, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::connect_set_ca_configuration_json, state_,
                                std::move(json), std::move(w));
  }

  // The leaf certificate for `service` (a service name, not an instance ID) from the agent
  // (GET /v1/agent/connect/ca/leaf/:service): the same certificate until it is renewed. With
  // opts.index set to a previous meta.last_index the call blocks until the agent renews it
  // (between 60 % and 90 % of its lifetime, or after a root rotation) or opts.wait passes.
  template <class Token = use_awaitable_t>
  auto leaf(std::string service, query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<issued_cert>>(std::forward<Token>(token), &detail::connect_leaf, state_,
                                                     std::move(service), std::move(opts));
  }

 private:
  std::shared_ptr<detail::client_state> state_;
};

}  // namespace coconsul
