// agent_api::stream_metrics: GET /v1/agent/metrics/stream's summaries, each a JSON value
// (Go's json.Encoder writes one indented object per interval), framed by the project's
// stream parser (core/json_parse.hpp) as the bytes arrive (agent_stream) and decoded as agent_metrics.
#include <coconsul/agent.hpp>
#include <coconsul/json.hpp>

#include "client/agent_stream.hpp"
#include "client/coded.hpp"
#include "core/json_parse.hpp"
#include "core/nesting.hpp"

namespace coconsul::detail {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {
json::parse_options framing_options() {
  json::parse_options o;
  o.max_depth = core::max_nesting_depth;
  return o;
}
}  // namespace

struct metrics_stream_state : std::enable_shared_from_this<metrics_stream_state> {
  metrics_stream_state(std::shared_ptr<client_state> st, write_options w)
      : stream(std::move(st)), scope(std::move(w)), framing(framing_options()) {}
  agent_stream stream;
  write_options scope;
  core::json_parser framing;  // finds where one summary ends
  std::size_t framed = 0;       // bytes of stream.pending already given to `framing`
};

std::shared_ptr<metrics_stream_state> make_metrics_stream(std::shared_ptr<client_state> st, write_options w) {
  return std::make_shared<metrics_stream_state>(std::move(st), std::move(w));
}

namespace {

bool only_whitespace(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

asio::awaitable<coded<agent_metrics>> next_summary(std::shared_ptr<metrics_stream_state> s) {
  agent_stream& in = s->stream;
  if (!in.ended && !in.open_now()) {
    std::function<protocol::request_builder()> make = [&s] {
      protocol::request_builder b(http::verb::get, "/v1/agent/metrics/stream");
      b.write(s->scope, s->stream.st->cfg);
      return b;
    };
    co_await in.open(std::move(make));
  }
  for (;;) {
    if (in.ended) co_return failed<agent_metrics>(in.ended, in.ended_diag);
    std::string_view unframed = std::string_view(in.pending).substr(s->framed);
    if (!unframed.empty()) {
      json::error_code jec;
      s->framed += s->framing.write_some(unframed, jec);
      if (jec) {
        in.end(make_error_code(errc::decode_error),
               diagnostics{0, "the metrics stream is not JSON: " + jec.message()});
        continue;
      }
      if (s->framing.done()) {
        coded<agent_metrics> out;
        std::string_view text = std::string_view(in.pending).substr(0, s->framed);
        if (auto ec = decode_json(text, out.value, out.diag)) {
          in.end(ec, std::move(out.diag));
          continue;
        }
        in.pending.erase(0, s->framed);
        s->framed = 0;
        s->framing.reset();
        co_return out;
      }
    }
    error_code ec = co_await in.read_more("a metrics summary");
    if (ec == asio::error::eof) {
      if (only_whitespace(in.pending))
        in.end(ec, diagnostics{0, "the agent ended the metrics stream"});
      else
        in.end(make_error_code(errc::decode_error), diagnostics{0, "the metrics stream ended inside a summary"});
    }
  }
}

}  // namespace

void metrics_stream_next(metrics_stream_state& s, completion_handler<agent_metrics> h) {
  auto ex = s.stream.st->pool.get_executor();
  spawn_coded<agent_metrics>(std::move(ex), next_summary(s.shared_from_this()), std::move(h));
}

}  // namespace coconsul::detail
