// The log tap (see log_tap.hpp): per-reader bounded queues and one wake-up event.

#include "dev_agent/common/log_tap.hpp"

#include <boost/asio/this_coro.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/object.hpp>

#include <algorithm>

namespace coconsul::dev {
namespace asio = boost::asio;

namespace {

// hclog's JSON level names.
const char* json_level(log_level l) {
  switch (l) {
    case log_level::trace: return "trace";
    case log_level::debug: return "debug";
    case log_level::info: return "info";
    case log_level::warn: return "warn";
    case log_level::error: return "error";
    case log_level::off: break;
  }
  return "";
}

}  // namespace

log_tap::log_tap(const asio::any_io_executor& ex) : wake_(ex) {}

log_tap::reader::~reader() {
  if (tap) tap->readers_.erase(pos);
}

log_tap::subscription log_tap::subscribe(log_level level, bool json) {
  auto r = std::make_shared<reader>();
  r->level = level;
  r->json = json;
  if (closed_) return r;  // never attached: next() returns at once
  r->tap = this;
  r->pos = readers_.insert(readers_.end(), r.get());
  return r;
}

asio::awaitable<std::string> log_tap::next(const subscription& r) {
  for (;;) {
    if (!r->lines.empty()) {
      std::string out;
      out.reserve(r->queued_bytes);
      for (auto& line : r->lines) out += line;
      r->lines.clear();
      r->queued_bytes = 0;
      co_return out;
    }
    if (closed_ || !r->tap) co_return std::string();
    co_await wake_.wait();
    asio::cancellation_state state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none) co_return std::string();
  }
}

void log_tap::publish(log_level level, std::string_view stamp, std::string_view text_line,
                      std::string_view component, std::string_view message) {
  if (closed_ || readers_.empty()) return;
  std::string json_line;
  bool woke = false;
  for (reader* r : readers_) {
    if (level < r->level || r->level == log_level::off) continue;
    if (r->json && json_line.empty()) {
      // hclog's JSON keys, sorted as its encoder writes them.
      boost::json::object o;
      o["@level"] = json_level(level);
      o["@message"] = message;
      o["@module"] = component;
      o["@timestamp"] = stamp;
      json_line = boost::json::serialize(o);
      json_line += '\n';
    }
    std::string line = r->json ? json_line : std::string(text_line) + '\n';
    // The oldest lines make room (a line larger than the whole budget is kept alone).
    while (!r->lines.empty() &&
           (r->lines.size() >= max_queued_lines || r->queued_bytes + line.size() > max_queued_bytes)) {
      r->queued_bytes -= r->lines.front().size();
      r->lines.pop_front();
      ++r->dropped;
    }
    r->queued_bytes += line.size();
    r->lines.push_back(std::move(line));
    woke = true;
  }
  if (woke) wake_.notify();
}

log_level log_tap::lowest() const {
  log_level low = log_level::off;
  for (const reader* r : readers_) low = std::min(low, r->level);
  return low;
}

void log_tap::close() {
  closed_ = true;
  for (reader* r : readers_) r->tap = nullptr;
  readers_.clear();
  wake_.notify();
}

}  // namespace coconsul::dev
