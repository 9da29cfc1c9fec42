// What a fresh dev agent holds from its first request, as a fresh `consul agent -dev` does: the
// node (ID, meta, tagged addresses), serfHealth, the consul service, a leader, indexes above 1,
// and empty agent-local services and checks. Through raw HTTP and through the client.
#define BOOST_TEST_MODULE dev_agent_startup
#include <boost/test/unit_test.hpp>

#include "agent_client.hpp"
#include "agent_fixture.hpp"

#include <boost/json.hpp>

#include <regex>

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;
using coconsul::test::agent_client;
using coconsul::test::agent_fixture;

namespace {

coconsul::dev_agent_options options_with_identity() {
  auto o = coconsul::test::agent_test_options();
  o.node_id = "0bd1d7a7-3a52-4d7c-9b58-1e5dbb1e2a77";
  o.node_meta = {{"rack", "r1"}, {"env", "ci"}};
  o.ports.server = 18300;
  o.ports.grpc = 18502;
  return o;
}

bool is_uuid(const std::string& s) {
  static const std::regex uuid("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
  return std::regex_match(s, uuid);
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_node_has_its_id_meta_and_tagged_addresses) {
  agent_fixture f(options_with_identity());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/v1/catalog/nodes");
    BOOST_TEST(r.status == 200u);
    // The Go test server's readiness check: index >= 2 and a known leader.
    BOOST_TEST(r.index() >= 2u);
    BOOST_TEST(r.header("X-Consul-Knownleader") == "true");
    auto nodes = r.json().as_array();
    BOOST_TEST_REQUIRE(nodes.size() == 1u);
    const auto& n = nodes[0].as_object();
    BOOST_TEST(n.at("ID").as_string() == "0bd1d7a7-3a52-4d7c-9b58-1e5dbb1e2a77");
    BOOST_TEST(n.at("Node").as_string() == "test-node");
    BOOST_TEST(n.at("Address").as_string() == "127.0.0.1");
    json::object meta{{"consul-network-segment", ""}, {"env", "ci"}, {"rack", "r1"}};
    BOOST_TEST(n.at("Meta").as_object() == meta);
    json::object tagged{{"lan", "127.0.0.1"}, {"lan_ipv4", "127.0.0.1"}, {"wan", "127.0.0.1"}, {"wan_ipv4", "127.0.0.1"}};
    BOOST_TEST(n.at("TaggedAddresses").as_object() == tagged);
    // Anti-entropy's node update came after the registration, as in Consul.
    BOOST_TEST(n.at("ModifyIndex").as_int64() > n.at("CreateIndex").as_int64());

    auto leader = co_await c.get("/v1/status/leader");
    BOOST_TEST(leader.json().as_string() == "127.0.0.1:18300");
  }());
}

BOOST_AUTO_TEST_CASE(without_a_node_id_the_agent_makes_a_uuid) {
  agent_fixture f(coconsul::test::agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/v1/catalog/node/test-node");
    std::string id(r.json().at("Node").at("ID").as_string());
    BOOST_TEST(is_uuid(id), id);
    auto self = co_await c.get("/v1/agent/self");
    BOOST_TEST(self.json().at("Config").at("NodeID").as_string() == id);
  }());
}

BOOST_AUTO_TEST_CASE(serf_health_passes_and_the_consul_service_is_registered) {
  agent_fixture f(options_with_identity());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto checks = co_await c.get("/v1/health/node/test-node");
    BOOST_TEST(checks.index() >= 2u);
    auto arr = checks.json().as_array();
    BOOST_TEST_REQUIRE(arr.size() == 1u);
    const auto& serf = arr[0].as_object();
    BOOST_TEST(serf.at("CheckID").as_string() == "serfHealth");
    BOOST_TEST(serf.at("Name").as_string() == "Serf Health Status");
    BOOST_TEST(serf.at("Status").as_string() == "passing");
    BOOST_TEST(serf.at("Output").as_string() == "Agent alive and reachable");

    auto services = co_await c.get("/v1/catalog/services");
    BOOST_TEST(services.index() >= 2u);
    BOOST_TEST(services.json() == json::parse(R"({"consul":[]})"));

    auto consul = co_await c.get("/v1/catalog/service/consul");
    BOOST_TEST(consul.index() >= 2u);
    auto inst = consul.json().as_array();
    BOOST_TEST_REQUIRE(inst.size() == 1u);
    const auto& s = inst[0].as_object();
    BOOST_TEST(s.at("ServiceID").as_string() == "consul");
    BOOST_TEST(s.at("ServicePort").as_int64() == 18300);
    BOOST_TEST(s.at("ServiceAddress").as_string() == "");
    const auto& meta = s.at("ServiceMeta").as_object();
    BOOST_TEST(meta.at("version").as_string() == "1.14.0");
    BOOST_TEST(meta.at("grpc_port").as_string() == "18502");
    BOOST_TEST(meta.at("raft_version").as_string() == "3");
    BOOST_TEST(meta.at("non_voter").as_string() == "false");
    BOOST_TEST(meta.at("read_replica").as_string() == "false");
    BOOST_TEST(meta.at("serf_protocol_current").as_string() == "2");
  }());
}

BOOST_AUTO_TEST_CASE(agent_local_services_and_checks_start_empty) {
  agent_fixture f(options_with_identity());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    // Anti-entropy skips the consul service and serfHealth: the agent itself owns neither.
    BOOST_TEST((co_await c.get("/v1/agent/services")).json() == json::object());
    BOOST_TEST((co_await c.get("/v1/agent/checks")).json() == json::object());
  }());
}

BOOST_AUTO_TEST_CASE(the_client_sees_a_leader_and_an_index_above_one) {
  agent_fixture f(options_with_identity());
  f.run([&]() -> asio::awaitable<void> {
    auto nodes = co_await f.consul.catalog().nodes();
    BOOST_TEST(nodes.meta.known_leader);
    BOOST_TEST(nodes.meta.last_index >= 2u);
    BOOST_TEST_REQUIRE(nodes.value.size() == 1u);
    BOOST_TEST(nodes.value[0].id == "0bd1d7a7-3a52-4d7c-9b58-1e5dbb1e2a77");
    BOOST_TEST(nodes.value[0].meta.at("rack") == "r1");
    BOOST_TEST(nodes.value[0].tagged_addresses.size() == 4u);
    auto health = co_await f.consul.health().node("test-node");
    BOOST_TEST(health.meta.last_index >= 2u);
    BOOST_TEST_REQUIRE(health.value.size() == 1u);
    BOOST_TEST(health.value[0].check_id == "serfHealth");
    auto services = co_await f.consul.catalog().services();
    BOOST_TEST(services.meta.last_index >= 2u);
    BOOST_TEST(services.value.count("consul") == 1u);
    // A blocking query from the first index waits: nothing changes on its own.
    coconsul::query_options o;
    o.index = nodes.meta.last_index;
    o.wait = 200ms;
    auto again = co_await f.consul.catalog().nodes(o);
    BOOST_TEST(again.meta.last_index == nodes.meta.last_index);
  }());
}
