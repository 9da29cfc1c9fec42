// coconsul::dev_agent: wires the dev agent's layers. Data flows down: the HTTP server (http/)
// hands each request to the endpoints' dispatch (endpoints/), which reads and writes the store
// (store/) and asks the agent-local side (local/); the local side writes the store; every write
// wakes the blocking queries watching what it touched.

#include <coconsul/dev_agent.hpp>

#include "dev_agent/common/log.hpp"
#include "dev_agent/connect/connect_layer.hpp"
#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/endpoints/faults.hpp"
#include "dev_agent/http/server.hpp"
#include "dev_agent/local/local_agent.hpp"
#include "dev_agent/store/store.hpp"

#include <boost/asio/ip/host_name.hpp>
#include <boost/asio/strand.hpp>

namespace coconsul {
namespace dev {

namespace {
// Consul's defaults for what the options leave empty.
dev_agent_options with_defaults(dev_agent_options o) {
  if (o.node_name.empty()) {
    boost::system::error_code ec;
    o.node_name = boost::asio::ip::host_name(ec);
    if (ec || o.node_name.empty()) o.node_name = "dev";
  }
  if (o.datacenter.empty()) o.datacenter = "dc1";
  return o;
}
}  // namespace

// Owns every layer. Everything runs on one strand.
struct agent_layers {
  agent_layers(boost::asio::any_io_executor executor, dev_agent_options opts)
      : ex(boost::asio::make_strand(executor)),
        options(with_defaults(std::move(opts))),
        log(options.level, options.log_sink),
        data(std::make_shared<store>(ex)),
        local(std::make_shared<local_agent>(ex, options, data)),
        connect(options, data->state),
        context{options, log, data->state, data->hub, *local, faults, routes, connect} {
    add_agent_routes(routes);
    add_catalog_routes(routes);
    add_health_routes(routes);
    add_kv_routes(routes);
    add_session_routes(routes);
    add_status_routes(routes);
    add_event_routes(routes);
    add_txn_routes(routes);
    add_connect_ca_routes(routes);
  }

  boost::asio::any_io_executor ex;
  dev_agent_options options;
  logger log;
  std::shared_ptr<store> data;
  std::shared_ptr<local_agent> local;
  fault_state faults;
  route_table routes;
  connect::connect_layer connect;
  endpoint_context context;
  std::unique_ptr<server> http;
  bool stopped = false;
};

}  // namespace dev

dev_agent::dev_agent(boost::asio::any_io_executor ex, dev_agent_options options)
    : layers_(std::make_shared<dev::agent_layers>(std::move(ex), std::move(options))) {}

dev_agent::~dev_agent() { stop(); }

void dev_agent::start() {
  auto& a = *layers_;
  if (a.http) return;
  // Each connection holds a copy of the handler, so the layers outlive every request in flight
  // (server::stop() drops the server's own copy).
  std::shared_ptr<dev::agent_layers> self = layers_;
  dev::request_handler handler = [self](dev::http_request& req) { return dev::dispatch(self->context, req); };
  dev::fault_state* faults = &a.faults;
  auto cut_off_next = [faults] { return faults->take_drop(); };
  a.http = std::make_unique<dev::server>(a.ex, std::move(handler), std::move(cut_off_next),
                                         a.options.limits);
  a.http->listen(a.options.bind_address, a.options.port);
  a.local->start();
  // Consul's CA initialisation on gaining leadership, after the node's own registration: the
  // first root exists before the first request is served.
  if (auto failed = a.connect.ca.initialize()) a.log.log(dev::log_level::error, "connect.ca", "CA init failed: " + *failed);
  a.log.log(dev::log_level::info, "agent", "dev agent started: node=" + a.options.node_name +
                                          " datacenter=" + a.options.datacenter + " http=" + a.http->address());
}

void dev_agent::stop() {
  if (!layers_ || layers_->stopped) return;
  auto& a = *layers_;
  a.stopped = true;
  if (a.http) a.http->stop();
  a.data->hub.close();
  a.local->stop();
}

std::string dev_agent::address() const { return layers_->http ? layers_->http->address() : std::string(); }
std::uint16_t dev_agent::port() const { return layers_->http ? layers_->http->port() : 0; }
std::string dev_agent::http_address() const {
  if (!layers_->http) return {};
  std::string url = "http://";  // appended piecewise: gcc 12 warns falsely (-Wrestrict) on "lit" + string&&
  url += address();
  return url;
}
const std::string& dev_agent::node_name() const { return layers_->options.node_name; }
const std::string& dev_agent::datacenter() const { return layers_->options.datacenter; }
std::uint64_t dev_agent::last_index() const { return layers_->data->state.last_index(); }
std::size_t dev_agent::waiting_queries() const { return layers_->data->hub.waiting(); }
std::size_t dev_agent::open_connections() const { return layers_->http ? layers_->http->open_connections() : 0; }

void dev_agent::inject_latency(std::chrono::milliseconds delay) { layers_->faults.latency = delay; }

void dev_agent::fail_next_requests(unsigned http_status, std::size_t count) {
  layers_->faults.fail_status = http_status;
  layers_->faults.fail_remaining = count;
}

void dev_agent::fail_fraction_of_requests(unsigned http_status, double fraction) {
  layers_->faults.fail_status = http_status;
  layers_->faults.fail_fraction = fraction;
}

void dev_agent::drop_next_responses(std::size_t count) { layers_->faults.drop_remaining = count; }

void dev_agent::churn_index(std::size_t times) {
  auto& state = layers_->data->state;
  for (std::size_t i = 0; i < times; ++i) {
    dev::write_txn w(state);
    state.churn(w);
  }
}

void dev_agent::reset_index(std::uint64_t to) {
  layers_->data->state.reset_indexes(to);
  layers_->data->hub.abandon();
}

void dev_agent::clear_faults() { layers_->faults.clear(); }

}  // namespace coconsul
