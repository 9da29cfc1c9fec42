// coconsul::lock: a session, the key acquired with it, the session's renewal and the watch on
// the key while it is held. Its coroutines return failures as codes (coded<T>).
#include <coconsul/lock.hpp>

#include "client/client_state.hpp"
#include "client/no_throw.hpp"
#include "client/spawn.hpp"
#include "client/coded.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace coconsul {
namespace detail {

namespace asio = boost::asio;
using clock = std::chrono::steady_clock;

// The coroutines below return their failures as codes (coded<T>, client/coded.hpp) and complete
// their operations through spawn_coded: a library operation they call fails as a code too
// (no_throw), and a cancellation is operation_aborted.
namespace {

template <class T>
coded<T> aborted() {
  return failed<T>(asio::error::operation_aborted);
}

// operation_aborted when the pause was cancelled.
asio::awaitable<error_code> pause(std::chrono::steady_clock::duration d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  auto [ec] = co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return ec;
}

// Renews every ttl/2; after a failure, retries every second until a whole TTL has passed
// without a successful renewal (by then Consul may have dropped the session anyway). Its value
// says why the session is lost; a failure is only its cancellation.
asio::awaitable<coded<std::string>> renew_loop(std::shared_ptr<client_state> st, std::string id,
                                               std::chrono::seconds ttl, write_options w) {
  co_await accept_all_cancellation();
  session_api sessions(st);
  auto last_success = clock::now();
  std::chrono::steady_clock::duration next = ttl / 2;
  coded<std::string> lost;
  for (;;) {
    if (auto paused = co_await pause(next)) co_return failed<std::string>(paused);
    auto [ec, diag, renewed] = co_await sessions.renew(id, w, no_throw);
    if (!ec) {
      last_success = clock::now();
      // Consul may raise the TTL it keeps; renew on its schedule.
      next = renewed.ttl.count() > 0 ? std::chrono::duration_cast<clock::duration>(renewed.ttl) / 2 : ttl / 2;
      continue;
    }
    if (ec == asio::error::operation_aborted) co_return aborted<std::string>();
    if (ec == errc::not_found) {
      lost.value = "session invalidated";
      co_return lost;
    }
    if (clock::now() - last_success >= ttl) {
      lost.value = "renewal failed: " + (diag.message.empty() ? ec.message() : diag.message);
      co_return lost;
    }
    next = std::min<clock::duration>(std::chrono::seconds(1), ttl / 2);
  }
}

}  // namespace

struct lock_state : std::enable_shared_from_this<lock_state> {
  lock_state(std::shared_ptr<client_state> c, lock_options o)
      : client(std::move(c)), opts(std::move(o)), lost_event(client->pool.get_executor()) {
    lost_event.expires_at(clock::time_point::max());
  }

  std::shared_ptr<client_state> client;
  lock_options opts;
  std::string session;
  bool held = false;
  std::string lost_reason = "not held";
  bool closed = false;            // the lock object is gone: pending operations end, nothing new starts
  asio::steady_timer lost_event;  // never expires: cancel() wakes every wait_lost
  asio::cancellation_signal stop_renewer, stop_monitor;

  kv_api kv() const { return kv_api(client); }

  query_options read_options(std::uint64_t index) const {
    query_options o;
    o.index = index;
    o.wait = opts.wait;
    o.datacenter = opts.scope.datacenter;
    o.namespace_name = opts.scope.namespace_name;
    o.partition = opts.scope.partition;
    o.token = opts.scope.token;
    return o;
  }

  void lost(std::string reason) {
    if (!held) return;
    held = false;
    lost_reason = std::move(reason);
    stop_monitor.emit(asio::cancellation_type::terminal);
    lost_event.cancel();
  }

  void session_gone(std::string reason) {
    session.clear();  // the next acquire makes a new one
    lost(std::move(reason));
  }

  // The key shows our session no longer holds it: the session was most likely destroyed (its
  // keys released). Stop renewing it and make sure it is gone, so the next acquire starts with
  // a fresh session instead of failing on a dead one.
  void abandon_session() {
    stop_renewer.emit(asio::cancellation_type::terminal);
    if (session.empty()) return;
    auto destroy = [](std::shared_ptr<client_state> st, std::string id, write_options w) -> asio::awaitable<void> {
      co_await session_api(std::move(st)).destroy(std::move(id), std::move(w), no_throw);
    };
    asio::co_spawn(client->pool.get_executor(), destroy(client, std::exchange(session, {}), opts.scope), asio::detached);
  }

  void start_renewer() {
    auto self = shared_from_this();
    asio::co_spawn(client->pool.get_executor(), renew_loop(client, session, opts.session_ttl, opts.scope),
                   asio::bind_cancellation_slot(stop_renewer.slot(), [self, id = session](std::exception_ptr e,
                                                                                          coded<std::string> r) {
                     // A failure: stopped on purpose. Another ID: that session was already replaced.
                     if (!e && !r.ec && self->session == id) self->session_gone(std::move(r.value));
                   }));
  }

  // Watches the key while the lock is held. Consul unreachable for a whole TTL counts as lost.
  // Its value says why the lock is lost; a failure is only its cancellation.
  asio::awaitable<coded<std::string>> monitor() {
    std::uint64_t index = 0;
    auto last_success = clock::now();
    coded<std::string> why;
    for (;;) {
      auto [ec, diag, cur] = co_await kv().get(opts.key, read_options(index), no_throw);
      if (ec == asio::error::operation_aborted) co_return aborted<std::string>();
      if (ec) {
        if (clock::now() - last_success >= opts.session_ttl) {
          why.value = "Consul unreachable: " + (diag.message.empty() ? ec.message() : diag.message);
          co_return why;
        }
        if (auto paused = co_await pause(std::chrono::seconds(1))) co_return failed<std::string>(paused);
        continue;
      }
      last_success = clock::now();
      if (!cur.value) why.value = "key deleted";
      else if (cur.value->session.empty()) why.value = "session invalidated";
      else if (cur.value->session != session) why.value = "held by another session";
      if (!why.value.empty()) co_return why;
      index = cur.meta.last_index;
    }
  }

  void start_monitor() {
    auto self = shared_from_this();
    asio::co_spawn(client->pool.get_executor(), monitor(),
                   asio::bind_cancellation_slot(stop_monitor.slot(), [self](std::exception_ptr e, coded<std::string> r) {
                     if (e || r.ec) return;  // stopped on purpose
                     if (r.value == "session invalidated") self->abandon_session();
                     self->lost(std::move(r.value));
                   }));
  }

  // Tries the key once: whether it is ours now. A dead session (destroyed behind our back while
  // we were not holding the lock) is dropped, and the next round makes a new one.
  asio::awaitable<coded<bool>> try_acquire() {
    auto [ec, diag, ok] = co_await kv().acquire(opts.key, session, opts.value, 0, opts.scope, no_throw);
    coded<bool> tried;
    if (!ec) {
      tried.value = ok;
      co_return tried;
    }
    if (ec == asio::error::operation_aborted) co_return aborted<bool>();
    auto [info_ec, info_diag, info] = co_await session_api(client).info(session, read_options(0), no_throw);
    if (!info_ec && !info.value) {
      abandon_session();
      co_return tried;  // not acquired
    }
    co_return failed<bool>(ec, std::move(diag));
  }

  asio::awaitable<coded<void>> acquire() {
    co_await accept_all_cancellation();
    if (closed) co_return aborted<void>();
    if (held) co_return coded<void>();
    auto kv = this->kv();
    for (;;) {
      if (session.empty()) {
        session_create_request req{.name = opts.session_name, .behavior = "release"};
        req.ttl = opts.session_ttl;
        req.lock_delay = opts.lock_delay;
        auto [ec, diag, created] = co_await session_api(client).create(req, opts.scope, no_throw);
        if (ec) co_return failed<void>(ec, std::move(diag));
        session = std::move(created);
        start_renewer();
        if (closed) {  // the destructor, seeing no session yet, left this one to us
          abandon_session();
          co_return aborted<void>();
        }
      }
      auto tried = co_await try_acquire();
      if (tried.ec) co_return failed<void>(tried.ec, std::move(tried.diag));
      if (tried.value) {
        if (closed) {
          abandon_session();  // releases the key: nobody is left to hold it
          co_return aborted<void>();
        }
        held = true;
        lost_reason.clear();
        lost_event.expires_at(clock::time_point::max());
        start_monitor();
        co_return coded<void>();
      }
      if (closed) co_return aborted<void>();
      if (session.empty()) continue;  // the session was dead: retry at once with a new one
      // Refused. If another session holds the key, block on it until that changes, then retry
      // at once. If nobody holds it, Consul's lock-delay (after a holder's session ended) is
      // running: retry after a pause.
      auto [ec, diag, cur] = co_await kv.get(opts.key, read_options(0), no_throw);
      if (ec) co_return failed<void>(ec, std::move(diag));
      const bool delayed = !cur.value || cur.value->session.empty();
      while (cur.value && !cur.value->session.empty() && cur.value->session != session && !session.empty()) {
        auto [next_ec, next_diag, next] = co_await kv.get(opts.key, read_options(cur.meta.last_index), no_throw);
        if (next_ec) co_return failed<void>(next_ec, std::move(next_diag));
        cur = std::move(next);
        if (closed) co_return aborted<void>();
      }
      if (delayed) {
        if (auto paused = co_await pause(opts.retry)) co_return failed<void>(paused);
      }
      if (closed) co_return aborted<void>();
    }
  }

  asio::awaitable<coded<std::string>> wait_lost() {
    co_await accept_all_cancellation();
    coded<std::string> reason;
    if (held) {
      (void)co_await lost_event.async_wait(asio::as_tuple(asio::use_awaitable));  // woken by lost() or our cancellation
      if (held) co_return aborted<std::string>();  // our own wait was cancelled
    }
    reason.value = lost_reason;
    co_return reason;
  }

  asio::awaitable<coded<void>> release() {
    co_await accept_all_cancellation();
    stop_monitor.emit(asio::cancellation_type::terminal);
    if (held) {
      auto [ec, diag, released] = co_await kv().release(opts.key, session, opts.value, 0, opts.scope, no_throw);
      if (ec) co_return failed<void>(ec, std::move(diag));
      (void)released;  // false when our session no longer held the key: not ours either way
      held = false;
      lost_reason = "released";
      lost_event.cancel();
    }
    stop_renewer.emit(asio::cancellation_type::terminal);
    if (!session.empty()) {
      auto id = std::exchange(session, {});
      auto [ec, diag] = co_await session_api(client).destroy(id, opts.scope, no_throw);
      if (ec) co_return failed<void>(ec, std::move(diag));
    }
    co_return coded<void>();
  }
};

// Each operation owns a reference to the state, so destroying the lock while one is pending
// cannot leave the coroutine with a dangling `this`.
namespace {
asio::awaitable<coded<void>> run_acquire(std::shared_ptr<lock_state> s) { co_return co_await s->acquire(); }
asio::awaitable<coded<std::string>> run_wait_lost(std::shared_ptr<lock_state> s) { co_return co_await s->wait_lost(); }
asio::awaitable<coded<void>> run_release(std::shared_ptr<lock_state> s) { co_return co_await s->release(); }
}  // namespace

void lock_acquire(lock_state& s, completion_handler<void> h) {
  spawn_coded<void>(s.client->pool.get_executor(), run_acquire(s.shared_from_this()), std::move(h));
}

void lock_wait_lost(lock_state& s, completion_handler<std::string> h) {
  spawn_coded<std::string>(s.client->pool.get_executor(), run_wait_lost(s.shared_from_this()), std::move(h));
}

void lock_release(lock_state& s, completion_handler<void> h) {
  spawn_coded<void>(s.client->pool.get_executor(), run_release(s.shared_from_this()), std::move(h));
}

void session_renew_loop(client_state& st, std::string id, std::chrono::seconds ttl, write_options w,
                        completion_handler<std::string> h) {
  auto ex = st.pool.get_executor();
  spawn_coded<std::string>(ex, renew_loop(st.shared_from_this(), std::move(id), ttl, std::move(w)), std::move(h));
}

}  // namespace detail

lock::lock(const client& c, lock_options opts) {
  using namespace std::chrono_literals;
  if (opts.key.empty()) throw error(make_error_code(errc::invalid_argument), {0, "lock key is empty"});
  if (opts.session_ttl < 10s || opts.session_ttl > 24h)
    throw error(make_error_code(errc::invalid_argument), {0, "lock session TTL must be between 10s and 24h"});
  state_ = std::make_shared<detail::lock_state>(detail::client_access::state(c), std::move(opts));
}

lock::~lock() {
  if (!state_) return;
  auto& s = *state_;
  s.closed = true;
  s.stop_monitor.emit(boost::asio::cancellation_type::terminal);
  s.stop_renewer.emit(boost::asio::cancellation_type::terminal);
  s.lost("released");
  if (!s.session.empty()) {
    // Destroying the session releases the key (behavior "release").
    auto destroy = [](std::shared_ptr<detail::client_state> st, std::string id,
                      write_options w) -> boost::asio::awaitable<void> {
      co_await session_api(std::move(st)).destroy(std::move(id), std::move(w), detail::no_throw);
    };
    boost::asio::co_spawn(s.client->pool.get_executor(), destroy(s.client, s.session, s.opts.scope),
                          boost::asio::detached);
  }
}

bool lock::held() const noexcept { return state_->held; }

const std::string& lock::session_id() const noexcept { return state_->session; }

}  // namespace coconsul
