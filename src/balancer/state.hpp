#pragma once
// The balancer's shared state: the endpoint table fed by the watch, the picking policies, the
// ejections, and the event that wakes waiting picks. Everything runs on the client's executor.

#include <coconsul/balancer.hpp>

#include "balancer/policy.hpp"
#include "client/client_state.hpp"
#include "client/coded.hpp"
#include "watch/event.hpp"

#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace coconsul::detail {

using balancer_clock = std::chrono::steady_clock;

// One endpoint of the table. Kept (with its counters and ejection) while snapshots keep listing it.
struct balancer_entry {
  std::shared_ptr<const service_state> state;  // keeps `ep` alive
  const endpoint* ep = nullptr;
  std::string key;  // node + service_id
  policy_slot slot;  // weight, in-flight count, round-robin credit
  bool ejected = false;
  balancer_clock::time_point ejected_until{};
  std::uint64_t picks = 0;
  std::uint64_t failures = 0;
  std::uint64_t timeouts = 0;
};

// What a lease holds: its endpoint as it was when handed out, the entry it counts against, and
// its request deadline (the timer is made on first use; destroying the slot cancels it).
struct balancer_slot {
  std::weak_ptr<balancer_state> owner;
  std::shared_ptr<balancer_entry> entry;
  std::shared_ptr<const service_state> state;
  const endpoint* ep = nullptr;
  boost::asio::any_io_executor executor;
  boost::asio::ip::tcp::socket* socket = nullptr;  // connect()'s: closed when the deadline passes
  std::unique_ptr<boost::asio::steady_timer> deadline;
  std::uint64_t deadline_generation = 0;  // a wait of an older generation is stale
  bool timed_out = false;
};

// Arms (or re-arms) a lease's request deadline `d` from now.
void arm_deadline(const std::shared_ptr<balancer_slot>& slot, std::chrono::steady_clock::duration d);

struct balancer_state : std::enable_shared_from_this<balancer_state> {
  balancer_state(std::shared_ptr<client_state> c, std::string service, balancer_options o, service_watch w);

  std::shared_ptr<client_state> client;
  std::string service;
  balancer_options opts;
  std::optional<service_watch> watch;
  std::mt19937_64 rng;

  std::vector<std::shared_ptr<balancer_entry>> table;  // the current snapshot's order
  bool have_snapshot = false;
  bool closed = false;          // the balancer object is gone
  error_code watch_error;       // the watch failed for good
  diagnostics watch_diag;
  balancer_stats counters;      // snapshots, picks, connect_failures, ejections (endpoints unused)

  // Waiting picks wait on this event: notify() wakes them all (a snapshot, the balancer's end);
  // each waits until the earliest cool-down end at the latest, so they also wake when an
  // endpoint comes back.
  broadcast_event wake;
  boost::asio::cancellation_signal stop_watch;
  std::vector<boost::asio::ip::tcp::socket*> connecting;  // cancelled when the balancer goes
  std::vector<policy_slot*> scratch_slots;                 // try_pick's, kept to avoid allocations
  std::vector<const std::shared_ptr<balancer_entry>*> scratch_entries;

  void start();
  void close();
  void apply(const service_snapshot& s);
  void eject(balancer_entry& e);
  void record_failure(balancer_entry& e);
  void record_timeout(balancer_entry& e);
  void notify() { wake.notify(); }

  // A lease on the policy's pick among the usable entries not in `exclude`; empty when none.
  lease try_pick(const std::vector<const balancer_entry*>& exclude);
  // Why try_pick found nothing: the error a pick that may not wait fails with.
  coded<lease> why_none(const std::vector<const balancer_entry*>& exclude) const;
  // Waits for the next change of the table, bounded by the earliest cool-down end. False when
  // the wait was cancelled.
  boost::asio::awaitable<bool> wait_change();
  // try_pick, waiting for the first snapshot and (when the options say so) for an endpoint.
  boost::asio::awaitable<coded<lease>> pick(const std::vector<const balancer_entry*>& exclude);
  boost::asio::awaitable<coded<lease>> connect(boost::asio::ip::tcp::socket& socket);

  // Why no pick can succeed any more (the balancer was destroyed, the watch failed), if so.
  coded<void> finished() const;
  static const std::shared_ptr<balancer_entry>& entry_of(const lease& l) { return l.slot_->entry; }
  static coded<lease> picked(lease l) {
    coded<lease> r;
    r.value = std::move(l);
    return r;
  }

 private:
  // Lets entries whose cool-down has passed back in; returns the earliest cool-down still running.
  std::optional<balancer_clock::time_point> refresh_ejections(balancer_clock::time_point now);
  lease make_lease(const std::shared_ptr<balancer_entry>& e);
};

}  // namespace coconsul::detail
