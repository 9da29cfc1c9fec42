#pragma once
// /v1/agent: the local agent's own services and checks, TTL heartbeats, maintenance, members
// and configuration. Agent endpoints answer from the agent itself: they do not block, and
// their query_meta carries no index.

#include <coconsul/agent_control.hpp>
#include <coconsul/async.hpp>
#include <coconsul/detail/agent.hpp>
#include <coconsul/model/agent.hpp>
#include <coconsul/model/check.hpp>
#include <coconsul/model/service.hpp>
#include <coconsul/query.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace coconsul {

// How register_service treats what the agent already has.
struct register_options {
  // Checks of the service that the registration does not list are removed (Consul's
  // replace-existing-checks); otherwise they stay.
  bool replace_existing_checks = false;
};

// Which gossip pool members() lists.
enum class gossip_pool { lan, wan };

// Every operation refuses bad input (an empty ID or name, control characters, an invalid
// status) with errc::invalid_argument before sending anything. Cancellation: terminal,
// partial and total; the connection in use is closed.
class agent_api {
 public:
  explicit agent_api(std::shared_ptr<detail::client_state> st) : state_(std::move(st)) {}

  // The agent's configuration (Config, DebugConfig), coordinate, member entry, stats, node meta
  // and xDS ports.
  template <class Token = use_awaitable_t>
  auto self(query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<agent_self>>(std::forward<Token>(token), &detail::agent_read_self, state_,
                                                    std::move(opts));
  }

  // The host the agent runs on: memory, CPUs, operating system, disk (needs operator:read).
  template <class Token = use_awaitable_t>
  auto host(query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<agent_host>>(std::forward<Token>(token), &detail::agent_read_host, state_,
                                                    std::move(opts));
  }

  // The agent's metrics, as JSON (Consul's in-memory sink: gauges, counters, samples).
  template <class Token = use_awaitable_t>
  auto metrics(query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<agent_metrics>>(std::forward<Token>(token), &detail::agent_read_metrics,
                                                       state_, std::move(opts));
  }

  // The members of a gossip pool as the agent sees them (the LAN pool unless told).
  template <class Token = use_awaitable_t>
  auto members(gossip_pool pool = gossip_pool::lan, query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<std::vector<member>>>(std::forward<Token>(token), &detail::agent_members,
                                                             state_, pool, std::move(opts));
  }

  // The services registered with this agent, keyed by service ID (opts.filter applies).
  template <class Token = use_awaitable_t>
  auto services(query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<std::map<std::string, agent_service>>>(
        std::forward<Token>(token), &detail::agent_services, state_, std::move(opts));
  }

  // One registered service by ID; errc::not_found when the agent does not have it.
  template <class Token = use_awaitable_t>
  auto service(std::string service_id, query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<agent_service>>(std::forward<Token>(token), &detail::agent_read_service, state_,
                                                       std::move(service_id), std::move(opts));
  }

  // The checks registered with this agent, keyed by check ID (opts.filter applies).
  template <class Token = use_awaitable_t>
  auto checks(query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<std::map<std::string, agent_check>>>(
        std::forward<Token>(token), &detail::agent_checks, state_, std::move(opts));
  }

  // Registers (or updates) a service with its checks. With
  // register_options{.replace_existing_checks = true}, checks of the service that `reg` does
  // not list are removed.
  template <class Token = use_awaitable_t>
  auto register_service(service_registration reg, register_options opts = register_options(),
                        write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::agent_register_service, state_, std::move(reg),
                                opts, std::move(w));
  }

  // Removes a service and its checks. errc::not_found if the agent does not have it (Consul
  // 1.11+; older agents answer 500).
  template <class Token = use_awaitable_t>
  auto deregister_service(std::string service_id, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::agent_deregister_service, state_,
                                std::move(service_id), std::move(w));
  }

  template <class Token = use_awaitable_t>
  auto register_check(check_registration check, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::agent_register_check, state_, std::move(check),
                                std::move(w));
  }

  template <class Token = use_awaitable_t>
  auto deregister_check(std::string check_id, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::agent_deregister_check, state_,
                                std::move(check_id), std::move(w));
  }

  // TTL heartbeats: set a TTL check passing, warning or critical with `note` as its output,
  // and restart its TTL. errc::not_found for an unknown check ID; errc::server_error for a
  // check that has no TTL.
  template <class Token = use_awaitable_t>
  auto pass_ttl(std::string check_id, std::string note = {}, write_options w = write_options(), Token&& token = {}) {
    return ttl(detail::ttl_verb::pass, std::move(check_id), std::move(note), std::move(w), std::forward<Token>(token));
  }
  template <class Token = use_awaitable_t>
  auto warn_ttl(std::string check_id, std::string note = {}, write_options w = write_options(), Token&& token = {}) {
    return ttl(detail::ttl_verb::warn, std::move(check_id), std::move(note), std::move(w), std::forward<Token>(token));
  }
  template <class Token = use_awaitable_t>
  auto fail_ttl(std::string check_id, std::string note = {}, write_options w = write_options(), Token&& token = {}) {
    return ttl(detail::ttl_verb::fail, std::move(check_id), std::move(note), std::move(w), std::forward<Token>(token));
  }

  // Sets a TTL check's status ("passing", "warning" or "critical") and output.
  template <class Token = use_awaitable_t>
  auto update_ttl(std::string check_id, std::string status, std::string output = {}, write_options w = write_options(),
                  Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::agent_ttl, state_,
                                detail::ttl_change{.check_id = std::move(check_id), .status = std::move(status),
                                                   .note = std::move(output), .scope = std::move(w)});
  }

  // Puts a service in maintenance: Consul adds the critical check "_service_maintenance:<id>"
  // (with `reason` as its notes), so the service leaves every passing query.
  template <class Token = use_awaitable_t>
  auto enable_maintenance(std::string service_id, std::string reason = std::string(),
                          write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::agent_maintenance, state_,
                                detail::maintenance_change{.service_id = std::move(service_id), .enable = true,
                                                           .reason = std::move(reason), .scope = std::move(w)});
  }

  // Takes a service out of maintenance (harmless when it is not in maintenance).
  template <class Token = use_awaitable_t>
  auto disable_maintenance(std::string service_id, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::agent_maintenance, state_,
                                detail::maintenance_change{.service_id = std::move(service_id), .enable = false,
                                                           .reason = std::string(), .scope = std::move(w)});
  }

  // --- the agent itself: membership, reload, node maintenance, tokens, its log ---
  // Every one answers from this agent; errc::server_error carries Consul's text (a join that
  // cannot reach the address, force_leave of a node the agent does not know).

  // Joins the agent to the gossip pool at `address` ("host" or "host:port"; the pool's serf port
  // when none).
  template <class Token = use_awaitable_t>
  auto join(std::string address, join_options opts = join_options(), write_options w = write_options(),
            Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::agent_join, state_, std::move(address), opts,
                                std::move(w));
  }

  // The agent leaves its pools and shuts down (it answers first; then its HTTP API is gone).
  template <class Token = use_awaitable_t>
  auto leave(write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::agent_leave, state_, std::move(w));
  }

  // Marks a failed node as left (with prune: forgets it at once).
  template <class Token = use_awaitable_t>
  auto force_leave(std::string node, force_leave_options opts = force_leave_options(),
                   write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::agent_force_leave, state_, std::move(node), opts,
                                std::move(w));
  }

  // Reloads the agent's configuration files (PUT /v1/agent/reload).
  template <class Token = use_awaitable_t>
  auto reload(write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::agent_reload, state_, std::move(w));
  }

  // Puts the whole node in maintenance: Consul adds the critical check "_node_maintenance" (with
  // `reason` as its notes), so every service of the node leaves passing queries.
  template <class Token = use_awaitable_t>
  auto enable_node_maintenance(std::string reason = std::string(), write_options w = write_options(),
                               Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::agent_node_maintenance, state_, true,
                                std::move(reason), std::move(w));
  }

  template <class Token = use_awaitable_t>
  auto disable_node_maintenance(write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::agent_node_maintenance, state_, false,
                                std::string(), std::move(w));
  }

  // Sets one of the agent's ACL tokens. With ACLs off (a dev agent's default) Consul answers
  // 401 "ACL support disabled" (errc::unexpected_status, diagnostics.http_status 401).
  template <class Token = use_awaitable_t>
  auto update_token(agent_token_kind kind, std::string value, write_options w = write_options(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::agent_update_token, state_, kind,
                                std::move(value), std::move(w));
  }

  // The agent's log as it is written (see log_monitor); nothing is sent before the first next().
  log_monitor monitor(monitor_options opts = monitor_options()) {
    return log_monitor(detail::make_monitor(state_, std::move(opts)));
  }

  // The agent's metrics once per telemetry interval (see metrics_stream); nothing is sent
  // before the first next().
  metrics_stream stream_metrics(write_options w = write_options()) {
    return metrics_stream(detail::make_metrics_stream(state_, std::move(w)));
  }

 private:
  template <class Token>
  auto ttl(detail::ttl_verb verb, std::string check_id, std::string note, write_options w, Token&& token) {
    return detail::launch<void>(std::forward<Token>(token), &detail::agent_ttl, state_,
                                detail::ttl_change{.check_id = std::move(check_id), .note = std::move(note),
                                                   .verb = verb, .scope = std::move(w)});
  }

  std::shared_ptr<detail::client_state> state_;
};

}  // namespace coconsul
