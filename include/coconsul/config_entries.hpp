#pragma once
// Config entries: Consul's centrally stored configuration of the mesh (PUT /v1/config,
// GET /v1/config/:kind[/:name], DELETE /v1/config/:kind/:name), reached as client.config().
//
//   co_await consul.config().set(coconsul::service_defaults{.name = "web", .protocol = "http"});
//   auto got = co_await consul.config().get("service-defaults", "web");
//   auto& web = std::get<coconsul::service_defaults>(got.value);
//   bool still_mine = co_await consul.config().cas(got.value, got.value.modify_index());
//
// Every operation: an empty kind or name, or a control character in one, fails with
// errc::invalid_argument before anything is sent. Consul's refusals come back as
// coconsul::error with its text: an invalid entry is a 500 ("invalid name (\"x\"), only
// \"global\" is supported"), a body Consul cannot decode a 400, a missing entry on get a 404
// (errc::not_found, "Config entry not found for \"service-defaults\" / \"web\""), a denial a
// 403. Cancellation: terminal, partial and total; the request's connection is closed and, for
// the writes, whether Consul applied them is unknown.

#include <coconsul/async.hpp>
#include <coconsul/detail/config_entries.hpp>
#include <coconsul/detail/discovery_chain.hpp>
#include <coconsul/model/config_entry.hpp>
#include <coconsul/query.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace coconsul {

class config_api {
 public:
  explicit config_api(std::shared_ptr<detail::client_state> st) : state_(std::move(st)) {}

  // Creates or replaces the entry (PUT /v1/config). Completes with Consul's answer, true
  // when it was written.
  template <class Token = use_awaitable_t>
  auto set(config_entry entry, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<bool>(std::forward<Token>(token), &detail::config_set, state_, std::move(entry),
                                std::optional<std::uint64_t>(), std::move(w));
  }

  // Check-and-set (PUT /v1/config?cas=index): written only if the entry's ModifyIndex is still
  // `index` (0: only if there is no such entry yet). Completes with false when it was not.
  template <class Token = use_awaitable_t>
  auto cas(config_entry entry, std::uint64_t index, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<bool>(std::forward<Token>(token), &detail::config_set, state_, std::move(entry),
                                std::optional<std::uint64_t>(index), std::move(w));
  }

  // One entry (GET /v1/config/:kind/:name). With opts.index it blocks until the entry changes
  // (or is deleted, which then fails with not_found) or opts.wait passes.
  template <class Token = use_awaitable_t>
  auto get(std::string kind, std::string name, query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<config_entry>>(std::forward<Token>(token), &detail::config_get, state_,
                                                      std::move(kind), std::move(name), std::move(opts));
  }

  // Every entry of a kind, sorted by name (GET /v1/config/:kind); empty when there is none.
  // opts.filter is Consul's filter expression over the entries. Blocks with opts.index.
  template <class Token = use_awaitable_t>
  auto list(std::string kind, query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<std::vector<config_entry>>>(std::forward<Token>(token), &detail::config_list,
                                                                   state_, std::move(kind), std::move(opts));
  }

  // Deletes the entry (DELETE /v1/config/:kind/:name); deleting one that does not exist
  // succeeds, as in Consul.
  template <class Token = use_awaitable_t>
  auto erase(std::string kind, std::string name, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::config_delete, state_, std::move(kind),
                                std::move(name), std::move(w));
  }

  // Deletes the entry only if its ModifyIndex is still `index` (DELETE ...?cas=index);
  // completes with false when it was not deleted.
  template <class Token = use_awaitable_t>
  auto erase_cas(std::string kind, std::string name, std::uint64_t index, write_options w = write_options(),
                 Token&& token = {}) {
    return detail::launch<bool>(std::forward<Token>(token), &detail::config_delete_cas, state_, std::move(kind),
                                std::move(name), index, std::move(w));
  }

  // The service's discovery chain compiled from these entries (GET /v1/discovery-chain/:service,
  // a POST when `chain` overrides something). Needs service:read on the service. Blocks with
  // opts.index until an entry changes.
  template <class Token = use_awaitable_t>
  auto discovery_chain(std::string service, discovery_chain_options chain = discovery_chain_options(),
                       query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<compiled_discovery_chain>>(std::forward<Token>(token),
                                                                  &detail::discovery_chain_get, state_,
                                                                  std::move(service), std::move(chain), std::move(opts));
  }

 private:
  std::shared_ptr<detail::client_state> state_;
};

}  // namespace coconsul
