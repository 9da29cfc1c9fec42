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
