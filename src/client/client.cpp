#include <coconsul/client.hpp>

#include "client/client_state.hpp"

namespace coconsul {

client::client(executor_type ex, config cfg)
    : state_(std::make_shared<detail::client_state>(std::move(ex), std::move(cfg))) {}

client::client(boost::asio::io_context& ioc, config cfg) : client(ioc.get_executor(), std::move(cfg)) {}

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

status_api client::status() const { return status_api(state_); }

const config& client::get_config() const noexcept { return state_->cfg; }

client::executor_type client::get_executor() const noexcept { return state_->pool.get_executor(); }

void client::close() { state_->pool.close(); }

}  // namespace coconsul
