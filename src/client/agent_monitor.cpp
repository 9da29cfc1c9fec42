// agent_api::monitor: the agent's log lines read from GET /v1/agent/monitor's chunked body as
// it arrives (http::body_stream), one line per next(). A library coroutine presented as an
// operation by spawn_coded; failures are codes.
#include <coconsul/agent.hpp>

#include "client/coded.hpp"
#include "client/operation.hpp"
#include "protocol/request.hpp"
#include "protocol/response.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <optional>

namespace coconsul::detail {
namespace asio = boost::asio;

struct monitor_state : std::enable_shared_from_this<monitor_state> {
  std::shared_ptr<client_state> st;
  monitor_options opts;
  std::optional<http::body_stream> stream;  // open after the first next()
  std::string pending;                      // bytes after the last whole line
  error_code ended;                         // once set, every next() fails with it
  diagnostics ended_diag;
};

std::shared_ptr<monitor_state> make_monitor(std::shared_ptr<client_state> st, monitor_options opts) {
  auto s = std::make_shared<monitor_state>();
  s->st = std::move(st);
  s->opts = std::move(opts);
  return s;
}

namespace {

// An error answer's body arrives through the stream too: read it (bounded) for its text.
asio::awaitable<void> read_rest(http::body_stream& stream, std::string& body, std::size_t limit) {
  diagnostics ignored;
  while (body.size() < limit) {
    auto [ec, piece] = co_await stream.async_read(ignored, asio::as_tuple(asio::use_awaitable));
    if (ec) break;
    body += piece;
  }
}

asio::awaitable<coded<std::string>> open(monitor_state& s) {
  if (diagnostics diag; auto ec = s.st->refresh_token(diag)) co_return failed<std::string>(ec, std::move(diag));
  protocol::request_builder b(http::verb::get, "/v1/agent/monitor");
  b.param_if("loglevel", s.opts.log_level);
  if (s.opts.json) b.param("logjson", "true");
  b.write(s.opts.scope, s.st->cfg);
  if (const auto& refused = b.refused()) co_return failed<std::string>(refused.code(), refused.diag());
  http::request req = std::move(b).finish();
  diagnostics diag;
  auto [ec, head, stream] =
      co_await s.st->pool.async_open_stream(std::move(req), diag, asio::as_tuple(asio::use_awaitable));
  if (ec) co_return failed<std::string>(ec, std::move(diag));
  if (head.status < 200 || head.status >= 300) {
    co_await read_rest(stream, head.body, s.st->cfg.limits.max_body_bytes);
    auto refused = protocol::check_status(head, diag);
    co_return failed<std::string>(refused, std::move(diag));
  }
  s.pending = std::move(head.body);
  s.stream.emplace(std::move(stream));
  co_return coded<std::string>();
}

asio::awaitable<coded<std::string>> next_line(std::shared_ptr<monitor_state> s) {
  if (s->ended) co_return failed<std::string>(s->ended, s->ended_diag);
  auto end = [&s](error_code ec, diagnostics d) {
    s->ended = ec;
    s->ended_diag = d;
    s->stream.reset();  // closes the connection
    return failed<std::string>(ec, std::move(d));
  };
  if (!s->stream) {
    coded<std::string> opened = co_await open(*s);
    if (opened.ec) co_return end(opened.ec, std::move(opened.diag));
  }
  for (;;) {
    if (auto nl = s->pending.find('\n'); nl != std::string::npos) {
      coded<std::string> line;
      line.value = s->pending.substr(0, nl);
      s->pending.erase(0, nl + 1);
      co_return line;
    }
    // One line may not grow past what the client takes as a whole body.
    if (s->pending.size() > s->st->cfg.limits.max_body_bytes)
      co_return end(make_error_code(errc::body_too_large),
                    diagnostics{0, "a monitor line exceeds the limit of " +
                                       std::to_string(s->st->cfg.limits.max_body_bytes) + " bytes"});
    diagnostics diag;
    auto [ec, piece] = co_await s->stream->async_read(diag, asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::eof) {
      if (!s->pending.empty()) {  // a last line without its newline
        coded<std::string> line;
        line.value = std::move(s->pending);
        s->pending.clear();
        co_return line;
      }
      co_return end(ec, diagnostics{0, "the agent ended the monitor stream"});
    }
    if (ec) co_return end(ec, std::move(diag));
    s->pending += piece;
  }
}

}  // namespace

void monitor_next(monitor_state& s, completion_handler<std::string> h) {
  auto ex = s.st->pool.get_executor();
  spawn_coded<std::string>(std::move(ex), next_line(s.shared_from_this()), std::move(h));
}

}  // namespace coconsul::detail
