// GET|POST /v1/discovery-chain/:service[?compile-dc=] (agent/discovery_chain_endpoint.go and
// the DiscoveryChain.Get RPC): the chain compiled from the stored config entries, POST's body
// carrying the overrides; service:read on the chain's service; blocking on the config entries.
// The compiler itself is config_entries/chain_compile.

#include "dev_agent/config_entries/chain_compile.hpp"
#include "dev_agent/config_entries/chain_render.hpp"
#include "dev_agent/config_entries/decode.hpp"
#include "dev_agent/config_entries/entry_fields.hpp"
#include "dev_agent/config_entries/schema.hpp"
#include "dev_agent/endpoints/blocking.hpp"
#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/json_in.hpp"
#include "dev_agent/http/request_values.hpp"
#include "dev_agent/http/responders.hpp"

#include <boost/json.hpp>

#include <variant>

namespace coconsul::dev {

namespace asio = boost::asio;
namespace json = boost::json;
namespace ce = config_entries;

namespace {

// discoveryChainReadRequest, decoded through mapstructure (weak types, snake_case aliases,
// durations as strings or nanoseconds).
using ce::field_type;
constexpr ce::field mesh_gateway_fields[] = {{"Mode", field_type::string}};
constexpr ce::schema mesh_gateway_schema{"MeshGatewayConfig", mesh_gateway_fields};
constexpr ce::field overrides_fields[] = {
    {"OverrideMeshGateway", field_type::object, false, &mesh_gateway_schema},
    {"OverrideProtocol", field_type::string},
    {"OverrideConnectTimeout", field_type::duration_ns}};
constexpr ce::schema overrides_schema{"discoveryChainReadRequest", overrides_fields};

bool valid_mesh_gateway_mode(std::string_view m) { return m.empty() || m == "none" || m == "local" || m == "remote"; }

void read_overrides(const http_request& req, ce::chain_request& out) {
  json::value body;
  try {
    body = parse_body(req.body);
  } catch (const body_decode_error& e) {
    throw_bad_request(std::string("Request decoding failed: ") + e.what());
  }
  if (body.is_null()) return;  // a nil map: no overrides
  if (!body.is_object())
    throw_bad_request(std::string("Request decoding failed: json: cannot unmarshal ") +
                      (body.is_array() ? "array" : body.is_string() ? "string" : body.is_bool() ? "bool" : "number") +
                      " into Go value of type map[string]interface {}");
  ce::decoded_struct d = ce::decode_struct(overrides_schema, body.get_object());
  if (!d.error.empty()) throw_bad_request("Request decoding failed: " + d.error);
  out.override_protocol = std::string(ce::str(d.value, "OverrideProtocol"));
  out.override_connect_timeout = std::chrono::nanoseconds(ce::integer(d.value, "OverrideConnectTimeout"));
  if (const auto* m = ce::obj(d.value, "OverrideMeshGateway")) {
    auto mode = ce::str(*m, "Mode");
    if (!valid_mesh_gateway_mode(mode)) throw_bad_request("Invalid OverrideMeshGateway.Mode parameter");
    out.override_mesh_gateway = std::string(mode);
  }
}

asio::awaitable<http_response> discovery_chain(endpoint_context& c, http_request& req) {
  ce::chain_request request;
  request.service = path_suffix(req, "/v1/discovery-chain/");
  if (request.service.empty()) throw_bad_request("Missing chain name");
  request.datacenter = req.query.get("compile-dc").value_or("");
  if (request.datacenter.empty()) request.datacenter = c.options.datacenter;
  if (req.method == "POST") read_overrides(req, request);

  c.caller().require(c.caller().authz().service_read(request.service));
  std::function<query_answer()> run = [&c, request]() mutable {
    std::uint64_t index = c.config_entries.table_index();
    request.trust_domain = c.connect.ca.trust_domain();
    if (request.trust_domain.empty()) return query_answer{index, text_response(500, "no cluster ca config setup")};
    ce::chain_entries entries{c.config_entries};
    ce::chain_result r = ce::compile_chain(entries, request);
    if (const auto* err = std::get_if<std::string>(&r))
      return query_answer{index, text_response(500, "failed to compile discovery chain: " + *err)};
    json::object out;
    out["Chain"] = ce::render_chain(std::get<ce::compiled_chain>(r));
    return query_answer{index, json_response(out)};
  };
  co_return co_await blocking_query(c.hub, req, tbl_config_entries, run);
}

}  // namespace

void add_discovery_chain_routes(route_table& r) { r.add("/v1/discovery-chain/", {"GET", "POST"}, &discovery_chain); }

}  // namespace coconsul::dev
