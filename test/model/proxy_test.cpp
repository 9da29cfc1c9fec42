// Connect's model types (model/proxy.hpp and the Proxy/Connect members of the service structs)
// against Consul's documented payloads: every field by its exact name, the omission rules Consul's
// Go client follows (no Proxy or Connect on a typical service, an empty SidecarService sent as
// {}), the catalog's ServiceProxy/ServiceConnect, and round trips both ways.
#define BOOST_TEST_MODULE model_proxy
#include <boost/test/unit_test.hpp>

#include "sample_files.hpp"

#include <coconsul/json.hpp>
#include <coconsul/model/catalog.hpp>
#include <coconsul/model/service.hpp>

#include <boost/json/parse.hpp>

#include <string>
#include <vector>

using coconsul::decode_json;
using coconsul::encode_json;
using coconsul::encode_mode;
namespace json = boost::json;

namespace {

// A connect-proxy registration as Consul's "Register a Service" API documentation shows a
// proxy's fields (upstreams, mesh gateway, expose, transparent proxy).
constexpr const char* documented_proxy_registration = R"({
  "Name": "web-proxy",
  "Kind": "connect-proxy",
  "Port": 20000,
  "Proxy": {
    "DestinationServiceName": "web",
    "DestinationServiceID": "web1",
    "LocalServiceAddress": "127.0.0.1",
    "LocalServicePort": 8080,
    "Mode": "transparent",
    "TransparentProxy": {"OutboundListenerPort": 22500, "DialedDirectly": true},
    "Config": {"protocol": "http", "handshake_timeout_ms": 1000},
    "Upstreams": [
      {"DestinationType": "service", "DestinationName": "db", "Datacenter": "dc2",
       "LocalBindAddress": "127.0.0.2", "LocalBindPort": 9191,
       "Config": {"connect_timeout_ms": 500}, "MeshGateway": {"Mode": "local"}},
      {"DestinationType": "prepared_query", "DestinationName": "geo-cache",
       "LocalBindSocketPath": "/tmp/geo.sock", "LocalBindSocketMode": "0600"}
    ],
    "MeshGateway": {"Mode": "remote"},
    "Expose": {"Checks": true,
               "Paths": [{"Path": "/metrics", "LocalPathPort": 8080, "ListenerPort": 21500, "Protocol": "http2"}]}
  }
})";

// The sidecar registration of Consul's "Register a Service Mesh Proxy as a Sidecar" guide, in
// the snake_case of a service definition file.
constexpr const char* documented_sidecar_definition = R"({
  "name": "web",
  "port": 8080,
  "connect": {
    "sidecar_service": {
      "proxy": {
        "upstreams": [{"destination_name": "db", "local_bind_port": 9191}]
      }
    }
  }
})";

json::value parsed(const std::string& text) { return json::parse(text); }

}  // namespace

BOOST_AUTO_TEST_SUITE(model_proxy)

BOOST_AUTO_TEST_CASE(the_documented_sidecar_service_config_decodes_field_by_field) {
  const auto s = decode_json<coconsul::agent_service>(model_test::sample("agent_service_config_response.json"));
  BOOST_TEST(s.kind == coconsul::service_kind::connect_proxy);
  BOOST_TEST(s.id == "web-sidecar-proxy");
  BOOST_TEST(s.port == 18080);
  const auto& p = s.proxy;
  BOOST_TEST(p.destination_service_name == "web");
  BOOST_TEST(p.destination_service_id == "web");
  BOOST_TEST(p.local_service_address == "127.0.0.1");
  BOOST_TEST(p.local_service_port == 8080);
  BOOST_TEST(p.mode == "transparent");
  BOOST_TEST(p.transparent_proxy.outbound_listener_port == 22500);
  BOOST_TEST(!p.transparent_proxy.dialed_directly);
  BOOST_TEST(json::value(p.config) == parsed(R"({"foo": "bar"})"));
  BOOST_TEST_REQUIRE(p.upstreams.size() == 1u);
  BOOST_TEST(p.upstreams[0].destination_type == "service");
  BOOST_TEST(p.upstreams[0].destination_name == "db");
  BOOST_TEST(p.upstreams[0].local_bind_port == 9191);
  BOOST_TEST(!s.connect.native);
}

BOOST_AUTO_TEST_CASE(a_documented_proxy_registration_decodes_and_encodes_back_to_the_same_json) {
  const auto r = decode_json<coconsul::service_registration>(documented_proxy_registration);
  BOOST_TEST(r.kind == "connect-proxy");
  const auto& p = r.proxy;
  BOOST_TEST(p.destination_service_id == "web1");
  BOOST_TEST(p.transparent_proxy.dialed_directly);
  BOOST_TEST(p.mesh_gateway.mode == "remote");
  BOOST_TEST(p.expose.checks);
  BOOST_TEST_REQUIRE(p.expose.paths.size() == 1u);
  BOOST_TEST(p.expose.paths[0].listener_port == 21500);
  BOOST_TEST(p.expose.paths[0].local_path_port == 8080);
  BOOST_TEST(p.expose.paths[0].protocol == "http2");
  BOOST_TEST_REQUIRE(p.upstreams.size() == 2u);
  BOOST_TEST(p.upstreams[0].datacenter == "dc2");
  BOOST_TEST(p.upstreams[0].local_bind_address == "127.0.0.2");
  BOOST_TEST(p.upstreams[0].mesh_gateway.mode == "local");
  BOOST_TEST(json::value(p.upstreams[0].config) == parsed(R"({"connect_timeout_ms": 500})"));
  BOOST_TEST(p.upstreams[1].local_bind_socket_path == "/tmp/geo.sock");
  BOOST_TEST(p.upstreams[1].local_bind_socket_mode == "0600");
  // What the Go client sends for it is what the documentation shows, member for member.
  BOOST_TEST(parsed(encode_json(r)) == parsed(documented_proxy_registration));
  BOOST_TEST((decode_json<coconsul::service_registration>(encode_json(r, encode_mode::all_fields)) == r));
}

BOOST_AUTO_TEST_CASE(a_typical_service_sends_neither_proxy_nor_connect) {
  coconsul::service_registration r;
  r.name = "web";
  r.port = 8080;
  BOOST_TEST(parsed(encode_json(r)) == parsed(R"({"Name": "web", "Port": 8080})"));
}

BOOST_AUTO_TEST_CASE(an_empty_sidecar_service_is_sent_as_an_empty_object) {
  // Consul registers a sidecar with every default for "SidecarService": {}, and none without it.
  coconsul::service_registration r;
  r.name = "web";
  r.connect.sidecar_service.emplace();
  BOOST_TEST(parsed(encode_json(r)) == parsed(R"({"Name": "web", "Connect": {"SidecarService": {}}})"));
  coconsul::service_registration native;
  native.name = "api";
  native.connect.native = true;
  BOOST_TEST(parsed(encode_json(native)) == parsed(R"({"Name": "api", "Connect": {"Native": true}})"));
}

BOOST_AUTO_TEST_CASE(the_documented_snake_case_sidecar_definition_decodes) {
  const auto r = decode_json<coconsul::service_registration>(documented_sidecar_definition);
  BOOST_TEST(r.name == "web");
  BOOST_TEST_REQUIRE(r.connect.sidecar_service.has_value());
  BOOST_TEST_REQUIRE(r.connect.sidecar_service->proxy.upstreams.size() == 1u);
  BOOST_TEST(r.connect.sidecar_service->proxy.upstreams[0].destination_name == "db");
  BOOST_TEST(r.connect.sidecar_service->proxy.upstreams[0].local_bind_port == 9191);
  BOOST_TEST(parsed(encode_json(r)) ==
             parsed(R"({"Name": "web", "Port": 8080, "Connect": {"SidecarService": {"Proxy": {
                      "Upstreams": [{"DestinationName": "db", "LocalBindPort": 9191}]}}}})"));
}

BOOST_AUTO_TEST_CASE(the_catalog_sends_service_proxy_and_service_connect) {
  // The documented catalog row of a typical service: an empty ServiceProxy, Native false.
  const auto rows = decode_json<std::vector<coconsul::catalog_service>>(model_test::sample("catalog_service_response.json"));
  BOOST_TEST_REQUIRE(rows.size() == 1u);
  BOOST_TEST((rows[0].service_proxy == coconsul::proxy_config()));
  BOOST_TEST(!rows[0].service_connect.native);
  // A sidecar's row, as the catalog writes it (structs.ConnectProxyConfig).
  const auto sidecar = decode_json<coconsul::catalog_service>(R"({
    "ServiceKind": "connect-proxy", "ServiceID": "web-sidecar-proxy", "ServiceName": "web-sidecar-proxy",
    "ServicePort": 21000,
    "ServiceProxy": {"DestinationServiceName": "web", "DestinationServiceID": "web", "LocalServiceAddress": "127.0.0.1",
                     "LocalServicePort": 8080, "Mode": "", "MeshGateway": {}, "Expose": {}},
    "ServiceConnect": {}})");
  BOOST_TEST(sidecar.service_kind == "connect-proxy");
  BOOST_TEST(sidecar.service_proxy.destination_service_name == "web");
  BOOST_TEST(sidecar.service_proxy.local_service_port == 8080);
  BOOST_TEST((decode_json<coconsul::catalog_service>(encode_json(sidecar, encode_mode::all_fields)) == sidecar));
}

BOOST_AUTO_TEST_CASE(a_wrong_type_in_a_proxy_names_its_path) {
  coconsul::diagnostics diag;
  coconsul::agent_service s;
  auto ec = decode_json(R"({"Proxy": {"Upstreams": [{"LocalBindPort": "x"}]}})", s, diag);
  BOOST_TEST((ec == coconsul::errc::decode_error));
  BOOST_TEST(diag.message == "decode error: Proxy.Upstreams[0].LocalBindPort: expected a number, got string");
}

BOOST_AUTO_TEST_SUITE_END()
