#pragma once
// The HTTP/1.1 server (Beast, plain TCP): accepts connections, reads requests, hands them to
// dispatch() and writes the responses, keep-alive included. The only Beast code of the agent.

#include <boost/asio/any_io_executor.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace coconsul::dev {

class core;

class server {
 public:
  explicit server(core& c);
  ~server();

  // Binds and listens. Throws coconsul::error.
  void listen(const std::string& address, std::uint16_t port);
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
