#pragma once
// What every endpoint group shares: the configuration and the connection pool.

#include <coconsul/client.hpp>
#include <coconsul/config.hpp>

#include "http/transport.hpp"

#include <memory>

namespace coconsul::detail {

struct watch_registry;

struct client_state : std::enable_shared_from_this<client_state> {
  client_state(boost::asio::any_io_executor ex, config c) : cfg(std::move(c)), pool(std::move(ex), cfg) {}

  config cfg;
  http::pool pool;
  std::shared_ptr<watch_registry> watches;  // made on the first watch (src/watch/registry.hpp)
};

// For library parts built on the client (locks, watches, the service host).
struct client_access {
  static const std::shared_ptr<client_state>& state(const client& c) { return c.state_; }
};

}  // namespace coconsul::detail
