#pragma once
// A client-side load balancer over a service's live endpoints: what turns "a node died" into
// "no request was lost" long before Consul deregisters the node.
//
//   coconsul::balancer lb(consul, "serverNode");           // power of two choices by default
//   boost::asio::ip::tcp::socket s(ex);
//   coconsul::lease l = co_await lb.connect(s);            // tries the next endpoint on failure
//   ... use s ...                                          // l counts as in flight meanwhile
//   if (broken) l.fail();                                  // eject that endpoint at once
//
// A replica that accepts but never answers (frozen, SIGSTOP: the kernel still completes the
// handshake) is caught by the lease's request deadline: connect() arms request_timeout, and when
// it passes before the lease ends, the socket is closed and the endpoint ejected.
//
// The endpoints come from watch_service (passing instances by default). An endpoint whose
// connect fails (or whose lease reports failure) is ejected at once: no pick returns it until
// its cool-down has passed or a newer snapshot reports it again (it came back: it is in the
// snapshot's `added` or `changed`). A snapshot that merely still lists it does not let it back:
// Consul keeps listing a dead node as passing until its check fails, which is the gap the
// balancer exists to close. Consul's Weights are respected: an endpoint's share is
// weights.passing, or weights.warning when its checks warn (with passing_only off); weight 0
// takes no traffic.

#include <coconsul/async.hpp>
#include <coconsul/client.hpp>
#include <coconsul/watch.hpp>

#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace coconsul {

enum class balance_policy {
  round_robin,   // smooth weighted round robin
  random,        // weighted random
  power_of_two,  // two weighted-random candidates, the one with fewer in flight per weight
};

struct balancer_options {
  balance_policy policy = balance_policy::power_of_two;
  // How long an ejected endpoint stays out unless a newer snapshot reports it again.
  std::chrono::milliseconds cooldown{std::chrono::seconds(10)};
  // Each connect attempt's limit; a timeout counts as a failed connect.
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(2)};
  // The limit of one request on a connect()'s lease (see lease::expires_after): when it passes
  // before the lease ends, the socket is closed (pending operations fail) and the endpoint is
  // ejected. 5 s: half of Consul's default HTTP check timeout (10 s), so that a hung replica is
  // ejected well before its check could turn it critical, and still ample for a request that
  // honestly takes seconds. 0: no deadline unless the lease sets one.
  std::chrono::milliseconds request_timeout{std::chrono::seconds(5)};
  // How many endpoints connect() tries before it fails (0: every non-ejected endpoint once).
  unsigned max_attempts = 0;
  // When no endpoint can be picked (every one ejected, every weight 0, or the service has no
  // instance at all): wait for one to come back or appear (true) or fail at once with
  // errc::no_endpoints (false).
  bool wait_when_all_ejected = true;
  service_watch_options watch;   // passing_only, tags, filter, dc, token, pacing
  std::uint64_t seed = 0;        // random policies' seed (0: from std::random_device)
};

// One endpoint of the balancer, as stats() reports it.
struct balancer_endpoint {
  coconsul::endpoint endpoint;
  unsigned in_flight = 0;
  bool ejected = false;
  std::uint64_t picks = 0;     // leases handed out
  std::uint64_t failures = 0;  // failed connects, failed leases and request timeouts
  std::uint64_t timeouts = 0;  // leases whose request deadline passed
};

struct balancer_stats {
  std::uint64_t snapshots = 0;      // snapshots received from the watch
  std::uint64_t picks = 0;
  std::uint64_t connect_failures = 0;
  std::uint64_t ejections = 0;
  std::uint64_t request_timeouts = 0;  // leases whose request deadline passed
  std::vector<balancer_endpoint> endpoints;  // the current snapshot's, sorted as it is
};

namespace detail {
struct balancer_state;
struct balancer_slot;
}  // namespace detail

// An endpoint handed out by the balancer, counted as in flight until the lease is destroyed
// or released. Move-only; a default-constructed lease holds nothing.
class lease {
 public:
  lease() = default;
  lease(lease&&) noexcept;
  lease& operator=(lease&&) noexcept;
  ~lease();

  explicit operator bool() const noexcept { return slot_ != nullptr; }
  // The endpoint (valid while the lease holds one).
  const coconsul::endpoint& endpoint() const noexcept;
  // Ends the lease, the endpoint served well.
  void release() noexcept;
  // Ends the lease and ejects the endpoint (the connection broke, the peer misbehaved). After
  // a request timeout the endpoint is already ejected: it only ends the lease.
  void fail() noexcept;

  // The request deadline, as Beast's tcp_stream has one: when it passes before the lease ends,
  // the socket connect() connected is closed (a pending read or write fails at once), the
  // endpoint is ejected and counted as a failure, and timed_out() turns true. connect() arms it
  // at request_timeout; a lease that carries several requests re-arms it before each
  // (expires_after) and disarms it while idle (expires_never). A lease from pick() has no socket:
  // its deadline only ejects. The socket must outlive an armed deadline (end or disarm the
  // lease before destroying the socket, e.g. declare the socket first).
  void expires_after(std::chrono::steady_clock::duration d);
  void expires_never() noexcept;
  bool timed_out() const noexcept;

 private:
  friend struct detail::balancer_state;
  std::shared_ptr<detail::balancer_slot> slot_;
};

namespace detail {
void balancer_pick(balancer_state&, completion_handler<lease>);
void balancer_connect(balancer_state&, boost::asio::ip::tcp::socket&, completion_handler<lease>);
}  // namespace detail

class balancer {
 public:
  // Starts watching `service` at once (on the client's executor).
  balancer(const client& c, std::string service, balancer_options opts = balancer_options());
  // Stops the watch; pending pick()/connect() end with operation_aborted. Leases may outlive
  // the balancer (releasing them then does nothing).
  ~balancer();
  balancer(const balancer&) = delete;
  balancer& operator=(const balancer&) = delete;

  // Picks an endpoint by the policy, waiting for the first snapshot. When none can be picked
  // (no instance, all ejected or of weight 0) it waits for one if wait_when_all_ejected is on,
  // else fails with errc::no_endpoints (the diagnostics say which case). Fails with the watch's
  // error if the watch failed for good (e.g. a filter Consul refuses). Cancellation: terminal,
  // partial and total.
  template <class Token = use_awaitable_t>
  auto pick(Token&& token = {}) {
    return detail::launch<lease>(std::forward<Token>(token), &detail::balancer_pick, state_);
  }

  // Connects `socket` (closed first if open) to a picked endpoint; on a refused, reset or timed
  // out connect, ejects that endpoint and tries the next pick, up to max_attempts. Completes
  // with the lease of the endpoint it connected to, or the last connect error (errc::no_endpoints
  // when there was nothing to try). The first pick waits as pick() does; later attempts take
  // what is there. On failure the socket is closed. Cancellation: terminal, partial and total;
  // the socket is then closed.
  template <class Token = use_awaitable_t>
  auto connect(boost::asio::ip::tcp::socket& socket, Token&& token = {}) {
    return detail::launch<lease>(std::forward<Token>(token), &detail::balancer_connect, state_, std::ref(socket));
  }

  // Ejects an endpoint by service ID (as a failed lease would).
  void eject(const std::string& service_id);
  const std::string& service() const noexcept;
  balancer_stats stats() const;
  watch_status watch() const;

 private:
  std::shared_ptr<detail::balancer_state> state_;
};

}  // namespace coconsul
