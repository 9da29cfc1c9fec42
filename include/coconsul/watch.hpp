#pragma once
// Watches: Consul's blocking queries, done right once, as async generators.
//
//   coconsul::service_watch w = consul.watch_service("web");
//   for (;;) {
//     coconsul::service_snapshot s = co_await w.next();   // the next change, never a copy
//     for (const coconsul::endpoint* e : s.added) std::cout << "up " << e->address << "\n";
//   }
//
// The rules (docs/watches.md): the first query is a plain read; the index is never 0 after it
// and resets when it goes backwards; queries are rate limited (token bucket with jitter);
// errors back off exponentially with full jitter and never give up unless told to; a wakeup
// without a change yields nothing; stale reads fall back to the leader when too old; the
// request's timeout allows for Consul's jitter (wait + wait/16 + margin).
//
// Backpressure is pull-based: a query is sent only when a subscriber has taken the newest
// snapshot and asks for more, so a slow consumer gets the newest state with intermediate ones
// coalesced, and memory does not grow. Watches of the same thing with the same options in one
// client share one query; snapshots are immutable and shared, never copied. Destroying the last
// watch of a query ends its request at once.

#include <coconsul/async.hpp>
#include <coconsul/model/check.hpp>
#include <coconsul/model/connect.hpp>
#include <coconsul/model/kv.hpp>
#include <coconsul/model/service.hpp>
#include <coconsul/query.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace coconsul {

class client;
struct config_entry;  // coconsul/model/config_entry.hpp

enum class health_status { passing, warning, critical, maintenance };
const char* to_string(health_status s) noexcept;

// One instance of a service, as a caller wants to connect to it.
struct endpoint {
  std::string node;            // the node's name
  std::string node_address;
  std::string service_id;
  std::string address;         // the service's address, or the node's when the service has none
  int port = 0;
  std::vector<std::string> tags;
  std::map<std::string, std::string> meta;
  coconsul::weights weights;
  health_status health = health_status::passing;  // the worst of its checks (node checks included)

  bool operator==(const endpoint&) const = default;
};

// The state of a service at one index: shared by every subscriber, never modified.
struct service_state {
  std::string service;
  std::uint64_t index = 0;
  std::vector<endpoint> endpoints;  // sorted by (node, service_id)
};

// What service_watch::next() gives: the new state, and what changed since the previous state
// this subscriber saw (pointers into `state` and, for removals, into `previous`).
struct service_snapshot {
  std::shared_ptr<const service_state> state;
  std::shared_ptr<const service_state> previous;  // null for a subscriber's first snapshot
  std::vector<const endpoint*> added;
  std::vector<const endpoint*> changed;
  std::vector<const endpoint*> removed;

  std::uint64_t index() const noexcept { return state ? state->index : 0; }
  const std::vector<endpoint>& endpoints() const noexcept;
};

// `state` as a change from `previous` (null: every endpoint is added), by (node, service ID):
// what a watch delivers, for a program that compares two states itself, e.g. the last one it
// showed and the first one of a watch it made again.
service_snapshot make_snapshot(std::shared_ptr<const service_state> previous, std::shared_ptr<const service_state> state);

// How the blocking-query loop paces itself.
struct watch_pacing {
  std::chrono::milliseconds wait{std::chrono::minutes(5)};          // each blocking query's wait
  unsigned burst = 2;                                                // token bucket: queries at once
  std::chrono::milliseconds refill{std::chrono::milliseconds(500)};  // then one per refill
  std::chrono::milliseconds backoff_base{std::chrono::milliseconds(200)};
  std::chrono::milliseconds backoff_cap{std::chrono::seconds(30)};
  unsigned max_consecutive_errors = 0;                               // 0: never give up
};

struct service_watch_options {
  bool passing_only = true;       // only instances whose every check passes (?passing)
  std::vector<std::string> tags;  // instances with all of these tags
  std::string filter;             // Consul's filter expression
  std::string datacenter;
  std::string near;               // sort by round-trip time from this node ("_agent")
  bool stale = false;             // any server may answer...
  std::chrono::milliseconds max_stale{std::chrono::seconds(5)};  // ...unless older than this
  std::string token;
  watch_pacing pacing;
};

// Options of the other watches (KV key, KV prefix, services list, checks of a service).
struct watch_options {
  std::string datacenter;
  bool stale = false;
  std::chrono::milliseconds max_stale{std::chrono::seconds(5)};
  std::string token;
  watch_pacing pacing;
};

// How a watch's query is doing (for logs and health pages).
struct watch_status {
  std::uint64_t queries_sent = 0;
  std::uint64_t snapshots = 0;        // distinct states delivered by the shared query
  std::uint64_t index_resets = 0;
  unsigned consecutive_errors = 0;    // the current error streak (0: the last query succeeded)
  std::chrono::system_clock::time_point streak_started{};  // its first error (the epoch: no streak)
  std::uint64_t errors = 0;           // failed queries in all
  error_code last_error;              // the latest error and Consul's message, kept after the
  std::string last_error_message;     // streak ends (last_error tells whether there ever was one)
  bool multiplexed = false;           // refreshed through the client's health index watch
  // The latest answer left out what the watch's token may not read (Consul's
  // X-Consul-Results-Filtered-By-ACLs): "no instances" may then mean "none you may see".
  bool results_filtered_by_acls = false;
};

namespace detail {
struct service_subscriber;
template <class T>
struct value_subscriber;
void service_watch_next(service_subscriber&, completion_handler<service_snapshot>);
template <class T>
void value_watch_next(value_subscriber<T>&, completion_handler<std::shared_ptr<const T>>);
}  // namespace detail

// An async generator of a service's healthy endpoints. Move-only; destroying it unsubscribes.
class service_watch {
 public:
  service_watch(service_watch&&) noexcept;
  service_watch& operator=(service_watch&&) noexcept;
  // Unsubscribes: a pending next() ends with operation_aborted; the last watch of a query ends
  // its request at once.
  ~service_watch();

  // The next state that differs from the last one this watch returned (the first call returns
  // the current state). Fails only when the query cannot succeed (errc::bad_request, e.g. a bad
  // filter; or pacing.max_consecutive_errors reached) or the client was closed; transient
  // errors are retried. Cancellation: terminal, partial and total; the watch stays usable.
  template <class Token = use_awaitable_t>
  auto next(Token&& token = {}) {
    return detail::launch<service_snapshot>(std::forward<Token>(token), &detail::service_watch_next, sub_);
  }

  watch_status status() const;

 private:
  friend class client;
  explicit service_watch(std::shared_ptr<detail::service_subscriber> s) : sub_(std::move(s)) {}
  std::shared_ptr<detail::service_subscriber> sub_;
};

// An async generator of values of type T: std::optional<kv_pair> (a key),
// std::vector<kv_pair> (a prefix), std::map<std::string, std::vector<std::string>> (the
// services list), std::vector<health_check> (the checks of a service), ca_roots or
// issued_cert (Connect, below), std::optional<config_entry> (a config entry) or
// std::vector<config_entry> (a kind's entries). Semantics as service_watch; next() gives the
// shared, immutable value.
template <class T>
class value_watch {
 public:
  value_watch(value_watch&&) noexcept = default;
  value_watch& operator=(value_watch&&) noexcept;
  // Unsubscribes: a pending next() ends with operation_aborted; the last watch of a query ends
  // its request at once.
  ~value_watch();

  template <class Token = use_awaitable_t>
  auto next(Token&& token = {}) {
    return detail::launch<std::shared_ptr<const T>>(std::forward<Token>(token), &detail::value_watch_next<T>, sub_);
  }

  watch_status status() const;

 private:
  friend class client;
  explicit value_watch(std::shared_ptr<detail::value_subscriber<T>> s) : sub_(std::move(s)) {}
  std::shared_ptr<detail::value_subscriber<T>> sub_;
};

using kv_key_watch = value_watch<std::optional<kv_pair>>;
using kv_prefix_watch = value_watch<std::vector<kv_pair>>;
using services_watch = value_watch<std::map<std::string, std::vector<std::string>>>;
using checks_watch = value_watch<std::vector<health_check>>;
using config_entry_watch = value_watch<std::optional<config_entry>>;
using config_entries_watch = value_watch<std::vector<config_entry>>;

// Connect (docs/connect.md, "Watching roots and leaf certificates"). The roots through the
// agent's cache (/v1/agent/connect/ca/roots), as Consul's connect_roots watch: the current
// roots, then the new set after each rotation. A service's leaf certificate
// (/v1/agent/connect/ca/leaf/:service), as Consul's connect_leaf watch: the current
// certificate, then each renewed one, which the agent issues between 60 % and 90 % of the old
// one's lifetime or at once after a root rotation, so it comes before the old one expires.
// An agent without Connect, or a token without service:write on the service, fails the query
// (errc::server_error, errc::forbidden), retried as any error is.
using connect_roots_watch = value_watch<ca_roots>;
using connect_leaf_watch = value_watch<issued_cert>;

}  // namespace coconsul
