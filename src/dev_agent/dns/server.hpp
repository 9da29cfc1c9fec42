#pragma once
// The agent's DNS listeners: one UDP socket and one TCP acceptor on the same port (Asio), each
// message handed to a handler and its reply sent back; TCP messages length-prefixed, several per
// connection, bounded and timed out (limits.hpp). Knows nothing of DNS beyond that framing.

#include "dev_agent/dns/answer.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace coconsul::dev::dns {

// The reply to one message (nullopt: none). Never called after stop().
using message_handler =
    std::function<std::optional<std::vector<std::uint8_t>>(std::span<const std::uint8_t>, transport)>;

class server {
 public:
  // Everything runs on `ex` (the agent's strand).
  server(boost::asio::any_io_executor ex, message_handler handler);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Binds UDP and TCP on `address`:`port` (0: one ephemeral port for both) and starts serving.
  // Throws coconsul::error (errc::invalid_address, or the system error of a failed bind).
  void listen(const std::string& address, std::uint16_t port);
  // Closes both listeners and every TCP connection; the handler is not called again.
  void stop();
  std::uint16_t port() const;
  // TCP connections accepted and not yet closed.
  std::size_t open_connections() const;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace coconsul::dev::dns
