// The dev agent's /v1/config byte for byte, with the bodies Consul's clients send: every kind
// written and read back as Consul renders it (defaults filled in, empty structs kept), lenient
// keys, decode errors (400) and the kinds' own errors (500), cas on write and delete, blocking
// reads, the discovery chain's protocol check, and ACLs per kind with lists filtered.

#define BOOST_TEST_MODULE dev_agent_config_entries
#include <boost/test/unit_test.hpp>

#include "acl_test_support.hpp"
#include "agent_client.hpp"
#include "agent_fixture.hpp"
#include "dev_agent/config_entries/service_defaults.hpp"
#include "dev_agent/config_entries/service_resolver.hpp"
#include "dev_agent/config_entries/service_router.hpp"
#include "dev_agent/config_entries/service_splitter.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json.hpp>

#include <string>
#include <vector>

using namespace coconsul;
using namespace coconsul::test;
namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

// The entry without its raft indexes, compact, keys in the order the agent wrote them.
std::string fields_of(const reply& r) {
  json::object o = r.json().as_object();
  o.erase("CreateIndex");
  o.erase("ModifyIndex");
  return json::serialize(o);
}

std::uint64_t modify_index(const reply& r) { return r.json().at("ModifyIndex").to_number<std::uint64_t>(); }

asio::awaitable<void> put_later(agent_client& c, std::string target, std::string body, std::chrono::milliseconds d) {
  co_await sleep_for(d);
  co_await c.put(std::move(target), std::move(body));
}

// Writes `body`, expecting `true`, and reads back kind/name.
asio::awaitable<reply> write_and_read(agent_client& c, std::string body, std::string path) {
  auto w = co_await c.put("/v1/config", std::move(body));
  BOOST_TEST(w.status == 200u, w.body);
  BOOST_TEST(w.body == "true\n");
  co_return co_await c.get("/v1/config/" + path);
}

}  // namespace

BOOST_AUTO_TEST_CASE(service_defaults_come_back_as_consul_renders_them) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    // What api.ServiceConfigEntry marshals to.
    auto r = co_await write_and_read(
        c, R"({"Kind":"service-defaults","Name":"web","Protocol":"HTTP","MeshGateway":{},"Expose":{}})",
        "service-defaults/web");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(fields_of(r) ==
               R"({"Kind":"service-defaults","Name":"web","Protocol":"http","TransparentProxy":{},"MeshGateway":{},"Expose":{}})");
    BOOST_TEST(r.index() >= modify_index(r));
    BOOST_TEST(r.json().at("CreateIndex") == r.json().at("ModifyIndex"));

    // snake_case and lower-case keys, weak values: as the CLI's HCL arrives.
    r = co_await write_and_read(c,
                                R"({"kind":"service-defaults","name":"api","protocol":"grpc",)"
                                R"("mesh_gateway":{"mode":"local"},"max_inbound_connections":"5",)"
                                R"("upstream_config":{"defaults":{"connect_timeout_ms":0,"limits":{"max_connections":3}}},)"
                                R"("meta":{"b":"2","a":"1"}})",
                                "service-defaults/api");
    BOOST_TEST(fields_of(r) ==
               R"({"Kind":"service-defaults","Name":"api","Protocol":"grpc","TransparentProxy":{},)"
               R"("MeshGateway":{"Mode":"local"},"Expose":{},"UpstreamConfig":{"Defaults":{"ConnectTimeoutMs":5000,)"
               R"("Limits":{"MaxConnections":3},"MeshGateway":{}}},"MaxInboundConnections":5,"Meta":{"a":"1","b":"2"}})");
  }());
}

BOOST_AUTO_TEST_CASE(every_kind_is_normalized_and_rendered) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await write_and_read(c, R"({"Kind":"proxy-defaults","Config":{"protocol":"http","b":1}})",
                                     "proxy-defaults/global");
    BOOST_TEST(fields_of(r) == R"({"Kind":"proxy-defaults","Name":"global","Config":{"b":1,"protocol":"http"},)"
                               R"("TransparentProxy":{},"MeshGateway":{},"Expose":{},"AccessLogs":{}})");

    r = co_await write_and_read(
        c, R"({"Kind":"service-resolver","Name":"web","ConnectTimeout":"15s","DefaultSubset":"v1",)"
           R"("Subsets":{"v2":{"Filter":"Service.Meta.version == 2"},"v1":{"Filter":"Service.Meta.version == 1"}}})",
        "service-resolver/web");
    BOOST_TEST(fields_of(r) == R"({"Kind":"service-resolver","Name":"web","DefaultSubset":"v1","Subsets":{)"
                               R"("v1":{"Filter":"Service.Meta.version == 1"},"v2":{"Filter":"Service.Meta.version == 2"}},)"
                               R"("ConnectTimeout":"15s"})");

    r = co_await write_and_read(c,
                                R"({"Kind":"service-splitter","Name":"web","Splits":[{"Weight":33.333,"ServiceSubset":"v1"},)"
                                R"({"Weight":66.667,"ServiceSubset":"v2"}]})",
                                "service-splitter/web");
    // Go writes the float32 weights rounded to 0.01 in their shortest form.
    BOOST_TEST(r.body.find(R"("Weight": 33.33,)") != std::string::npos, r.body);
    BOOST_TEST(r.body.find(R"("Weight": 66.67,)") != std::string::npos, r.body);
    BOOST_TEST(r.json().at("Splits").as_array().size() == 2u);

    r = co_await write_and_read(c,
                                R"({"Kind":"service-router","Name":"web","Routes":[{"Match":{"HTTP":{"PathPrefix":"/admin",)"
                                R"("Methods":["get"]}},"Destination":{"Service":"admin","RequestTimeout":"1m30s"}}]})",
                                "service-router/web");
    BOOST_TEST(fields_of(r) == R"({"Kind":"service-router","Name":"web","Routes":[{"Match":{"HTTP":{"PathPrefix":"/admin",)"
                               R"("Methods":["GET"]}},"Destination":{"Service":"admin","RequestTimeout":"1m30s"}}]})");

    r = co_await write_and_read(c,
                                R"({"Kind":"ingress-gateway","Name":"ingress","Listeners":[{"Port":8080,)"
                                R"("Services":[{"Name":"web"}]}]})",
                                "ingress-gateway/ingress");
    BOOST_TEST(fields_of(r) == R"({"Kind":"ingress-gateway","Name":"ingress","TLS":{"Enabled":false},)"
                               R"("Listeners":[{"Port":8080,"Protocol":"tcp","Services":[{"Name":"web","Hosts":null}]}]})");

    r = co_await write_and_read(c,
                                R"({"Kind":"terminating-gateway","Name":"egress","Services":[{"Name":"billing",)"
                                R"("CAFile":"/etc/ca.pem","SNI":"billing.example"}]})",
                                "terminating-gateway/egress");
    BOOST_TEST(fields_of(r) == R"({"Kind":"terminating-gateway","Name":"egress","Services":[{"Name":"billing",)"
                               R"("CAFile":"/etc/ca.pem","SNI":"billing.example"}]})");

    r = co_await write_and_read(c, R"({"Kind":"mesh","TransparentProxy":{"MeshDestinationsOnly":true}})", "mesh/mesh");
    BOOST_TEST(fields_of(r) == R"({"Kind":"mesh","TransparentProxy":{"MeshDestinationsOnly":true}})");

    r = co_await write_and_read(c,
                                R"({"Kind":"exported-services","Name":"default","Services":[{"Name":"web",)"
                                R"("Consumers":[{"PeerName":"other"}]}]})",
                                "exported-services/default");
    BOOST_TEST(fields_of(r) == R"({"Kind":"exported-services","Name":"default","Services":[{"Name":"web",)"
                               R"("Consumers":[{"PeerName":"other"}]}]})");

    r = co_await write_and_read(c, R"({"Kind":"service-intentions","Name":"web","Sources":[{"Name":"api","Action":"allow"}]})",
                                "service-intentions/web");
    BOOST_TEST(r.status == 200u);

    // Every entry, by kind then name, with GET /v1/config/.
    auto all = co_await c.get("/v1/config/");
    BOOST_TEST(all.json().as_array().size() == 9u);
  }());
}

BOOST_AUTO_TEST_CASE(decode_errors_are_400s_with_consuls_texts) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.put("/v1/config", R"({"Name":"web"})");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == "Request decoding failed: Payload does not contain a kind/Kind key at the top level");
    r = co_await c.put("/v1/config", R"({"Kind":"service-default","Name":"web"})");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == "Request decoding failed: invalid config entry kind: service-default");
    r = co_await c.put("/v1/config", R"({"Kind":"service-defaults","Name":"web","Protocl":"http"})");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == "Request decoding failed: 1 error occurred:\n\t* invalid config key \"Protocl\"\n\n");
    r = co_await c.put("/v1/config", R"({"Kind":"service-defaults","Name":"web","Namespace":"ns1"})");
    BOOST_TEST(r.body ==
               "Request decoding failed: 1 error occurred:\n\t* invalid config key \"Namespace\", namespaces are a "
               "consul enterprise feature\n\n");
    r = co_await c.put("/v1/config", R"({"Kind":"service-resolver","Name":"web","ConnectTimeout":"soon"})");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == "Request decoding failed: 1 error(s) decoding:\n\n* error decoding 'ConnectTimeout': time: "
                         "invalid duration \"soon\"");
    r = co_await c.put("/v1/config", R"({"Kind":"service-defaults",)");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body.rfind("Request decoding failed: ", 0) == 0u);
    // Nothing was written.
    auto list = co_await c.get("/v1/config/service-defaults");
    BOOST_TEST(list.body == "[]\n");
  }());
}

BOOST_AUTO_TEST_CASE(the_kinds_own_errors_are_plain_500s) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.put("/v1/config", R"({"Kind":"proxy-defaults","Name":"mine"})");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == R"(invalid name ("mine"), only "global" is supported)");
    r = co_await c.put("/v1/config", R"({"Kind":"exported-services","Name":"web"})");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == R"(exported-services Name must be "default")");
    r = co_await c.put("/v1/config", R"({"Kind":"service-splitter","Name":"web","Splits":[{"Weight":50},{"Weight":49,"Service":"x"}]})");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "the sum of all split weights must be 100, not 99.000000");
    r = co_await c.put("/v1/config", R"({"Kind":"service-resolver","Name":"web","DefaultSubset":"v9"})");
    BOOST_TEST(r.body == R"(DefaultSubset "v9" is not a valid subset)");
    r = co_await c.put("/v1/config", R"({"Kind":"ingress-gateway","Name":"in","Listeners":[{"Port":80,"Services":[{"Name":"a"},{"Name":"b"}]}]})");
    BOOST_TEST(r.body == "Multiple services per listener are only supported for protocol = 'http' (listener on port 80)");
    r = co_await c.put("/v1/config", R"({"Kind":"service-defaults","Name":"web","BalanceInboundConnections":"all"})");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "1 error occurred:\n\t* invalid value for balance_inbound_connections: all\n\n");
    // One name cannot be both gateway kinds.
    r = co_await c.put("/v1/config", R"({"Kind":"terminating-gateway","Name":"gw"})");
    BOOST_TEST(r.status == 200u);
    r = co_await c.put("/v1/config", R"({"Kind":"ingress-gateway","Name":"gw"})");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == R"(cannot create a "ingress-gateway" config entry with name "gw", a "terminating-gateway" config entry with that name already exists)");
  }());
}

BOOST_AUTO_TEST_CASE(a_router_needs_an_http_protocol_on_write_and_keeps_it_on_delete) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    const std::string router = R"({"Kind":"service-router","Name":"web","Routes":[{"Match":{"HTTP":{"PathPrefix":"/a"}}}]})";
    auto r = co_await c.put("/v1/config", router);
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body ==
               R"(discovery chain "web" uses a protocol "tcp" that does not permit advanced routing or splitting behavior)");
    r = co_await c.put("/v1/config", R"({"Kind":"service-defaults","Name":"web","Protocol":"http"})");
    BOOST_TEST(r.status == 200u);
    r = co_await c.put("/v1/config", router);
    BOOST_TEST(r.status == 200u, r.body);
    // The chain would no longer compile without its protocol: the delete is refused.
    r = co_await c.del("/v1/config/service-defaults/web");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body ==
               R"(discovery chain "web" uses a protocol "tcp" that does not permit advanced routing or splitting behavior)");
    r = co_await c.put("/v1/config", R"({"Kind":"service-defaults","Name":"web","Protocol":"tcp"})");
    BOOST_TEST(r.status == 500u);
    // proxy-defaults' protocol counts for every chain.
    r = co_await c.put("/v1/config", R"({"Kind":"proxy-defaults","Name":"global","Config":{"protocol":"http"}})");
    BOOST_TEST(r.status == 200u);
    r = co_await c.del("/v1/config/service-defaults/web");
    BOOST_TEST(r.status == 200u);
    r = co_await c.put("/v1/config", R"({"Kind":"proxy-defaults","Name":"global"})");
    BOOST_TEST(r.status == 500u);
  }());
}

BOOST_AUTO_TEST_CASE(cas_writes_and_deletes_answer_true_or_false) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    const std::string v1 = R"({"Kind":"service-defaults","Name":"web","Protocol":"http"})";
    const std::string v2 = R"({"Kind":"service-defaults","Name":"web","Protocol":"grpc"})";
    auto r = co_await c.put("/v1/config?cas=0", v1);
    BOOST_TEST(r.body == "true\n");
    auto got = co_await c.get("/v1/config/service-defaults/web");
    auto idx = modify_index(got);
    r = co_await c.put("/v1/config?cas=0", v2);  // exists already
    BOOST_TEST(r.body == "false\n");
    r = co_await c.put("/v1/config?cas=" + std::to_string(idx + 100), v2);
    BOOST_TEST(r.body == "false\n");
    // An identical write is skipped, cas or not: true, and no index moves.
    r = co_await c.put("/v1/config?cas=" + std::to_string(idx + 100), v1);
    BOOST_TEST(r.body == "true\n");
    BOOST_TEST(modify_index(co_await c.get("/v1/config/service-defaults/web")) == idx);
    r = co_await c.put("/v1/config?cas=" + std::to_string(idx), v2);
    BOOST_TEST(r.body == "true\n");
    got = co_await c.get("/v1/config/service-defaults/web");
    BOOST_TEST(got.json().at("Protocol").as_string() == "grpc");
    BOOST_TEST(modify_index(got) > idx);
    BOOST_TEST(got.json().at("CreateIndex").to_number<std::uint64_t>() == idx);
    r = co_await c.put("/v1/config?cas=x", v2);
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == R"(strconv.ParseUint: parsing "x": invalid syntax)");

    r = co_await c.del("/v1/config/service-defaults/web?cas=" + std::to_string(idx));
    BOOST_TEST(r.body == "false\n");
    r = co_await c.del("/v1/config/service-defaults/web?cas=" + std::to_string(modify_index(got)));
    BOOST_TEST(r.body == "true\n");
    r = co_await c.get("/v1/config/service-defaults/web");
    BOOST_TEST(r.status == 404u);
    BOOST_TEST(r.body == R"(Config entry not found for "service-defaults" / "web")");
    // A plain delete answers {} whether or not there was anything.
    r = co_await c.del("/v1/config/service-defaults/web");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.body == "{}\n");
    r = co_await c.del("/v1/config/service-defaults");
    BOOST_TEST(r.status == 404u);
    BOOST_TEST(r.body == "Must provide both a kind and name to delete");
    r = co_await c.get("/v1/config/nonsense");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "invalid config entry kind: nonsense");
  }());
}

BOOST_AUTO_TEST_CASE(reads_block_until_the_entries_change) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto writer = agent_client(f.agent, f.ioc.get_executor());
    auto empty = co_await c.get("/v1/config/service-defaults");
    BOOST_TEST(empty.body == "[]\n");
    auto idx = empty.index();
    BOOST_TEST(idx > 0u);
    asio::co_spawn(f.ioc, put_later(writer, "/v1/config", R"({"Kind":"service-defaults","Name":"web"})", 100ms),
                   asio::detached);
    auto started = std::chrono::steady_clock::now();
    auto r = co_await c.get("/v1/config/service-defaults?index=" + std::to_string(idx) + "&wait=10s");
    BOOST_TEST((std::chrono::steady_clock::now() - started >= 90ms));
    BOOST_TEST(r.index() > idx);
    BOOST_TEST(r.json().as_array().size() == 1u);

    // By name: a missing entry's 404 blocks too, and wakes when it is written.
    auto missing = co_await c.get("/v1/config/service-defaults/api");
    BOOST_TEST(missing.status == 404u);
    asio::co_spawn(f.ioc, put_later(writer, "/v1/config", R"({"Kind":"service-defaults","Name":"api"})", 100ms),
                   asio::detached);
    r = co_await c.get("/v1/config/service-defaults/api?index=" + std::to_string(missing.index()) + "&wait=10s");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.index() > missing.index());

    // An identical write wakes no one: the wait runs out with the same index.
    co_await writer.put("/v1/config", R"({"Kind":"service-defaults","Name":"api"})");
    auto same = co_await c.get("/v1/config/service-defaults/api?index=" + std::to_string(r.index()) + "&wait=200ms");
    BOOST_TEST(same.index() == r.index());
  }());
}

namespace {
struct token {
  std::string accessor, secret;
};
asio::awaitable<token> token_with(agent_client& c, std::string name, std::string rules) {
  json::object policy;
  policy["Name"] = name;
  policy["Rules"] = rules;
  auto p = co_await acl_call(c, "PUT", "/v1/acl/policy", json::serialize(policy));
  BOOST_TEST_REQUIRE(p.status == 200u, p.body);
  auto t = co_await acl_call(c, "PUT", "/v1/acl/token", R"({"Policies": [{"Name": ")" + name + R"("}]})");
  BOOST_TEST_REQUIRE(t.status == 200u, t.body);
  co_return token{str(t.json(), "AccessorID"), str(t.json(), "SecretID")};
}
}  // namespace

BOOST_AUTO_TEST_CASE(acls_decide_per_kind_and_filter_lists) {
  agent_fixture f(deny_by_default_options(acl_root));
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    token t = co_await token_with(c, "web-owner", R"(service "web" { policy = "write" })");
    // service-defaults: service:write on its service.
    auto r = co_await acl_call(c, "PUT", "/v1/config", R"({"Kind":"service-defaults","Name":"web"})", t.secret);
    BOOST_TEST(r.status == 200u, r.body);
    r = co_await acl_call(c, "PUT", "/v1/config", R"({"Kind":"service-defaults","Name":"db"})", t.secret);
    BOOST_TEST(r.status == 403u);
    BOOST_TEST(r.body == "Permission denied: token with AccessorID '" + t.accessor +
                             "' lacks permission 'service:write' on \"db\"");
    // proxy-defaults: mesh:write (operator:write without a mesh rule).
    r = co_await acl_call(c, "PUT", "/v1/config", R"({"Kind":"proxy-defaults","Name":"global"})", t.secret);
    BOOST_TEST(r.status == 403u);
    BOOST_TEST(r.body.find("lacks permission 'mesh:write'") != std::string::npos, r.body);
    // A router sending traffic to a service it may not read.
    r = co_await acl_call(c, "PUT", "/v1/config", R"({"Kind":"service-defaults","Name":"web","Protocol":"http"})", t.secret);
    BOOST_TEST(r.status == 200u, r.body);
    r = co_await acl_call(c, "PUT", "/v1/config",
                          R"({"Kind":"service-router","Name":"web","Routes":[{"Destination":{"Service":"db"}}]})", t.secret);
    BOOST_TEST(r.status == 403u);
    BOOST_TEST(r.body.find("lacks permission 'service:read' on \"db\"") != std::string::npos, r.body);

    // The list leaves out what the token may not read, and says so.
    r = co_await acl_call(c, "PUT", "/v1/config", R"({"Kind":"service-defaults","Name":"db"})");
    BOOST_TEST(r.status == 200u);
    auto list = co_await acl_call(c, "GET", "/v1/config/service-defaults", "", t.secret);
    BOOST_TEST(list.status == 200u);
    BOOST_TEST(list.json().as_array().size() == 1u);
    BOOST_TEST(list.header("X-Consul-Results-Filtered-By-ACLs") == "true");
    auto all = co_await acl_call(c, "GET", "/v1/config/service-defaults", "");
    BOOST_TEST(all.json().as_array().size() == 2u);
    BOOST_TEST(!all.has_header("X-Consul-Results-Filtered-By-ACLs"));
    // One entry it may not read is a 403, not a 404.
    auto one = co_await acl_call(c, "GET", "/v1/config/service-defaults/db", "", t.secret);
    BOOST_TEST(one.status == 403u);
    // Deleting needs write too.
    auto gone = co_await acl_call(c, "DELETE", "/v1/config/service-defaults/db", "", t.secret);
    BOOST_TEST(gone.status == 403u);
  }());
}

// The typed views the discovery chain reads: what was written, read back from the stored JSON.
BOOST_AUTO_TEST_CASE(typed_views_read_stored_entries) {
  namespace ce = coconsul::dev::config_entries;
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await write_and_read(c, R"({"Kind":"service-defaults","Name":"web","Protocol":"HTTP2","MeshGateway":{"Mode":"local"}})",
                                     "service-defaults/web");
    auto sd = ce::read_service_defaults(r.json().as_object());
    BOOST_TEST(sd.protocol == "http2");
    BOOST_TEST(sd.mesh_gateway.mode == "local");
    r = co_await write_and_read(c, R"({"Kind":"proxy-defaults","Config":{"protocol":"GRPC"}})", "proxy-defaults/global");
    BOOST_TEST(ce::read_proxy_defaults(r.json().as_object()).protocol == "grpc");

    r = co_await write_and_read(c,
                                R"({"Kind":"service-resolver","Name":"web","ConnectTimeout":"2s","DefaultSubset":"v1",)"
                                R"("Subsets":{"v1":{"Filter":"Service.Meta.v == 1","OnlyPassing":true},"v2":{}},)"
                                R"("Failover":{"*":{"Datacenters":["dc2","dc3"]},"v2":{"Targets":[{"Service":"db","Peer":"p"}]}},)"
                                R"("LoadBalancer":{"Policy":"ring_hash","RingHashConfig":{"MinimumRingSize":1024},)"
                                R"("HashPolicies":[{"Field":"cookie","FieldValue":"id","CookieConfig":{"TTL":"10s"}}]}})",
                                "service-resolver/web");
    BOOST_TEST(r.status == 200u, r.body);
    auto res = ce::read_service_resolver(r.json().as_object());
    BOOST_TEST(res.connect_timeout == std::chrono::seconds(2));
    BOOST_TEST(res.default_subset == "v1");
    BOOST_TEST(res.subsets.size() == 2u);
    BOOST_TEST(res.subsets.at("v1").only_passing);
    BOOST_TEST(res.failover.at("*").datacenters == (std::vector<std::string>{"dc2", "dc3"}), boost::test_tools::per_element());
    BOOST_TEST(res.failover.at("v2").targets.at(0).peer == "p");
    BOOST_REQUIRE(res.lb.has_value());
    BOOST_TEST(*res.lb->ring_hash_minimum == 1024u);
    BOOST_TEST((res.lb->hash_policies.at(0).cookie->ttl == std::chrono::seconds(10)));
    // CookieConfig.TTL has no MarshalJSON of its own: nanoseconds, as Go writes a time.Duration.
    BOOST_TEST(r.body.find(R"("TTL": 10000000000)") != std::string::npos, r.body);

    r = co_await write_and_read(c,
                                R"({"Kind":"service-splitter","Name":"web","Splits":[{"Weight":90,"ServiceSubset":"v1"},)"
                                R"({"Weight":10,"ServiceSubset":"v2","RequestHeaders":{"Set":{"x-v":"2"}}}]})",
                                "service-splitter/web");
    auto sp = ce::read_service_splitter(r.json().as_object());
    BOOST_TEST(sp.splits.size() == 2u);
    BOOST_TEST(sp.splits.at(1).weight == 10.0);
    BOOST_TEST(sp.splits.at(1).request_headers->set.at("x-v") == "2");

    r = co_await write_and_read(c,
                                R"({"Kind":"service-router","Name":"web","Routes":[{"Match":{"HTTP":{"PathPrefix":"/v2",)"
                                R"("Header":[{"Name":"x-debug","Present":true}]}},"Destination":{"ServiceSubset":"v2",)"
                                R"("NumRetries":3,"RetryOnStatusCodes":[503]}},{"Destination":{"Service":"web"}}]})",
                                "service-router/web");
    auto rt = ce::read_service_router(r.json().as_object());
    BOOST_REQUIRE(rt.routes.size() == 2u);
    BOOST_TEST(rt.routes[0].match->path_prefix == "/v2");
    BOOST_TEST(rt.routes[0].match->header.at(0).present);
    BOOST_TEST(rt.routes[0].destination->num_retries == 3u);
    BOOST_TEST(rt.routes[0].destination->retry_on_status_codes.at(0) == 503u);
    BOOST_TEST(!rt.routes[1].match.has_value());
  }());
}
