#pragma once
// Controlling the agent itself (agent_api's join, leave, force_leave, reload, node maintenance,
// tokens) and reading its log as it is written (agent_api::monitor, a log_monitor): the option
// types and the monitor's handle. The operations are agent_api members (agent.hpp).

#include <coconsul/async.hpp>
#include <coconsul/query.hpp>

#include <memory>
#include <string>

namespace coconsul {

// Which gossip pool a join or force-leave addresses (Consul's ?wan).
struct join_options {
  bool wan = false;
};

struct force_leave_options {
  bool prune = false;  // forget the node at once instead of after the reconnect timeout (?prune)
  bool wan = false;    // the WAN pool only, where nodes are named "<node>.<dc>" (?wan)
};

// The agent's ACL tokens that PUT /v1/agent/token/<kind> sets (Consul's current names).
enum class agent_token_kind { default_token, agent, agent_recovery, replication };

struct monitor_options {
  std::string log_level;  // "trace", "debug", "info" (the agent's default when empty), "warn", "err"/"error"
  bool json = false;      // each line a JSON object (Consul's ?logjson)
  write_options scope;    // datacenter and token
};

namespace detail {
struct client_state;
struct monitor_state;
void monitor_next(monitor_state&, completion_handler<std::string>);
}  // namespace detail

// The agent's log lines as they are written (GET /v1/agent/monitor), one next() at a time,
// like a watch's next(). The stream opens on the first next(), which fails with the agent's
// answer (errc::bad_request "Unknown log level: x"); the agent ending the stream (it stopped or
// left) is boost::asio::error::eof. Lines that arrive while nobody calls next() wait in the
// connection's buffers, and the agent drops the oldest when its queue for this reader fills.
// Cancellation (terminal, partial and total) closes the stream: later next() calls fail with
// operation_aborted. Destroying the log_monitor closes it too.
class log_monitor {
 public:
  log_monitor() = default;

  // The next line, without its newline.
  template <class Token = use_awaitable_t>
  auto next(Token&& token = {}) {
    return detail::launch<std::string>(std::forward<Token>(token), &detail::monitor_next, state_);
  }

 private:
  friend class agent_api;
  explicit log_monitor(std::shared_ptr<detail::monitor_state> s) : state_(std::move(s)) {}
  std::shared_ptr<detail::monitor_state> state_;
};

namespace detail {
std::shared_ptr<monitor_state> make_monitor(std::shared_ptr<client_state>, monitor_options);
void agent_join(client_state&, std::string, join_options, write_options, completion_handler<void>);
void agent_leave(client_state&, write_options, completion_handler<void>);
void agent_force_leave(client_state&, std::string, force_leave_options, write_options, completion_handler<void>);
void agent_reload(client_state&, write_options, completion_handler<void>);
void agent_node_maintenance(client_state&, bool, std::string, write_options, completion_handler<void>);
void agent_update_token(client_state&, agent_token_kind, std::string, write_options, completion_handler<void>);
}  // namespace detail

}  // namespace coconsul
