// The dev agent over real sockets: Consul's shapes, status codes and texts for the agent,
// catalog, health, status and error paths.
#define BOOST_TEST_MODULE dev_agent_http
#include <boost/test/unit_test.hpp>

#include "agent_client.hpp"
#include "agent_fixture.hpp"

#include <boost/asio/as_tuple.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>

using namespace coconsul;
using namespace coconsul::test;
namespace asio = boost::asio;
namespace json = boost::json;

BOOST_AUTO_TEST_SUITE(protocol)

BOOST_AUTO_TEST_CASE(unknown_paths_methods_and_options) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/v1/nope");
    BOOST_TEST(r.status == 404u);
    BOOST_TEST(r.body == "Invalid URL path: not a recognized HTTP API endpoint\n");
    r = co_await c.get("/nope");
    BOOST_TEST(r.body == "Invalid URL path: if attempting to use the HTTP API, ensure the path starts with '/v1/'\n");
    r = co_await c.get("/v1/agent/service/register");
    BOOST_TEST(r.status == 405u);
    BOOST_TEST(r.header("Allow") == "OPTIONS,PUT");
    BOOST_TEST(r.body == "method GET not allowed");
    r = co_await c.request("OPTIONS", "/v1/kv/x");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.header("Allow") == "OPTIONS,GET,PUT,DELETE");
  }());
}

BOOST_AUTO_TEST_CASE(garbage_gets_gos_400_and_a_close) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    asio::ip::tcp::socket s(f.ioc);
    asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), f.agent.port());
    co_await s.async_connect(ep, asio::use_awaitable);
    std::string garbage = "HELLO THERE\r\n\r\n";
    co_await asio::async_write(s, asio::buffer(garbage), asio::use_awaitable);
    std::string reply;
    auto [ec, n] = co_await asio::async_read(s, asio::dynamic_buffer(reply), asio::as_tuple(asio::use_awaitable));
    BOOST_TEST(ec == asio::error::eof);  // the agent closed after answering
    BOOST_TEST(reply.rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0u);
  }());
}

BOOST_AUTO_TEST_CASE(status_and_pretty_printing) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/v1/status/leader");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.body == "\"127.0.0.1:8300\"\n");
    BOOST_TEST(r.header("Content-Type") == "application/json");
    r = co_await c.get("/v1/status/peers");
    BOOST_TEST(r.body == "[\n    \"127.0.0.1:8300\"\n]\n");
    r = co_await c.get("/v1/catalog/datacenters");
    BOOST_TEST(r.body == "[\n    \"dc1\"\n]\n");
    r = co_await c.get("/v1/agent/self");
    BOOST_TEST(r.json().at("Config").at("NodeName").as_string() == "test-node");
    BOOST_TEST(r.json().at("Config").at("Datacenter").as_string() == "dc1");
    r = co_await c.get("/v1/agent/members");
    BOOST_TEST(r.json().as_array().size() == 1u);
    BOOST_TEST(r.json().at(0).at("Status").as_int64() == 1);
  }());
}

BOOST_AUTO_TEST_CASE(read_headers_and_parameter_errors) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/v1/catalog/services");
    BOOST_TEST(r.index() >= 1u);
    BOOST_TEST(r.header("X-Consul-Knownleader") == "true");
    BOOST_TEST(r.header("X-Consul-Lastcontact") == "0");
    BOOST_TEST(r.header("X-Consul-Effective-Consistency") == "leader");
    r = co_await c.get("/v1/catalog/services?stale");
    BOOST_TEST(r.header("X-Consul-Effective-Consistency") == "stale");
    BOOST_TEST(!r.has_header("X-Cache"));
    r = co_await c.get("/v1/health/service/consul?cached");
    BOOST_TEST(r.header("X-Cache") == "MISS");
    r = co_await c.get("/v1/catalog/services?wait=abc&index=1");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == "Invalid wait time");
    r = co_await c.get("/v1/catalog/services?index=-1");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == "Invalid index");
    r = co_await c.get("/v1/catalog/services?index=&wait=");  // empty is absent, as in Consul
    BOOST_TEST(r.status == 200u);
    r = co_await c.get("/v1/catalog/services?dc=elsewhere");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "No path to datacenter");
    r = co_await c.get("/v1/catalog/services?dc=dc1");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.header("X-Consul-Default-Acl-Policy") == "allow");
    r = co_await c.get("/v1/catalog/services?stale&consistent");
    BOOST_TEST(r.body == "Cannot specify ?stale with ?consistent, conflicting semantics.");
    // A fresh dev agent has its node, serfHealth and the consul service, like consul agent -dev.
    r = co_await c.get("/v1/catalog/services");
    BOOST_TEST(r.json().as_object().contains("consul"));
    r = co_await c.get("/v1/health/node/test-node");
    BOOST_TEST(r.json().at(0).at("CheckID").as_string() == "serfHealth");
    BOOST_TEST(r.json().at(0).at("Status").as_string() == "passing");
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(agent_services)

BOOST_AUTO_TEST_CASE(register_with_ttl_check_defaults_and_shapes) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.put("/v1/agent/service/register",
                            R"({"Name":"web","ID":"web-1","Tags":["v1"],"Address":"127.0.0.1","Port":8080,
                                "Meta":{"env":"test"},"Check":{"TTL":"10s"}})");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.body.empty());
    r = co_await c.get("/v1/agent/services");
    auto svc = r.json().at("web-1");
    BOOST_TEST(svc.at("Service").as_string() == "web");
    BOOST_TEST(svc.at("Port").as_int64() == 8080);
    BOOST_TEST(svc.at("Weights").at("Passing").as_int64() == 1);
    BOOST_TEST(svc.at("Datacenter").as_string() == "dc1");
    BOOST_TEST(svc.at("TaggedAddresses").at("lan_ipv4").at("Address").as_string() == "127.0.0.1");
    r = co_await c.get("/v1/agent/checks");
    auto chk = r.json().at("service:web-1");
    BOOST_TEST(chk.at("Name").as_string() == "Service 'web' check");
    BOOST_TEST(chk.at("Status").as_string() == "critical");
    BOOST_TEST(chk.at("Type").as_string() == "ttl");
    BOOST_TEST(chk.at("ServiceTags").at(0).as_string() == "v1");

    r = co_await c.get("/v1/health/service/web?passing");
    BOOST_TEST(r.body == "[]\n");
    r = co_await c.put("/v1/agent/check/pass/service:web-1?note=fine");
    BOOST_TEST(r.status == 200u);
    r = co_await c.get("/v1/health/service/web?passing");
    auto entries = r.json().as_array();
    BOOST_REQUIRE(entries.size() == 1u);
    BOOST_TEST(entries[0].at("Service").at("ID").as_string() == "web-1");
    BOOST_TEST(entries[0].at("Node").at("Node").as_string() == "test-node");
    auto checks = entries[0].at("Checks").as_array();
    BOOST_TEST(checks.size() == 2u);  // serfHealth and the service's check
    r = co_await c.get("/v1/agent/checks");
    BOOST_TEST(r.json().at("service:web-1").at("Output").as_string() == "fine");

    r = co_await c.get("/v1/catalog/service/web");
    BOOST_TEST(r.json().at(0).at("ServiceID").as_string() == "web-1");
    BOOST_TEST(r.json().at(0).at("ServiceAddress").as_string() == "127.0.0.1");
    r = co_await c.get("/v1/catalog/service/nothing");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.body == "[]\n");
    r = co_await c.get("/v1/catalog/services");
    BOOST_TEST(r.json().at("web").at(0).as_string() == "v1");

    r = co_await c.put("/v1/agent/service/deregister/web-1");
    BOOST_TEST(r.status == 200u);
    r = co_await c.get("/v1/agent/services");
    BOOST_TEST(r.body == "{}\n");
    r = co_await c.put("/v1/agent/service/deregister/web-1");
    BOOST_TEST(r.status == 404u);
    BOOST_TEST(r.body == "Unknown service ID \"web-1\". Ensure that the service ID is passed, not the service name.");
  }());
}

BOOST_AUTO_TEST_CASE(several_checks_get_numbered_ids_and_replace_existing) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.put("/v1/agent/service/register",
                            R"({"Name":"db","Checks":[{"TTL":"10s"},{"TTL":"20s","Status":"passing"}]})");
    BOOST_TEST(r.status == 200u);
    r = co_await c.get("/v1/agent/checks");
    BOOST_TEST(r.json().at("service:db:1").at("Status").as_string() == "critical");
    BOOST_TEST(r.json().at("service:db:2").at("Status").as_string() == "passing");
    r = co_await c.put("/v1/agent/service/register?replace-existing-checks",
                       R"({"Name":"db","Checks":[{"CheckID":"only","TTL":"10s"}]})");
    r = co_await c.get("/v1/agent/checks");
    BOOST_TEST(r.json().as_object().size() == 1u);
    BOOST_TEST(r.json().as_object().contains("only"));
  }());
}

BOOST_AUTO_TEST_CASE(validation_errors_use_consuls_texts) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto expect = [&](std::string body, unsigned status, std::string text) -> asio::awaitable<void> {
      auto r = co_await c.put("/v1/agent/service/register", body);
      BOOST_TEST(r.status == status, body);
      BOOST_TEST(r.body == text, body);
    };
    co_await expect(R"({"Port":1})", 400, "Missing service name");
    co_await expect(R"({"Name":"x","Unknown":1})", 400, "Request decode failed: json: unknown field \"Unknown\"");
    co_await expect(R"({"Name":"x","Check":{"HTTP":"http://a/"}})", 400,
                    "Invalid check: Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks");
    co_await expect(R"({"Name":"x","Check":{"TTL":"5s","Interval":"5s"}})", 400,
                    "Invalid check: Interval and TTL cannot both be specified");
    co_await expect(R"({"Name":"x","Check":{"TTL":"5s","Status":"fine"}})", 400,
                    "Status for checks must 'passing', 'warning', 'critical'");
    co_await expect(R"({"Name":"x","Weights":{"Passing":0,"Warning":1}})", 400,
                    "Invalid Weights: Passing must be greater than 0");
    co_await expect(R"({"Name":"x","Address":"0.0.0.0"})", 400, "Invalid service address");
    co_await expect(R"({"Name":"x","Meta":{"bad key":"v"}})", 400, "Invalid Service Meta: Key contains invalid characters");
    co_await expect(R"({"Name":"x","Meta":{"consul-x":"v"}})", 400,
                    "Invalid Service Meta: Key prefix 'consul-' is reserved for internal use");
    co_await expect("{", 400, "Request decode failed: unexpected EOF");
    auto r = co_await c.put("/v1/agent/check/register", R"({"TTL":"5s"})");
    BOOST_TEST(r.body == "Missing check name");
    r = co_await c.put("/v1/agent/check/register", R"({"Name":"c","TTL":"5s","Status":"meh"})");
    BOOST_TEST(r.body == "Bad check status");
    r = co_await c.put("/v1/agent/check/register", R"({"Name":"c","TTL":"5s","ServiceID":"ghost"})");
    BOOST_TEST(r.status == 404u);
    BOOST_TEST(r.body == "ServiceID \"ghost\" does not exist");
  }());
}

BOOST_AUTO_TEST_CASE(ttl_updates_and_their_errors) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/agent/check/register", R"({"Name":"beat","TTL":"30s"})");
    co_await c.put("/v1/agent/check/register",
                   R"({"Name":"probe","TCP":"127.0.0.1:1","Interval":"1h"})");
    auto r = co_await c.put("/v1/agent/check/warn/beat?note=slow");
    BOOST_TEST(r.status == 200u);
    r = co_await c.get("/v1/agent/checks");
    BOOST_TEST(r.json().at("beat").at("Status").as_string() == "warning");
    BOOST_TEST(r.json().at("beat").at("Output").as_string() == "slow");
    r = co_await c.put("/v1/agent/check/update/beat", R"({"Status":"passing","Output":"ok"})");
    BOOST_TEST(r.status == 200u);
    r = co_await c.put("/v1/agent/check/update/beat", R"({"Status":"good"})");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == "Invalid check status: 'good'");
    r = co_await c.put("/v1/agent/check/update/beat", R"({"Status":"passing","Extra":1})");
    BOOST_TEST(r.body == "Request decode failed: json: unknown field \"Extra\"");
    r = co_await c.put("/v1/agent/check/pass/nope");
    BOOST_TEST(r.status == 404u);
    BOOST_TEST(r.body == "Unknown check ID \"nope\". Ensure that the check ID is passed, not the check name.");
    r = co_await c.put("/v1/agent/check/pass/probe");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "CheckID \"probe\" does not have associated TTL");
    r = co_await c.put("/v1/agent/check/fail/beat?note=" + std::string(5000, 'x'));
    r = co_await c.get("/v1/agent/checks");
    BOOST_TEST(r.json().at("beat").at("Output").as_string().size() ==
               4096 + std::string(" ... (captured 4096 of 5000 bytes)").size());
    r = co_await c.put("/v1/agent/check/deregister/beat");
    BOOST_TEST(r.status == 200u);
    r = co_await c.put("/v1/agent/check/deregister/beat");
    BOOST_TEST(r.status == 404u);
  }());
}

BOOST_AUTO_TEST_CASE(ttl_expiry_makes_the_check_critical) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/agent/check/register", R"({"Name":"beat","TTL":"100ms","Status":"passing"})");
    co_await c.put("/v1/agent/check/pass/beat?note=alive");
    auto r = co_await c.get("/v1/health/state/critical");
    auto idx = r.index();
    BOOST_TEST(r.body == "[]\n");
    r = co_await c.get("/v1/health/state/critical?index=" + std::to_string(idx) + "&wait=5s");
    BOOST_REQUIRE(r.json().as_array().size() == 1u);
    BOOST_TEST(r.json().at(0).at("Output").as_string() == "TTL expired (last output before timeout follows): alive");
  }());
}

BOOST_AUTO_TEST_CASE(one_service_with_its_content_hash_and_hash_blocking) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/agent/service/register", R"({"Name":"api","Port":1})");
    auto r = co_await c.get("/v1/agent/service/api");
    BOOST_TEST(r.status == 200u);
    std::string hash = r.header("X-Consul-ContentHash");
    BOOST_TEST(!hash.empty());
    BOOST_TEST(r.json().at("ContentHash").as_string() == hash);
    auto started = std::chrono::steady_clock::now();
    r = co_await c.get("/v1/agent/service/api?hash=" + hash + "&wait=100ms");
    BOOST_TEST((std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(100)));
    BOOST_TEST(r.header("X-Consul-ContentHash") == hash);
    co_await c.put("/v1/agent/service/register", R"({"Name":"api","Port":2})");
    r = co_await c.get("/v1/agent/service/api?hash=" + hash + "&wait=5s");
    BOOST_TEST(r.header("X-Consul-ContentHash") != hash);
    BOOST_TEST(r.json().at("Port").as_int64() == 2);
    r = co_await c.get("/v1/agent/service/ghost");
    BOOST_TEST(r.status == 404u);
  }());
}

BOOST_AUTO_TEST_CASE(agent_local_health_codes) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/agent/service/register", R"({"Name":"api","Check":{"TTL":"10s","Status":"passing"}})");
    auto r = co_await c.get("/v1/agent/health/service/id/api");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.json().at("AggregatedStatus").as_string() == "passing");
    co_await c.put("/v1/agent/check/warn/service:api");
    r = co_await c.get("/v1/agent/health/service/name/api?format=text");
    BOOST_TEST(r.status == 429u);
    BOOST_TEST(r.body == "warning");
    co_await c.put("/v1/agent/check/fail/service:api");
    r = co_await c.get("/v1/agent/health/service/id/api");
    BOOST_TEST(r.status == 503u);
    r = co_await c.get("/v1/agent/health/service/id/ghost");
    BOOST_TEST(r.status == 404u);
    co_await c.put("/v1/agent/check/pass/service:api");
    r = co_await c.put("/v1/agent/service/maintenance/api?enable=true&reason=upgrade");
    BOOST_TEST(r.status == 200u);
    r = co_await c.get("/v1/agent/health/service/id/api?format=text");
    BOOST_TEST(r.status == 503u);
    BOOST_TEST(r.body == "maintenance");
    r = co_await c.put("/v1/agent/service/maintenance/api");
    BOOST_TEST(r.body == "Missing value for enable");
    co_await c.put("/v1/agent/service/maintenance/api?enable=false");
    r = co_await c.get("/v1/agent/health/service/id/api");
    BOOST_TEST(r.status == 200u);
    // Node maintenance takes every service on the node out of ?passing.
    r = co_await c.put("/v1/agent/maintenance?enable=true&reason=kernel");
    BOOST_TEST(r.status == 200u);
    r = co_await c.get("/v1/health/service/api?passing");
    BOOST_TEST(r.body == "[]\n");
    r = co_await c.get("/v1/agent/checks");
    BOOST_TEST(r.json().at("_node_maintenance").at("Notes").as_string() == "kernel");
    co_await c.put("/v1/agent/maintenance?enable=false");
    r = co_await c.get("/v1/health/service/api?passing");
    BOOST_TEST(r.json().as_array().size() == 1u);
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(catalog_and_health)

BOOST_AUTO_TEST_CASE(catalog_register_and_deregister) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.put("/v1/catalog/register", R"({"Node":"ext","Address":"10.0.0.5","NodeMeta":{"rack":"r1"},
        "Service":{"Service":"redis","Port":6379,"Tags":["primary"]},
        "Check":{"CheckID":"redis-alive","Name":"alive","ServiceID":"redis","Status":"passing"}})");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.body == "true\n");
    r = co_await c.get("/v1/catalog/nodes");
    BOOST_TEST(r.json().as_array().size() == 2u);
    r = co_await c.get("/v1/catalog/nodes?node-meta=rack:r1");
    BOOST_TEST(r.json().as_array().size() == 1u);
    r = co_await c.get("/v1/catalog/node/ext");
    BOOST_TEST(r.json().at("Services").at("redis").at("Port").as_int64() == 6379);
    r = co_await c.get("/v1/catalog/node/ghost");
    BOOST_TEST(r.body == "null\n");
    r = co_await c.get("/v1/health/service/redis?passing&tag=primary");
    BOOST_TEST(r.json().as_array().size() == 1u);
    r = co_await c.get("/v1/health/service/redis?tag=secondary");
    BOOST_TEST(r.body == "[]\n");
    r = co_await c.get("/v1/health/service/redis?passing=maybe");
    BOOST_TEST(r.body == "Invalid value for ?passing");
    r = co_await c.get("/v1/health/checks/redis");
    BOOST_TEST(r.json().at(0).at("CheckID").as_string() == "redis-alive");
    r = co_await c.get("/v1/health/state/bogus");
    BOOST_TEST(r.status == 400u);
    r = co_await c.put("/v1/catalog/deregister", R"({"Node":"ext","ServiceID":"redis"})");
    BOOST_TEST(r.body == "true\n");
    r = co_await c.get("/v1/catalog/service/redis");
    BOOST_TEST(r.body == "[]\n");
    r = co_await c.put("/v1/catalog/deregister", R"({"Node":"ext"})");
    r = co_await c.get("/v1/catalog/nodes");
    BOOST_TEST(r.json().as_array().size() == 1u);
    r = co_await c.put("/v1/catalog/register", R"({"Address":"1.2.3.4"})");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "Must provide node");
  }());
}

BOOST_AUTO_TEST_CASE(filter_expressions) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/agent/service/register", R"({"Name":"web","ID":"a","Tags":["blue"],"Meta":{"v":"1"}})");
    co_await c.put("/v1/agent/service/register", R"({"Name":"web","ID":"b","Tags":["green"],"Meta":{"v":"2"}})");
    auto r = co_await c.get("/v1/agent/services?filter=blue%20in%20Tags");
    BOOST_TEST(r.json().as_object().size() == 1u);
    BOOST_TEST(r.json().as_object().contains("a"));
    r = co_await c.get("/v1/health/service/web?filter=Service.Meta.v%20%3D%3D%20%222%22");
    BOOST_TEST(r.json().as_array().size() == 1u);
    BOOST_TEST(r.json().at(0).at("Service").at("ID").as_string() == "b");
    r = co_await c.get("/v1/catalog/service/web?filter=ServiceTags%20contains%20green%20or%20ServiceID%20%3D%3D%20a");
    BOOST_TEST(r.json().as_array().size() == 2u);
    r = co_await c.get("/v1/agent/services?filter=Tags%20~%20blue");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body.find("Failed to create boolean expression evaluator") == 0u);
    r = co_await c.get("/v1/agent/services?filter=Nope%20%3D%3D%201");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body.find("Selector \"Nope\" is not valid") != std::string::npos);
  }());
}

BOOST_AUTO_TEST_SUITE_END()
