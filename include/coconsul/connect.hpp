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
//
// Intentions (/v1/connect/intentions*) and the agent's authorization of a connection
// (/v1/agent/connect/authorize): the operations under "intentions" below. Each fails with Consul's 403
// when the token lacks intention:read/write (service:read for check_intention, service:write on
// the target for authorize), and with Consul's 500 text when Consul refuses the intention.

#include <coconsul/async.hpp>
#include <coconsul/detail/connect.hpp>
#include <coconsul/detail/connect_intentions.hpp>
#include <coconsul/model/connect.hpp>
#include <coconsul/model/intention.hpp>
#include <coconsul/query.hpp>

#include <memory>
#include <string>
#include <vector>

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

  // --- intentions ---

  // Every intention, highest precedence first (GET /v1/connect/intentions); opts.filter applies.
  // Blocks with opts.index until an intention changes.
  template <class Token = use_awaitable_t>
  auto intentions(query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<std::vector<intention>>>(std::forward<Token>(token), &detail::intention_list,
                                                                state_, std::move(opts));
  }

  // One intention by its ID (GET /v1/connect/intentions/:id); errc::not_found when absent.
  template <class Token = use_awaitable_t>
  auto intention_by_id(std::string id, query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<intention>>(std::forward<Token>(token), &detail::intention_get, state_,
                                                   std::move(id), std::move(opts));
  }

  // The intention from `source` to `destination` (GET /v1/connect/intentions/exact).
  template <class Token = use_awaitable_t>
  auto intention_exact(std::string source, std::string destination, query_options opts = query_options(),
                       Token&& token = {}) {
    return detail::launch<query_result<intention>>(std::forward<Token>(token), &detail::intention_get_exact, state_,
                                                   std::move(source), std::move(destination), std::move(opts));
  }

  // Creates an intention with an ID (POST /v1/connect/intentions) and returns the ID: source,
  // destination and action are required; a second one for the same pair is refused.
  template <class Token = use_awaitable_t>
  auto create_intention(intention ixn, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<std::string>(std::forward<Token>(token), &detail::intention_create, state_, std::move(ixn),
                                       std::move(w));
  }

  // Replaces the intention with this ID (PUT /v1/connect/intentions/:id); its destination
  // cannot change.
  template <class Token = use_awaitable_t>
  auto update_intention(std::string id, intention ixn, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::intention_update, state_, std::move(id),
                                std::move(ixn), std::move(w));
  }

  // Deletes the intention with this ID (DELETE /v1/connect/intentions/:id).
  template <class Token = use_awaitable_t>
  auto delete_intention(std::string id, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::intention_delete, state_, std::move(id),
                                std::move(w));
  }

  // Creates or replaces the intention from ixn.source_name to ixn.destination_name by name
  // (PUT /v1/connect/intentions/exact), the config-entry way: no ID; L7 permissions allowed.
  template <class Token = use_awaitable_t>
  auto upsert_intention(intention ixn, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::intention_upsert, state_, std::move(ixn),
                                std::move(w));
  }

  // Deletes the intention from `source` to `destination` (DELETE /v1/connect/intentions/exact);
  // nothing happens when there is none.
  template <class Token = use_awaitable_t>
  auto delete_intention_exact(std::string source, std::string destination, write_options w = write_options(),
                              Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::intention_delete_exact, state_,
                                std::move(source), std::move(destination), std::move(w));
  }

  // The intentions that apply to each name (GET /v1/connect/intentions/match): by destination,
  // those whose destination is the name or "*"; by source likewise. Each list is highest
  // precedence first; the first one that covers a connection decides it.
  template <class Token = use_awaitable_t>
  auto match_intentions(intention_match_by by, std::vector<std::string> names, query_options opts = query_options(),
                        Token&& token = {}) {
    return detail::launch<query_result<detail::intention_matches>>(
        std::forward<Token>(token), &detail::intention_match, state_, by, std::move(names), std::move(opts));
  }

  // Whether intentions allow `source` to connect to `destination` (GET
  // /v1/connect/intentions/check); an L7 intention answers false; none: the ACL default.
  template <class Token = use_awaitable_t>
  auto check_intention(std::string source, std::string destination, query_options opts = query_options(),
                       Token&& token = {}) {
    return detail::launch<bool>(std::forward<Token>(token), &detail::intention_check, state_, std::move(source),
                                std::move(destination), std::move(opts));
  }

  // The agent's decision on a connection to req.target from the holder of a certificate for
  // req.client_cert_uri (POST /v1/agent/connect/authorize), with Consul's reason.
  template <class Token = use_awaitable_t>
  auto authorize(connect_authorize_request req, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<connect_authorization>(std::forward<Token>(token), &detail::connect_authorize, state_,
                                                 std::move(req), std::move(w));
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
