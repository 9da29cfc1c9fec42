// GET|POST /v1/discovery-chain/:service on the dev agent, with the requests Consul's clients
// send: the default chain's exact JSON, resolvers (subsets, redirect, failover), splitters
// (nested ones flattened) and routers, each override with its CustomizationHash, the
// compiler's errors refusing config entry writes (and L7 intentions meeting a tcp chain),
// blocking, and ACLs.

#define BOOST_TEST_MODULE dev_agent_discovery_chain
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

constexpr const char* cluster_id = "11111111-2222-4333-8444-555555555555";
const std::string trust_domain = std::string(cluster_id) + ".consul";

dev_agent_options chain_options() {
  auto o = agent_test_options();
  o.connect.cluster_id = cluster_id;
  return o;
}

asio::awaitable<void> put_entry(agent_client& c, std::string body) {
  auto r = co_await c.put("/v1/config", body);
  BOOST_TEST(r.status == 200u, body << " -> " << r.body);
}

asio::awaitable<void> put_entry_later(agent_client& c, std::string body, std::chrono::milliseconds d) {
  co_await sleep_for(d);
  co_await c.put("/v1/config", std::move(body));
}

// A write the chain checks refuse: 500 with Consul's text.
asio::awaitable<void> expect_refused(agent_client& c, std::string body, std::string text) {
  auto r = co_await c.put("/v1/config", body);
  BOOST_TEST(r.status == 500u, body << " -> " << r.body);
  BOOST_TEST(r.body == text);
}

// The compiled chain of a GET (or a POST with `body`).
asio::awaitable<json::object> chain_of(agent_client& c, std::string service, std::string body = "") {
  reply r;
  if (body.empty())
    r = co_await c.get("/v1/discovery-chain/" + service);
  else
    r = co_await c.request("POST", "/v1/discovery-chain/" + service, body);
  BOOST_TEST_REQUIRE(r.status == 200u, r.body);
  co_return r.json().at("Chain").as_object();
}

std::string keys(const json::value& o) {
  std::string out;
  for (const auto& [k, v] : o.as_object()) out += (out.empty() ? "" : ",") + std::string(k);
  return out;
}

const char* web_resolver =
    R"({"Kind":"service-resolver","Name":"web","DefaultSubset":"v1","ConnectTimeout":"15s",)"
    R"("Subsets":{"v1":{"Filter":"Service.Meta.version == v1"},"v2":{"Filter":"Service.Meta.version == v2","OnlyPassing":true}},)"
    R"("Failover":{"*":{"Datacenters":["dc2","dc3"]}}})";

}  // namespace

BOOST_AUTO_TEST_CASE(the_default_chain_is_consuls_json) {
  agent_fixture f(chain_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/v1/discovery-chain/web");
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);
    std::string sni = "web.default.dc1.internal." + trust_domain;
    BOOST_TEST(json::serialize(r.json()) ==
               R"({"Chain":{"ServiceName":"web","Namespace":"default","Partition":"default","Datacenter":"dc1",)"
               R"("Default":true,"Protocol":"tcp","StartNode":"resolver:web.default.default.dc1",)"
               R"("Nodes":{"resolver:web.default.default.dc1":{"Type":"resolver","Name":"web.default.default.dc1",)"
               R"("Resolver":{"ConnectTimeout":"5s","Default":true,"Target":"web.default.default.dc1"}}},)"
               R"("Targets":{"web.default.default.dc1":{"ConnectTimeout":"5s","ID":"web.default.default.dc1",)"
               R"("Service":"web","Namespace":"default","Partition":"default","Datacenter":"dc1","MeshGateway":{},)"
               R"("Subset":{},"TransparentProxy":{},"SNI":")" + sni + R"(","Name":")" + sni + R"("}}}})");
    BOOST_TEST(r.index() > 0u);

    // ?compile-dc names the datacenter the targets are in.
    auto dc2 = co_await chain_of(c, "web?compile-dc=dc2");
    BOOST_TEST(dc2.at("Datacenter").as_string() == "dc2");
    BOOST_TEST(dc2.at("StartNode").as_string() == "resolver:web.default.default.dc2");

    auto missing = co_await c.get("/v1/discovery-chain/");
    BOOST_TEST(missing.status == 400u);
    BOOST_TEST(missing.body == "Missing chain name");
  }());
}

BOOST_AUTO_TEST_CASE(a_resolver_applies_its_default_subset_failover_and_timeout_and_a_redirect_follows_it) {
  agent_fixture f(chain_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await put_entry(c, web_resolver);
    auto web = co_await chain_of(c, "web");
    BOOST_TEST(!web.contains("Default"));
    BOOST_TEST(web.at("StartNode").as_string() == "resolver:v1.web.default.default.dc1");
    BOOST_TEST(json::serialize(web.at("Nodes")) ==
               R"({"resolver:v1.web.default.default.dc1":{"Type":"resolver","Name":"v1.web.default.default.dc1",)"
               R"("Resolver":{"ConnectTimeout":"15s","Target":"v1.web.default.default.dc1",)"
               R"("Failover":{"Targets":["v1.web.default.default.dc2","v1.web.default.default.dc3"]}}}})");
    // The subset-less target the chain started from is not kept; the failover targets are.
    BOOST_TEST(keys(web.at("Targets")) ==
               "v1.web.default.default.dc1,v1.web.default.default.dc2,v1.web.default.default.dc3");
    const auto& dc2 = web.at("Targets").at("v1.web.default.default.dc2");
    BOOST_TEST(json::serialize(dc2.at("Subset")) == R"({"Filter":"Service.Meta.version == v1"})");
    BOOST_TEST(dc2.at("ConnectTimeout").as_string() == "15s");
    BOOST_TEST(dc2.at("SNI").as_string() == "v1.web.default.dc2.internal." + trust_domain);

    // api redirects to web's v2: the chain resolves web's subset, with web's failover.
    co_await put_entry(c, R"({"Kind":"service-resolver","Name":"api","Redirect":{"Service":"web","ServiceSubset":"v2"}})");
    auto api = co_await chain_of(c, "api");
    BOOST_TEST(api.at("ServiceName").as_string() == "api");
    BOOST_TEST(!api.contains("Default"));
    BOOST_TEST(api.at("StartNode").as_string() == "resolver:v2.web.default.default.dc1");
    BOOST_TEST(keys(api.at("Targets")) ==
               "v2.web.default.default.dc1,v2.web.default.default.dc2,v2.web.default.default.dc3");
    BOOST_TEST(json::serialize(api.at("Targets").at("v2.web.default.default.dc1").at("Subset")) ==
               R"({"Filter":"Service.Meta.version == v2","OnlyPassing":true})");

    // Failover to named targets, one of them oneself (left out).
    co_await put_entry(c, R"({"Kind":"service-resolver","Name":"db","Failover":{"*":{"Targets":[)"
                          R"({"Service":"db"},{"Service":"db-backup"},{"Service":"db","Datacenter":"dc2"}]}}})");
    auto db = co_await chain_of(c, "db");
    BOOST_TEST(json::serialize(db.at("Nodes").at("resolver:db.default.default.dc1").at("Resolver").at("Failover")) ==
               R"({"Targets":["db-backup.default.default.dc1","db.default.default.dc2"]})");
  }());
}

BOOST_AUTO_TEST_CASE(a_router_and_splitters_compile_to_their_nodes) {
  agent_fixture f(chain_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await put_entry(c, R"({"Kind":"proxy-defaults","Name":"global","Config":{"protocol":"http"}})");
    co_await put_entry(c, R"({"Kind":"service-resolver","Name":"web","Subsets":{"v1":{"Filter":"Service.Meta.version == v1"}}})");
    // beta's splitter nested inside web's is flattened: 50 % of 50 % each.
    co_await put_entry(c, R"({"Kind":"service-splitter","Name":"beta","Splits":[)"
                          R"({"Weight":50,"Service":"beta-a"},{"Weight":50,"Service":"beta-b"}]})");
    co_await put_entry(c, R"({"Kind":"service-splitter","Name":"web","Splits":[)"
                          R"({"Weight":50,"ServiceSubset":"v1"},)"
                          R"({"Weight":50,"Service":"beta","RequestHeaders":{"Set":{"x-from":"web"}}}]})");
    co_await put_entry(c, R"({"Kind":"service-router","Name":"web","Routes":[)"
                          R"({"Match":{"HTTP":{"PathPrefix":"/admin"}},"Destination":{"Service":"admin"}}]})");
    auto web = co_await chain_of(c, "web");
    BOOST_TEST(web.at("Protocol").as_string() == "http");
    BOOST_TEST(!web.contains("Default"));
    BOOST_TEST(web.at("StartNode").as_string() == "router:web.default.default");
    BOOST_TEST(keys(web.at("Nodes")) ==
               "resolver:admin.default.default.dc1,resolver:beta-a.default.default.dc1,"
               "resolver:beta-b.default.default.dc1,resolver:v1.web.default.default.dc1,router:web.default.default,"
               "splitter:web.default.default");
    const auto& routes = web.at("Nodes").at("router:web.default.default").at("Routes").as_array();
    BOOST_TEST_REQUIRE(routes.size() == 2u);
    BOOST_TEST(routes[0].at("NextNode").as_string() == "resolver:admin.default.default.dc1");
    BOOST_TEST(routes[0].at("Definition").at("Match").at("HTTP").at("PathPrefix").as_string() == "/admin");
    // The catch-all route Consul appends.
    BOOST_TEST(routes[1].at("NextNode").as_string() == "splitter:web.default.default");
    BOOST_TEST(routes[1].at("Definition").at("Match").at("HTTP").at("PathPrefix").as_string() == "/");
    BOOST_TEST(routes[1].at("Definition").at("Destination").at("Service").as_string() == "web");

    const auto& splits = web.at("Nodes").at("splitter:web.default.default").at("Splits").as_array();
    BOOST_TEST_REQUIRE(splits.size() == 3u);
    BOOST_TEST(splits[0].at("Weight").to_number<double>() == 50.0);
    BOOST_TEST(splits[0].at("NextNode").as_string() == "resolver:v1.web.default.default.dc1");
    BOOST_TEST(splits[1].at("Weight").to_number<double>() == 25.0);
    BOOST_TEST(splits[1].at("NextNode").as_string() == "resolver:beta-a.default.default.dc1");
    BOOST_TEST(splits[2].at("NextNode").as_string() == "resolver:beta-b.default.default.dc1");
    // The parent split's request headers carried into the flattened legs.
    BOOST_TEST(splits[1].at("Definition").at("RequestHeaders").at("Set").at("x-from").as_string() == "web");
    BOOST_TEST(splits[1].at("Definition").at("Service").as_string() == "beta-a");
  }());
}

BOOST_AUTO_TEST_CASE(each_override_changes_the_chain_and_sets_its_customization_hash) {
  agent_fixture f(chain_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    // All three together: Consul's own test value for these overrides.
    auto all = co_await chain_of(c, "web",
                                 R"({"OverrideProtocol":"grpc","OverrideConnectTimeout":"22s",)"
                                 R"("OverrideMeshGateway":{"Mode":"local"}})");
    BOOST_TEST(all.at("CustomizationHash").as_string() == "98809527");
    BOOST_TEST(all.at("Protocol").as_string() == "grpc");
    const auto& t = all.at("Targets").at("web.default.default.dc1");
    BOOST_TEST(t.at("ConnectTimeout").as_string() == "22s");
    BOOST_TEST(json::serialize(t.at("MeshGateway")) == R"({"Mode":"local"})");

    // One at a time, snake_case keys and a duration in nanoseconds accepted as mapstructure does.
    auto timeout = co_await chain_of(c, "web", R"({"override_connect_timeout":1000000000})");
    BOOST_TEST(timeout.at("Targets").at("web.default.default.dc1").at("ConnectTimeout").as_string() == "1s");
    BOOST_TEST(timeout.at("CustomizationHash").as_string().size() == 8u);
    auto mesh = co_await chain_of(c, "web", R"({"OverrideMeshGateway":{"Mode":"remote"}})");
    BOOST_TEST(mesh.at("Targets").at("web.default.default.dc1").at("MeshGateway").at("Mode").as_string() == "remote");
    BOOST_TEST(mesh.at("CustomizationHash") != timeout.at("CustomizationHash"));
    // An override equal to what the chain has anyway customizes nothing.
    auto same = co_await chain_of(c, "web", R"({"OverrideProtocol":"tcp","OverrideConnectTimeout":"5s"})");
    BOOST_TEST(!same.contains("CustomizationHash"));

    // tcp over an http chain with a router: the router is dropped, the hash set.
    co_await put_entry(c, R"({"Kind":"service-defaults","Name":"web","Protocol":"http"})");
    co_await put_entry(c, R"({"Kind":"service-router","Name":"web","Routes":[{"Match":{"HTTP":{"PathPrefix":"/a"}}}]})");
    auto routed = co_await chain_of(c, "web");
    BOOST_TEST(routed.at("StartNode").as_string() == "router:web.default.default");
    auto tcp = co_await chain_of(c, "web", R"({"OverrideProtocol":"tcp"})");
    BOOST_TEST(tcp.at("StartNode").as_string() == "resolver:web.default.default.dc1");
    BOOST_TEST(tcp.at("Protocol").as_string() == "tcp");
    BOOST_TEST(tcp.contains("CustomizationHash"));

    auto bad = co_await c.request("POST", "/v1/discovery-chain/web", R"({"OverrideMeshGateway":{"Mode":"sideways"}})");
    BOOST_TEST(bad.status == 400u);
    BOOST_TEST(bad.body == "Invalid OverrideMeshGateway.Mode parameter");
    auto badtime = co_await c.request("POST", "/v1/discovery-chain/web", R"({"OverrideConnectTimeout":"soon"})");
    BOOST_TEST(badtime.status == 400u);
    BOOST_TEST(badtime.body.starts_with("Request decoding failed: "), badtime.body);
    auto empty = co_await c.request("POST", "/v1/discovery-chain/web", "");
    BOOST_TEST(empty.status == 400u);
    BOOST_TEST(empty.body == "Request decoding failed: EOF");
  }());
}

BOOST_AUTO_TEST_CASE(the_compilers_errors_refuse_config_entry_writes) {
  agent_fixture f(chain_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await expect_refused(c, R"({"Kind":"service-router","Name":"web","Routes":[{"Match":{"HTTP":{"PathPrefix":"/a"}}}]})",
                            R"(discovery chain "web" uses a protocol "tcp" that does not permit advanced routing or splitting behavior)");

    co_await put_entry(c, R"({"Kind":"service-defaults","Name":"web","Protocol":"http"})");
    co_await put_entry(c, R"({"Kind":"service-defaults","Name":"api","Protocol":"tcp"})");
    co_await expect_refused(c, R"({"Kind":"service-router","Name":"web","Routes":[{"Destination":{"Service":"api"}}]})",
                            R"(discovery chain "web" uses inconsistent protocols; service "api" has "tcp" which is not "http")");

    co_await put_entry(c, R"({"Kind":"service-resolver","Name":"a","Redirect":{"Service":"b"}})");
    co_await expect_refused(c, R"({"Kind":"service-resolver","Name":"b","Redirect":{"Service":"a"}})",
                            "detected circular resolver redirect: [a.default.default.dc1 -> b.default.default.dc1 -> a.default.default.dc1]");

    co_await put_entry(c, R"({"Kind":"service-defaults","Name":"s1","Protocol":"http"})");
    co_await put_entry(c, R"({"Kind":"service-defaults","Name":"s2","Protocol":"http"})");
    co_await put_entry(c, R"({"Kind":"service-splitter","Name":"s1","Splits":[{"Weight":100,"Service":"s2"}]})");
    co_await expect_refused(c, R"({"Kind":"service-splitter","Name":"s2","Splits":[{"Weight":100,"Service":"s1"}]})",
                            "detected circular reference: [splitter:s1.default.default -> splitter:s2.default.default -> "
               "splitter:s1.default.default]");

    co_await expect_refused(c, R"({"Kind":"service-splitter","Name":"web","Splits":[{"Weight":100,"ServiceSubset":"v9"}]})",
                            R"(service "web" does not have a subset named "v9")");
    co_await expect_refused(c, R"({"Kind":"service-splitter","Name":"web","Splits":[{"Weight":90}]})",
                            "the sum of all split weights must be 100, not 90.000000");

    co_await put_entry(c, R"({"Kind":"service-defaults","Name":"ext","ExternalSNI":"ext.example.com"})");
    co_await expect_refused(c, R"({"Kind":"service-resolver","Name":"ext","Subsets":{"v1":{"Filter":"Service.Meta.v == 1"}}})",
                            R"(service "ext" has an external SNI set; cannot define subsets for external services)");

    // A delete that would break a chain is refused too: web's router needs web's http.
    co_await put_entry(c, R"({"Kind":"service-router","Name":"web","Routes":[{"Match":{"HTTP":{"PathPrefix":"/a"}}}]})");
    auto del = co_await c.del("/v1/config/service-defaults/web");
    BOOST_TEST(del.status == 500u);
    BOOST_TEST(del.body ==
               R"(discovery chain "web" uses a protocol "tcp" that does not permit advanced routing or splitting behavior)");
  }());
}

BOOST_AUTO_TEST_CASE(a_protocol_change_is_refused_while_an_intention_has_l7_permissions) {
  agent_fixture f(chain_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await put_entry(c, R"({"Kind":"service-defaults","Name":"web","Protocol":"http"})");
    co_await put_entry(c, R"({"Kind":"service-intentions","Name":"web","Sources":[{"Name":"api",)"
                          R"("Permissions":[{"Action":"allow","HTTP":{"PathPrefix":"/a"}}]}]})");
    co_await expect_refused(c, R"({"Kind":"service-defaults","Name":"web","Protocol":"tcp"})",
                            R"(service "web" has protocol "tcp", which is incompatible with L7 intentions permissions)");
    // Deleting the defaults would leave web's chain tcp as well.
    auto del = co_await c.del("/v1/config/service-defaults/web");
    BOOST_TEST(del.status == 500u);
    BOOST_TEST(del.body == R"(service "web" has protocol "tcp", which is incompatible with L7 intentions permissions)");
    co_await put_entry(c, R"({"Kind":"service-defaults","Name":"web","Protocol":"grpc"})");
  }());
}

BOOST_AUTO_TEST_CASE(a_blocked_read_wakes_when_an_entry_changes_the_chain) {
  agent_fixture f(chain_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto first = co_await c.get("/v1/discovery-chain/web");
    BOOST_TEST_REQUIRE(first.status == 200u);
    auto writer = agent_client(f.agent, f.ioc.get_executor());
    asio::co_spawn(f.ioc,
                   put_entry_later(writer, R"({"Kind":"service-resolver","Name":"web","ConnectTimeout":"9s"})", 100ms),
                   asio::detached);
    auto started = std::chrono::steady_clock::now();
    auto later = co_await c.get("/v1/discovery-chain/web?index=" + std::to_string(first.index()) + "&wait=10s");
    BOOST_TEST((std::chrono::steady_clock::now() - started >= 90ms));
    BOOST_TEST(later.index() > first.index());
    BOOST_TEST(later.json().at("Chain").at("Targets").at("web.default.default.dc1").at("ConnectTimeout").as_string() ==
               "9s");
  }());
}

BOOST_AUTO_TEST_CASE(reading_a_chain_needs_service_read_on_its_service) {
  auto o = deny_by_default_options(acl_root);
  o.connect.cluster_id = cluster_id;
  agent_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    json::object policy;
    policy["Name"] = "web-reader";
    policy["Rules"] = R"(service "web" { policy = "read" })";
    auto r = co_await acl_call(c, "PUT", "/v1/acl/policy", json::serialize(policy));
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);
    auto t = co_await acl_call(c, "PUT", "/v1/acl/token", R"({"Policies":[{"Name":"web-reader"}]})");
    std::string secret = str(t.json(), "SecretID");

    auto allowed = co_await acl_call(c, "GET", "/v1/discovery-chain/web", "", secret);
    BOOST_TEST(allowed.status == 200u, allowed.body);
    BOOST_TEST(allowed.json().at("Chain").at("ServiceName").as_string() == "web");
    auto denied = co_await acl_call(c, "GET", "/v1/discovery-chain/db", "", secret);
    BOOST_TEST(denied.status == 403u);
    BOOST_TEST(denied.body.find("lacks permission 'service:read' on \"db\"") != std::string::npos, denied.body);
  }());
}
