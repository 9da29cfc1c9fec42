// coconsul::dev_agent: the public face over dev::core.

#include <coconsul/dev_agent.hpp>

#include "dev_agent/core.hpp"
#include "dev_agent/server.hpp"

namespace coconsul {

dev_agent::dev_agent(boost::asio::any_io_executor ex, dev_agent_options options)
    : core_(std::make_shared<dev::core>(std::move(ex), std::move(options))) {}

dev_agent::~dev_agent() { stop(); }

void dev_agent::start() {
  if (core_->http) return;
  core_->http = std::make_unique<dev::server>(*core_);
  core_->http->listen(core_->options.bind_address, core_->options.port);
  core_->start();
  core_->log.log(log_level::info, "agent", "dev agent started: node=" + core_->options.node_name +
                                              " datacenter=" + core_->options.datacenter +
                                              " http=" + core_->http->address());
}

void dev_agent::stop() {
  if (core_) core_->stop();
}

std::string dev_agent::address() const { return core_->http ? core_->http->address() : std::string(); }
std::uint16_t dev_agent::port() const { return core_->http ? core_->http->port() : 0; }
std::string dev_agent::http_address() const {
  if (!core_->http) return {};
  std::string url = "http://";  // appended piecewise: gcc 12 warns falsely (-Wrestrict) on "lit" + string&&
  url += address();
  return url;
}
const std::string& dev_agent::node_name() const { return core_->options.node_name; }
const std::string& dev_agent::datacenter() const { return core_->options.datacenter; }
std::uint64_t dev_agent::last_index() const { return core_->state.last_index(); }
std::size_t dev_agent::waiting_queries() const { return core_->hub.waiting(); }
std::size_t dev_agent::open_connections() const { return core_->http ? core_->http->open_connections() : 0; }

void dev_agent::inject_latency(std::chrono::milliseconds delay) { core_->faults.latency = delay; }

void dev_agent::fail_next_requests(unsigned http_status, std::size_t count) {
  core_->faults.fail_status = http_status;
  core_->faults.fail_remaining = count;
}

void dev_agent::fail_fraction_of_requests(unsigned http_status, double fraction) {
  core_->faults.fail_status = http_status;
  core_->faults.fail_fraction = fraction;
}

void dev_agent::drop_next_responses(std::size_t count) { core_->faults.drop_remaining = count; }

void dev_agent::churn_index(std::size_t times) {
  for (std::size_t i = 0; i < times; ++i) {
    dev::write_txn w(core_->state);
    core_->state.churn(w);
  }
}

void dev_agent::reset_index(std::uint64_t to) {
  core_->state.reset_indexes(to);
  core_->hub.abandon();
}

void dev_agent::clear_faults() { core_->faults.clear(); }

}  // namespace coconsul
