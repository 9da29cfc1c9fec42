// agent_api::monitor: the agent's log lines read from GET /v1/agent/monitor's chunked body as
// it arrives (agent_stream), one line per next(). A library coroutine presented as an operation
// by spawn_coded; failures are codes.
#include <coconsul/agent.hpp>

#include "client/agent_stream.hpp"
#include "client/coded.hpp"

namespace coconsul::detail {
namespace asio = boost::asio;

struct monitor_state : std::enable_shared_from_this<monitor_state> {
  monitor_state(std::shared_ptr<client_state> st, monitor_options o) : stream(std::move(st)), opts(std::move(o)) {}
  agent_stream stream;
  monitor_options opts;
};

std::shared_ptr<monitor_state> make_monitor(std::shared_ptr<client_state> st, monitor_options opts) {
  return std::make_shared<monitor_state>(std::move(st), std::move(opts));
}

namespace {

protocol::request_builder monitor_request(const monitor_state& s) {
  protocol::request_builder b(http::verb::get, "/v1/agent/monitor");
  b.param_if("loglevel", s.opts.log_level);
  if (s.opts.json) b.param("logjson", "true");
  b.write(s.opts.scope, s.stream.st->cfg);
  return b;
}

asio::awaitable<coded<std::string>> next_line(std::shared_ptr<monitor_state> s) {
  agent_stream& in = s->stream;
  if (!in.ended && !in.open_now()) {
    std::function<protocol::request_builder()> make = [&s] { return monitor_request(*s); };
    co_await in.open(std::move(make));
  }
  for (;;) {
    if (in.ended) co_return failed<std::string>(in.ended, in.ended_diag);
    if (auto nl = in.pending.find('\n'); nl != std::string::npos) {
      coded<std::string> line;
      line.value = in.pending.substr(0, nl);
      in.pending.erase(0, nl + 1);
      co_return line;
    }
    error_code ec = co_await in.read_more("a monitor line");
    if (ec == asio::error::eof) {
      if (!in.pending.empty()) {  // a last line without its newline
        coded<std::string> line;
        line.value = std::move(in.pending);
        in.pending.clear();
        co_return line;
      }
      in.end(ec, diagnostics{0, "the agent ended the monitor stream"});
    }
  }
}

}  // namespace

void monitor_next(monitor_state& s, completion_handler<std::string> h) {
  auto ex = s.stream.st->pool.get_executor();
  spawn_coded<std::string>(std::move(ex), next_line(s.shared_from_this()), std::move(h));
}

}  // namespace coconsul::detail
