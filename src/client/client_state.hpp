#pragma once
// What every endpoint group shares: the configuration and the connection pool.

#include <coconsul/config.hpp>

#include "http/transport.hpp"

namespace coconsul::detail {

struct client_state {
  client_state(boost::asio::any_io_executor ex, config c) : cfg(std::move(c)), pool(std::move(ex), cfg) {}

  config cfg;
  http::pool pool;
};

}  // namespace coconsul::detail
