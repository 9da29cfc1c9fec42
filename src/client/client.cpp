// coconsul::client: owns the shared state (configuration, connection pool), hands out the API
// objects, closes the pool when it goes.
#include <coconsul/client.hpp>
#include <coconsul/lock.hpp>

#include "client/client_state.hpp"
#include "core/text.hpp"

namespace coconsul {

client::client(executor_type ex, coconsul::config cfg)
    : state_(std::make_shared<detail::client_state>(std::move(ex), std::move(cfg))) {}

client::client(boost::asio::io_context& ioc, coconsul::config cfg) : client(ioc.get_executor(), std::move(cfg)) {}

client::~client() {
  if (state_) state_->pool.close();
}

client::client(client&&) noexcept = default;

client& client::operator=(client&& other) noexcept {
  if (this != &other) {
    if (state_) state_->pool.close();
    state_ = std::move(other.state_);
  }
  return *this;
}

agent_api client::agent() const { return agent_api(state_); }
catalog_api client::catalog() const { return catalog_api(state_); }
health_api client::health() const { return health_api(state_); }
kv_api client::kv() const { return kv_api(state_); }
session_api client::session() const { return session_api(state_); }
status_api client::status() const { return status_api(state_); }
event_api client::event() const { return event_api(state_); }
txn_api client::txn() const { return txn_api(state_); }

acl_api client::acl() const { return acl_api(state_); }
prepared_query_api client::prepared_queries() const { return prepared_query_api(state_); }

void client::set_token(std::string token) {
  if (core::has_control(token))
    throw error(make_error_code(errc::invalid_argument), diagnostics{0, "the token contains control characters"});
  state_->tokens.set(token);
  state_->cfg.token = std::move(token);
}

client_stats client::stats() const noexcept {
  const auto p = state_->pool.stats();
  return {p.open_connections, p.idle_connections, p.waiting_requests, p.connections_opened, p.requests_sent, p.retries};
}

const config& client::get_config() const noexcept { return state_->cfg; }

client::executor_type client::get_executor() const noexcept { return state_->pool.get_executor(); }

void client::close() { state_->pool.close(); }

std::shared_ptr<detail::client_state> detail::state_of(const client& c) { return client_access::state(c); }

}  // namespace coconsul
