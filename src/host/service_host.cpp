// The service host: one coroutine that registers, heartbeats and re-registers when its
// schedule (schedule.hpp) says so, on the client's executor, and the HTTP health endpoint
// beside it (health_endpoint.cpp). Failures are error codes from the agent call to the caller.

#include <coconsul/service_host.hpp>

#include "client/client_state.hpp"
#include "client/no_throw.hpp"
#include "host/health_endpoint.hpp"
#include "host/registration.hpp"
#include "host/schedule.hpp"
#include "client/coded.hpp"
#include "watch/event.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

#include <optional>
#include <tuple>
#include <utility>

namespace coconsul {
namespace detail {

namespace asio = boost::asio;
using clock = std::chrono::steady_clock;

namespace {

// What the host's operations complete with: nothing, or an error code with Consul's message.
using outcome = coded<void>;

outcome aborted() { return failed<void>(make_error_code(asio::error::operation_aborted)); }

bool cancelled(const asio::cancellation_state& cs) { return cs.cancelled() != asio::cancellation_type::none; }

// Deregisters in the background, for a host that can no longer wait (destroyed, or a start
// that was stopped after the agent had accepted the registration).
asio::awaitable<void> deregister_detached(std::shared_ptr<client_state> st, std::string id, write_options w) {
  (void)co_await agent_api(std::move(st)).deregister_service(std::move(id), std::move(w), no_throw);
}

}  // namespace

struct service_host_state : std::enable_shared_from_this<service_host_state> {
  service_host_state(std::shared_ptr<client_state> c, service_host_options o)
      : client(std::move(c)),
        opts(std::move(o)),
        id(service_id_of(opts.service)),
        wake(client->pool.get_executor()),
        loop_exit(client->pool.get_executor()) {}

  enum class phase { idle, starting, running };

  std::shared_ptr<client_state> client;
  service_host_options opts;
  std::string id;
  host_plan plan;
  phase current = phase::idle;
  bool closed = false;       // the service_host is gone
  bool registered = false;   // the agent accepted our registration and we have not deregistered
  std::uint64_t run = 0;     // bumped by start and stop: work of an older run gives up
  health_status status = health_status::passing;
  std::string note;
  bool maintenance_on = false;
  std::string maintenance_reason;
  service_host_stats stats;
  std::uint64_t earlier_health_requests = 0;  // answered by endpoints already closed
  std::unique_ptr<health_endpoint> endpoint;

  // The keeper loop: it does what `schedule` says and sleeps on `wake` until its next job;
  // poke() wakes it for work asked from outside (set_health, a maintenance call's 404).
  std::optional<host_schedule> schedule;  // made by each start()
  broadcast_event wake;
  asio::cancellation_signal stop_loop;
  bool loop_running = false;
  broadcast_event loop_exit;  // notified when the loop has ended

  agent_api agent() const { return agent_api(client); }

  void record(error_code ec, const diagnostics& diag) {
    ++stats.errors;
    stats.last_error = ec;
    stats.last_error_message = diag.message.empty() ? ec.message() : diag.message;
  }

  void poke() { wake.notify(); }

  health_answer answer() const {
    switch (status) {
      case health_status::passing: return {200, note.empty() ? "passing" : note};
      case health_status::warning: return {429, note.empty() ? "warning" : note};  // Consul: 429 -> warning
      default: return {503, note.empty() ? "critical" : note};
    }
  }

  // The registration as sent now: TTL checks the application left without an initial status
  // start with the application's current one, so a re-registration does not flap to critical.
  service_registration registration_now() const {
    service_registration reg = plan.registration;
    for (auto& c : reg.checks)
      if (c.ttl.count() > 0 && c.status.empty()) c.status = to_string(status);
    return reg;
  }

  query_options read_options() const {
    query_options o;
    o.datacenter = opts.scope.datacenter;
    o.namespace_name = opts.scope.namespace_name;
    o.partition = opts.scope.partition;
    o.token = opts.scope.token;
    return o;
  }

  void close_endpoint() {
    if (!endpoint) return;
    endpoint->close();
    earlier_health_requests += endpoint->requests();
    endpoint.reset();
  }

  // Registers, then puts the maintenance mode back if it was on. Returns the registration's
  // error, with Consul's message (a failed maintenance call is only counted: the service is
  // up, which matters more).
  asio::awaitable<outcome> register_service() {
    const register_options replace{.replace_existing_checks = true};
    auto [ec, diag] = co_await agent().register_service(registration_now(), replace, opts.scope, no_throw);
    if (ec) {
      record(ec, diag);
      co_return failed<void>(ec, std::move(diag));
    }
    registered = true;
    ++stats.registrations;
    if (maintenance_on) {
      auto [mec, mdiag] = co_await agent().enable_maintenance(id, maintenance_reason, opts.scope, no_throw);
      if (mec) record(mec, mdiag);
    }
    co_return outcome();
  }

  asio::awaitable<error_code> heartbeat(const ttl_check& c) {
    auto [ec, diag] = co_await agent().update_ttl(c.check_id, to_string(status), note, opts.scope, no_throw);
    if (ec) record(ec, diag);
    else ++stats.heartbeats;
    co_return ec;
  }

  // Heartbeats, anti-entropy and re-registration as the schedule says, until the run ends.
  asio::awaitable<void> keep(std::uint64_t my_run) {
    using kind = host_schedule::job_kind;
    auto stale = [&] { return run != my_run; };
    while (!stale()) {
      const auto job = schedule->next_job(clock::now());
      switch (job.kind) {
        case kind::wait:
          co_await wake.wait_until(job.at);  // its time, or poke()
          break;
        case kind::register_service: {
          const error_code ec = (co_await register_service()).ec;
          if (stale()) co_return;
          if (ec) schedule->on_register_failed(clock::now());
          else schedule->on_registered(clock::now());
          break;
        }
        case kind::heartbeat: {
          const error_code ec = co_await heartbeat(plan.ttl_checks[job.check]);
          if (stale()) co_return;
          if (!ec) schedule->on_heartbeat_ok(job.check, clock::now());
          else if (ec == errc::not_found) schedule->on_heartbeat_not_found(clock::now());  // the agent forgot it
          else schedule->on_heartbeat_failed(job.check, clock::now());
          break;
        }
        case kind::anti_entropy: {
          auto [ec, diag, found] = co_await agent().service(id, read_options(), no_throw);
          if (stale()) co_return;
          if (!ec) {
            schedule->on_service_present(clock::now());
          } else if (ec == errc::not_found) {
            registered = false;
            schedule->on_service_missing(clock::now());
          } else {
            record(ec, diag);
            schedule->on_anti_entropy_failed(clock::now());
          }
          break;
        }
      }
    }
  }

  void start_loop(std::uint64_t my_run) {
    auto self = shared_from_this();
    loop_running = true;
    asio::co_spawn(client->pool.get_executor(), keep(my_run),
                   asio::bind_cancellation_slot(stop_loop.slot(), [self](std::exception_ptr) {
                     self->loop_running = false;
                     self->loop_exit.notify();
                   }));
  }

  // Ends the current run's background work at once (the loop may need a moment to unwind).
  void halt() {
    ++run;
    current = phase::idle;
    if (loop_running) stop_loop.emit(asio::cancellation_type::terminal);
    wake.notify();
  }

  // Opens the endpoint, registers and sends the first heartbeats; the schedule starts then.
  asio::awaitable<outcome> bring_up(std::uint64_t my_run) {
    if (opts.health_endpoint) {
      std::weak_ptr<service_host_state> weak = shared_from_this();
      auto respond = [weak] {
        auto self = weak.lock();
        return self ? self->answer() : health_answer{503, "stopped"};
      };
      outcome bound;
      endpoint = health_endpoint::open(client->pool.get_executor(), *opts.health_endpoint, std::move(respond),
                                       bound.ec, bound.diag);
      if (!endpoint) co_return bound;
    }
    plan = plan_registration(opts, endpoint ? endpoint->url() : std::string());
    // Marks the service registered even if stop() came meanwhile (it saw nothing to
    // deregister): undone by start().
    auto registration = co_await register_service();
    if (registration.ec) {
      // Cancelled in flight: the agent may have taken it, so start() undoes it.
      if (registration.ec == asio::error::operation_aborted && run == my_run) registered = true;
      co_return registration;
    }
    auto cs = co_await asio::this_coro::cancellation_state;
    if (run != my_run || cancelled(cs)) co_return aborted();
    bool lost = false;
    for (const auto& c : plan.ttl_checks) {
      if (co_await heartbeat(c) == errc::not_found) lost = true;
      cs = co_await asio::this_coro::cancellation_state;
      if (run != my_run || cancelled(cs)) co_return aborted();
    }
    std::vector<std::chrono::nanoseconds> ttls;
    for (const auto& c : plan.ttl_checks) ttls.push_back(c.ttl);
    schedule.emplace(ttls, opts.anti_entropy, opts.retry, clock::now());
    if (lost) schedule->register_soon();  // the agent forgot a check already: register again
    co_return outcome();
  }

  asio::awaitable<outcome> start() {
    const auto cs = co_await asio::this_coro::cancellation_state;
    if (closed || cancelled(cs)) co_return aborted();
    if (current != phase::idle || loop_running) {
      diagnostics why{0, "service_host: start() while already started (or still stopping)"};
      co_return failed<void>(make_error_code(errc::invalid_argument), std::move(why));
    }
    current = phase::starting;
    const auto my_run = ++run;
    auto up = co_await bring_up(my_run);
    if (up.ec) {
      // Leave nothing behind: the endpoint closed, and a registration the agent accepted
      // (seen, or possibly made before a cancellation) removed in the background.
      if (run == my_run) {
        current = phase::idle;
        close_endpoint();
      }
      if (opts.deregister_on_stop) deregister_in_background();
      registered = false;
      co_return up;
    }
    current = phase::running;
    start_loop(my_run);
    co_return outcome();
  }

  asio::awaitable<outcome> stop() {
    halt();
    if (loop_running) co_await loop_exit.wait();
    const auto cs = co_await asio::this_coro::cancellation_state;
    if (cancelled(cs)) {
      // Cancelled while the loop unwound: finish at once, as the destructor does.
      close_endpoint();
      if (opts.deregister_on_stop) deregister_in_background();
      co_return aborted();
    }
    outcome result;
    if (registered && opts.deregister_on_stop) {
      registered = false;
      auto [ec, diag] = co_await agent().deregister_service(id, opts.scope, no_throw);
      if (ec == asio::error::operation_aborted) {
        // Cancelled in flight: the agent may not have seen it, so send it again in the background.
        registered = true;
        deregister_in_background();
      }
      if (ec != errc::not_found) {  // already gone: what we wanted
        result.ec = ec;
        result.diag = std::move(diag);
      }
      if (result.ec) record(result.ec, result.diag);
    }
    close_endpoint();
    co_return result;
  }

  asio::awaitable<outcome> maintenance(bool enable, std::string reason) {
    const auto cs = co_await asio::this_coro::cancellation_state;
    if (closed || cancelled(cs)) co_return aborted();
    const bool was_on = maintenance_on;
    auto old_reason = maintenance_reason;
    maintenance_on = enable;
    maintenance_reason = reason;
    if (!registered) co_return outcome();  // applied when the service is registered
    error_code ec;
    diagnostics diag;
    if (enable)
      std::tie(ec, diag) = co_await agent().enable_maintenance(id, std::move(reason), opts.scope, no_throw);
    else
      std::tie(ec, diag) = co_await agent().disable_maintenance(id, opts.scope, no_throw);
    if (!ec) co_return outcome();
    if (ec == errc::not_found && current == phase::running) {
      // The agent lost the service: the keeper registers it again, with this mode.
      schedule->register_soon();
      poke();
      co_return outcome();
    }
    maintenance_on = was_on;
    maintenance_reason = std::move(old_reason);
    record(ec, diag);
    co_return failed<void>(ec, std::move(diag));
  }

  void set_health(health_status s, std::string n) {
    status = s;
    note = std::move(n);
    if (current != phase::running || plan.ttl_checks.empty()) return;
    schedule->heartbeat_soon();
    poke();
  }

  // A registration the agent accepted (or may have), removed without waiting: for a host that
  // cannot wait (destroyed, a cancelled stop(), a start() that failed after registering).
  void deregister_in_background() {
    if (!registered) return;
    registered = false;
    asio::co_spawn(client->pool.get_executor(), deregister_detached(client, id, opts.scope), asio::detached);
  }

  // For the destructor: stop at once, deregister in the background.
  void close() {
    closed = true;
    halt();
    close_endpoint();
    if (opts.deregister_on_stop) deregister_in_background();
  }
};

// Each operation owns a reference to the state, so destroying the host while one is pending
// cannot leave the coroutine with a dangling `this`. Cancellation is a code too: the
// operations look at their cancellation state where it matters, rather than have the next
// co_await throw operation_aborted past their clean-up. Only terminal cancellation reaches
// them (co_spawn's default filter).
namespace {
asio::awaitable<outcome> run_start(std::shared_ptr<service_host_state> s) {
  co_await asio::this_coro::throw_if_cancelled(false);
  co_return co_await s->start();
}
asio::awaitable<outcome> run_stop(std::shared_ptr<service_host_state> s) {
  co_await asio::this_coro::throw_if_cancelled(false);
  co_return co_await s->stop();
}
asio::awaitable<outcome> run_maintenance(std::shared_ptr<service_host_state> s, bool enable, std::string reason) {
  co_await asio::this_coro::throw_if_cancelled(false);
  co_return co_await s->maintenance(enable, std::move(reason));
}
}  // namespace

void service_host_start(service_host_state& s, completion_handler<void> h) {
  spawn_coded<void>(s.client->pool.get_executor(), run_start(s.shared_from_this()), std::move(h));
}

void service_host_stop(service_host_state& s, completion_handler<void> h) {
  spawn_coded<void>(s.client->pool.get_executor(), run_stop(s.shared_from_this()), std::move(h));
}

void service_host_maintenance(service_host_state& s, bool enable, std::string reason, completion_handler<void> h) {
  spawn_coded<void>(s.client->pool.get_executor(), run_maintenance(s.shared_from_this(), enable, std::move(reason)),
                        std::move(h));
}

}  // namespace detail

service_host::service_host(const client& c, service_host_options opts) {
  detail::validate(opts);
  state_ = std::make_shared<detail::service_host_state>(detail::client_access::state(c), std::move(opts));
}

service_host::~service_host() {
  if (state_) state_->close();
}

void service_host::set_health(health_status status, std::string note) {
  if (status == health_status::maintenance)
    throw error(make_error_code(errc::invalid_argument),
                diagnostics{0, "service_host: set_health(maintenance) is not a health status; use maintenance()"});
  state_->set_health(status, std::move(note));
}

health_status service_host::health() const noexcept { return state_->status; }

const std::string& service_host::service_id() const noexcept { return state_->id; }

std::uint16_t service_host::health_port() const noexcept {
  return state_->endpoint ? state_->endpoint->port() : 0;
}

std::string service_host::health_url() const { return state_->endpoint ? state_->endpoint->url() : std::string(); }

bool service_host::running() const noexcept { return state_->current == detail::service_host_state::phase::running; }

service_host_stats service_host::stats() const {
  auto s = state_->stats;
  s.health_requests = state_->earlier_health_requests + (state_->endpoint ? state_->endpoint->requests() : 0);
  return s;
}

}  // namespace coconsul
