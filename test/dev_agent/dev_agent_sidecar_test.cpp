// Connect registrations on the dev agent, over raw HTTP, as Consul 1.14 answers them: a
// Connect.SidecarService expanded into a sidecar proxy (ID, name, kind, address, tags and meta,
// its Proxy, a port from the sidecar range, its two default checks) and deregistered with its
// service; proxies and gateways validated with Consul's texts and stored with their fields
// everywhere services appear; /v1/catalog/connect and /v1/health/connect (proxies of the service
// and its native instances, blocking, ACL filtering).
#define BOOST_TEST_MODULE dev_agent_sidecar
#include <boost/test/unit_test.hpp>

#include "acl_test_support.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>

#include <chrono>
#include <optional>

using namespace coconsul;
using namespace coconsul::test;
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

const char* web_with_sidecar = R"({"Name": "web", "Port": 8080, "Tags": ["v1"], "Meta": {"team": "a"},
  "Connect": {"SidecarService": {"Proxy": {"Upstreams": [{"DestinationName": "db", "LocalBindPort": 9191}]}}}})";

const json::object& obj(const json::value& v, std::string_view key) { return v.as_object().at(key).as_object(); }

std::vector<std::string> ids_of(const reply& r, std::string_view id_key) {
  std::vector<std::string> out;
  const json::value v = r.json();
  for (const auto& e : v.as_array()) {
    const json::value& item = e.as_object().contains("Service") ? e.as_object().at("Service") : e;
    out.emplace_back(item.as_object().at(id_key).as_string());
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sidecar_service)

BOOST_AUTO_TEST_CASE(a_sidecar_service_becomes_a_proxy_with_consul_defaults) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto put = co_await c.put("/v1/agent/service/register", web_with_sidecar);
    BOOST_TEST_REQUIRE(put.status == 200u, put.body);

    auto sc = co_await c.get("/v1/agent/service/web-sidecar-proxy");
    BOOST_TEST_REQUIRE(sc.status == 200u, sc.body);
    json::value s = sc.json();
    BOOST_TEST(str(s, "Kind") == "connect-proxy");
    BOOST_TEST(str(s, "Service") == "web-sidecar-proxy");
    BOOST_TEST(s.at("Port").as_int64() == 21000);
    BOOST_TEST(s.at("Tags") == json::parse(R"(["v1"])"));   // the parent's, none of its own
    BOOST_TEST(s.at("Meta") == json::parse(R"({"team": "a"})"));
    // api.AgentServiceConnectProxyConfig: empty members left out, MeshGateway and Expose always.
    BOOST_TEST(s.at("Proxy") == json::parse(R"({"DestinationServiceName": "web", "DestinationServiceID": "web",
      "LocalServiceAddress": "127.0.0.1", "LocalServicePort": 8080,
      "Upstreams": [{"DestinationType": "service", "DestinationName": "db", "LocalBindPort": 9191, "MeshGateway": {}}],
      "MeshGateway": {}, "Expose": {}})"));
    BOOST_TEST(!s.as_object().contains("Connect"));

    // The parent has no Proxy on the agent endpoints, and its SidecarService is not kept.
    auto services = (co_await c.get("/v1/agent/services")).json();
    BOOST_TEST(!obj(services, "web").contains("Proxy"));
    BOOST_TEST(!obj(services, "web").contains("Connect"));
    BOOST_TEST(obj(services, "web-sidecar-proxy").at("Kind") == "connect-proxy");

    // The two default checks, as Consul names them.
    auto checks = (co_await c.get("/v1/agent/checks")).json();
    const auto& listening = obj(checks, "service:web-sidecar-proxy:1");
    BOOST_TEST(listening.at("Name") == "Connect Sidecar Listening");
    BOOST_TEST(listening.at("Type") == "tcp");
    BOOST_TEST(listening.at("Definition").at("TCP") == "127.0.0.1:21000");
    BOOST_TEST(listening.at("Interval") == "10s");
    const auto& aliasing = obj(checks, "service:web-sidecar-proxy:2");
    BOOST_TEST(aliasing.at("Name") == "Connect Sidecar Aliasing web");
    BOOST_TEST(aliasing.at("Type") == "alias");
    BOOST_TEST(aliasing.at("Definition").at("AliasService") == "web");
  }());
}

BOOST_AUTO_TEST_CASE(the_catalog_and_health_carry_the_proxy_in_the_structs_form) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/register", web_with_sidecar)).status == 200u);
    const json::value expected = json::parse(R"({"DestinationServiceName": "web", "DestinationServiceID": "web",
      "LocalServiceAddress": "127.0.0.1", "LocalServicePort": 8080, "Mode": "",
      "Upstreams": [{"DestinationType": "service", "DestinationName": "db", "Datacenter": "", "LocalBindPort": 9191,
                     "MeshGateway": {}}],
      "MeshGateway": {}, "Expose": {}})");
    auto rows = (co_await c.get("/v1/catalog/service/web-sidecar-proxy")).json();
    BOOST_TEST_REQUIRE(rows.as_array().size() == 1u);
    BOOST_TEST(rows.as_array()[0].at("ServiceProxy") == expected);
    BOOST_TEST(rows.as_array()[0].at("ServiceConnect") == json::object());
    auto node = (co_await c.get("/v1/catalog/node/test-node")).json();
    BOOST_TEST(node.at("Services").at("web-sidecar-proxy").at("Proxy") == expected);
    auto health = (co_await c.get("/v1/health/service/web-sidecar-proxy")).json();
    BOOST_TEST(health.as_array()[0].at("Service").at("Proxy") == expected);
    // A typical service's ServiceProxy is the empty one.
    auto web = (co_await c.get("/v1/catalog/service/web")).json();
    BOOST_TEST(web.as_array()[0].at("ServiceProxy") == json::parse(R"({"Mode": "", "MeshGateway": {}, "Expose": {}})"));
  }());
}

BOOST_AUTO_TEST_CASE(given_values_win_and_ports_are_taken_in_order) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/register", web_with_sidecar)).status == 200u);
    // A second service's sidecar gets the next port; its own tags, name and checks are kept.
    auto put = co_await c.put("/v1/agent/service/register", R"({"Name": "api", "ID": "api-1", "Port": 9000,
      "Address": "10.0.0.5", "Tags": ["p"], "Connect": {"SidecarService": {"Name": "api-proxy", "Tags": ["own"],
      "Check": {"TTL": "30s"}}}})");
    BOOST_TEST_REQUIRE(put.status == 200u, put.body);
    auto s = (co_await c.get("/v1/agent/service/api-1-sidecar-proxy")).json();
    BOOST_TEST(str(s, "Service") == "api-proxy");
    BOOST_TEST(s.at("Port").as_int64() == 21001);
    BOOST_TEST(str(s, "Address") == "10.0.0.5");  // the parent's address
    BOOST_TEST(s.at("Tags") == json::parse(R"(["own"])"));
    BOOST_TEST(obj(s, "Proxy").at("DestinationServiceName") == "api");
    BOOST_TEST(obj(s, "Proxy").at("DestinationServiceID") == "api-1");
    BOOST_TEST(obj(s, "Proxy").at("LocalServicePort") == 9000);
    // Its own check replaces the default ones.
    auto checks = (co_await c.get("/v1/agent/checks")).json();
    BOOST_TEST(checks.as_object().contains("service:api-1-sidecar-proxy"));
    BOOST_TEST(!checks.as_object().contains("service:api-1-sidecar-proxy:1"));
  }());
}

BOOST_AUTO_TEST_CASE(registering_the_parent_again_keeps_the_sidecar_port) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/register", web_with_sidecar)).status == 200u);
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/register", web_with_sidecar)).status == 200u);
    auto s = (co_await c.get("/v1/agent/service/web-sidecar-proxy")).json();
    BOOST_TEST(s.at("Port").as_int64() == 21000);
  }());
}

BOOST_AUTO_TEST_CASE(an_exhausted_range_is_consuls_400) {
  auto o = agent_test_options();
  o.ports.sidecar_min = 21000;
  o.ports.sidecar_max = 21000;
  agent_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/register", web_with_sidecar)).status == 200u);
    auto second = co_await c.put("/v1/agent/service/register",
                                 R"({"Name": "api", "Port": 9000, "Connect": {"SidecarService": {}}})");
    BOOST_TEST(second.status == 400u);
    BOOST_TEST(second.body ==
               "Invalid SidecarService: no port provided for sidecar_service and none left in the configured range "
               "[21000, 21000]");
    // Nothing of the refused registration was kept.
    BOOST_TEST((co_await c.get("/v1/agent/service/api")).status == 404u);
  }());
}

BOOST_AUTO_TEST_CASE(a_config_file_definition_in_snake_case_gets_its_sidecar) {
  auto o = agent_test_options();
  o.service_definitions = {R"({"name": "web", "port": 8080, "connect": {"sidecar_service": {"proxy": {
    "upstreams": [{"destination_name": "db", "local_bind_port": 9191}]}}}})"};
  agent_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto sc = co_await c.get("/v1/agent/service/web-sidecar-proxy");
    BOOST_TEST_REQUIRE(sc.status == 200u, sc.body);
    json::value s = sc.json();
    BOOST_TEST(s.at("Port").as_int64() == 21000);
    BOOST_TEST(s.at("Proxy").at("Upstreams").as_array()[0].at("LocalBindPort").as_int64() == 9191);
  }());
}

BOOST_AUTO_TEST_CASE(deregistering_the_parent_deregisters_its_sidecar) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/register", web_with_sidecar)).status == 200u);
    // A proxy registered on its own, not as a sidecar, stays.
    auto own = co_await c.put("/v1/agent/service/register", R"({"Name": "web-proxy", "Kind": "connect-proxy",
      "Port": 20000, "Proxy": {"DestinationServiceName": "web"}})");
    BOOST_TEST_REQUIRE(own.status == 200u, own.body);
    BOOST_TEST((co_await c.put("/v1/agent/service/deregister/web")).status == 200u);
    BOOST_TEST((co_await c.get("/v1/agent/service/web-sidecar-proxy")).status == 404u);
    auto checks = (co_await c.get("/v1/agent/checks")).json();
    BOOST_TEST(checks.as_object().empty());
    BOOST_TEST((co_await c.get("/v1/agent/service/web-proxy")).status == 200u);
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(validation)

BOOST_AUTO_TEST_CASE(proxies_and_gateways_are_refused_with_consuls_texts) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    struct refusal {
      const char* body;
      const char* text;
    };
    const refusal cases[] = {
        {R"({"Name": "p", "Kind": "connect-proxy", "Port": 20000})",
         "Validation failed: 1 error occurred:\n\t* Proxy.DestinationServiceName must be non-empty for Connect proxy "
         "services\n\n"},
        {R"({"Name": "p", "Kind": "connect-proxy", "Proxy": {"DestinationServiceName": "web"}})",
         "Validation failed: 1 error occurred:\n\t* Port or SocketPath must be set for a connect-proxy\n\n"},
        {R"({"Name": "p", "Kind": "connect-proxy", "Port": 1, "Proxy": {"DestinationServiceName": "web",
           "Upstreams": [{"DestinationName": "db"}, {"DestinationName": "", "LocalBindPort": 2}]}})",
         "Validation failed: 2 errors occurred:\n\t* upstream local bind port or local socket path must be defined "
         "and nonzero\n\t* upstream destination name cannot be empty\n\n"},
        {R"({"Name": "g", "Kind": "mesh-gateway", "Proxy": {"DestinationServiceName": "web"}})",
         "Validation failed: 2 errors occurred:\n\t* Port must be non-zero for a mesh-gateway\n\t* The "
         "Proxy.DestinationServiceName configuration is invalid for a mesh-gateway\n\n"},
        {R"({"Name": "web", "Port": 1, "Connect": {"SidecarService": {"ID": "mine"}}})",
         "Validation failed: 1 error occurred:\n\t* A SidecarService cannot specify an ID as this is managed by the "
         "agent\n\n"},
        {R"({"Name": "web", "Connect": {"Native": true}})",
         "Validation failed: 1 error occurred:\n\t* Port or SocketPath must be set for a Connect native service.\n\n"},
        {R"({"Name": "web", "Port": 1, "Proxy": {"Bogus": 1}})", "Request decode failed: json: unknown field \"Bogus\""},
        {R"({"Name": "web", "Port": 1, "Connect": {"SidecarService": {"Meta": {"consul-x": "1"}}}})",
         "Invalid SidecarService: Key prefix 'consul-' is reserved for internal use"},
    };
    for (const auto& r : cases) {
      auto put = co_await c.put("/v1/agent/service/register", r.body);
      BOOST_TEST(put.status == 400u, r.body);
      BOOST_TEST(put.body == r.text, r.body);
    }
    // An ingress gateway needs no port; a mesh gateway with one is stored with its Proxy.
    auto ok = co_await c.put("/v1/agent/service/register", R"({"Name": "mgw", "Kind": "mesh-gateway", "Port": 8443,
      "Proxy": {"MeshGateway": {"Mode": "local"}, "Config": {"envoy_dns_discovery_type": "STRICT_DNS"}}})");
    BOOST_TEST_REQUIRE(ok.status == 200u, ok.body);
    auto g = (co_await c.get("/v1/agent/service/mgw")).json();
    BOOST_TEST(g.at("Proxy") == json::parse(R"({"Config": {"envoy_dns_discovery_type": "STRICT_DNS"},
      "MeshGateway": {"Mode": "local"}, "Expose": {}})"));
    BOOST_TEST((co_await c.put("/v1/agent/service/register", R"({"Name": "igw", "Kind": "ingress-gateway"})")).status ==
               200u);
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(connect_lookups)

BOOST_AUTO_TEST_CASE(connect_reads_return_the_proxies_and_the_native_instances) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/register", web_with_sidecar)).status == 200u);
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/register",
                                       R"({"Name": "web", "ID": "web-native", "Port": 8081, "Connect": {"Native": true}})"))
                           .status == 200u);
    BOOST_TEST_REQUIRE(
        (co_await c.put("/v1/agent/service/register", R"({"Name": "other", "Port": 1, "Connect": {"SidecarService": {}}})"))
            .status == 200u);
    auto catalog = co_await c.get("/v1/catalog/connect/web");
    BOOST_TEST_REQUIRE(catalog.status == 200u);
    BOOST_TEST(ids_of(catalog, "ServiceID") == (std::vector<std::string>{"web-native", "web-sidecar-proxy"}),
               boost::test_tools::per_element());
    json::value rows = catalog.json();
    BOOST_TEST(rows.as_array()[0].at("ServiceConnect") == json::parse(R"({"Native": true})"));
    auto health = co_await c.get("/v1/health/connect/web");
    BOOST_TEST(ids_of(health, "ID") == (std::vector<std::string>{"web-native", "web-sidecar-proxy"}),
               boost::test_tools::per_element());
    // The sidecar's checks come with it; ?passing leaves it out while its TCP check is critical
    // (nothing listens on its port), and ?filter applies as on /v1/health/service.
    json::value entries = health.json();
    BOOST_TEST(entries.as_array()[1].at("Checks").as_array().size() == 3u);  // serfHealth and its two
    auto passing = co_await c.get("/v1/health/connect/web?passing");
    BOOST_TEST(ids_of(passing, "ID") == (std::vector<std::string>{"web-native"}), boost::test_tools::per_element());
    auto by_port = co_await c.get("/v1/health/connect/web?filter=Service.Port%20%3D%3D%2021000");
    BOOST_TEST_REQUIRE(by_port.status == 200u, by_port.body);
    BOOST_TEST(ids_of(by_port, "ID") == (std::vector<std::string>{"web-sidecar-proxy"}), boost::test_tools::per_element());
    auto filtered = co_await c.get("/v1/catalog/connect/web?filter=ServiceKind%20%3D%3D%20%22connect-proxy%22");
    BOOST_TEST_REQUIRE(filtered.status == 200u, filtered.body);
    BOOST_TEST(ids_of(filtered, "ServiceID") == (std::vector<std::string>{"web-sidecar-proxy"}),
               boost::test_tools::per_element());
    BOOST_TEST((co_await c.get("/v1/catalog/connect/nothing")).json().as_array().empty());
    BOOST_TEST((co_await c.get("/v1/catalog/connect/")).status == 400u);
  }());
}

BOOST_AUTO_TEST_CASE(a_blocking_connect_read_returns_when_a_proxy_is_registered) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    agent_client writer(f.agent, f.ioc.get_executor());
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/register", R"({"Name": "web", "Port": 8080})")).status == 200u);
    auto first = co_await c.get("/v1/health/connect/web");
    BOOST_TEST(first.json().as_array().empty());
    auto started = std::chrono::steady_clock::now();
    using namespace asio::experimental::awaitable_operators;
    auto register_later = [&]() -> asio::awaitable<reply> {
      while (f.agent.waiting_queries() < 1) co_await sleep_for(std::chrono::milliseconds(5));
      co_return co_await writer.put("/v1/agent/service/register", web_with_sidecar);
    };
    auto blocked = c.get("/v1/health/connect/web?wait=10s&index=" + std::to_string(first.index()));
    auto later = register_later();
    auto [woke, put] = co_await (std::move(blocked) && std::move(later));
    BOOST_TEST(put.status == 200u);
    BOOST_TEST(ids_of(woke, "ID") == (std::vector<std::string>{"web-sidecar-proxy"}), boost::test_tools::per_element());
    BOOST_TEST(woke.index() > first.index());
    BOOST_TEST((std::chrono::steady_clock::now() - started < std::chrono::seconds(5)));
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(acls)

namespace {

dev_agent_options deny_by_default() {
  auto o = acl_test_options();
  o.acl.default_policy = "deny";
  return o;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_sidecar_needs_service_write_on_its_own_name) {
  agent_fixture f(deny_by_default());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    std::string web_only = co_await secret_with(c, "web-only", R"(service "web" { policy = "write" })");
    auto denied = co_await acl_call(c, "PUT", "/v1/agent/service/register", web_with_sidecar, web_only);
    BOOST_TEST(denied.status == 403u);
    BOOST_TEST(denied.body.find("lacks permission 'service:write' on \"web-sidecar-proxy\"") != std::string::npos,
               denied.body);
    BOOST_TEST((co_await acl_call(c, "GET", "/v1/agent/service/web", "")).status == 404u);  // nothing registered
    // A proxy also needs service:write on its destination.
    std::string proxy_only = co_await secret_with(c, "proxy-only", R"(service "p" { policy = "write" })");
    auto proxy = co_await acl_call(c, "PUT", "/v1/agent/service/register",
                                   R"({"Name": "p", "Kind": "connect-proxy", "Port": 1,
                                       "Proxy": {"DestinationServiceName": "web"}})",
                                   proxy_only);
    BOOST_TEST(proxy.status == 403u);
    BOOST_TEST(proxy.body.find("lacks permission 'service:write' on \"web\"") != std::string::npos, proxy.body);
    std::string prefix = co_await secret_with(c, "web-prefix", R"(service_prefix "web" { policy = "write" })");
    auto allowed = co_await acl_call(c, "PUT", "/v1/agent/service/register", web_with_sidecar, prefix);
    BOOST_TEST(allowed.status == 200u, allowed.body);
    BOOST_TEST((co_await acl_call(c, "GET", "/v1/agent/service/web-sidecar-proxy", "")).status == 200u);
  }());
}

BOOST_AUTO_TEST_CASE(connect_reads_need_service_read_on_the_service_then_filter_instances) {
  agent_fixture f(deny_by_default());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    BOOST_TEST_REQUIRE((co_await acl_call(c, "PUT", "/v1/agent/service/register", web_with_sidecar)).status == 200u);
    const char* node_read = R"(node_prefix "" { policy = "read" } )";
    std::string both = co_await secret_with(c, "both", std::string(node_read) + R"(service_prefix "web" { policy = "read" })");
    std::string web = co_await secret_with(c, "web", std::string(node_read) + R"(service "web" { policy = "read" })");
    std::string none = co_await secret_with(c, "none", node_read);
    for (const char* path : {"/v1/catalog/connect/web", "/v1/health/connect/web"}) {
      auto all = co_await acl_call(c, "GET", path, "", both);
      BOOST_TEST(all.json().as_array().size() == 1u, path);
      BOOST_TEST(!all.has_header("X-Consul-Results-Filtered-By-ACLs"), path);
      // service:read on web, not on its proxy: the proxy is filtered out, and that is said.
      auto filtered = co_await acl_call(c, "GET", path, "", web);
      BOOST_TEST(filtered.status == 200u, path);
      BOOST_TEST(filtered.json().as_array().empty(), path);
      BOOST_TEST(filtered.header("X-Consul-Results-Filtered-By-ACLs") == "true", path);
      // Without service:read on web itself the answer is empty, as Consul's.
      auto empty = co_await acl_call(c, "GET", path, "", none);
      BOOST_TEST(empty.status == 200u, path);
      BOOST_TEST(empty.json().as_array().empty(), path);
    }
  }());
}

BOOST_AUTO_TEST_SUITE_END()
