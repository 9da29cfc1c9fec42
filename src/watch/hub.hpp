#pragma once
// One shared query and its subscribers. The loop follows blocking_policy (the rules) and the
// subscribers' demand (the backpressure):
// - it queries only while some subscriber has taken the newest state and wants more
//   ("wanted"), so nothing is fetched that nobody will read, and at most one request is in
//   flight;
// - an answer whose content equals the newest state delivers nothing (Consul wakes blocking
//   queries without change);
// - the newest state is one shared, immutable Value; subscribers keep pointers to it;
// - in multiplexed mode it does not block on its own query: the client's health index watch
//   marks it dirty when its service may have changed, and it refreshes with a plain read.
// Everything runs on the client's executor; no locks. It is the one blocking-query loop: the
// watches and the client's health index watch (registry.cpp) are all subscribers of hubs.

#include <coconsul/error.hpp>
#include <coconsul/query.hpp>
#include <coconsul/watch.hpp>

#include "client/spawn.hpp"
#include "watch/blocking_policy.hpp"
#include "client/coded.hpp"
#include "watch/event.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include <functional>
#include <memory>
#include <utility>

namespace coconsul::detail {

// Whether two answers carry the same content (a service state's index is not content).
template <class Value>
bool same_content(const Value& a, const Value& b) {
  return a == b;
}
bool same_content(const service_state& a, const service_state& b);

template <class Value>
struct hub : std::enable_shared_from_this<hub<Value>> {
  // Fetches the value with the given options (index, wait, consistency set by the loop); a
  // failure is the result's code and diagnostics (the fetch calls with detail::no_throw).
  using fetch_fn = std::function<boost::asio::awaitable<coded<query_result<Value>>>(query_options)>;

  hub(boost::asio::any_io_executor ex, fetch_fn f, query_options base_options, blocking_policy_options policy)
      : executor(std::move(ex)), fetch(std::move(f)), base(std::move(base_options)), rules(policy),
        changed(executor), demand(executor) {}

  boost::asio::any_io_executor executor;
  fetch_fn fetch;
  query_options base;
  blocking_policy rules;

  // What subscribers read.
  std::shared_ptr<const Value> latest;
  std::uint64_t latest_version = 0;  // increments with each delivered state
  error_code fatal;                  // set when the loop gave up; subscribers then fail
  diagnostics fatal_diag;
  watch_status status;
  broadcast_event changed;  // a new state, or the loop gave up

  // What the loop waits for.
  bool wanted = true;   // the first state is always wanted
  bool dirty = true;    // multiplexed mode: the service may have changed
  bool multiplexed = false;
  bool stopping = false;
  std::size_t subscribers = 0;
  broadcast_event demand;
  boost::asio::cancellation_signal stop_signal;
  std::function<void()> on_stop;  // tells the registry (multiplexed hubs)

  // A subscriber has the newest state and wants the next one.
  void want() {
    if (!wanted) {
      wanted = true;
      demand.notify();
    }
  }

  void mark_dirty() {
    dirty = true;
    demand.notify();
  }

  void start() {
    auto self = this->shared_from_this();
    // Fetch failures are codes the loop handles itself; anything else escaping it (bad_alloc)
    // ends the watch as a failure its subscribers see, rather than leaving them waiting.
    auto ended = [self](std::exception_ptr e) {
      if (!e || self->stopping) return;
      describe_exception(e, self->fatal, self->fatal_diag);
      self->changed.notify();
    };
    boost::asio::co_spawn(executor, loop(), boost::asio::bind_cancellation_slot(stop_signal.slot(), std::move(ended)));
  }

  // Ends the loop and its request at once (the last subscriber left).
  void stop() {
    stopping = true;
    stop_signal.emit(boost::asio::cancellation_type::terminal);
    if (auto f = std::exchange(on_stop, nullptr)) f();
  }

  boost::asio::awaitable<void> loop() {
    namespace asio = boost::asio;
    auto self = this->shared_from_this();  // the loop keeps the hub alive until it ends
    asio::steady_timer pause(executor);
    for (;;) {
      while (!stopping && !(wanted && (!multiplexed || dirty || latest_version == 0))) co_await demand.wait();
      if (stopping) co_return;

      auto plan = rules.plan(blocking_policy::clock::now());
      if (multiplexed) {
        plan.index = 0;  // a plain read: the health index watch does the blocking
        plan.wait = std::chrono::milliseconds(0);
      }
      if (plan.not_before > blocking_policy::clock::now()) {
        pause.expires_at(plan.not_before);
        (void)co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
        if (stopping) co_return;
      }
      rules.sent(blocking_policy::clock::now());
      ++status.queries_sent;
      dirty = false;

      query_options o = base;
      o.index = plan.index;
      o.wait = plan.wait;
      o.consistency = plan.consistency;
      if (plan.consistency != consistency_mode::stale) o.max_stale = std::chrono::milliseconds(0);

      auto got = co_await fetch(o);
      if (stopping) co_return;
      const error_code ec = got.ec;
      auto& diag = got.diag;
      auto& answer = got.value;

      const auto now = blocking_policy::clock::now();
      if (ec) {
        if (status.consecutive_errors == 0) status.streak_started = std::chrono::system_clock::now();
        ++status.errors;
        status.last_error = ec;
        status.last_error_message = diag.message;
        const bool closed = ec == errc::closed;
        if (closed || rules.on_error(now, ec) == blocking_policy::error_action::give_up) {
          fatal = ec;
          fatal_diag = diag;
          status.consecutive_errors = rules.consecutive_errors();
          changed.notify();
          co_return;
        }
        status.consecutive_errors = rules.consecutive_errors();
        dirty = true;  // try again
        continue;
      }
      status.consecutive_errors = 0;
      status.streak_started = {};
      status.results_filtered_by_acls = answer.meta.results_filtered_by_acls;
      const bool content_changed = !latest || !same_content(*latest, answer.value);
      const auto resets_before = rules.resets();
      const auto outcome = rules.on_answer(now, answer.meta, content_changed);
      status.index_resets += rules.resets() - resets_before;
      if (outcome == blocking_policy::outcome::deliver && content_changed) {
        latest = std::make_shared<const Value>(std::move(answer.value));
        ++latest_version;
        ++status.snapshots;
        wanted = false;  // until a subscriber takes it and asks for more
        changed.notify();
      }
    }
  }
};

// A subscriber's position in its hub's sequence of states.
template <class Value>
struct subscription {
  explicit subscription(std::shared_ptr<hub<Value>> h) : source(std::move(h)) { ++source->subscribers; }
  subscription(const subscription&) = delete;
  subscription& operator=(const subscription&) = delete;
  ~subscription() { close(); }

  std::shared_ptr<hub<Value>> source;
  std::uint64_t seen = 0;
  std::shared_ptr<const Value> last;
  bool closed = false;

  // The watch was destroyed: leave the hub (the last one out ends its query at once) and end
  // a pending next() with operation_aborted.
  void close() {
    if (closed) return;
    closed = true;
    last.reset();
    if (--source->subscribers == 0) source->stop();
    source->changed.notify();  // the others see nothing new and wait again
  }

  // The next state this subscriber has not seen, waiting for one if need be; null when there
  // is none to give (closed, cancelled, or the loop gave up): failure() says which. A null
  // rather than a coded result keeps the frame of each waiting next() small.
  boost::asio::awaitable<std::shared_ptr<const Value>> next() {
    namespace asio = boost::asio;
    auto& h = *source;
    aborted = false;
    for (;;) {
      if (closed) {
        aborted = true;
        co_return nullptr;
      }
      if (h.latest_version > seen) {
        seen = h.latest_version;
        last = h.latest;
        h.want();  // it has the newest: the next query may start while it works
        co_return last;
      }
      if (h.fatal) co_return nullptr;
      h.want();
      co_await h.changed.wait();
      // Woken by a new state, a failure, a closed subscriber, or our own cancellation.
      const auto state = co_await asio::this_coro::cancellation_state;
      if (state.cancelled() != asio::cancellation_type::none) {
        aborted = true;
        co_return nullptr;
      }
    }
  }

  // Why the last next() gave no state: operation_aborted (closed or cancelled), or the error
  // the loop gave up with.
  template <class T>
  coded<T> failure() const {
    if (aborted) return failed<T>(boost::asio::error::operation_aborted);
    return failed<T>(source->fatal, source->fatal_diag);
  }

 private:
  bool aborted = false;  // the last next() was closed or cancelled
};

}  // namespace coconsul::detail
