// What registrations of proxies and gateways carry beyond their fields, over raw HTTP, as Consul
// 1.14 answers: the virtual IPs of the services in the mesh ("consul-virtual"), terminating
// gateways in the connect reads, the sidecar's bookkeeping (its Token, removed when a
// re-registration drops it) and the Proxy defaults applied on registration.
#define BOOST_TEST_MODULE dev_agent_mesh_registration
#include <boost/test/unit_test.hpp>

#include "acl_test_support.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

using namespace coconsul;
using namespace coconsul::test;
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

const char* web_with_sidecar = R"({"Name": "web", "Port": 8080, "Connect": {"SidecarService": {}}})";

// The "consul-virtual" tagged address of the one catalog instance of `service` (null if none).
asio::awaitable<json::value> virtual_address(agent_client& c, std::string service) {
  auto r = co_await c.get("/v1/catalog/service/" + service);
  BOOST_TEST_REQUIRE(r.status == 200u, r.body);
  json::value rows = r.json();
  BOOST_TEST_REQUIRE(rows.as_array().size() == 1u, r.body);
  const json::object& row = rows.as_array()[0].as_object();
  if (!row.contains("ServiceTaggedAddresses")) co_return json::value(nullptr);
  const json::object& tagged = row.at("ServiceTaggedAddresses").as_object();
  if (!tagged.contains("consul-virtual")) co_return json::value(nullptr);
  co_return tagged.at("consul-virtual");
}

json::value vip(const char* address, int port) {
  json::object o;
  o["Address"] = address;
  o["Port"] = port;
  return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(virtual_ips)

BOOST_AUTO_TEST_CASE(mesh_services_get_addresses_of_240_0_0_0_in_order) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/register", web_with_sidecar)).status == 200u);
    // The proxy carries its destination's address with its own port; the typical service none.
    BOOST_TEST(co_await virtual_address(c, "web-sidecar-proxy") == vip("240.0.0.1", 21000));
    BOOST_TEST((co_await virtual_address(c, "web")).is_null());
    // A Connect-native service holds the next one; so does a proxy registered in the catalog.
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/register",
                                       R"({"Name": "api", "Port": 9000, "Connect": {"Native": true}})"))
                           .status == 200u);
    BOOST_TEST(co_await virtual_address(c, "api") == vip("240.0.0.2", 9000));
    auto reg = co_await c.put("/v1/catalog/register", R"({"Node": "n2", "Address": "10.0.0.2",
      "Service": {"Kind": "connect-proxy", "Service": "db-proxy", "Port": 7000,
                  "Proxy": {"DestinationServiceName": "db"}}})");
    BOOST_TEST_REQUIRE(reg.status == 200u, reg.body);
    BOOST_TEST(co_await virtual_address(c, "db-proxy") == vip("240.0.0.3", 7000));
    // A second proxy of web shares web's address.
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/register", R"({"Name": "web2-proxy",
      "Kind": "connect-proxy", "Port": 7001, "Proxy": {"DestinationServiceName": "web"}})"))
                           .status == 200u);
    BOOST_TEST(co_await virtual_address(c, "web2-proxy") == vip("240.0.0.1", 7001));
    // The node's services show it too.
    auto node = (co_await c.get("/v1/catalog/node/test-node")).json();
    BOOST_TEST(node.at("Services").at("api").at("TaggedAddresses").at("consul-virtual") == vip("240.0.0.2", 9000));
  }());
}

BOOST_AUTO_TEST_CASE(the_address_is_freed_with_the_last_instance_and_reused_first) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/register",
                                       R"({"Name": "a", "Port": 1, "Connect": {"Native": true}})"))
                           .status == 200u);
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/register",
                                       R"({"Name": "b", "Port": 2, "Connect": {"Native": true}})"))
                           .status == 200u);
    BOOST_TEST(co_await virtual_address(c, "b") == vip("240.0.0.2", 2));
    // A second instance of "a" keeps the name's address after the first goes.
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/register",
                                       R"({"Name": "a", "ID": "a2", "Port": 3, "Connect": {"Native": true}})"))
                           .status == 200u);
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/deregister/a")).status == 200u);
    BOOST_TEST(co_await virtual_address(c, "a") == vip("240.0.0.1", 3));
    // The last one gives it back; the next name in the mesh gets it before the counter moves on.
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/deregister/a2")).status == 200u);
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/register",
                                       R"({"Name": "c", "Port": 4, "Connect": {"Native": true}})"))
                           .status == 200u);
    BOOST_TEST(co_await virtual_address(c, "c") == vip("240.0.0.1", 4));
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/register",
                                       R"({"Name": "d", "Port": 5, "Connect": {"Native": true}})"))
                           .status == 200u);
    BOOST_TEST(co_await virtual_address(c, "d") == vip("240.0.0.3", 5));
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(terminating_gateways_in_connect_reads)

namespace {

const char* gateway = R"({"Name": "tgw", "Kind": "terminating-gateway", "Port": 8443})";
// Named, not braced inside a co_await expression (gcc 12 refuses that).
const std::vector<std::string> just_tgw{"tgw"};
const std::vector<std::string> billing_then_tgw{"billing", "tgw"};

std::vector<std::string> services_of(const reply& r) {
  std::vector<std::string> out;
  const json::value v = r.json();
  for (const auto& e : v.as_array()) {
    const json::object& o = e.as_object();
    out.emplace_back(o.contains("Service") ? o.at("Service").at("Service").as_string()
                                           : o.at("ServiceName").as_string());
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_linked_gateway_follows_the_proxies_and_native_instances) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/register", gateway)).status == 200u);
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/register", R"({"Name": "legacy", "Port": 80})")).status ==
                       200u);
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/register",
                                       R"({"Name": "billing", "Port": 81, "Connect": {"Native": true}})"))
                           .status == 200u);
    // No entry yet: the gateway serves nothing.
    BOOST_TEST((co_await c.get("/v1/catalog/connect/legacy")).json().as_array().empty());
    auto put = co_await c.put("/v1/config", R"({"Kind": "terminating-gateway", "Name": "tgw",
      "Services": [{"Name": "legacy"}, {"Name": "billing"}]})");
    BOOST_TEST_REQUIRE(put.status == 200u, put.body);
    for (const char* path : {"/v1/catalog/connect/legacy", "/v1/health/connect/legacy"}) {
      reply r = co_await c.get(path);
      BOOST_TEST(services_of(r) == just_tgw, boost::test_tools::per_element());
    }
    // After the service's own Connect instances.
    for (const char* path : {"/v1/catalog/connect/billing", "/v1/health/connect/billing"}) {
      reply r = co_await c.get(path);
      BOOST_TEST(services_of(r) == billing_then_tgw, boost::test_tools::per_element());
    }
    // The health form carries the gateway's checks with it, and ?passing applies to it.
    auto health = (co_await c.get("/v1/health/connect/legacy")).json();
    BOOST_TEST(health.as_array()[0].at("Service").at("Kind") == "terminating-gateway");
    BOOST_TEST(health.as_array()[0].at("Service").at("Port") == 8443);
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/check/register",
                                       R"({"Name": "gw-alive", "ServiceID": "tgw", "TTL": "30s"})"))
                           .status == 200u);
    BOOST_TEST((co_await c.get("/v1/health/connect/legacy?passing")).json().as_array().empty());
    // A wildcard links every typical service.
    BOOST_TEST((co_await c.get("/v1/catalog/connect/other")).json().as_array().empty());
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/register", R"({"Name": "other", "Port": 82})")).status ==
                       200u);
    BOOST_TEST_REQUIRE((co_await c.put("/v1/config", R"({"Kind": "terminating-gateway", "Name": "tgw",
      "Services": [{"Name": "*"}]})")).status == 200u);
    reply other = co_await c.get("/v1/catalog/connect/other");
    BOOST_TEST(services_of(other) == just_tgw, boost::test_tools::per_element());
  }());
}

BOOST_AUTO_TEST_CASE(a_blocking_connect_read_returns_when_the_entry_links_a_gateway) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    agent_client writer(f.agent, f.ioc.get_executor());
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/register", gateway)).status == 200u);
    auto first = co_await c.get("/v1/health/connect/legacy");
    BOOST_TEST(first.json().as_array().empty());
    auto started = std::chrono::steady_clock::now();
    using namespace asio::experimental::awaitable_operators;
    auto write_later = [&]() -> asio::awaitable<reply> {
      while (f.agent.waiting_queries() < 1) co_await sleep_for(std::chrono::milliseconds(5));
      co_return co_await writer.put("/v1/config", R"({"Kind": "terminating-gateway", "Name": "tgw",
        "Services": [{"Name": "legacy"}]})");
    };
    auto blocked = c.get("/v1/health/connect/legacy?wait=10s&index=" + std::to_string(first.index()));
    auto later = write_later();
    auto [woke, put] = co_await (std::move(blocked) && std::move(later));
    BOOST_TEST(put.status == 200u);
    BOOST_TEST(services_of(woke) == just_tgw, boost::test_tools::per_element());
    BOOST_TEST(woke.index() > first.index());
    BOOST_TEST((std::chrono::steady_clock::now() - started < std::chrono::seconds(5)));
  }());
}

BOOST_AUTO_TEST_CASE(the_gateway_needs_service_read_on_its_own_name) {
  auto o = acl_test_options();
  o.acl.default_policy = "deny";
  agent_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    BOOST_TEST_REQUIRE((co_await acl_call(c, "PUT", "/v1/agent/service/register", gateway)).status == 200u);
    BOOST_TEST_REQUIRE((co_await acl_call(c, "PUT", "/v1/config", R"({"Kind": "terminating-gateway", "Name": "tgw",
      "Services": [{"Name": "legacy"}]})")).status == 200u);
    const char* node_read = R"(node_prefix "" { policy = "read" } )";
    std::string both = co_await secret_with(c, "both", std::string(node_read) +
                                                            R"(service "legacy" { policy = "read" }
                                                               service "tgw" { policy = "read" })");
    std::string legacy = co_await secret_with(c, "legacy", std::string(node_read) + R"(service "legacy" { policy = "read" })");
    for (const char* path : {"/v1/catalog/connect/legacy", "/v1/health/connect/legacy"}) {
      auto all = co_await acl_call(c, "GET", path, "", both);
      BOOST_TEST(services_of(all) == just_tgw, boost::test_tools::per_element());
      BOOST_TEST(!all.has_header("X-Consul-Results-Filtered-By-ACLs"), path);
      auto filtered = co_await acl_call(c, "GET", path, "", legacy);
      BOOST_TEST(filtered.status == 200u, path);
      BOOST_TEST(filtered.json().as_array().empty(), path);
      BOOST_TEST(filtered.header("X-Consul-Results-Filtered-By-ACLs") == "true", path);
    }
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(sidecar_bookkeeping)

namespace {

std::string web_with_sidecar_token(const std::string& token) {
  return R"({"Name": "web", "Port": 8080, "Connect": {"SidecarService": {"Token": ")" + token + R"("}}})";
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_sidecar_token_is_the_one_the_sidecar_is_vetted_as) {
  auto o = acl_test_options();
  o.acl.default_policy = "deny";
  agent_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    std::string web = co_await secret_with(c, "web", R"(service "web" { policy = "write" })");
    std::string proxy = co_await secret_with(c, "proxy", R"(service "web-sidecar-proxy" { policy = "write" }
                                                           service "web" { policy = "write" })");
    // The request may write web, not its sidecar: the sidecar's own token may.
    auto allowed = co_await acl_call(c, "PUT", "/v1/agent/service/register", web_with_sidecar_token(proxy), web);
    BOOST_TEST(allowed.status == 200u, allowed.body);
    BOOST_TEST((co_await acl_call(c, "GET", "/v1/agent/service/web-sidecar-proxy", "")).status == 200u);
    // The request may write both, the sidecar's token only web: refused as that token.
    BOOST_TEST_REQUIRE((co_await acl_call(c, "PUT", "/v1/agent/service/deregister/web", "")).status == 200u);
    auto denied = co_await acl_call(c, "PUT", "/v1/agent/service/register", web_with_sidecar_token(web), proxy);
    BOOST_TEST(denied.status == 403u);
    BOOST_TEST(denied.body.find("lacks permission 'service:write' on \"web-sidecar-proxy\"") != std::string::npos,
               denied.body);
    // A token no one has is Consul's "ACL not found"; nothing is registered.
    auto unknown = co_await acl_call(c, "PUT", "/v1/agent/service/register",
                                     web_with_sidecar_token("00000000-0000-4000-8000-000000000000"), proxy);
    BOOST_TEST(unknown.status == 403u);
    BOOST_TEST(unknown.body.find("ACL not found") != std::string::npos, unknown.body);
    BOOST_TEST((co_await acl_call(c, "GET", "/v1/agent/service/web", "")).status == 404u);
  }());
}

BOOST_AUTO_TEST_CASE(re_registering_over_http_keeps_the_sidecar_and_a_reload_that_drops_it_removes_it) {
  auto file = std::make_shared<std::vector<std::string>>(std::vector<std::string>{web_with_sidecar});
  auto o = agent_test_options();
  o.service_definitions = *file;
  o.reload_source = [file] {
    dev_agent_options fresh;
    fresh.service_definitions = *file;
    return fresh;
  };
  agent_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    BOOST_TEST_REQUIRE((co_await c.get("/v1/agent/service/web-sidecar-proxy")).status == 200u);
    // Consul's HTTP registration leaves the sidecar a previous one made (only deregistering the
    // service removes it).
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/register", R"({"Name": "api", "Port": 9000,
      "Connect": {"SidecarService": {}}})")).status == 200u);
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/service/register", R"({"Name": "api", "Port": 9001})")).status ==
                       200u);
    BOOST_TEST((co_await c.get("/v1/agent/service/api-sidecar-proxy")).status == 200u);
    // A reload of a definition that no longer asks for one removes it, with its checks.
    *file = {R"({"Name": "web", "Port": 8080})"};
    BOOST_TEST_REQUIRE((co_await c.put("/v1/agent/reload")).status == 200u);
    BOOST_TEST((co_await c.get("/v1/agent/service/web-sidecar-proxy")).status == 404u);
    BOOST_TEST((co_await c.get("/v1/agent/service/web")).status == 200u);
    auto checks = (co_await c.get("/v1/agent/checks")).json();
    BOOST_TEST(!checks.as_object().contains("service:web-sidecar-proxy:1"));
    BOOST_TEST(checks.as_object().contains("service:api-sidecar-proxy:1"));
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(proxy_defaults_and_rules)

BOOST_AUTO_TEST_CASE(an_expose_path_keeps_the_protocol_it_was_given) {
  // Consul fills in "http" only when it builds the proxy's listeners (ExposeConfig.Finalize in
  // xDS), not on registration: the agent and the catalog show what was registered.
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto put = co_await c.put("/v1/agent/service/register", R"({"Name": "web", "Port": 8080, "Connect": {
      "SidecarService": {"Proxy": {"Expose": {"Paths": [{"Path": "/metrics", "LocalPathPort": 8080,
        "ListenerPort": 21500}, {"Path": "/grpc", "LocalPathPort": 8081, "ListenerPort": 21501, "Protocol": "HTTP2"}]}}}}})");
    BOOST_TEST_REQUIRE(put.status == 200u, put.body);
    const json::value expected = json::parse(R"({"Paths": [{"ListenerPort": 21500, "Path": "/metrics",
      "LocalPathPort": 8080}, {"ListenerPort": 21501, "Path": "/grpc", "LocalPathPort": 8081, "Protocol": "HTTP2"}]})");
    auto agent = (co_await c.get("/v1/agent/service/web-sidecar-proxy")).json();
    BOOST_TEST(agent.at("Proxy").at("Expose") == expected);
    auto catalog = (co_await c.get("/v1/catalog/service/web-sidecar-proxy")).json();
    BOOST_TEST(catalog.as_array()[0].at("ServiceProxy").at("Expose") == expected);
  }());
}

BOOST_AUTO_TEST_CASE(a_catalog_registration_is_held_to_the_same_connect_rules) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    // Consul's servicePreApply: NodeService.Validate, as a 500 with Go's multierror text; the
    // catalog has no agent to pick a port.
    auto no_port = co_await c.put("/v1/catalog/register", R"({"Node": "n2", "Address": "10.0.0.2",
      "Service": {"Kind": "connect-proxy", "Service": "p", "Proxy": {"DestinationServiceName": "web"}}})");
    BOOST_TEST(no_port.status == 500u);
    BOOST_TEST(no_port.body == "1 error occurred:\n\t* Port or SocketPath must be set for a connect-proxy\n\n");
    auto two = co_await c.put("/v1/catalog/register", R"({"Node": "n2", "Address": "10.0.0.2",
      "Service": {"Kind": "connect-proxy", "Service": "p", "Port": 1, "Connect": {"Native": true}}})");
    BOOST_TEST(two.status == 500u);
    BOOST_TEST(two.body == "2 errors occurred:\n\t* Proxy.DestinationServiceName must be non-empty for Connect proxy "
                           "services\n\t* A Proxy cannot also be Connect Native, only typical services\n\n");
    auto gateway = co_await c.put("/v1/catalog/register", R"({"Node": "n2", "Address": "10.0.0.2",
      "Service": {"Kind": "mesh-gateway", "Service": "mgw", "Port": 8443,
                  "Proxy": {"Upstreams": [{"DestinationName": "db", "LocalBindPort": 1}]}}})");
    BOOST_TEST(gateway.status == 500u);
    BOOST_TEST(gateway.body == "1 error occurred:\n\t* The Proxy.Upstreams configuration is invalid for a mesh-gateway\n\n");
    // Nothing was written.
    BOOST_TEST((co_await c.get("/v1/catalog/node/n2")).json().is_null());
  }());
}

BOOST_AUTO_TEST_CASE(a_catalog_proxy_needs_service_write_on_its_destination) {
  auto o = acl_test_options();
  o.acl.default_policy = "deny";
  agent_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    json::object policy;
    policy["Name"] = "proxy";
    policy["Rules"] = R"(node_prefix "" { policy = "write" } service "p" { policy = "write" })";
    std::string policy_body = json::serialize(policy);
    BOOST_TEST_REQUIRE((co_await acl_call(c, "PUT", "/v1/acl/policy", policy_body)).status == 200u);
    auto t = co_await acl_call(c, "PUT", "/v1/acl/token", R"({"Policies": [{"Name": "proxy"}]})");
    BOOST_TEST_REQUIRE(t.status == 200u, t.body);
    std::string token = str(t.json(), "SecretID");
    const char* body = R"({"Node": "n2", "Address": "10.0.0.2",
      "Service": {"Kind": "connect-proxy", "Service": "p", "Port": 1, "Proxy": {"DestinationServiceName": "web"}}})";
    auto denied = co_await acl_call(c, "PUT", "/v1/catalog/register", body, token);
    BOOST_TEST(denied.status == 403u);
    BOOST_TEST(denied.body.find("lacks permission 'service:write' on \"web\"") != std::string::npos, denied.body);
    auto allowed = co_await acl_call(c, "PUT", "/v1/catalog/register", body);  // the management token
    BOOST_TEST(allowed.status == 200u, allowed.body);
  }());
}

BOOST_AUTO_TEST_SUITE_END()
