#pragma once
// What every endpoint group shares: the configuration and the connection pool.

#include <coconsul/client.hpp>
#include <coconsul/config.hpp>

#include "client/token_source.hpp"
#include "http/transport.hpp"

#include <memory>

namespace coconsul::detail {

struct watch_registry;

inline config without_token(config c) {
  c.token.clear();
  return c;
}

struct client_state : std::enable_shared_from_this<client_state> {
  // The pool gets no token: request building adds the one current when each request is built
  // (cfg.token, kept current by `tokens`), so that a request in flight keeps its own.
  client_state(boost::asio::any_io_executor ex, config c)
      : cfg(std::move(c)), tokens(cfg), pool(std::move(ex), without_token(cfg)) {}

  // Before a request is built: cfg.token up to date (the token file re-read if it changed). On
  // failure nothing may be sent.
  error_code refresh_token(diagnostics& diag) { return tokens.refresh(cfg.token, diag); }

  config cfg;
  token_source tokens;
  http::pool pool;
  std::shared_ptr<watch_registry> watches;  // made on the first watch (src/watch/registry.hpp)
};

// For library parts built on the client (locks, watches, the service host).
struct client_access {
  static const std::shared_ptr<client_state>& state(const client& c) { return c.state_; }
};

}  // namespace coconsul::detail
