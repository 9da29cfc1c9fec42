#pragma once
// The log tap: the agent's log lines handed to live readers (GET /v1/agent/monitor), each at its
// own level and format, whatever level the agent itself logs at. Bounded: a reader that falls
// behind loses its oldest lines (counted), never makes the agent buffer without bound.

#include "dev_agent/common/log.hpp"
#include "watch/event.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <deque>
#include <list>
#include <memory>
#include <string>
#include <string_view>

namespace coconsul::dev {

class log_tap {
 public:
  // Lines a reader may have waiting; Consul's monitor keeps 512 too (agent/consul/monitor).
  static constexpr std::size_t max_queued_lines = 512;
  // And bytes: lines echo what clients send (a 60 KB join address), so 512 lines alone could
  // hold tens of megabytes per reader.
  static constexpr std::size_t max_queued_bytes = 1024 * 1024;

  struct reader;
  // A reader's subscription: unsubscribes when the last copy goes.
  using subscription = std::shared_ptr<reader>;

  explicit log_tap(const boost::asio::any_io_executor& ex);
  log_tap(const log_tap&) = delete;
  log_tap& operator=(const log_tap&) = delete;

  // Lines at `level` or above, as text (the agent's own format) or as JSON objects.
  subscription subscribe(log_level level, bool json);
  // The lines queued for `r` since the last call, each ending in '\n'; waits for the next line
  // when none is queued. Empty when the tap is closed or the wait was cancelled (the caller's
  // cancellation slot: the connection's hang-up). The count of lines dropped because the reader
  // fell behind is in `r->dropped`.
  boost::asio::awaitable<std::string> next(const subscription& r);

  // Called by logger::log for every line, whatever the agent's level.
  void publish(log_level level, std::string_view stamp, std::string_view text_line, std::string_view component,
               std::string_view message);
  // The lowest level any reader wants (off when none): what logger::enabled() must let through.
  log_level lowest() const;
  std::size_t readers() const { return readers_.size(); }
  // Ends every reader's stream (the agent stops) and refuses new lines.
  void close();
  bool closed() const { return closed_; }

  struct reader {
    log_level level;
    bool json;
    std::deque<std::string> lines;
    std::size_t queued_bytes = 0;
    std::size_t dropped = 0;
    log_tap* tap = nullptr;
    std::list<reader*>::iterator pos;
    ~reader();
  };

 private:
  std::list<reader*> readers_;
  detail::broadcast_event wake_;
  bool closed_ = false;
};

}  // namespace coconsul::dev
