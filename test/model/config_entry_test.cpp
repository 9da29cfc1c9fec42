// The config entry model against Consul's documented JSON of every kind of Consul 1.14:
// decoded by Kind into the right struct, field by field; encoded back to the same JSON (Kind
// first); an unknown kind kept whole; the errors Consul's decoder gives for a missing Kind.
#define BOOST_TEST_MODULE model_config_entry
#include <boost/test/unit_test.hpp>

#include <coconsul/json.hpp>
#include <coconsul/model/config_entry.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <string>
#include <variant>
#include <vector>

using namespace std::chrono_literals;
using coconsul::config_entry;
using coconsul::decode_json;
using coconsul::encode_json;
using coconsul::encode_mode;
namespace json = boost::json;

namespace {

// Encoding then decoding gives the same entry, and the encoding is the documented JSON (as
// values: key order aside, nothing added, nothing lost; the samples leave zero values out, as
// the encoding does).
void check_round_trip(const char* documented) {
  const auto entry = decode_json<config_entry>(documented);
  const std::string encoded = encode_json(entry);
  BOOST_TEST(json::parse(encoded) == json::parse(documented), encoded);
  BOOST_TEST((decode_json<config_entry>(encoded) == entry));
  BOOST_TEST(encoded.rfind("{\"Kind\":", 0) == 0u, encoded);
}

constexpr const char* service_defaults_json = R"({
  "Kind": "service-defaults",
  "Name": "web",
  "Protocol": "http",
  "Mode": "transparent",
  "TransparentProxy": {"OutboundListenerPort": 15001, "DialedDirectly": true},
  "MeshGateway": {"Mode": "local"},
  "Expose": {"Checks": true, "Paths": [{"ListenerPort": 21500, "Path": "/metrics", "LocalPathPort": 9102, "Protocol": "http"}]},
  "ExternalSNI": "web.example.com",
  "UpstreamConfig": {
    "Overrides": [{"Name": "db", "Protocol": "tcp", "ConnectTimeoutMs": 1000,
                   "Limits": {"MaxConnections": 512, "MaxPendingRequests": 512, "MaxConcurrentRequests": 512},
                   "PassiveHealthCheck": {"Interval": "10s", "MaxFailures": 5, "EnforcingConsecutive5xx": 100},
                   "MeshGateway": {"Mode": "remote"}}],
    "Defaults": {"ConnectTimeoutMs": 5000, "BalanceOutboundConnections": "exact_balance"}
  },
  "MaxInboundConnections": 100,
  "LocalConnectTimeoutMs": 2000,
  "LocalRequestTimeoutMs": 3000,
  "BalanceInboundConnections": "exact_balance",
  "Meta": {"owner": "team-web"},
  "CreateIndex": 12,
  "ModifyIndex": 14
})";

constexpr const char* proxy_defaults_json = R"({
  "Kind": "proxy-defaults",
  "Name": "global",
  "Mode": "direct",
  "Config": {"local_connect_timeout_ms": 1000, "handshake_timeout_ms": 10000, "protocol": "http",
             "envoy_extra_static_clusters_json": "{}", "nested": {"list": [1, 2.5, "x", null, true]}},
  "MeshGateway": {"Mode": "local"},
  "Expose": {"Checks": true},
  "AccessLogs": {"Enabled": true, "Type": "file", "Path": "/var/log/envoy.log", "JSONFormat": "{\"start\": \"%START_TIME%\"}"},
  "Meta": {"k": "v"},
  "CreateIndex": 3,
  "ModifyIndex": 3
})";

constexpr const char* service_router_json = R"({
  "Kind": "service-router",
  "Name": "web",
  "Routes": [
    {"Match": {"HTTP": {"PathPrefix": "/admin",
                        "Header": [{"Name": "x-debug", "Exact": "1"}, {"Name": "x-canary", "Present": true, "Invert": true}],
                        "QueryParam": [{"Name": "version", "Regex": "^2"}],
                        "Methods": ["GET", "POST"]}},
     "Destination": {"Service": "admin", "ServiceSubset": "v2", "PrefixRewrite": "/",
                     "RequestTimeout": "15s", "IdleTimeout": "1m0s", "NumRetries": 3,
                     "RetryOnConnectFailure": true, "RetryOnStatusCodes": [503, 504], "RetryOn": ["reset"],
                     "RequestHeaders": {"Add": {"x-route": "admin"}, "Remove": ["x-secret"]}}},
    {"Match": {"HTTP": {"PathExact": "/health"}}, "Destination": {"Service": "health"}}
  ],
  "CreateIndex": 20,
  "ModifyIndex": 21
})";

constexpr const char* service_splitter_json = R"({
  "Kind": "service-splitter",
  "Name": "web",
  "Splits": [
    {"Weight": 90, "ServiceSubset": "v1"},
    {"Weight": 10.5, "ServiceSubset": "v2", "ResponseHeaders": {"Set": {"x-version": "2"}}}
  ],
  "Meta": {"rollout": "canary"},
  "CreateIndex": 30,
  "ModifyIndex": 31
})";

constexpr const char* service_resolver_json = R"({
  "Kind": "service-resolver",
  "Name": "web",
  "DefaultSubset": "v1",
  "Subsets": {"v1": {"Filter": "Service.Meta.version == v1"},
              "v2": {"Filter": "Service.Meta.version == v2", "OnlyPassing": true}},
  "Failover": {"*": {"Datacenters": ["dc2", "dc3"]},
               "v2": {"Service": "web-backup", "Targets": [{"Service": "web", "Datacenter": "dc4"}, {"Peer": "other"}]}},
  "ConnectTimeout": "15s",
  "LoadBalancer": {"Policy": "ring_hash", "RingHashConfig": {"MinimumRingSize": 1024, "MaximumRingSize": 8192},
                   "HashPolicies": [{"Field": "cookie", "FieldValue": "session",
                                     "CookieConfig": {"TTL": "10s", "Path": "/"}, "Terminal": true},
                                    {"SourceIP": true}]},
  "CreateIndex": 40,
  "ModifyIndex": 41
})";

constexpr const char* resolver_redirect_json = R"({
  "Kind": "service-resolver",
  "Name": "billing",
  "Redirect": {"Service": "billing-v2", "Datacenter": "dc2"}
})";

constexpr const char* ingress_gateway_json = R"({
  "Kind": "ingress-gateway",
  "Name": "ingress",
  "TLS": {"Enabled": true, "TLSMinVersion": "TLSv1_2", "CipherSuites": ["ECDHE-ECDSA-AES128-GCM-SHA256"]},
  "Listeners": [
    {"Port": 8080, "Protocol": "http",
     "Services": [{"Name": "web", "Hosts": ["web.example.com"], "MaxConnections": 100,
                   "TLS": {"SDS": {"ClusterName": "sds", "CertResource": "web-cert"}},
                   "RequestHeaders": {"Set": {"x-gw": "1"}}},
                  {"Name": "*"}]},
    {"Port": 9090, "Protocol": "tcp", "Services": [{"Name": "db"}],
     "TLS": {"SDS": {"ClusterName": "sds", "CertResource": "db-cert"}}}
  ],
  "Defaults": {"MaxConnections": 2048, "MaxPendingRequests": 512},
  "CreateIndex": 50,
  "ModifyIndex": 50
})";

constexpr const char* terminating_gateway_json = R"({
  "Kind": "terminating-gateway",
  "Name": "us-west-gateway",
  "Services": [{"Name": "billing", "CAFile": "/etc/certs/ca-chain.cert.pem",
                "CertFile": "/etc/certs/gateway.cert.pem", "KeyFile": "/etc/certs/gateway.key.pem",
                "SNI": "billing.service.com"},
               {"Name": "*"}],
  "CreateIndex": 60,
  "ModifyIndex": 60
})";

constexpr const char* service_intentions_json = R"({
  "Kind": "service-intentions",
  "Name": "db",
  "Sources": [
    {"Name": "web", "Action": "allow", "Precedence": 9, "Type": "consul", "Description": "web may read"},
    {"Name": "api", "Precedence": 9, "Type": "consul",
     "Permissions": [{"Action": "allow", "HTTP": {"PathPrefix": "/v1", "Methods": ["GET"],
                                                  "Header": [{"Name": "x-role", "Suffix": "admin"}]}},
                     {"Action": "deny", "HTTP": {"PathRegex": "^/admin"}}]},
    {"Name": "*", "Action": "deny", "Precedence": 8, "Type": "consul",
     "LegacyID": "5c2e3a8c-6e1b-4e49-9d2e-0b2a1e1d3f4a", "LegacyMeta": {"created-by": "cli"},
     "LegacyCreateTime": "2022-11-01T10:00:00Z", "LegacyUpdateTime": "2022-11-01T10:00:00Z"}
  ],
  "Meta": {"team": "data"},
  "CreateIndex": 70,
  "ModifyIndex": 72
})";

constexpr const char* mesh_json = R"({
  "Kind": "mesh",
  "TransparentProxy": {"MeshDestinationsOnly": true},
  "TLS": {"Incoming": {"TLSMinVersion": "TLSv1_2"},
          "Outgoing": {"TLSMinVersion": "TLSv1_2", "TLSMaxVersion": "TLSv1_3", "CipherSuites": ["ECDHE-RSA-AES128-GCM-SHA256"]}},
  "HTTP": {"SanitizeXForwardedClientCert": true},
  "Peering": {"PeerThroughMeshGateways": true},
  "CreateIndex": 80,
  "ModifyIndex": 80
})";

constexpr const char* exported_services_json = R"({
  "Kind": "exported-services",
  "Name": "default",
  "Services": [{"Name": "web", "Namespace": "default", "Consumers": [{"PeerName": "cluster-02"}, {"Partition": "team-b"}]},
               {"Name": "api", "Consumers": [{"PeerName": "cluster-03"}]}],
  "CreateIndex": 90,
  "ModifyIndex": 91
})";

}  // namespace

BOOST_AUTO_TEST_SUITE(config_entry_model)

BOOST_AUTO_TEST_CASE(service_defaults_decodes_field_by_field) {
  const auto e = decode_json<config_entry>(service_defaults_json);
  BOOST_TEST(e.kind() == "service-defaults");
  BOOST_TEST(e.name() == "web");
  BOOST_TEST(e.create_index() == 12u);
  BOOST_TEST(e.modify_index() == 14u);
  const auto& d = std::get<coconsul::service_defaults>(e);
  BOOST_TEST(d.protocol == "http");
  BOOST_TEST(d.mode == "transparent");
  BOOST_TEST(d.transparent_proxy.outbound_listener_port == 15001);
  BOOST_TEST(d.transparent_proxy.dialed_directly);
  BOOST_TEST(d.mesh_gateway.mode == "local");
  BOOST_TEST(d.expose.checks);
  BOOST_TEST_REQUIRE(d.expose.paths.size() == 1u);
  BOOST_TEST(d.expose.paths[0].local_path_port == 9102);
  BOOST_TEST(d.external_sni == "web.example.com");
  BOOST_TEST_REQUIRE(d.upstream_config.has_value());
  BOOST_TEST_REQUIRE(d.upstream_config->overrides.size() == 1u);
  const auto& db = d.upstream_config->overrides[0];
  BOOST_TEST(db.name == "db");
  BOOST_TEST(db.connect_timeout_ms == 1000);
  BOOST_TEST_REQUIRE(db.limits.has_value());
  BOOST_TEST(db.limits->max_connections.value_or(0) == 512);
  BOOST_TEST_REQUIRE(db.passive_health_check.has_value());
  BOOST_TEST((db.passive_health_check->interval == 10s));
  BOOST_TEST(db.passive_health_check->max_failures == 5u);
  BOOST_TEST(db.passive_health_check->enforcing_consecutive_5xx.value_or(0) == 100u);
  BOOST_TEST(db.mesh_gateway.mode == "remote");
  BOOST_TEST_REQUIRE(d.upstream_config->defaults.has_value());
  BOOST_TEST(d.upstream_config->defaults->balance_outbound_connections == "exact_balance");
  BOOST_TEST(d.max_inbound_connections == 100);
  BOOST_TEST(d.local_connect_timeout_ms == 2000);
  BOOST_TEST(d.local_request_timeout_ms == 3000);
  BOOST_TEST(d.balance_inbound_connections == "exact_balance");
  BOOST_TEST(d.meta.at("owner") == "team-web");
}

BOOST_AUTO_TEST_CASE(proxy_defaults_keeps_its_config_as_free_json) {
  const auto e = decode_json<config_entry>(proxy_defaults_json);
  const auto& p = std::get<coconsul::proxy_defaults>(e);
  BOOST_TEST(p.name == "global");
  BOOST_TEST(p.mode == "direct");
  BOOST_TEST(p.config.at("protocol").as_string() == "http");
  BOOST_TEST(p.config.at("local_connect_timeout_ms").as_int64() == 1000);
  BOOST_TEST(p.config.at("nested").at("list").as_array().size() == 5u);
  BOOST_TEST(p.expose.checks);
  BOOST_TEST(p.access_logs.enabled);
  BOOST_TEST(p.access_logs.path == "/var/log/envoy.log");
  BOOST_TEST(p.access_logs.json_format == R"({"start": "%START_TIME%"})");
  BOOST_TEST(e.create_index() == 3u);
}

BOOST_AUTO_TEST_CASE(the_discovery_chain_kinds_decode_field_by_field) {
  const auto router = decode_json<config_entry>(service_router_json);
  const auto& r = std::get<coconsul::service_router>(router);
  BOOST_TEST_REQUIRE(r.routes.size() == 2u);
  BOOST_TEST_REQUIRE(r.routes[0].match.has_value());
  BOOST_TEST_REQUIRE(r.routes[0].match->http.has_value());
  const auto& http = *r.routes[0].match->http;
  BOOST_TEST(http.path_prefix == "/admin");
  BOOST_TEST_REQUIRE(http.header.size() == 2u);
  BOOST_TEST(http.header[1].present);
  BOOST_TEST(http.header[1].invert);
  BOOST_TEST(http.query_param.at(0).regex == "^2");
  BOOST_TEST(http.methods.size() == 2u);
  const auto& dest = r.routes[0].destination.value();
  BOOST_TEST(dest.service_subset == "v2");
  BOOST_TEST((dest.request_timeout == 15s));
  BOOST_TEST((dest.idle_timeout == 1min));
  BOOST_TEST(dest.num_retries == 3u);
  BOOST_TEST((dest.retry_on_status_codes == std::vector<std::uint32_t>{503, 504}));
  BOOST_TEST(dest.request_headers.value().add.at("x-route") == "admin");

  const auto splitter = decode_json<config_entry>(service_splitter_json);
  const auto& s = std::get<coconsul::service_splitter>(splitter);
  BOOST_TEST_REQUIRE(s.splits.size() == 2u);
  BOOST_TEST(s.splits[0].weight == 90.0f);
  BOOST_TEST(s.splits[1].weight == 10.5f);
  BOOST_TEST(s.splits[1].response_headers.value().set.at("x-version") == "2");

  const auto resolver = decode_json<config_entry>(service_resolver_json);
  const auto& v = std::get<coconsul::service_resolver>(resolver);
  BOOST_TEST(v.default_subset == "v1");
  BOOST_TEST(v.subsets.at("v2").only_passing);
  BOOST_TEST((v.failover.at("*").datacenters == std::vector<std::string>{"dc2", "dc3"}));
  BOOST_TEST(v.failover.at("v2").targets.at(1).peer == "other");
  BOOST_TEST((v.connect_timeout == 15s));
  const auto& lb = v.load_balancer.value();
  BOOST_TEST(lb.policy == "ring_hash");
  BOOST_TEST(lb.ring_hash_config.value().maximum_ring_size == 8192u);
  BOOST_TEST((lb.hash_policies.at(0).cookie_config.value().ttl == 10s));
  BOOST_TEST(lb.hash_policies.at(1).source_ip);

  const auto redirect = decode_json<config_entry>(resolver_redirect_json);
  BOOST_TEST(std::get<coconsul::service_resolver>(redirect).redirect.value().service == "billing-v2");
}

BOOST_AUTO_TEST_CASE(the_gateway_kinds_decode_field_by_field) {
  const auto ingress = decode_json<config_entry>(ingress_gateway_json);
  const auto& g = std::get<coconsul::ingress_gateway>(ingress);
  BOOST_TEST(g.tls.enabled);
  BOOST_TEST(g.tls.tls_min_version == "TLSv1_2");
  BOOST_TEST_REQUIRE(g.listeners.size() == 2u);
  BOOST_TEST(g.listeners[0].port == 8080);
  BOOST_TEST(g.listeners[0].services.at(0).hosts.at(0) == "web.example.com");
  BOOST_TEST(g.listeners[0].services.at(0).max_connections.value_or(0) == 100u);
  BOOST_TEST(g.listeners[0].services.at(0).tls.value().sds.value().cert_resource == "web-cert");
  BOOST_TEST(g.listeners[1].tls.value().sds.value().cluster_name == "sds");
  BOOST_TEST(g.defaults.value().max_connections.value_or(0) == 2048u);

  const auto terminating = decode_json<config_entry>(terminating_gateway_json);
  const auto& t = std::get<coconsul::terminating_gateway>(terminating);
  BOOST_TEST_REQUIRE(t.services.size() == 2u);
  BOOST_TEST(t.services[0].ca_file == "/etc/certs/ca-chain.cert.pem");
  BOOST_TEST(t.services[0].sni == "billing.service.com");
  BOOST_TEST(t.services[1].name == "*");
}

BOOST_AUTO_TEST_CASE(the_mesh_kinds_decode_field_by_field) {
  const auto intentions = decode_json<config_entry>(service_intentions_json);
  const auto& i = std::get<coconsul::service_intentions>(intentions);
  BOOST_TEST_REQUIRE(i.sources.size() == 3u);
  BOOST_TEST(i.sources[0].action == "allow");
  BOOST_TEST(i.sources[0].precedence == 9);
  BOOST_TEST(i.sources[1].permissions.size() == 2u);
  BOOST_TEST(i.sources[1].permissions[0].http.value().header.at(0).suffix == "admin");
  BOOST_TEST(i.sources[1].permissions[1].action == "deny");
  BOOST_TEST(i.sources[2].legacy_meta.at("created-by") == "cli");
  BOOST_TEST(i.sources[2].legacy_create_time.value_or("") == "2022-11-01T10:00:00Z");

  const auto mesh = decode_json<config_entry>(mesh_json);
  const auto& m = std::get<coconsul::mesh_config>(mesh);
  BOOST_TEST(mesh.name() == "mesh");  // none on the wire
  BOOST_TEST(m.transparent_proxy.mesh_destinations_only);
  BOOST_TEST(m.tls.value().outgoing.value().tls_max_version == "TLSv1_3");
  BOOST_TEST(m.http.value().sanitize_x_forwarded_client_cert);
  BOOST_TEST(m.peering.value().peer_through_mesh_gateways);

  const auto exported = decode_json<config_entry>(exported_services_json);
  const auto& x = std::get<coconsul::exported_services>(exported);
  BOOST_TEST(x.name == "default");
  BOOST_TEST_REQUIRE(x.services.size() == 2u);
  BOOST_TEST(x.services[0].consumers.at(0).peer_name == "cluster-02");
  BOOST_TEST(x.services[0].consumers.at(1).partition == "team-b");
}

BOOST_AUTO_TEST_CASE(every_documented_entry_round_trips_to_the_same_json) {
  for (const char* documented :
       {service_defaults_json, proxy_defaults_json, service_router_json, service_splitter_json,
        service_resolver_json, resolver_redirect_json, ingress_gateway_json, terminating_gateway_json,
        service_intentions_json, mesh_json, exported_services_json})
    check_round_trip(documented);
}

BOOST_AUTO_TEST_CASE(a_list_decodes_each_entry_by_its_kind) {
  const std::string list = std::string("[") + service_defaults_json + "," + mesh_json + "]";
  const auto entries = decode_json<std::vector<config_entry>>(list);
  BOOST_TEST_REQUIRE(entries.size() == 2u);
  BOOST_TEST(std::holds_alternative<coconsul::service_defaults>(entries[0]));
  BOOST_TEST(std::holds_alternative<coconsul::mesh_config>(entries[1]));
  BOOST_TEST((decode_json<std::vector<config_entry>>(encode_json(entries)) == entries));
  BOOST_TEST(decode_json<std::vector<config_entry>>("[]").empty());
  BOOST_TEST(decode_json<std::vector<config_entry>>("null").empty());
}

BOOST_AUTO_TEST_CASE(an_entry_built_in_code_encodes_as_consuls_go_client_sends_it) {
  config_entry e = coconsul::service_defaults{.name = "web", .protocol = "http"};
  BOOST_TEST(encode_json(e) == R"({"Kind":"service-defaults","Name":"web","Protocol":"http"})");
  // The defaults that are Consul's only accepted names are sent without being asked.
  BOOST_TEST(encode_json(config_entry(coconsul::proxy_defaults{})) == R"({"Kind":"proxy-defaults","Name":"global"})");
  BOOST_TEST(encode_json(config_entry(coconsul::mesh_config{})) == R"({"Kind":"mesh"})");
  BOOST_TEST(encode_json(config_entry(coconsul::exported_services{})) ==
             R"({"Kind":"exported-services","Name":"default"})");
  coconsul::service_resolver r{.name = "db", .connect_timeout = 2500ms};
  BOOST_TEST(encode_json(config_entry(r)) == R"({"Kind":"service-resolver","Name":"db","ConnectTimeout":"2.5s"})");
}

BOOST_AUTO_TEST_CASE(lower_case_and_snake_case_keys_decode_as_consul_accepts_them) {
  const auto e = decode_json<config_entry>(
      R"({"kind": "service-defaults", "name": "web", "protocol": "grpc", "mesh_gateway": {"mode": "local"},
          "local_connect_timeout_ms": 7})");
  const auto& d = std::get<coconsul::service_defaults>(e);
  BOOST_TEST(d.name == "web");
  BOOST_TEST(d.protocol == "grpc");
  BOOST_TEST(d.mesh_gateway.mode == "local");
  BOOST_TEST(d.local_connect_timeout_ms == 7);
}

BOOST_AUTO_TEST_CASE(an_unknown_kind_is_kept_whole_and_written_back_as_it_came) {
  constexpr const char* api_gateway = R"({"Kind":"api-gateway","Name":"gw","Listeners":[{"Name":"l","Port":80}],"ModifyIndex":9})";
  const auto e = decode_json<config_entry>(api_gateway);
  BOOST_TEST_REQUIRE(std::holds_alternative<coconsul::unknown_config_entry>(e));
  BOOST_TEST(e.kind() == "api-gateway");
  BOOST_TEST(e.name() == "gw");
  BOOST_TEST(e.modify_index() == 9u);
  BOOST_TEST(!coconsul::is_known_config_entry_kind("api-gateway"));
  BOOST_TEST(coconsul::is_known_config_entry_kind("service-resolver"));
  BOOST_TEST(json::parse(encode_json(e)) == json::parse(api_gateway));
}

BOOST_AUTO_TEST_CASE(a_body_without_a_kind_fails_with_consuls_text) {
  coconsul::diagnostics diag;
  config_entry out = coconsul::service_defaults{.name = "kept"};
  BOOST_TEST((decode_json(R"({"Name":"web"})", out, diag) == coconsul::errc::decode_error));
  BOOST_TEST(diag.message == "decode error: Payload does not contain a kind/Kind key at the top level");
  BOOST_TEST(out.name() == "kept");  // unchanged on failure
  BOOST_TEST((decode_json(R"({"Kind":7})", out, diag) == coconsul::errc::decode_error));
  BOOST_TEST((decode_json("[1]", out, diag) == coconsul::errc::decode_error));
  BOOST_TEST(diag.message == "decode error: a config entry must be a JSON object");
}

BOOST_AUTO_TEST_CASE(a_wrong_field_type_names_its_path_and_its_entry) {
  coconsul::diagnostics diag;
  std::vector<config_entry> out;
  const auto ec = decode_json(R"([{"Kind":"mesh"},{"Kind":"service-router","Name":"web","Routes":[{"Destination":{"NumRetries":"x"}}]}])",
                              out, diag);
  BOOST_TEST((ec == coconsul::errc::decode_error));
  BOOST_TEST(diag.message == "decode error: [1]: Routes[0].Destination.NumRetries: expected a number, got string");
  config_entry one;
  BOOST_TEST((decode_json(R"({"Kind":"service-resolver","ConnectTimeout":"5 seconds"})", one, diag) ==
              coconsul::errc::decode_error));
  BOOST_TEST(diag.message.find("ConnectTimeout: invalid duration") != std::string::npos, diag.message);
}

BOOST_AUTO_TEST_SUITE_END()
