// GET /v1/agent/monitor: the agent's log lines streamed as they occur, at the reader's level,
// as text or JSON (?logjson), until the client hangs up or the agent stops.

#include "dev_agent/endpoints/agent_controls.hpp"
#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/responders.hpp"

#include <algorithm>
#include <cctype>
#include <memory>

namespace coconsul::dev {
namespace asio = boost::asio;

namespace {

// Consul's logging.ValidateLogLevel: TRACE, DEBUG, INFO, WARN, ERR, ERROR in any case.
std::optional<log_level> monitor_level(const std::string& text) {
  std::string up;
  for (char ch : text) up += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (up == "TRACE") return log_level::trace;
  if (up == "DEBUG") return log_level::debug;
  if (up == "INFO") return log_level::info;
  if (up == "WARN") return log_level::warn;
  if (up == "ERR" || up == "ERROR") return log_level::error;
  return std::nullopt;
}

// One reader's subscription for as long as its stream lasts; when it ends, says how many lines
// the reader lost by falling behind, as Consul does.
struct monitor_stream {
  const logger& log;
  log_tap& tap;
  log_tap::subscription sub;

  ~monitor_stream() {
    std::size_t dropped = sub->dropped;
    sub.reset();
    if (dropped > 0)
      log.log(log_level::warn, "agent",
              "Dropped logs during monitor request: dropped_count=" + std::to_string(dropped));
  }
};

asio::awaitable<http_response> agent_monitor(endpoint_context& c, http_request& req) {
  c.caller().require(c.caller().authz().agent_read(c.options.node_name));  // before the level, as Consul
  std::string text = req.query.get_or("loglevel", "");
  if (text.empty()) text = "INFO";
  auto level = monitor_level(text);
  if (!level) throw_bad_request("Unknown log level: " + text);
  // Subscribed now, so no line between this 200 and the first read is lost.
  auto state = std::make_shared<monitor_stream>(
      monitor_stream{c.log, c.controls.tap, c.controls.tap.subscribe(*level, req.query.has("logjson"))});
  http_response resp = empty_response(200);
  // What Go's server sniffs for a handler that flushes before writing any body.
  resp.set_header("Content-Type", "text/plain; charset=utf-8");
  resp.stream = [state]() { return state->tap.next(state->sub); };
  co_return resp;
}

}  // namespace

void add_agent_monitor_routes(route_table& r) { r.add("/v1/agent/monitor", {"GET"}, &agent_monitor); }

}  // namespace coconsul::dev
