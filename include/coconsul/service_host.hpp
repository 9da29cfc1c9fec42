#pragma once
// The service side: keeps one service registered with the local Consul agent for as long as
// the application runs, the way the agent expects a well-behaved service to.
//
//   coconsul::service_host_options o;
//   o.service.name = "serverNode";  o.service.id = "serverNode_1";  o.service.port = 9527;
//   o.health_endpoint = coconsul::health_endpoint_options();  // 127.0.0.1, ephemeral port, /check
//   o.http_check = coconsul::service_check();                 // HTTP filled in: the endpoint's URL
//   o.http_check->interval = std::chrono::seconds(5);
//   coconsul::service_host host(consul, std::move(o));
//   co_await host.start();                 // endpoint listening, service and checks registered
//   host.set_health(coconsul::health_status::warning, "draining");
//   co_await host.stop();                  // deregistered, endpoint closed
//
// What it does while running, on the client's executor (no threads of its own):
// - serves the HTTP health endpoint: GET <path> answers 200 (passing), 429 (warning; Consul's
//   HTTP checks read 429 as warning) or 503 (critical), with the note as the body;
// - heartbeats every TTL check of the registration at a third of its TTL, with the status and
//   note the application set, and at once when the application changes them;
// - registers again when the agent no longer has the service (the agent restarted, or an
//   operator deregistered it): noticed by a heartbeat answered 404, or by the anti-entropy read
//   every `anti_entropy` interval;
// - on stop(), deregisters the service (its checks go with it) and closes the endpoint.
//
// With Connect, the service's sidecar proxy registers with it: set
// o.service.connect.sidecar_service (an empty coconsul::sidecar_service takes every default:
// "<id>-sidecar-proxy" on a port of the agent's sidecar range, with a TCP and an alias check).
// Its TTL checks, if it has any, are heartbeated as the service's; re-registering the service
// brings the sidecar back, and deregistering it (stop()) removes the sidecar too.

#include <coconsul/async.hpp>
#include <coconsul/client.hpp>
#include <coconsul/model/service.hpp>
#include <coconsul/query.hpp>
#include <coconsul/watch.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace coconsul {

// What service_host::maintenance() does: put the service in Consul's maintenance mode (on) or
// take it out (off).
enum class maintenance_mode { off, on };

// Where the host serves its HTTP health endpoint.
struct health_endpoint_options {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;       // 0: an ephemeral port (see service_host::health_port())
  std::string path = "/check";  // other paths answer 404
};

struct service_host_options {
  service_registration service;  // name required; id defaults to name
  // Serve the HTTP health endpoint (nullopt: none).
  std::optional<health_endpoint_options> health_endpoint;
  // Add this HTTP check to the registration; an empty `http` is filled with the endpoint's URL
  // (http://address:port/path), so the check follows an ephemeral port. Needs health_endpoint
  // unless `http` is set. Its interval defaults to 10 s when zero.
  std::optional<service_check> http_check;
  // How often to read the agent's copy of the service and register again if it is gone
  // (zero: only when a TTL heartbeat finds the check gone).
  std::chrono::milliseconds anti_entropy{std::chrono::seconds(10)};
  // After a failed registration or heartbeat (agent unreachable), retry this often.
  std::chrono::milliseconds retry{std::chrono::seconds(1)};
  bool deregister_on_stop = true;
  write_options scope;  // dc and token for every agent call
};

// What the host has done, for logs and tests.
struct service_host_stats {
  std::uint64_t registrations = 0;   // successful registrations (1 + re-registrations)
  std::uint64_t heartbeats = 0;      // successful TTL updates
  std::uint64_t health_requests = 0; // requests answered by the health endpoint
  std::uint64_t errors = 0;          // failed agent calls
  error_code last_error;
  std::string last_error_message;
};

namespace detail {
struct service_host_state;
void service_host_start(service_host_state&, completion_handler<void>);
void service_host_stop(service_host_state&, completion_handler<void>);
void service_host_maintenance(service_host_state&, bool, std::string, completion_handler<void>);
}  // namespace detail

class service_host {
 public:
  // Throws coconsul::error (errc::invalid_argument) for an empty service name, or an HTTP
  // check with no URL and no health endpoint.
  service_host(const client& c, service_host_options opts);
  // Stops every background activity at once. If the service is registered and
  // deregister_on_stop is set, deregisters it in the background (the client and its executor
  // must go on running for that to complete); call stop() to know when it is done.
  ~service_host();
  service_host(const service_host&) = delete;
  service_host& operator=(const service_host&) = delete;

  // Opens the health endpoint, registers the service with its checks, sends the first TTL
  // heartbeats, and starts the background work. Completes when the agent has accepted the
  // registration; fails (and leaves nothing running) if it refused it or the endpoint could
  // not bind. Cancellation: terminal only (partial and total are ignored); it completes with
  // operation_aborted and the host is stopped: endpoint closed, and a registration the agent
  // may have accepted removed in the background.
  template <class Token = use_awaitable_t>
  auto start(Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::service_host_start, state_);
  }

  // Stops the background work, deregisters the service (if deregister_on_stop) and closes the
  // endpoint. Completes when done; a failed deregistration is reported, the rest still stops.
  // Cancellation: terminal only (partial and total are ignored). The host is stopped either
  // way: the background work ends and the endpoint closes at once; a deregistration not yet
  // done (or cut off in flight) is sent in the background, as the destructor does (the client
  // must keep running for it), and stop() completes with operation_aborted. running() is then
  // false; a start() before the background loop has finished unwinding fails with
  // errc::invalid_argument ("still stopping").
  template <class Token = use_awaitable_t>
  auto stop(Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::service_host_stop, state_);
  }

  // Puts the service in Consul's maintenance mode (it leaves every passing query) or takes it
  // out; a re-registration keeps the mode. Fails with the agent's error, the host keeping the
  // mode it had. Cancellation: terminal only (partial and total are ignored); it completes
  // with operation_aborted and the host keeps the mode it had before (the one a
  // re-registration puts back). A request already on its way may still reach the agent: call
  // maintenance() again to be sure of the agent's mode.
  template <class Token = use_awaitable_t>
  auto maintenance(maintenance_mode mode, std::string reason = std::string(), Token&& token = {}) {
    return detail::launch<void>(std::forward<Token>(token), &detail::service_host_maintenance, state_,
                                mode == maintenance_mode::on, std::move(reason));
  }

  // What the health endpoint answers and the TTL checks report from now on (TTL checks are
  // updated at once, in the background). health_status::maintenance is refused: use
  // maintenance().
  void set_health(health_status status, std::string note = {});
  health_status health() const noexcept;

  const std::string& service_id() const noexcept;
  // The endpoint's bound port and full URL (0 and empty before start() or without endpoint).
  std::uint16_t health_port() const noexcept;
  std::string health_url() const;
  bool running() const noexcept;
  service_host_stats stats() const;

 private:
  std::shared_ptr<detail::service_host_state> state_;
};

}  // namespace coconsul
