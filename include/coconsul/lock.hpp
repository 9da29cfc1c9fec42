#pragma once
// Leader election and mutual exclusion on a KV key, the way Consul's own clients do it: a
// session with a TTL (renewed every TTL/2), the key acquired with that session, a blocking read
// to wait while someone else holds it, and a watch on the key that tells when the lock is lost.
//
//   coconsul::lock leader(consul, {.key = "service/web/leader", .value = "host-a"});
//   co_await leader.acquire();             // waits until this process holds the lock
//   std::string why = co_await leader.wait_lost();  // "session invalidated", "key deleted", ...
//
// Also: renew_session(), a periodic renewer for sessions of your own.

#include <coconsul/async.hpp>
#include <coconsul/detail/lock.hpp>
#include <coconsul/client.hpp>
#include <coconsul/query.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace coconsul {

struct lock_options {
  std::string key;                                       // required
  std::string value;                                     // stored in the key while held
  std::string session_name = "coconsul lock";
  std::chrono::seconds session_ttl{15};                  // 10 s to 24 h; renewed every ttl/2
  // After the holder's session ends, Consul refuses the lock to others for this long (zero:
  // Consul's default, 15 s).
  std::chrono::milliseconds lock_delay{0};
  // While Consul refuses the lock and the key shows no holder (lock-delay), retry this often.
  std::chrono::milliseconds retry{std::chrono::seconds(1)};
  // The wait of each blocking read on the key.
  std::chrono::milliseconds wait{std::chrono::seconds(60)};
  write_options scope;                                   // dc and token
};

class lock {
 public:
  // Throws coconsul::error (errc::invalid_argument) for an empty key or a TTL outside 10 s..24 h.
  lock(const client& c, lock_options opts);
  // Stops renewing and watching; if the lock is held, releases it and destroys the session in
  // the background (the client must outlive that for it to complete).
  ~lock();
  lock(const lock&) = delete;
  lock& operator=(const lock&) = delete;

  // Waits until this process holds the lock: creates the session (first time), tries the key,
  // and between tries blocks on the key until its holder changes. Cancellation: terminal,
  // partial and total; the lock is then not held (the session stays for a later acquire).
  template <class Token = use_awaitable_t>
  auto acquire(Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::lock_acquire, state_);
  }

  // Completes when the held lock is lost, with the reason: "session invalidated" (renewal
  // failed, or the session was destroyed), "key deleted", "held by another session", or
  // "released" (by release()). Completes at once if the lock is not held. Cancellation:
  // terminal, partial and total.
  template <class Token = use_awaitable_t>
  auto wait_lost(Token&& token = {}) {
    return detail::launch<std::string>(std::forward<Token>(token), &detail::lock_wait_lost, state_);
  }

  // Releases the lock (if held) and destroys the session.
  template <class Token = use_awaitable_t>
  auto release(Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::lock_release, state_);
  }

  bool held() const noexcept;
  // The session's ID; empty before the first acquire.
  const std::string& session_id() const noexcept;

 private:
  std::shared_ptr<detail::lock_state> state_;
};

// Renews session `id` every ttl/2 until the operation is cancelled or the session is gone.
// Completes with the reason it stopped: "session invalidated" when Consul no longer knows the
// session, or "renewal failed: <error>" when Consul could not be reached for a whole TTL.
// Transient failures are retried within the TTL. Cancellation: terminal, partial and total.
template <class Token = use_awaitable_t>
auto renew_session(const client& c, std::string id, std::chrono::seconds ttl, write_options w = write_options(),
                   Token&& token = {}) {
  return detail::launch<std::string>(std::forward<Token>(token), &detail::session_renew_loop,
                                     detail::state_of(c), std::move(id), ttl, std::move(w));
}

}  // namespace coconsul
