// The compiled discovery chain of a service (config_api::discovery_chain): a GET, or a POST
// carrying the overrides as Consul's Go client sends them (durations in nanoseconds).
#include <coconsul/config_entries.hpp>

#include "client/interpret.hpp"
#include "client/operation.hpp"
#include "protocol/request.hpp"

#include <boost/json.hpp>

namespace coconsul::detail {

namespace {

std::string overrides_body(const discovery_chain_options& o) {
  boost::json::object body;
  if (!o.override_mesh_gateway_mode.empty())
    body["OverrideMeshGateway"] = boost::json::object{{"Mode", o.override_mesh_gateway_mode}};
  if (!o.override_protocol.empty()) body["OverrideProtocol"] = o.override_protocol;
  if (o.override_connect_timeout.count() != 0) body["OverrideConnectTimeout"] = o.override_connect_timeout.count();
  return boost::json::serialize(body);
}

// {"Chain": ...} unwrapped.
struct chain_read {
  error_code operator()(const http::response& r, diagnostics& diag, query_result<compiled_discovery_chain>& out) const {
    query_result<discovery_chain_response> whole;
    if (auto ec = json_read<discovery_chain_response>{}(r, diag, whole)) return ec;
    out.value = std::move(whole.value.chain);
    out.meta = std::move(whole.meta);
    return {};
  }
};

}  // namespace

void discovery_chain_get(client_state& st, std::string service, discovery_chain_options options, query_options o,
                         completion_handler<query_result<compiled_discovery_chain>> h) {
  run_request<query_result<compiled_discovery_chain>>(
      st, std::move(h),
      [&] {
        bool post = options.overrides();
        protocol::request_builder b(post ? http::verb::post : http::verb::get,
                                    "/v1/discovery-chain/" + protocol::percent_encode(service));
        b.require_name("service name", service);
        if (!options.compile_datacenter.empty()) b.param("compile-dc", options.compile_datacenter);
        b.read(o, st.cfg);
        if (post) {
          b.body(overrides_body(options));
          b.idempotent(true);  // a read, whatever its method
        }
        return b;
      },
      chain_read{});
}

}  // namespace coconsul::detail
