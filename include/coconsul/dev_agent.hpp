#pragma once
// coconsul::dev_agent: a single-node, in-memory, Consul-compatible HTTP agent, like
// `consul agent -dev`, for development and tests. Never a production server: production is a
// real Consul cluster.
//
// It runs on the caller's executor (nothing spawns threads), listens on 127.0.0.1 on a given or
// ephemeral port, and speaks Consul's HTTP API v1 with Consul's JSON shapes, status codes,
// error texts, blocking queries, check runners and reaper. docs/dev-agent.md lists every endpoint
// and each difference from Consul.

#include <coconsul/dev_agent_options.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace coconsul {

namespace dev {
struct agent_layers;
}

// Thread safety: the agent's own work runs on a strand of `ex`; call its member functions from a
// thread that runs that executor, or while it is not running. Destroy the agent before the
// execution context it runs on.
class dev_agent {
 public:
  // The agent's sockets, timers and check runners use `ex` (through a strand).
  explicit dev_agent(boost::asio::any_io_executor ex, dev_agent_options options = {});
  // Stops the agent (see stop()).
  ~dev_agent();
  dev_agent(const dev_agent&) = delete;
  dev_agent& operator=(const dev_agent&) = delete;

  // Binds and starts accepting. Throws coconsul::error (errc::invalid_address when the bind
  // address does not parse, or the system error when binding fails).
  void start();
  // Closes the listener and every connection, ends blocking queries, stops check runners,
  // session timers and the reaper. Idempotent. Pending work on the executor finishes promptly.
  void stop();

  // Re-applies the service and check definitions of options.reload_source, as PUT
  // /v1/agent/reload does: those gone are deregistered, changed ones registered again. Throws
  // coconsul::error (errc::invalid_argument) with the reason, and then changes nothing.
  void reload();

  // "127.0.0.1:8500": the address the agent listens on (valid after start()).
  std::string address() const;
  std::uint16_t port() const;
  // The port of the DNS server (UDP and TCP) after start(); 0 when options.dns_port is nullopt.
  std::uint16_t dns_port() const;
  // "http://127.0.0.1:8500".
  std::string http_address() const;
  const std::string& node_name() const;
  const std::string& datacenter() const;
  // The last index written (Consul's raft index).
  std::uint64_t last_index() const;
  // How many blocking queries are waiting right now (a query whose client hung up is not
  // counted: it ends as soon as the agent sees the connection close).
  std::size_t waiting_queries() const;
  // The client connections currently open on the agent's HTTP listener: counted from when the
  // agent starts serving an accepted connection until it closes it (after the client hangs up,
  // a read or write fails, or stop()). 0 before start().
  std::size_t open_connections() const;

  // PUT /v1/agent/leave: the agent answers 200, then leaves and stops (as stop()), then calls
  // `callback` once, on its executor: the embedding program's cue to exit, as `consul agent`
  // exits after a leave.
  void on_leave(std::function<void()> callback);
  // Whether the agent has left (PUT /v1/agent/leave) and stopped.
  bool left() const;
  // Readers of GET /v1/agent/monitor still subscribed (0 once their clients have hung up).
  std::size_t monitor_readers() const;
  // ACLs are off in dev mode (dev_agent_options::acl.enabled turns them on from the start), and
  // /v1/acl/* and PUT /v1/agent/token answer Consul's 401 then. Turning them on writes the
  // builtin policy and tokens once (docs/acl.md). PUT /v1/agent/token stores the token, which
  // agent_token() returns ("" when unset; the configured acl.tokens.* at start):
  // kind is Consul's current name, "default", "agent", "agent_recovery" or "replication".
  void set_acl_enabled(bool enabled);
  std::string agent_token(const std::string& kind) const;

  // --- fault injection, for tests (call from the executor's thread) ---
  // Delays every response by `delay` (0 to stop).
  void inject_latency(std::chrono::milliseconds delay);
  // The next `count` requests get `http_status` (500: "Internal error" text; 429: empty body, as
  // Consul's rate limiter).
  void fail_next_requests(unsigned http_status, std::size_t count);
  // A fraction (0..1) of requests get `http_status`, until clear_faults().
  void fail_fraction_of_requests(unsigned http_status, double fraction);
  // The next `count` responses are cut off: the status line and half the headers are written,
  // then the connection is closed.
  void drop_next_responses(std::size_t count);
  // Moves every index forward `times` times without changing any content: blocking queries
  // (KV ones too) wake and return the same data under a higher index. The way to wake watchers
  // without a change: a write that changes nothing moves no index, as in Consul.
  void churn_index(std::size_t times = 1);
  // Makes every index go back to `to` (at least 1), as after a snapshot restore; blocking
  // queries return at once, as Consul's do when its state store is abandoned.
  void reset_index(std::uint64_t to = 1);
  // The agent plays a client agent that has lost contact with its servers: every request that
  // needs them (all but the agent-local /v1/agent/* ones) fails with Consul's 500 "No known
  // Consul servers", and ?cached reads answer from the agent cache as Consul's do (a background-
  // refresh entry with the Age since the loss; a simple one within `stale-if-error`).
  void lose_server_contact();
  void restore_server_contact();
  // Ends latency, forced statuses, drops and a lost contact.
  void clear_faults();

 private:
  std::shared_ptr<dev::agent_layers> layers_;
};

}  // namespace coconsul
