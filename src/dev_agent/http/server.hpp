#pragma once
// The dev agent's HTTP/1.1 server (Beast, plain TCP): accepts connections, reads requests, hands
// them to a handler and writes the responses, keep-alive included. The only Beast server code
// of the agent, and the one place that bounds what a request and a client may cost
// (dev_agent_options::http_limits); it knows nothing of Consul (the handler does).

#include "dev_agent/http/message.hpp"

#include <coconsul/dev_agent_options.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace coconsul::dev {

// Answers one request. Cancellation: when the client hangs up while its request is being
// handled, the server emits a terminal cancellation on the coroutine serving the connection, so
// whatever the handler awaits (a blocking query's wait) completes with operation_aborted.
// Each connection keeps a copy of the handler (and what it holds) until it closes.
using request_handler = std::function<boost::asio::awaitable<http_response>(http_request&)>;

class server {
 public:
  // `cut_off_next()` is asked before each response is written (fault injection): true writes
  // the status line and half the headers, then closes the connection.
  server(boost::asio::any_io_executor ex, request_handler handler, std::function<bool()> cut_off_next,
         const dev_agent_options::http_limits& limits);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Binds and listens. Throws coconsul::error.
  void listen(const std::string& address, std::uint16_t port);
  // Closes the listener and every connection, and drops the handler.
  void stop();
  std::string address() const;  // "ip:port"
  std::uint16_t port() const;
  // Connections accepted and not yet closed by either side.
  std::size_t open_connections() const;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace coconsul::dev
