#include <coconsul/lock.hpp>

#include "client/client_state.hpp"
#include "client/no_throw.hpp"
#include "client/spawn.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace coconsul {
namespace detail {

namespace asio = boost::asio;
using clock = std::chrono::steady_clock;

namespace {

asio::awaitable<void> pause(std::chrono::steady_clock::duration d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  co_await t.async_wait(asio::use_awaitable);
}

// Renews every ttl/2; after a failure, retries every second until a whole TTL has passed
// without a successful renewal (by then Consul may have dropped the session anyway).
asio::awaitable<std::string> renew_loop(std::shared_ptr<client_state> st, std::string id, std::chrono::seconds ttl,
                                        write_options w) {
  co_await accept_all_cancellation();
  session_api sessions(st);
  auto last_success = clock::now();
  std::chrono::steady_clock::duration next = ttl / 2;
  for (;;) {
    co_await pause(next);
    auto [ec, diag, renewed] = co_await sessions.renew(id, w, no_throw);
    if (!ec) {
      last_success = clock::now();
      // Consul may raise the TTL it keeps; renew on its schedule.
      next = renewed.ttl.count() > 0 ? std::chrono::duration_cast<clock::duration>(renewed.ttl) / 2 : ttl / 2;
      continue;
    }
    if (ec == asio::error::operation_aborted) throw error(ec);
    if (ec == errc::not_found) co_return "session invalidated";
    if (clock::now() - last_success >= ttl)
      co_return "renewal failed: " + (diag.message.empty() ? ec.message() : diag.message);
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
                   asio::bind_cancellation_slot(stop_renewer.slot(), [self, id = session](std::exception_ptr e, std::string reason) {
                     // An exception: stopped on purpose. Another ID: that session was already replaced.
                     if (!e && self->session == id) self->session_gone(std::move(reason));
                   }));
  }

  // Watches the key while the lock is held. Consul unreachable for a whole TTL counts as lost.
  asio::awaitable<std::string> monitor() {
    std::uint64_t index = 0;
    auto last_success = clock::now();
    for (;;) {
      auto [ec, diag, cur] = co_await kv().get(opts.key, read_options(index), no_throw);
      if (ec == asio::error::operation_aborted) throw error(ec);
      if (ec) {
        if (clock::now() - last_success >= opts.session_ttl)
          co_return "Consul unreachable: " + (diag.message.empty() ? ec.message() : diag.message);
        co_await pause(std::chrono::seconds(1));
        continue;
      }
      last_success = clock::now();
      if (!cur.value) co_return "key deleted";
      if (cur.value->session.empty()) co_return "session invalidated";
      if (cur.value->session != session) co_return "held by another session";
      index = cur.meta.last_index;
    }
  }

  void start_monitor() {
    auto self = shared_from_this();
    asio::co_spawn(client->pool.get_executor(), monitor(),
                   asio::bind_cancellation_slot(stop_monitor.slot(), [self](std::exception_ptr e, std::string reason) {
                     if (e) return;  // stopped on purpose
                     if (reason == "session invalidated") self->abandon_session();
                     self->lost(std::move(reason));
                   }));
  }

  void throw_if_closed() const {
    if (closed) throw error(asio::error::operation_aborted);
  }

  // Tries the key once. A dead session (destroyed behind our back while we were not holding the
  // lock) is dropped, and the next round makes a new one.
  asio::awaitable<bool> try_acquire() {
    auto [ec, diag, ok] = co_await kv().acquire(opts.key, session, opts.value, 0, opts.scope, no_throw);
    if (!ec) co_return ok;
    if (ec == asio::error::operation_aborted) throw error(ec);
    auto [info_ec, info_diag, info] = co_await session_api(client).info(session, read_options(0), no_throw);
    if (!info_ec && !info.value) {
      abandon_session();
      co_return false;
    }
    throw error(ec, std::move(diag));
  }

  asio::awaitable<void> acquire() {
    co_await accept_all_cancellation();
    throw_if_closed();
    if (held) co_return;
    auto kv = this->kv();
    for (;;) {
      if (session.empty()) {
        session_create_request req{.name = opts.session_name, .behavior = "release"};
        req.ttl = opts.session_ttl;
        req.lock_delay = opts.lock_delay;
        session = co_await session_api(client).create(req, opts.scope);
        start_renewer();
        if (closed) {  // the destructor, seeing no session yet, left this one to us
          abandon_session();
          throw error(asio::error::operation_aborted);
        }
      }
      if (co_await try_acquire()) {
        if (closed) {
          abandon_session();  // releases the key: nobody is left to hold it
          throw error(asio::error::operation_aborted);
        }
        held = true;
        lost_reason.clear();
        lost_event.expires_at(clock::time_point::max());
        start_monitor();
        co_return;
      }
      throw_if_closed();
      if (session.empty()) continue;  // the session was dead: retry at once with a new one
      // Refused. If another session holds the key, block on it until that changes, then retry
      // at once. If nobody holds it, Consul's lock-delay (after a holder's session ended) is
      // running: retry after a pause.
      auto cur = co_await kv.get(opts.key, read_options(0));
      const bool delayed = !cur.value || cur.value->session.empty();
      while (cur.value && !cur.value->session.empty() && cur.value->session != session && !session.empty()) {
        cur = co_await kv.get(opts.key, read_options(cur.meta.last_index));
        throw_if_closed();
      }
      if (delayed) co_await pause(opts.retry);
      throw_if_closed();
    }
  }

  asio::awaitable<std::string> wait_lost() {
    co_await accept_all_cancellation();
    if (!held) co_return lost_reason;
    (void)co_await lost_event.async_wait(asio::as_tuple(asio::use_awaitable));  // woken by lost() or our cancellation
    if (held) throw error(asio::error::operation_aborted);  // our own wait was cancelled
    co_return lost_reason;
  }

  asio::awaitable<void> release() {
    co_await accept_all_cancellation();
    stop_monitor.emit(asio::cancellation_type::terminal);
    if (held) {
      co_await kv().release(opts.key, session, opts.value, 0, opts.scope);
      held = false;
      lost_reason = "released";
      lost_event.cancel();
    }
    stop_renewer.emit(asio::cancellation_type::terminal);
    if (!session.empty()) {
      auto id = std::exchange(session, {});
      co_await session_api(client).destroy(id, opts.scope);
    }
  }
};

// Each operation owns a reference to the state, so destroying the lock while one is pending
// cannot leave the coroutine with a dangling `this`.
namespace {
asio::awaitable<void> run_acquire(std::shared_ptr<lock_state> s) { co_await s->acquire(); }
asio::awaitable<std::string> run_wait_lost(std::shared_ptr<lock_state> s) { co_return co_await s->wait_lost(); }
asio::awaitable<void> run_release(std::shared_ptr<lock_state> s) { co_await s->release(); }
}  // namespace

void lock_acquire(lock_state& s, completion_handler<void> h) {
  spawn_operation<void>(s.client->pool.get_executor(), run_acquire(s.shared_from_this()), std::move(h));
}

void lock_wait_lost(lock_state& s, completion_handler<std::string> h) {
  spawn_operation<std::string>(s.client->pool.get_executor(), run_wait_lost(s.shared_from_this()), std::move(h));
}

void lock_release(lock_state& s, completion_handler<void> h) {
  spawn_operation<void>(s.client->pool.get_executor(), run_release(s.shared_from_this()), std::move(h));
}

void session_renew_loop(client_state& st, std::string id, std::chrono::seconds ttl, write_options w,
                        completion_handler<std::string> h) {
  auto ex = st.pool.get_executor();
  spawn_operation<std::string>(ex, renew_loop(st.shared_from_this(), std::move(id), ttl, std::move(w)), std::move(h));
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
