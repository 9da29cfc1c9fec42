// /v1/query on the dev agent with the bodies Consul's clients send: create, read, list,
// update, delete; Consul's validation texts; execute with its health, tag and meta filters,
// ?limit, ?near and ?connect; templates with a regexp; session-bound queries going with their
// session; blocking lists; ACLs (a denial, an allowed write, filtering, the hidden token).

#define BOOST_TEST_MODULE dev_agent_prepared_query
#include <boost/test/unit_test.hpp>

#include "acl_test_support.hpp"
#include "agent_client.hpp"
#include "agent_fixture.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json.hpp>

#include <set>
#include <string>

using namespace coconsul;
using namespace coconsul::test;
namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

// Registers `service` (ID `id`) on node `node` through the catalog, with one service check in
// `status` (none when empty).
asio::awaitable<void> register_instance(agent_client& c, std::string node, std::string id, std::string service,
                                        std::string extra = "", std::string status = "passing",
                                        std::string node_meta = "{}") {
  std::string body = R"({"Node":")" + node + R"(","Address":"10.0.0.)" + std::to_string(node.size()) +
                     R"(","NodeMeta":)" + node_meta + R"(,"Service":{"ID":")" + id + R"(","Service":")" + service +
                     R"(","Port":80)" + extra + "}";
  if (!status.empty())
    body += R"(,"Checks":[{"CheckID":"chk-)" + id + R"(","Name":"c","Status":")" + status + R"(","ServiceID":")" + id + R"("}])";
  body += "}";
  auto r = co_await c.put("/v1/catalog/register", body);
  BOOST_TEST(r.status == 200u, r.body);
}

asio::awaitable<std::string> create(agent_client& c, std::string body) {
  auto r = co_await c.request("POST", "/v1/query", std::move(body));
  BOOST_TEST_REQUIRE(r.status == 200u, r.body);
  co_return str(r.json(), "ID");
}

std::set<std::string> service_ids(const json::value& execute) {
  std::set<std::string> out;
  for (const auto& n : execute.at("Nodes").as_array()) out.insert(std::string(n.at("Service").at("ID").as_string()));
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_query_is_created_read_listed_updated_and_deleted) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto empty = co_await c.get("/v1/query");
    BOOST_TEST(empty.status == 200u);
    BOOST_TEST(empty.body == "[]\n");
    std::string id = co_await create(c, R"({"Name":"web-query","Service":{"Service":"web","Tags":["v1"]},"DNS":{"TTL":"10s"}})");
    auto got = co_await c.get("/v1/query/" + id);
    BOOST_TEST(got.status == 200u);
    auto q = got.json().as_array().at(0).as_object();
    BOOST_TEST(q.at("CreateIndex").to_number<std::uint64_t>() == q.at("ModifyIndex").to_number<std::uint64_t>());
    q.erase("CreateIndex");
    q.erase("ModifyIndex");
    BOOST_TEST(json::serialize(q) ==
               R"({"ID":")" + id + R"(","Name":"web-query","Session":"","Token":"",)"
               R"("Template":{"Type":"","Regexp":"","RemoveEmptyTags":false},)"
               R"("Service":{"Service":"web","Failover":{"NearestN":0,"Datacenters":null,"Targets":null},)"
               R"("OnlyPassing":false,"IgnoreCheckIDs":null,"Near":"","Tags":["v1"],"NodeMeta":null,)"
               R"("ServiceMeta":null,"Connect":false,"Peer":""},"DNS":{"TTL":"10s"}})");
    auto list = co_await c.get("/v1/query");
    BOOST_TEST(list.json().as_array().size() == 1u);

    auto up = co_await c.put("/v1/query/" + id, R"({"Name":"web-query","Service":{"Service":"api"}})");
    BOOST_TEST(up.status == 200u, up.body);
    BOOST_TEST(up.body.empty());
    got = co_await c.get("/v1/query/" + id);
    BOOST_TEST(str(got.json().at(0).at("Service"), "Service") == "api");
    BOOST_TEST(got.json().at(0).at("ModifyIndex").to_number<std::uint64_t>() > got.json().at(0).at("CreateIndex").to_number<std::uint64_t>());

    auto del = co_await c.del("/v1/query/" + id);
    BOOST_TEST(del.status == 200u);
    auto gone = co_await c.get("/v1/query/" + id);
    BOOST_TEST(gone.status == 404u);
    BOOST_TEST(gone.body == "Query not found");
    auto again = co_await c.del("/v1/query/" + id);
    BOOST_TEST(again.status == 500u);
    BOOST_TEST(again.body == "Cannot modify non-existent prepared query: '" + id + "'");
    auto exec = co_await c.get("/v1/query/nothing/execute");
    BOOST_TEST(exec.status == 404u);
    BOOST_TEST(exec.body == "Query not found");
    auto wrong = co_await c.request("PUT", "/v1/query/" + id + "/execute");
    BOOST_TEST(wrong.status == 405u);
  }());
}

BOOST_AUTO_TEST_CASE(definitions_are_checked_with_consuls_texts) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto post = [&](std::string body) { return c.request("POST", "/v1/query", std::move(body)); };
    auto r = co_await post(R"({"Service":{"Service":"web"}})");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "Invalid prepared query: Must be bound to a session");
    r = co_await post(R"({"Name":"a"})");
    BOOST_TEST(r.body == "Invalid prepared query: Must provide a Service name to query");
    r = co_await post(R"({"Name":"a","Service":{"Service":"web","Failover":{"NearestN":-1}}})");
    BOOST_TEST(r.body == "Invalid prepared query: Bad NearestN '-1', must be >= 0");
    r = co_await post(R"({"Name":"a","Token":"<hidden>","Service":{"Service":"web"}})");
    BOOST_TEST(r.body == "Invalid prepared query: Bad Token '<hidden>', it looks like a query definition with a redacted token was submitted");
    r = co_await post(R"({"Name":"a","Service":{"Service":"web"},"DNS":{"TTL":"soon"}})");
    BOOST_TEST(r.body == "Invalid prepared query: Bad DNS TTL 'soon': time: invalid duration \"soon\"");
    r = co_await post(R"({"Name":"a","Service":{"Service":"web","Failover":{"NearestN":1,"Targets":[{"Peer":"p"}]}}})");
    BOOST_TEST(r.body == "Invalid prepared query: Targets cannot be populated with NearestN or Datacenters");
    r = co_await post(R"({"Name":"a","Service":{"Service":"web","NodeMeta":{"rack 1":"x"}}})");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "Invalid prepared query: Couldn't load metadata pair ('rack 1', 'x'): Key contains invalid characters");
    r = co_await post(R"({"Session":"8d3a1f5c-0000-4000-8000-000000000000","Service":{"Service":"web"}})");
    BOOST_TEST(r.body == "invalid session \"8d3a1f5c-0000-4000-8000-000000000000\"");
    r = co_await post(R"({"Name":"t","Template":{"Type":"other"},"Service":{"Service":"web"}})");
    BOOST_TEST(r.body == "failed compiling template: Bad Template.Type 'other'");
    r = co_await post(R"({"Name":"t","Template":{"Type":"name_prefix_match","Regexp":"("},"Service":{"Service":"web"}})");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body.rfind("failed compiling template: Bad Regexp: error parsing regexp: ", 0) == 0u, r.body);
    r = co_await post(R"({"Name":"t","Template":{"Type":"name_prefix_match"},"Service":{"Service":"${nope}"}})");
    BOOST_TEST(r.body == "failed compiling template: Bad evaluation for '${nope}' in Service.Service: unknown variable accessed: nope");
    r = co_await post(R"({"Name":"a","Service":{"Service":"web"},"Extra":1})");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == "Request decode failed: json: unknown field \"Extra\"");
    r = co_await post(R"({"ID":"x","Name":"a","Service":{"Service":"web"}})");
    BOOST_TEST(r.body == "ID must be empty when creating a new prepared query");

    std::string id = co_await create(c, R"({"Name":"taken","Service":{"Service":"web"}})");
    r = co_await post(R"({"Name":"TAKEN","Service":{"Service":"web"}})");
    BOOST_TEST(r.body == "name 'TAKEN' aliases an existing query name");
    r = co_await post(R"({"Name":")" + id + R"(","Service":{"Service":"web"}})");
    BOOST_TEST(r.body == "name '" + id + "' aliases an existing query ID");
    // Nothing refused was stored.
    auto list = co_await c.get("/v1/query");
    BOOST_TEST(list.json().as_array().size() == 1u);
    // A query may filter on the reserved "consul-" node meta, as parseService allows.
    r = co_await post(R"({"Name":"segment","Service":{"Service":"web","NodeMeta":{"consul-network-segment":""}}})");
    BOOST_TEST(r.status == 200u, r.body);
  }());
}

BOOST_AUTO_TEST_CASE(execute_filters_by_health_tags_and_meta_and_applies_the_limit) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await register_instance(c, "n1", "web-1", "web", R"(,"Tags":["v1","Primary"],"Meta":{"zone":"a"})", "passing", R"({"rack":"r1"})");
    co_await register_instance(c, "n22", "web-2", "web", R"(,"Tags":["v1"],"Meta":{"zone":"b"})", "warning", R"({"rack":"r2"})");
    co_await register_instance(c, "n333", "web-3", "web", R"(,"Tags":["v2"])", "critical");
    co_await register_instance(c, "n4444", "db-1", "db");

    co_await create(c, R"({"Name":"all","Service":{"Service":"WEB"},"DNS":{"TTL":"5s"}})");
    auto r = co_await c.get("/v1/query/all/execute");
    BOOST_TEST(r.status == 200u, r.body);
    auto v = r.json();
    // Critical out; warning in unless OnlyPassing.
    BOOST_TEST((service_ids(v) == std::set<std::string>{"web-1", "web-2"}));
    BOOST_TEST(str(v, "Service") == "WEB");
    BOOST_TEST(str(v.at("DNS"), "TTL") == "5s");
    BOOST_TEST(str(v, "Datacenter") == "dc1");
    BOOST_TEST(v.at("Failovers").as_int64() == 0);
    BOOST_TEST(v.at("Index").as_int64() == 0);
    BOOST_TEST(v.at("KnownLeader").as_bool());
    BOOST_TEST(str(v, "ConsistencyLevel") == "leader");
    BOOST_TEST(v.as_object().contains("LastContact"));
    BOOST_TEST(v.at("Nodes").at(0).at("Checks").as_array().size() == 1u);

    co_await create(c, R"({"Name":"passing","Service":{"Service":"web","OnlyPassing":true}})");
    auto got1 = service_ids((co_await c.get("/v1/query/passing/execute")).json());
    BOOST_TEST((got1 == std::set<std::string>{"web-1"}));
    co_await create(c, R"({"Name":"ignoring","Service":{"Service":"web","IgnoreCheckIDs":["chk-web-3"]}})");
    auto got2 = service_ids((co_await c.get("/v1/query/ignoring/execute")).json());
    BOOST_TEST((got2 == std::set<std::string>{"web-1", "web-2", "web-3"}));
    co_await create(c, R"({"Name":"tags","Service":{"Service":"web","Tags":["V1","!primary"]}})");
    auto got3 = service_ids((co_await c.get("/v1/query/tags/execute")).json());
    BOOST_TEST((got3 == std::set<std::string>{"web-2"}));
    co_await create(c, R"({"Name":"meta","Service":{"Service":"web","NodeMeta":{"rack":"r2"}}})");
    auto got4 = service_ids((co_await c.get("/v1/query/meta/execute")).json());
    BOOST_TEST((got4 == std::set<std::string>{"web-2"}));
    co_await create(c, R"({"Name":"smeta","Service":{"Service":"web","ServiceMeta":{"zone":"a"}}})");
    auto got5 = service_ids((co_await c.get("/v1/query/smeta/execute")).json());
    BOOST_TEST((got5 == std::set<std::string>{"web-1"}));

    auto limited = co_await c.get("/v1/query/all/execute?limit=1");
    BOOST_TEST(limited.json().at("Nodes").as_array().size() == 1u);
    auto bad = co_await c.get("/v1/query/all/execute?limit=x");
    BOOST_TEST(bad.status == 500u);
    BOOST_TEST(bad.body == "Bad limit: strconv.Atoi: parsing \"x\": invalid syntax");
    // ?near puts that node's instance first, whatever the shuffle did.
    for (int i = 0; i < 5; ++i) {
      auto near = co_await c.get("/v1/query/all/execute?near=n22");
      BOOST_TEST(str(near.json().at("Nodes").at(0).at("Node"), "Node") == "n22");
    }
    auto none = co_await c.get("/v1/query/all/execute?connect=true");
    BOOST_TEST(none.json().at("Nodes").as_array().empty());
  }());
}

BOOST_AUTO_TEST_CASE(connect_returns_the_proxies_and_native_services) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await register_instance(c, "n1", "web-1", "web");
    co_await register_instance(c, "n1", "web-proxy", "web-sidecar-proxy",
                               R"(,"Kind":"connect-proxy","Proxy":{"DestinationServiceName":"web"})", "");
    co_await create(c, R"({"Name":"web","Service":{"Service":"web"}})");
    auto r = co_await c.get("/v1/query/web/execute?connect");
    BOOST_TEST((service_ids(r.json()) == std::set<std::string>{"web-proxy"}));
    co_await create(c, R"({"Name":"web-mesh","Service":{"Service":"web","Connect":true}})");
    r = co_await c.get("/v1/query/web-mesh/execute");
    BOOST_TEST((service_ids(r.json()) == std::set<std::string>{"web-proxy"}));
  }());
}

BOOST_AUTO_TEST_CASE(a_template_renders_with_the_name_asked_for) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await register_instance(c, "n1", "db-1", "db", R"(,"Tags":["primary"])");
    co_await register_instance(c, "n1", "web-1", "web");
    co_await create(c, R"({"Name":"","Template":{"Type":"name_prefix_match"},"Service":{"Service":"${name.full}"}})");
    std::string id = co_await create(
        c, R"({"Name":"geo-","Template":{"Type":"name_prefix_match","Regexp":"^geo-([a-z]+)(-([a-z]+))?$","RemoveEmptyTags":true},)"
           R"("Service":{"Service":"${match(1)}","Tags":["${match(3)}"]}})");
    auto r = co_await c.get("/v1/query/geo-db-primary/execute");
    BOOST_TEST(r.status == 200u, r.body);
    BOOST_TEST(str(r.json(), "Service") == "db");
    BOOST_TEST((service_ids(r.json()) == std::set<std::string>{"db-1"}));
    auto e = co_await c.get("/v1/query/geo-web/explain");
    BOOST_TEST(e.status == 200u, e.body);
    auto q = e.json().at("Query");
    BOOST_TEST(str(q, "ID") == id);
    BOOST_TEST(str(q.at("Service"), "Service") == "web");
    // The empty tag ${match(3)} rendered to is dropped.
    BOOST_TEST(json::serialize(q.at("Service").at("Tags")) == "[]");
    BOOST_TEST(e.json().as_object().contains("KnownLeader"));
    // The catch-all template takes what no longer prefix matches.
    auto any = co_await c.get("/v1/query/web/execute");
    BOOST_TEST((service_ids(any.json()) == std::set<std::string>{"web-1"}));
    // Found by ID, a template renders with its own name.
    auto by_id = co_await c.get("/v1/query/" + id + "/explain");
    BOOST_TEST(str(by_id.json().at("Query").at("Service"), "Service") == "");
    auto dup = co_await c.request("POST", "/v1/query", R"({"Template":{"Type":"name_prefix_match"},"Service":{"Service":"x"}})");
    BOOST_TEST(dup.body == "a query template with an empty name already exists");
  }());
}

BOOST_AUTO_TEST_CASE(a_session_bound_query_goes_with_its_session_and_lists_block) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto s = co_await c.put("/v1/session/create", R"({"TTL":"","NodeChecks":[]})");
    BOOST_TEST_REQUIRE(s.status == 200u, s.body);
    std::string session = str(s.json(), "ID");
    std::string id = co_await create(c, R"({"Session":")" + session + R"(","Service":{"Service":"web"}})");
    auto list = co_await c.get("/v1/query");
    BOOST_TEST(list.json().as_array().size() == 1u);
    auto index = list.index();
    // A blocking list wakes when the session's destruction deletes the query.
    auto c2 = agent_client(f.agent, f.ioc.get_executor());
    auto destroy = [&]() -> asio::awaitable<void> {
      co_await sleep_for(50ms);
      auto d = co_await c2.put("/v1/session/destroy/" + session);
      BOOST_TEST(d.status == 200u);
    };
    asio::co_spawn(f.ioc, destroy, asio::detached);
    auto after = co_await c.get("/v1/query?index=" + std::to_string(index) + "&wait=5s");
    BOOST_TEST(after.body == "[]\n");
    BOOST_TEST(after.index() > index);
    auto gone = co_await c.get("/v1/query/" + id);
    BOOST_TEST(gone.status == 404u);
  }());
}

BOOST_AUTO_TEST_CASE(acls_govern_queries_by_name_prefix_and_hide_their_tokens) {
  agent_fixture f(deny_by_default_options(acl_root));
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    json::object policy;
    policy["Name"] = "queries";
    policy["Rules"] = R"(query_prefix "web-" { policy = "write" } service_prefix "" { policy = "read" } node_prefix "" { policy = "read" })";
    auto p = co_await acl_call(c, "PUT", "/v1/acl/policy", json::serialize(policy));
    BOOST_TEST_REQUIRE(p.status == 200u, p.body);
    auto t = co_await acl_call(c, "PUT", "/v1/acl/token", R"({"Policies":[{"Name":"queries"}]})");
    BOOST_TEST_REQUIRE(t.status == 200u, t.body);
    std::string secret = str(t.json(), "SecretID");

    // Denied: a name the token may not write.
    auto denied = co_await acl_call(c, "POST", "/v1/query", R"({"Name":"db-q","Service":{"Service":"db"}})", secret);
    BOOST_TEST(denied.status == 403u);
    BOOST_TEST(denied.body == "Permission denied");
    // Allowed under its prefix, with a stored token.
    auto ok = co_await acl_call(c, "POST", "/v1/query", R"({"Name":"web-q","Token":"stored-secret","Service":{"Service":"web"}})", secret);
    BOOST_TEST_REQUIRE(ok.status == 200u, ok.body);
    std::string id = str(ok.json(), "ID");
    auto mine = co_await acl_call(c, "POST", "/v1/query", R"({"Name":"db-q","Service":{"Service":"db"}})");
    BOOST_TEST(mine.status == 200u);

    // The list holds what the token may read, its token hidden; management sees all of it.
    auto list = co_await acl_call(c, "GET", "/v1/query", "", secret);
    BOOST_TEST(list.json().as_array().size() == 1u);
    BOOST_TEST(str(list.json().at(0), "Token") == "<hidden>");
    BOOST_TEST(list.header("X-Consul-Results-Filtered-By-ACLs") == "true");
    auto all = co_await acl_call(c, "GET", "/v1/query", "");
    BOOST_TEST(all.json().as_array().size() == 2u);
    auto read = co_await acl_call(c, "GET", "/v1/query/" + id, "", "");
    BOOST_TEST(read.status == 403u);
    auto shown = co_await acl_call(c, "GET", "/v1/query/" + id, "");
    BOOST_TEST(str(shown.json().at(0), "Token") == "stored-secret");
    // Resubmitting what was read (the hidden token) is refused.
    auto back = co_await acl_call(c, "PUT", "/v1/query/" + id, R"({"Name":"web-q","Token":"<hidden>","Service":{"Service":"web"}})", secret);
    BOOST_TEST(back.status == 500u);
    BOOST_TEST(back.body.find("redacted token") != std::string::npos);
    auto del = co_await acl_call(c, "DELETE", "/v1/query/" + id, "", secret);
    BOOST_TEST(del.status == 200u);
  }());
}
