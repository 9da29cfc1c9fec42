// coconsul::dev_agent: wires the dev agent's layers. Data flows down: the HTTP server (http/)
// hands each request to the endpoints' dispatch (endpoints/), which reads and writes the store
// (store/) and asks the agent-local side (local/); the local side writes the store; every write
// wakes the blocking queries watching what it touched.

#include <coconsul/dev_agent.hpp>

#include "dev_agent/common/log.hpp"
#include "dev_agent/dns/responder.hpp"
#include "dev_agent/dns/server.hpp"
#include "dev_agent/common/log_tap.hpp"
#include "dev_agent/endpoints/agent_controls.hpp"
#include "dev_agent/endpoints/acl_layer.hpp"
#include "dev_agent/endpoints/acl_token_source.hpp"
#include "dev_agent/connect/connect_layer.hpp"
#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/endpoints/faults.hpp"
#include "dev_agent/http/server.hpp"
#include "dev_agent/local/local_agent.hpp"
#include "dev_agent/store/store.hpp"

#include <coconsul/error.hpp>

#include <boost/asio/ip/host_name.hpp>
#include <boost/asio/post.hpp>
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
        log(options),
        tap(ex),
        controls(tap),
        data(std::make_shared<store>(ex)),
        local(std::make_shared<local_agent>(ex, options, data)),
        definitions(options.reload_source),
        connect(options, data->state),
        acl(ex, options, data->state, log),
        context{options, log, data->state, data->hub, *local, faults, routes, cache, counters, definitions, controls,
                connect, acl, config_entries} {
    log.set_tap(&tap);
    // ACLs from the configuration; the agent's tokens start as configured (agent/token/store.go).
    controls.acl_enabled = options.acl.enabled;
    const auto& tokens = options.acl.tokens;
    for (const auto& [kind, value] : {std::pair{"default", &tokens.default_token}, std::pair{"agent", &tokens.agent},
                                      std::pair{"agent_recovery", &tokens.agent_recovery},
                                      std::pair{"replication", &tokens.replication}})
      if (!value->empty()) controls.tokens[kind] = *value;
    add_agent_routes(routes);
    add_catalog_routes(routes);
    add_health_routes(routes);
    add_kv_routes(routes);
    add_session_routes(routes);
    add_status_routes(routes);
    add_event_routes(routes);
    add_txn_routes(routes);
    add_ui_routes(routes, options.ui_enabled);
    add_agent_self_routes(routes);
    add_agent_reload_routes(routes);
    add_agent_monitor_routes(routes);
    add_agent_membership_routes(routes);
    add_agent_token_routes(routes);
    add_connect_ca_routes(routes);
    add_intention_routes(routes);
    add_connect_authorize_routes(routes);
    add_acl_token_routes(routes);
    add_acl_policy_routes(routes);
    add_acl_role_routes(routes);
    add_acl_auth_method_routes(routes);
    add_acl_bootstrap_routes(routes);
    add_acl_login_routes(routes);
    add_config_entry_routes(routes);
    add_gateway_service_routes(routes);
    add_discovery_chain_routes(routes);
    add_prepared_query_routes(routes);
  }

  // Closes the listener and every connection, ends blocking queries and monitor streams, stops
  // the local agent's tasks. Idempotent.
  void stop() {
    if (stopped) return;
    stopped = true;
    if (http) http->stop();
    if (dns) dns->stop();
    tap.close();
    acl.stop();
    data->hub.close();
    local->stop();
  }

  boost::asio::any_io_executor ex;
  dev_agent_options options;
  logger log;
  log_tap tap;
  agent_controls controls;
  std::function<void()> on_leave;  // dev_agent::on_leave
  std::shared_ptr<store> data;
  std::shared_ptr<local_agent> local;
  fault_state faults;
  route_table routes;
  agent_cache cache;
  agent_counters counters;
  config_definitions definitions;
  connect::connect_layer connect;
  acl_layer acl;
  config_entry_state config_entries;
  endpoint_context context;
  std::unique_ptr<server> http;
  std::unique_ptr<dns::responder> dns_answers;
  std::unique_ptr<dns::server> dns;
  bool stopped = false;
  bool started = false;
};

}  // namespace dev

dev_agent::dev_agent(boost::asio::any_io_executor ex, dev_agent_options options)
    : layers_(std::make_shared<dev::agent_layers>(std::move(ex), std::move(options))) {}

dev_agent::~dev_agent() { stop(); }

void dev_agent::start() {
  auto& a = *layers_;
  if (a.http || a.started) return;
  a.started = true;
  // Each connection holds a copy of the handler, so the layers outlive every request in flight
  // (server::stop() drops the server's own copy).
  std::shared_ptr<dev::agent_layers> self = layers_;
  dev::request_handler handler = [self](dev::http_request& req) { return dev::dispatch(self->context, req); };
  dev::fault_state* faults = &a.faults;
  auto cut_off_next = [faults] { return faults->take_drop(); };
  if (a.options.serve_http) {  // Consul's ports.http = -1: no HTTP listener
    a.http = std::make_unique<dev::server>(a.ex, std::move(handler), std::move(cut_off_next),
                                           a.options.limits);
    a.http->listen(a.options.bind_address, a.options.port);
    a.counters.http_port = a.http->port();
  }
  if (a.options.dns_port) {
    // The DNS server never calls its handler after stop(), which comes before the layers go.
    // Every lookup acts with the agent's default token, as Consul's DNS does; a prepared query
    // with a token of its own runs with that one. The gateways' config entries serve .ingress.
    dev::dns::lookup_sources more;
    more.config_entries = &a.config_entries;
    more.by_secret = [&a](const std::string& secret) -> std::optional<dev::acl::authorizer> {
      auto resolved = a.acl.authorize(secret, a.controls);
      if (auto* token = std::get_if<dev::acl::resolved_token>(&resolved)) return std::move(token->authz);
      return std::nullopt;
    };
    dev::dns::token_authorizer authorize = [&a, by_secret = more.by_secret]() {
      return by_secret(dev::default_secret(a.controls));
    };
    a.dns_answers = std::make_unique<dev::dns::responder>(a.data->state, a.options, std::move(authorize), std::move(more));
    dev::dns::responder* answers = a.dns_answers.get();
    dev::dns::message_handler on_message = [answers](std::span<const std::uint8_t> m, dev::dns::transport t) {
      return answers->respond(m, t);
    };
    a.dns = std::make_unique<dev::dns::server>(a.ex, std::move(on_message));
    a.dns->listen(a.options.bind_address, *a.options.dns_port);
  }
  // Consul's leader sets up the ACL system (initializeACLs) before it registers itself.
  if (a.controls.acl_enabled) a.acl.initialize();
  a.local->start();
  // Definitions from config files, registered as PUT /v1/agent/service/register would.
  try {
    a.definitions.apply(*a.local, a.data->state, a.options.node_name, a.options.service_definitions,
                        a.options.check_definitions);
  } catch (const dev::definition_error& e) {
    stop();
    throw error(make_error_code(errc::invalid_argument), diagnostics{0, e.what()});
  }
  // PUT /v1/agent/leave, once its 200 is written: the agent stops, then the embedding program
  // hears of it. Posted, so the server is not stopped from inside its own connection's code.
  std::weak_ptr<dev::agent_layers> weak = layers_;
  a.controls.leave = [weak] {
    auto layers = weak.lock();
    if (!layers) return;
    boost::asio::post(layers->ex, [weak] {
      auto l = weak.lock();
      if (!l || l->stopped) return;
      l->log.log(dev::log_level::info, "agent", "Graceful leave complete");
      l->stop();
      if (auto notify = std::move(l->on_leave)) notify();
    });
  };
  // Consul's CA initialisation on gaining leadership, after the node's own registration: the
  // first root exists before the first request is served.
  if (auto failed = a.connect.ca.initialize()) a.log.log(dev::log_level::error, "connect.ca", "CA init failed: " + *failed);
  a.log.log(dev::log_level::info, "agent", "dev agent started: node=" + a.options.node_name +
                                          " datacenter=" + a.options.datacenter +
                                          " http=" + (a.http ? a.http->address() : std::string("off")));
}

void dev_agent::reload() {
  auto& a = *layers_;
  try {
    a.definitions.reload(*a.local, a.data->state, a.options.node_name);
  } catch (const coconsul::error&) {
    throw;
  } catch (const std::exception& e) {
    throw error(make_error_code(errc::invalid_argument), diagnostics{0, e.what()});
  }
}

void dev_agent::stop() {
  if (layers_) layers_->stop();
}

void dev_agent::on_leave(std::function<void()> callback) { layers_->on_leave = std::move(callback); }
bool dev_agent::left() const { return layers_->controls.leaving && layers_->stopped; }
std::size_t dev_agent::monitor_readers() const { return layers_->tap.readers(); }
void dev_agent::set_acl_enabled(bool enabled) {
  layers_->controls.acl_enabled = enabled;
  if (enabled) layers_->acl.initialize();
}
std::string dev_agent::agent_token(const std::string& kind) const {
  auto it = layers_->controls.tokens.find(kind);
  return it == layers_->controls.tokens.end() ? std::string() : it->second;
}

std::string dev_agent::address() const { return layers_->http ? layers_->http->address() : std::string(); }
std::uint16_t dev_agent::port() const { return layers_->http ? layers_->http->port() : 0; }
std::uint16_t dev_agent::dns_port() const { return layers_->dns ? layers_->dns->port() : 0; }
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

void dev_agent::lose_server_contact() {
  if (!layers_->faults.server_contact_lost_since) layers_->faults.server_contact_lost_since = std::chrono::steady_clock::now();
}

void dev_agent::restore_server_contact() { layers_->faults.server_contact_lost_since.reset(); }

void dev_agent::clear_faults() { layers_->faults.clear(); }

}  // namespace coconsul
