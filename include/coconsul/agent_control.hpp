#pragma once
// Controlling the agent itself (agent_api's join, leave, force_leave, reload, node maintenance,
// tokens) and the agent's endless answers: its log as it is written (agent_api::monitor, a
// log_monitor) and its metrics once per interval (agent_api::stream_metrics, a metrics_stream):
// the option types and the streams' handles. The operations are agent_api members (agent.hpp).

#include <coconsul/async.hpp>
#include <coconsul/model/agent_host.hpp>
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
struct metrics_stream_state;
void metrics_stream_next(metrics_stream_state&, completion_handler<agent_metrics>);
}  // namespace detail

// The agent's metrics at the end of each telemetry interval (GET /v1/agent/metrics/stream;
// Consul's interval is 10 s), one summary per next(): the same agent_metrics as
// agent_api::metrics, over that interval. The stream opens on the first next(), which fails
// with the agent's answer (403 without agent:read when ACLs are on); the agent ending the
// stream is boost::asio::error::eof; a summary that is not Consul's JSON is errc::decode_error
// and ends the stream. Summaries that arrive while nobody calls next() wait in the connection's
// buffers. Cancellation (terminal, partial and total) closes the stream: later next() calls fail
// with operation_aborted. Destroying the metrics_stream closes it too.
class metrics_stream {
 public:
  metrics_stream() = default;

  template <class Token = use_awaitable_t>
  auto next(Token&& token = {}) {
    return detail::launch<agent_metrics>(std::forward<Token>(token), &detail::metrics_stream_next, state_);
  }

 private:
  friend class agent_api;
  explicit metrics_stream(std::shared_ptr<detail::metrics_stream_state> s) : state_(std::move(s)) {}
  std::shared_ptr<detail::metrics_stream_state> state_;
};

namespace detail {
std::shared_ptr<metrics_stream_state> make_metrics_stream(std::shared_ptr<client_state>, write_options);
std::shared_ptr<monitor_state> make_monitor(std::shared_ptr<client_state>, monitor_options);
void agent_join(client_state&, std::string, join_options, write_options, completion_handler<void>);
void agent_leave(client_state&, write_options, completion_handler<void>);
void agent_force_leave(client_state&, std::string, force_leave_options, write_options, completion_handler<void>);
void agent_reload(client_state&, write_options, completion_handler<void>);
void agent_node_maintenance(client_state&, bool, std::string, write_options, completion_handler<void>);
void agent_update_token(client_state&, agent_token_kind, std::string, write_options, completion_handler<void>);
}  // namespace detail

}  // namespace coconsul
