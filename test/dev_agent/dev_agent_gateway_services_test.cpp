// /v1/catalog/gateway-services/:gateway and /v1/health/ingress/:service on the dev agent, with
// the bodies Consul's clients send: the services an ingress or terminating gateway's entry
// links to (a wildcard expanded from the catalog, FromWildcard), the ingress gateways that
// expose a service as health entries, both blocking, and ACLs.

#define BOOST_TEST_MODULE dev_agent_gateway_services
#include <boost/test/unit_test.hpp>

#include "acl_test_support.hpp"
#include "agent_client.hpp"
#include "agent_fixture.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json.hpp>

#include <string>

using namespace coconsul;
using namespace coconsul::test;
namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

std::string without_indexes(const json::value& v) {
  json::array out;
  for (const auto& e : v.as_array()) {
    json::object o = e.as_object();
    o.erase("CreateIndex");
    o.erase("ModifyIndex");
    out.push_back(std::move(o));
  }
  return json::serialize(out);
}

asio::awaitable<void> register_service(agent_client& c, std::string body) {
  auto r = co_await c.put("/v1/agent/service/register", std::move(body));
  BOOST_TEST(r.status == 200u, r.body);
}

asio::awaitable<void> register_later(agent_client& c, std::string body, std::chrono::milliseconds d) {
  co_await sleep_for(d);
  co_await c.put("/v1/agent/service/register", std::move(body));
}

asio::awaitable<void> put_config_later(agent_client& c, std::string body, std::chrono::milliseconds d) {
  co_await sleep_for(d);
  co_await c.put("/v1/config", std::move(body));
}

const char* ingress_entry =
    R"({"Kind":"ingress-gateway","Name":"ingress","Listeners":[)"
    R"({"Port":8080,"Protocol":"http","Services":[{"Name":"web","Hosts":["web.example"]}]},)"
    R"({"Port":9090,"Protocol":"http","Services":[{"Name":"*"}]}]})";

}  // namespace

BOOST_AUTO_TEST_CASE(an_ingress_gateway_lists_its_services_and_expands_its_wildcard) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await register_service(c, R"({"Name":"web","Port":80})");
    co_await register_service(c, R"({"Name":"db","Port":5432})");
    co_await register_service(c, R"({"Name":"ingress","Kind":"ingress-gateway","Port":8080})");
    auto none = co_await c.get("/v1/catalog/gateway-services/ingress");
    BOOST_TEST(none.status == 200u);
    BOOST_TEST(none.body == "[]\n");
    // The wildcard needs an http listener: protocol http for every service.
    auto w = co_await c.put("/v1/config", R"({"Kind":"proxy-defaults","Name":"global","Config":{"protocol":"http"}})");
    BOOST_TEST(w.status == 200u);
    w = co_await c.put("/v1/config", ingress_entry);
    BOOST_TEST(w.status == 200u, w.body);

    auto r = co_await c.get("/v1/catalog/gateway-services/ingress");
    BOOST_TEST(r.status == 200u);
    // By service, then port; the gateway itself is not a typical service, so not a wildcard match.
    BOOST_TEST(without_indexes(r.json()) ==
               R"([{"Gateway":{"Name":"ingress"},"Service":{"Name":"db"},"GatewayKind":"ingress-gateway","Port":9090,)"
               R"("Protocol":"http","FromWildcard":true},)"
               R"({"Gateway":{"Name":"ingress"},"Service":{"Name":"web"},"GatewayKind":"ingress-gateway","Port":8080,)"
               R"("Protocol":"http","Hosts":["web.example"]},)"
               R"({"Gateway":{"Name":"ingress"},"Service":{"Name":"web"},"GatewayKind":"ingress-gateway","Port":9090,)"
               R"("Protocol":"http","FromWildcard":true}])");
    BOOST_TEST(r.index() > 0u);

    // A service registered later joins through the wildcard, waking a blocked read.
    auto writer = agent_client(f.agent, f.ioc.get_executor());
    asio::co_spawn(f.ioc, register_later(writer, R"({"Name":"api","Port":81})", 100ms), asio::detached);
    auto started = std::chrono::steady_clock::now();
    auto later = co_await c.get("/v1/catalog/gateway-services/ingress?index=" + std::to_string(r.index()) + "&wait=10s");
    BOOST_TEST((std::chrono::steady_clock::now() - started >= 90ms));
    BOOST_TEST(later.index() > r.index());
    BOOST_TEST(later.json().as_array().size() == 4u);
    BOOST_TEST(later.json().at(0).at("Service").at("Name").as_string() == "api");

    auto missing = co_await c.get("/v1/catalog/gateway-services/");
    BOOST_TEST(missing.status == 400u);
    BOOST_TEST(missing.body == "Missing gateway name");
  }());
}

BOOST_AUTO_TEST_CASE(a_terminating_gateway_lists_its_services_with_their_tls_files) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto w = co_await c.put("/v1/config", R"({"Kind":"terminating-gateway","Name":"egress","Services":[)"
                                          R"({"Name":"billing","CAFile":"/ca.pem","CertFile":"/cert.pem","KeyFile":"/key.pem","SNI":"b.example"}]})");
    BOOST_TEST(w.status == 200u, w.body);
    auto r = co_await c.get("/v1/catalog/gateway-services/egress");
    BOOST_TEST(without_indexes(r.json()) ==
               R"([{"Gateway":{"Name":"egress"},"Service":{"Name":"billing"},"GatewayKind":"terminating-gateway",)"
               R"("CAFile":"/ca.pem","CertFile":"/cert.pem","KeyFile":"/key.pem","SNI":"b.example"}])");
    auto entry = co_await c.get("/v1/config/terminating-gateway/egress");
    BOOST_TEST(r.json().at(0).at("ModifyIndex") == entry.json().at("ModifyIndex"));
    // Deleting the entry ends the mapping.
    co_await c.del("/v1/config/terminating-gateway/egress");
    r = co_await c.get("/v1/catalog/gateway-services/egress");
    BOOST_TEST(r.body == "[]\n");
  }());
}

BOOST_AUTO_TEST_CASE(health_ingress_lists_the_gateways_exposing_a_service) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await register_service(c, R"({"Name":"web","Port":80})");
    co_await register_service(c, R"({"Name":"ingress","Kind":"ingress-gateway","Port":8080})");
    // A gateway that no entry links to web exposes nothing.
    auto empty = co_await c.get("/v1/health/ingress/web");
    BOOST_TEST(empty.status == 200u);
    BOOST_TEST(empty.body == "[]\n");
    auto writer = agent_client(f.agent, f.ioc.get_executor());
    asio::co_spawn(f.ioc,
                   put_config_later(writer,
                                    R"({"Kind":"ingress-gateway","Name":"ingress","Listeners":[{"Port":8080,"Services":[{"Name":"web"}]}]})",
                                    100ms),
                   asio::detached);
    auto r = co_await c.get("/v1/health/ingress/web?index=" + std::to_string(empty.index()) + "&wait=10s");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.index() > empty.index());
    const json::value body = r.json();
    BOOST_REQUIRE(body.as_array().size() == 1u);
    const auto& e = body.at(0);
    BOOST_TEST(e.at("Service").at("Service").as_string() == "ingress");
    BOOST_TEST(e.at("Service").at("Kind").as_string() == "ingress-gateway");
    BOOST_TEST(e.at("Node").at("Node").as_string() == "test-node");
    BOOST_TEST(e.at("Checks").is_array());
    // A service no gateway exposes.
    auto other = co_await c.get("/v1/health/ingress/db");
    BOOST_TEST(other.body == "[]\n");
  }());
}

BOOST_AUTO_TEST_CASE(acls_on_gateway_services_and_ingress_health) {
  agent_fixture f(deny_by_default_options(acl_root));
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await acl_call(c, "PUT", "/v1/agent/service/register",
                               R"({"Name":"ingress","Kind":"ingress-gateway","Port":8080})");
    BOOST_TEST(r.status == 200u, r.body);
    r = co_await acl_call(c, "PUT", "/v1/config",
                          R"({"Kind":"ingress-gateway","Name":"ingress","Listeners":[{"Port":8080,"Services":[{"Name":"web"}]},)"
                          R"({"Port":8081,"Services":[{"Name":"db"}]}]})");
    BOOST_TEST(r.status == 200u, r.body);
    json::object policy;
    policy["Name"] = "reader";
    policy["Rules"] = R"(service "ingress" { policy = "read" } service "web" { policy = "read" } node_prefix "" { policy = "read" })";
    r = co_await acl_call(c, "PUT", "/v1/acl/policy", json::serialize(policy));
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);
    auto t = co_await acl_call(c, "PUT", "/v1/acl/token", R"({"Policies":[{"Name":"reader"}]})");
    std::string secret = str(t.json(), "SecretID");

    // Allowed: the gateway readable, db left out and said so.
    auto list = co_await acl_call(c, "GET", "/v1/catalog/gateway-services/ingress", "", secret);
    BOOST_TEST(list.status == 200u);
    BOOST_TEST(list.json().as_array().size() == 1u);
    BOOST_TEST(list.header("X-Consul-Results-Filtered-By-ACLs") == "true");
    // Denied: a gateway the token may not read.
    auto denied = co_await acl_call(c, "GET", "/v1/catalog/gateway-services/other", "", secret);
    BOOST_TEST(denied.status == 403u);
    BOOST_TEST(denied.body.find("lacks permission 'service:read' on \"other\"") != std::string::npos, denied.body);

    auto web = co_await acl_call(c, "GET", "/v1/health/ingress/web", "", secret);
    BOOST_TEST(web.json().as_array().size() == 1u);
    // Without service:read on db the answer is empty, not a 403 (as Consul's Health endpoint).
    auto db = co_await acl_call(c, "GET", "/v1/health/ingress/db", "", secret);
    BOOST_TEST(db.status == 200u);
    BOOST_TEST(db.body == "[]\n");
  }());
}
