// ACLs enforced on the endpoints the agent serves, over raw HTTP, as Consul 1.14 answers: a
// single read or a write without the permission is a 403 naming it; a list leaves out what the
// token may not see and says so with X-Consul-Results-Filtered-By-ACLs; an unknown token is
// "ACL not found"; the default policy decides for the anonymous token.
// Over 500 lines: one suite per endpoint family, all on the helpers at the top (a policy and a
// token made in one call, Consul's denial text).
#define BOOST_TEST_MODULE dev_agent_acl_enforce
#include <boost/test/unit_test.hpp>

#include "acl_jwt_signer.hpp"
#include "acl_test_support.hpp"

#include <chrono>

using namespace coconsul;
using namespace coconsul::test;
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr const char* anonymous = "00000000-0000-0000-0000-000000000002";

struct token {
  std::string accessor, secret;
};

// A policy with `rules` and a token that has only it.
asio::awaitable<token> token_with(agent_client& c, std::string name, std::string rules) {
  json::object policy;
  policy["Name"] = name;
  policy["Rules"] = rules;
  std::string policy_body = json::serialize(policy);
  auto p = co_await acl_call(c, "PUT", "/v1/acl/policy", policy_body);
  BOOST_TEST_REQUIRE(p.status == 200u, p.body);
  std::string token_body = R"({"Policies": [{"Name": ")" + name + R"("}]})";
  auto t = co_await acl_call(c, "PUT", "/v1/acl/token", token_body);
  BOOST_TEST_REQUIRE(t.status == 200u, t.body);
  co_return token{str(t.json(), "AccessorID"), str(t.json(), "SecretID")};
}

std::string denial(const std::string& accessor, const std::string& permission, const std::string& on) {
  return "Permission denied: token with AccessorID '" + accessor + "' lacks permission '" + permission + "' on \"" +
         on + "\"";
}

std::vector<std::string> keys_of(const reply& r) {
  std::vector<std::string> out;
  const json::value v = r.json();
  for (const auto& e : v.as_array()) {
    if (e.is_string()) out.emplace_back(e.as_string());
    else out.push_back(str(e, "Key"));
  }
  return out;
}

std::vector<std::string> object_keys(const reply& r) {
  std::vector<std::string> out;
  const json::value v = r.json();
  for (const auto& kv : v.as_object()) out.emplace_back(kv.key());
  return out;
}

const char* app_rules = R"(key_prefix "app/" { policy = "write" }
key "app/secret" { policy = "deny" })";

// ACLs on with default deny: what a token's rules do not grant, it may not do.
dev_agent_options deny_by_default() {
  auto o = acl_test_options();
  o.acl.default_policy = "deny";
  return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(kv)

BOOST_AUTO_TEST_CASE(a_single_key_needs_key_read_found_or_not) {
  agent_fixture f(deny_by_default());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    BOOST_TEST((co_await acl_call(c, "PUT", "/v1/kv/other", "v")).status == 200u);
    token t = co_await token_with(c, "app", app_rules);
    auto missing = co_await acl_call(c, "GET", "/v1/kv/app/none", "", t.secret);
    BOOST_TEST(missing.status == 404u);  // allowed, and not there
    for (const char* key : {"other", "nothing-here", "app/secret"}) {
      auto r = co_await acl_call(c, "GET", std::string("/v1/kv/") + key, "", t.secret);
      BOOST_TEST(r.status == 403u, key);
      BOOST_TEST(r.body == denial(t.accessor, "key:read", key));
    }
    auto root = co_await acl_call(c, "GET", "/v1/kv/other", "");
    BOOST_TEST(root.status == 200u);
  }());
}

// Consul's dev-mode default with ACLs on is allow: a token without a key rule may read any key.
BOOST_AUTO_TEST_CASE(default_allow_lets_a_token_without_rules_read) {
  agent_fixture f(acl_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    BOOST_TEST((co_await acl_call(c, "PUT", "/v1/kv/other", "v")).status == 200u);
    token t = co_await token_with(c, "app", app_rules);
    BOOST_TEST((co_await acl_call(c, "GET", "/v1/kv/other", "", t.secret)).status == 200u);
    BOOST_TEST((co_await acl_call(c, "GET", "/v1/kv/app/secret", "", t.secret)).status == 403u);  // deny still wins
  }());
}

BOOST_AUTO_TEST_CASE(lists_leave_out_what_the_token_may_not_read_and_say_so) {
  agent_fixture f(deny_by_default());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    for (const char* key : {"app/a", "app/b/c", "app/secret", "other"})
      BOOST_TEST((co_await acl_call(c, "PUT", std::string("/v1/kv/") + key, "v")).status == 200u);
    token t = co_await token_with(c, "app", app_rules);

    auto all = co_await acl_call(c, "GET", "/v1/kv/?recurse", "", t.secret);
    BOOST_TEST(all.status == 200u);
    BOOST_TEST(keys_of(all) == (std::vector<std::string>{"app/a", "app/b/c"}), boost::test_tools::per_element());
    BOOST_TEST(all.header("X-Consul-Results-Filtered-By-ACLs") == "true");

    auto keys = co_await acl_call(c, "GET", "/v1/kv/?keys&separator=/", "", t.secret);
    BOOST_TEST(keys_of(keys) == (std::vector<std::string>{"app/"}), boost::test_tools::per_element());
    BOOST_TEST(keys.header("X-Consul-Results-Filtered-By-ACLs") == "true");

    // Nothing left is a 404, as for a prefix without keys.
    auto none = co_await acl_call(c, "GET", "/v1/kv/other?recurse", "", t.secret);
    BOOST_TEST(none.status == 404u);

    // The management token sees everything and nothing says it was filtered.
    auto root = co_await acl_call(c, "GET", "/v1/kv/?recurse", "");
    BOOST_TEST(keys_of(root).size() == 4u);
    BOOST_TEST(!root.has_header("X-Consul-Results-Filtered-By-ACLs"));
  }());
}

BOOST_AUTO_TEST_CASE(writes_need_key_write_and_a_recursive_delete_the_whole_prefix) {
  agent_fixture f(deny_by_default());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    token t = co_await token_with(c, "app", app_rules);
    BOOST_TEST((co_await acl_call(c, "PUT", "/v1/kv/app/a", "v", t.secret)).status == 200u);
    auto other = co_await acl_call(c, "PUT", "/v1/kv/other", "v", t.secret);
    BOOST_TEST(other.status == 403u);
    BOOST_TEST(other.body == denial(t.accessor, "key:write", "other"));
    // app/secret is denied under app/: the tree may not be deleted, one key may.
    auto tree = co_await acl_call(c, "DELETE", "/v1/kv/app?recurse", "", t.secret);
    BOOST_TEST(tree.status == 403u);
    BOOST_TEST(tree.body.rfind("Permission denied: token with AccessorID '" + t.accessor + "' lacks permission 'key:write'", 0) == 0u,
               tree.body);
    BOOST_TEST((co_await acl_call(c, "DELETE", "/v1/kv/app/a", "", t.secret)).status == 200u);
    auto kept = co_await acl_call(c, "GET", "/v1/kv/app/a", "");
    BOOST_TEST(kept.status == 404u);
  }());
}

BOOST_AUTO_TEST_CASE(an_unknown_token_is_acl_not_found_and_anonymous_gets_the_default_policy) {
  agent_fixture f(deny_by_default());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto unknown = co_await acl_call(c, "GET", "/v1/kv/x", "", "6a1e0c53-6f0e-4a54-9f3c-000000000000");
    BOOST_TEST(unknown.status == 403u);
    BOOST_TEST(unknown.body == "ACL not found");
    auto anon = co_await acl_call(c, "GET", "/v1/kv/x", "", "");
    BOOST_TEST(anon.status == 403u);
    BOOST_TEST(anon.body == denial(anonymous, "key:read", "x"));
    // Routes that check nothing answer whatever the token (Consul resolves it only to check).
    auto leader = co_await acl_call(c, "GET", "/v1/status/leader", "", "6a1e0c53-6f0e-4a54-9f3c-000000000000");
    BOOST_TEST(leader.status == 200u);
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(sessions_and_events)

// session:write / session:read on the session's node; event:write / event:read on the name.
BOOST_AUTO_TEST_CASE(sessions_need_session_rules_on_their_node) {
  agent_fixture f(deny_by_default());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    const std::string node = f.agent.node_name();
    token reader = co_await token_with(c, "reader", R"(session_prefix "" { policy = "read" })");
    token writer = co_await token_with(c, "writer", "session \"" + node + "\" { policy = \"write\" }");

    auto denied = co_await acl_call(c, "PUT", "/v1/session/create", "", reader.secret);
    BOOST_TEST(denied.status == 403u);
    BOOST_TEST(denied.body == denial(reader.accessor, "session:write", node));
    auto made = co_await acl_call(c, "PUT", "/v1/session/create", "", writer.secret);
    BOOST_TEST_REQUIRE(made.status == 200u, made.body);
    const std::string id = str(made.json(), "ID");

    // The reader sees it; a token without session rules sees nothing, and is told so.
    auto seen = co_await acl_call(c, "GET", "/v1/session/list", "", reader.secret);
    BOOST_TEST(seen.json().as_array().size() == 1u);
    BOOST_TEST(!seen.has_header("X-Consul-Results-Filtered-By-ACLs"));
    token nobody = co_await token_with(c, "nobody", R"(key "x" { policy = "read" })");
    const std::vector<std::string> reads = {"/v1/session/list", "/v1/session/node/" + node, "/v1/session/info/" + id};
    for (const std::string& target : reads) {
      auto hidden = co_await acl_call(c, "GET", target, "", nobody.secret);
      BOOST_TEST(hidden.status == 200u, target);
      BOOST_TEST(hidden.json().as_array().empty(), target);
      BOOST_TEST(hidden.header("X-Consul-Results-Filtered-By-ACLs") == "true", target);
    }
    auto renew = co_await acl_call(c, "PUT", "/v1/session/renew/" + id, "", reader.secret);
    BOOST_TEST(renew.status == 403u);
    BOOST_TEST(renew.body == denial(reader.accessor, "session:write", node));
    auto destroy = co_await acl_call(c, "PUT", "/v1/session/destroy/" + id, "", reader.secret);
    BOOST_TEST(destroy.status == 403u);
    BOOST_TEST((co_await acl_call(c, "PUT", "/v1/session/destroy/" + id, "", writer.secret)).status == 200u);
  }());
}

BOOST_AUTO_TEST_CASE(events_need_event_rules_on_their_name) {
  agent_fixture f(deny_by_default());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    token deploy = co_await token_with(c, "deploy", R"(event_prefix "deploy-" { policy = "write" })");
    BOOST_TEST((co_await acl_call(c, "PUT", "/v1/event/fire/deploy-web", "", deploy.secret)).status == 200u);
    auto other = co_await acl_call(c, "PUT", "/v1/event/fire/restart", "", deploy.secret);
    BOOST_TEST(other.status == 403u);
    BOOST_TEST(other.body == "Permission denied");  // Consul's handler sends the bare text
    BOOST_TEST((co_await acl_call(c, "PUT", "/v1/event/fire/restart", "")).status == 200u);

    auto listed = co_await acl_call(c, "GET", "/v1/event/list", "", deploy.secret);
    const json::value events = listed.json();
    BOOST_TEST_REQUIRE(events.as_array().size() == 1u);
    BOOST_TEST(str(events.as_array()[0], "Name") == "deploy-web");
    BOOST_TEST(listed.header("X-Consul-Results-Filtered-By-ACLs") == "true");
    auto all = co_await acl_call(c, "GET", "/v1/event/list", "");
    BOOST_TEST(all.json().as_array().size() == 2u);
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(txn)

// Consul vets every operation first: one the token may not do fails the transaction (409, the
// denial as its What, nothing applied); reads it may not see are left out of the results.
BOOST_AUTO_TEST_CASE(operations_are_vetted_and_results_filtered) {
  agent_fixture f(deny_by_default());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    for (const char* key : {"app/a", "app/secret", "other"})
      BOOST_TEST((co_await acl_call(c, "PUT", std::string("/v1/kv/") + key, "v")).status == 200u);
    token t = co_await token_with(c, "app", app_rules);
    const std::string refused = R"([{"KV": {"Verb": "set", "Key": "app/new", "Value": "dg=="}},
                                    {"KV": {"Verb": "set", "Key": "other", "Value": "dg=="}}])";
    auto r = co_await acl_call(c, "PUT", "/v1/txn", refused, t.secret);
    BOOST_TEST(r.status == 409u);
    const json::value body = r.json();
    BOOST_TEST_REQUIRE(body.at("Errors").as_array().size() == 1u);
    BOOST_TEST(body.at("Errors").as_array()[0].at("OpIndex").to_number<int>() == 1);
    BOOST_TEST(str(body.at("Errors").as_array()[0], "What") == denial(t.accessor, "key:write", "other"));
    BOOST_TEST((co_await acl_call(c, "GET", "/v1/kv/app/new", "")).status == 404u);  // nothing applied

    auto read = co_await acl_call(c, "PUT", "/v1/txn", R"([{"KV": {"Verb": "get-tree", "Key": "app/"}}])", t.secret);
    BOOST_TEST(read.status == 200u);
    const json::value results = read.json().at("Results");
    BOOST_TEST_REQUIRE(results.as_array().size() == 1u);
    BOOST_TEST(str(results.as_array()[0].at("KV"), "Key") == "app/a");
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(agent)

// The agent's own endpoints: agent:read / agent:write on its node name, operator rules for the
// host and force-leave, members filtered by node:read.
BOOST_AUTO_TEST_CASE(the_agents_endpoints_need_agent_and_operator_rules) {
  agent_fixture f(deny_by_default());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    const std::string node = f.agent.node_name();
    token none = co_await token_with(c, "none", R"(key "x" { policy = "read" })");
    token reader = co_await token_with(c, "reader", "agent \"" + node + "\" { policy = \"read\" }");
    for (const char* target : {"/v1/agent/self", "/v1/agent/metrics"}) {
      auto denied = co_await acl_call(c, "GET", target, "", none.secret);
      BOOST_TEST(denied.status == 403u, target);
      BOOST_TEST(denied.body == denial(none.accessor, "agent:read", node), target);
      BOOST_TEST((co_await acl_call(c, "GET", target, "", reader.secret)).status == 200u, target);
    }
    auto reload = co_await acl_call(c, "PUT", "/v1/agent/reload", "", reader.secret);
    BOOST_TEST(reload.status == 403u);
    BOOST_TEST(reload.body == denial(reader.accessor, "agent:write", node));
    auto host = co_await acl_call(c, "GET", "/v1/agent/host", "", reader.secret);
    BOOST_TEST(host.status == 403u);
    BOOST_TEST(host.body == "Permission denied: token with AccessorID '" + reader.accessor +
                                "' lacks permission 'operator:read'");  // unnamed: no "on"
    auto force = co_await acl_call(c, "PUT", "/v1/agent/force-leave/ghost", "", reader.secret);
    BOOST_TEST(force.status == 403u);
    BOOST_TEST(force.body.find("'operator:write'") != std::string::npos, force.body);

    auto members = co_await acl_call(c, "GET", "/v1/agent/members", "", reader.secret);
    BOOST_TEST(members.status == 200u);
    BOOST_TEST(members.json().as_array().empty());
    BOOST_TEST(members.header("X-Consul-Results-Filtered-By-ACLs") == "true");
    auto all = co_await acl_call(c, "GET", "/v1/agent/members", "");
    BOOST_TEST(all.json().as_array().size() == 1u);
  }());
}

// acl.tokens.agent_recovery resolves without the token tables, as Consul's agent does: write on
// this agent, read on every node, nothing else; its denials name it "agent-recovery:<node>".
BOOST_AUTO_TEST_CASE(the_agent_recovery_token_writes_this_agent_and_reads_nodes_only) {
  auto options = deny_by_default();
  options.acl.tokens.agent_recovery = "9b1f7c0e-2f4d-4c61-8a55-3e0d6a7b8c91";
  agent_fixture f(options);
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    const std::string node = f.agent.node_name();
    const std::string recovery = options.acl.tokens.agent_recovery;
    BOOST_TEST((co_await acl_call(c, "GET", "/v1/agent/self", "", recovery)).status == 200u);
    auto set = co_await acl_call(c, "PUT", "/v1/agent/token/default", R"({"Token": "anything"})", recovery);
    BOOST_TEST(set.status == 200u, set.body);
    auto nodes = co_await acl_call(c, "GET", "/v1/catalog/nodes", "", recovery);
    BOOST_TEST(nodes.json().as_array().size() == 1u);
    auto key = co_await acl_call(c, "GET", "/v1/kv/app/x", "", recovery);
    BOOST_TEST(key.status == 403u);
    BOOST_TEST(key.body == denial("agent-recovery:" + node, "key:read", "app/x"));
    auto other_agent = co_await acl_call(c, "GET", "/v1/agent/services", "", recovery);
    BOOST_TEST(other_agent.status == 200u);  // filtered, not denied: it may read no service
    BOOST_TEST(other_agent.json().as_object().empty());
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(catalog_and_health)

// A token that may read "web" but not "db" sees "web" as it is and "db" as nothing, and each
// list says it was filtered; instances also need node:read on their node.
BOOST_AUTO_TEST_CASE(reads_leave_out_services_and_nodes_the_token_may_not_read) {
  agent_fixture f(deny_by_default());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    for (const char* svc : {"web", "db"}) {
      std::string body = std::string(R"({"Node": "n1", "Address": "10.0.0.1", "Service": {"Service": ")") + svc +
                         R"(", "Port": 80}, "Check": {"CheckID": ")" + svc + R"(-up", "Status": "passing", "ServiceID": ")" +
                         svc + R"("}})";
      BOOST_TEST_REQUIRE((co_await acl_call(c, "PUT", "/v1/catalog/register", body)).status == 200u);
    }
    token web = co_await token_with(c, "web", R"(service "web" { policy = "read" }
node_prefix "" { policy = "read" })");
    token web_only = co_await token_with(c, "web-only", R"(service "web" { policy = "read" })");

    auto names = co_await acl_call(c, "GET", "/v1/catalog/services", "", web.secret);
    BOOST_TEST(object_keys(names) == (std::vector<std::string>{"web"}), boost::test_tools::per_element());
    BOOST_TEST(names.header("X-Consul-Results-Filtered-By-ACLs") == "true");
    auto db = co_await acl_call(c, "GET", "/v1/catalog/service/db", "", web.secret);
    BOOST_TEST(db.json().as_array().empty());
    BOOST_TEST(db.header("X-Consul-Results-Filtered-By-ACLs") == "true");
    auto healthy = co_await acl_call(c, "GET", "/v1/health/service/web", "", web.secret);
    BOOST_TEST(healthy.json().as_array().size() == 1u);
    BOOST_TEST(!healthy.has_header("X-Consul-Results-Filtered-By-ACLs"));
    auto checks = co_await acl_call(c, "GET", "/v1/health/node/n1", "", web.secret);
    const json::value listed = checks.json();
    BOOST_TEST_REQUIRE(listed.as_array().size() == 1u);
    BOOST_TEST(str(listed.as_array()[0], "CheckID") == "web-up");

    // Without node:read the instance of "web" is hidden too, and so are the nodes.
    auto no_node = co_await acl_call(c, "GET", "/v1/health/service/web", "", web_only.secret);
    BOOST_TEST(no_node.json().as_array().empty());
    BOOST_TEST(no_node.header("X-Consul-Results-Filtered-By-ACLs") == "true");
    auto nodes = co_await acl_call(c, "GET", "/v1/catalog/nodes", "", web_only.secret);
    BOOST_TEST(nodes.json().as_array().empty());
    auto node = co_await acl_call(c, "GET", "/v1/catalog/node/n1", "", web_only.secret);
    BOOST_TEST(node.json().is_null());

    // The UI's summaries are filtered the same way.
    auto summaries = co_await acl_call(c, "GET", "/v1/internal/ui/services", "", web.secret);
    const json::value listed_summaries = summaries.json();
    BOOST_TEST_REQUIRE(listed_summaries.as_array().size() == 1u);
    BOOST_TEST(str(listed_summaries.as_array()[0], "Name") == "web");
    BOOST_TEST(summaries.header("X-Consul-Results-Filtered-By-ACLs") == "true");
    auto ui_nodes = co_await acl_call(c, "GET", "/v1/internal/ui/nodes", "", web_only.secret);
    BOOST_TEST(ui_nodes.json().as_array().empty());
    BOOST_TEST((co_await acl_call(c, "GET", "/v1/internal/ui/node/n1", "", web_only.secret)).status == 404u);
    auto ui_node = co_await acl_call(c, "GET", "/v1/internal/ui/node/n1", "", web.secret);
    BOOST_TEST(ui_node.json().at("Services").as_array().size() == 1u);  // web, not db

    auto everything = co_await acl_call(c, "GET", "/v1/catalog/services", "");
    BOOST_TEST(object_keys(everything).size() == 3u);  // consul, db, web
    BOOST_TEST(!everything.has_header("X-Consul-Results-Filtered-By-ACLs"));
  }());
}

// Writes: node:write when the node is new or changes, service:write on the service; a
// deregistration needs node:write, or service:write on the service it removes.
BOOST_AUTO_TEST_CASE(catalog_writes_are_vetted_as_consul_does) {
  agent_fixture f(deny_by_default());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto reg = [](const char* address, const char* service) {
      return std::string(R"({"Node": "n1", "Address": ")") + address + R"(", "Service": {"Service": ")" + service +
             R"(", "ID": ")" + service + R"(", "Port": 80}})";
    };
    token web = co_await token_with(c, "web", R"(service "web" { policy = "write" })");
    auto new_node = co_await acl_call(c, "PUT", "/v1/catalog/register", reg("10.0.0.1", "web"), web.secret);
    BOOST_TEST(new_node.status == 403u);
    BOOST_TEST(new_node.body == denial(web.accessor, "node:write", "n1"));
    BOOST_TEST_REQUIRE((co_await acl_call(c, "PUT", "/v1/catalog/register", reg("10.0.0.1", "web"))).status == 200u);
    // The node as it is: only the service is written, and "web" may be.
    BOOST_TEST((co_await acl_call(c, "PUT", "/v1/catalog/register", reg("10.0.0.1", "web"), web.secret)).status == 200u);
    auto moved = co_await acl_call(c, "PUT", "/v1/catalog/register", reg("10.0.0.2", "web"), web.secret);
    BOOST_TEST(moved.status == 403u);
    BOOST_TEST(moved.body == denial(web.accessor, "node:write", "n1"));
    auto db = co_await acl_call(c, "PUT", "/v1/catalog/register", reg("10.0.0.1", "db"), web.secret);
    BOOST_TEST(db.status == 403u);
    BOOST_TEST(db.body == denial(web.accessor, "service:write", "db"));

    auto whole_node = co_await acl_call(c, "PUT", "/v1/catalog/deregister", R"({"Node": "n1"})", web.secret);
    BOOST_TEST(whole_node.status == 403u);
    BOOST_TEST(whole_node.body == denial(web.accessor, "node:write", "n1"));
    auto service = co_await acl_call(c, "PUT", "/v1/catalog/deregister", R"({"Node": "n1", "ServiceID": "web"})", web.secret);
    BOOST_TEST(service.status == 200u);
    auto gone = co_await acl_call(c, "GET", "/v1/catalog/service/web", "");
    BOOST_TEST(gone.json().as_array().empty());
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(agent_services_and_checks)

// service:write on what a registration names and on what it replaces; reads of the agent's
// services and checks filtered or denied by service:read; node checks and node maintenance need
// node:write on the agent's node.
BOOST_AUTO_TEST_CASE(local_services_and_checks_need_service_and_node_rules) {
  agent_fixture f(deny_by_default());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    const std::string node = f.agent.node_name();
    BOOST_TEST_REQUIRE((co_await acl_call(c, "PUT", "/v1/agent/service/register", R"({"Name": "db", "ID": "db-1"})")).status == 200u);
    token web = co_await token_with(c, "web", R"(service "web" { policy = "write" })");

    BOOST_TEST((co_await acl_call(c, "PUT", "/v1/agent/service/register", R"({"Name": "web", "ID": "web-1"})", web.secret)).status == 200u);
    auto db = co_await acl_call(c, "PUT", "/v1/agent/service/register", R"({"Name": "db", "ID": "db-2"})", web.secret);
    BOOST_TEST(db.status == 403u);
    BOOST_TEST(db.body == denial(web.accessor, "service:write", "db"));
    // Taking over db-1's ID needs write on the service it replaces.
    auto takeover = co_await acl_call(c, "PUT", "/v1/agent/service/register", R"({"Name": "web", "ID": "db-1"})", web.secret);
    BOOST_TEST(takeover.status == 403u);
    BOOST_TEST(takeover.body == denial(web.accessor, "service:write", "db"));

    auto services = co_await acl_call(c, "GET", "/v1/agent/services", "", web.secret);
    BOOST_TEST(object_keys(services) == (std::vector<std::string>{"web-1"}), boost::test_tools::per_element());
    BOOST_TEST(services.header("X-Consul-Results-Filtered-By-ACLs") == "true");
    auto one = co_await acl_call(c, "GET", "/v1/agent/service/db-1", "", web.secret);
    BOOST_TEST(one.status == 403u);
    BOOST_TEST(one.body == denial(web.accessor, "service:read", "db"));
    BOOST_TEST((co_await acl_call(c, "GET", "/v1/agent/service/nope", "", web.secret)).status == 404u);
    BOOST_TEST((co_await acl_call(c, "GET", "/v1/agent/health/service/name/db", "", web.secret)).status == 403u);

    auto dereg = co_await acl_call(c, "PUT", "/v1/agent/service/deregister/db-1", "", web.secret);
    BOOST_TEST(dereg.status == 403u);
    BOOST_TEST((co_await acl_call(c, "PUT", "/v1/agent/service/deregister/nope", "", web.secret)).status == 404u);

    auto node_check = co_await acl_call(c, "PUT", "/v1/agent/check/register", R"({"Name": "disk", "TTL": "10s"})", web.secret);
    BOOST_TEST(node_check.status == 403u);
    BOOST_TEST(node_check.body == denial(web.accessor, "node:write", node));
    auto web_check = co_await acl_call(c, "PUT", "/v1/agent/check/register",
                                       R"({"Name": "web-ttl", "TTL": "10s", "ServiceID": "web-1"})", web.secret);
    BOOST_TEST(web_check.status == 200u, web_check.body);
    BOOST_TEST((co_await acl_call(c, "PUT", "/v1/agent/check/pass/web-ttl", "", web.secret)).status == 200u);
    auto maintenance = co_await acl_call(c, "PUT", "/v1/agent/maintenance?enable=true", "", web.secret);
    BOOST_TEST(maintenance.status == 403u);
    BOOST_TEST(maintenance.body == denial(web.accessor, "node:write", node));
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(policies_and_login)

BOOST_AUTO_TEST_CASE(rules_that_do_not_parse_are_refused_with_consuls_text) {
  agent_fixture f(deny_by_default());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto bad = co_await acl_call(c, "PUT", "/v1/acl/policy", R"({"Name":"bad","Rules":"key \"x\" { policy = \"own\" }"})");
    BOOST_TEST(bad.status == 500u);
    BOOST_TEST(bad.body.rfind("Invalid key policy: ", 0) == 0u, bad.body);
    auto broken = co_await acl_call(c, "PUT", "/v1/acl/policy", R"({"Name":"broken","Rules":"key \"x\" {"})");
    BOOST_TEST(broken.status == 500u);
    BOOST_TEST(broken.body.rfind("Failed to parse ACL rules: ", 0) == 0u, broken.body);
  }());
}

// What a token may do follows its policies as they are now: a rule changed, a role added or a
// token deleted applies to the very next request (the agent keeps compiled tokens between
// requests, and every ACL write drops them).
BOOST_AUTO_TEST_CASE(a_changed_policy_or_role_applies_to_the_next_request) {
  agent_fixture f(deny_by_default());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    token t = co_await token_with(c, "reader", R"(key "a" { policy = "read" })");
    BOOST_TEST((co_await acl_call(c, "GET", "/v1/kv/a", "", t.secret)).status == 404u);  // allowed, absent
    BOOST_TEST((co_await acl_call(c, "GET", "/v1/kv/b", "", t.secret)).status == 403u);

    auto p = co_await acl_call(c, "GET", "/v1/acl/policy/name/reader", "");
    std::string update = R"({"Name":"reader","Rules":"key \"b\" { policy = \"read\" }"})";
    auto u = co_await acl_call(c, "PUT", "/v1/acl/policy/" + str(p.json(), "ID"), update);
    BOOST_TEST_REQUIRE(u.status == 200u, u.body);
    BOOST_TEST((co_await acl_call(c, "GET", "/v1/kv/a", "", t.secret)).status == 403u);
    BOOST_TEST((co_await acl_call(c, "GET", "/v1/kv/b", "", t.secret)).status == 404u);

    auto role_policy = co_await acl_call(c, "PUT", "/v1/acl/policy", R"({"Name":"c-reader","Rules":"key \"c\" { policy = \"read\" }"})");
    BOOST_TEST_REQUIRE(role_policy.status == 200u);
    auto role = co_await acl_call(c, "PUT", "/v1/acl/role", R"({"Name":"c-role","Policies":[{"Name":"c-reader"}]})");
    BOOST_TEST_REQUIRE(role.status == 200u);
    std::string with_role = R"({"Policies":[{"Name":"reader"}],"Roles":[{"Name":"c-role"}]})";
    auto tu = co_await acl_call(c, "PUT", "/v1/acl/token/" + t.accessor, with_role);
    BOOST_TEST_REQUIRE(tu.status == 200u, tu.body);
    BOOST_TEST((co_await acl_call(c, "GET", "/v1/kv/c", "", t.secret)).status == 404u);

    BOOST_TEST((co_await acl_call(c, "DELETE", "/v1/acl/token/" + t.accessor, "")).status == 200u);
    auto gone = co_await acl_call(c, "GET", "/v1/kv/b", "", t.secret);
    BOOST_TEST(gone.status == 403u);
    BOOST_TEST(gone.body == "ACL not found");
  }());
}

// A JWT signed by a key the auth method trusts logs in; the token it gives has the service
// identity the binding rule names, acts with that identity's rules, and logs out once.
BOOST_AUTO_TEST_CASE(a_jwt_logs_in_to_a_token_with_its_bound_identity_and_logs_out) {
  agent_fixture f(deny_by_default());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto key = jwt::ec_key("P-256");
    json::object config;
    config["JWTValidationPubKeys"] = json::array{json::value(jwt::public_pem(key))};
    config["BoundIssuer"] = "https://issuer.example";
    config["ClaimMappings"] = json::object{{"service", "service"}};
    config["JWTSupportedAlgs"] = json::array{json::value("ES256")};
    json::object method;
    method["Name"] = "jwt";
    method["Type"] = "jwt";
    method["Config"] = config;
    std::string method_body = json::serialize(method);
    auto m = co_await acl_call(c, "PUT", "/v1/acl/auth-method", method_body);
    BOOST_TEST_REQUIRE(m.status == 200u, m.body);
    auto rule = co_await acl_call(c, "PUT", "/v1/acl/binding-rule",
                                  R"({"AuthMethod":"jwt","BindType":"service","BindName":"${value.service}"})");
    BOOST_TEST_REQUIRE(rule.status == 200u, rule.body);

    const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    json::object claims;
    claims["iss"] = "https://issuer.example";
    claims["sub"] = "web-1";
    claims["service"] = "web";
    claims["iat"] = now.count();
    claims["nbf"] = now.count();
    claims["exp"] = now.count() + 300;
    std::string jwt = jwt::token("ES256", key, claims);
    json::object login;
    login["AuthMethod"] = "jwt";
    login["BearerToken"] = jwt;
    login["Meta"] = json::object{{"pod", "web-1"}};
    std::string login_body = json::serialize(login);
    auto in = co_await acl_call(c, "POST", "/v1/acl/login", login_body, "");
    BOOST_TEST_REQUIRE(in.status == 200u, in.body);
    const json::value t = in.json();
    BOOST_TEST(str(t, "AuthMethod") == "jwt");
    BOOST_TEST(t.at("Local").as_bool());
    BOOST_TEST(str(t, "Description") == R"(token created via login: {"pod":"web-1"})");
    BOOST_TEST_REQUIRE(t.at("ServiceIdentities").as_array().size() == 1u);
    BOOST_TEST(str(t.at("ServiceIdentities").as_array()[0], "ServiceName") == "web");
    const std::string secret = str(t, "SecretID");

    // The identity's rules: service "web" write, and nothing more to write.
    auto web = co_await acl_call(c, "PUT", "/v1/agent/service/register", R"({"Name": "web"})", secret);
    BOOST_TEST(web.status == 200u, web.body);
    auto db = co_await acl_call(c, "PUT", "/v1/agent/service/register", R"({"Name": "db"})", secret);
    BOOST_TEST(db.status == 403u);

    // A signature by another key is refused; so is logging out of a token login did not make.
    json::object other = login;
    other["BearerToken"] = jwt::token("ES256", jwt::ec_key("P-256"), claims);
    std::string other_body = json::serialize(other);
    auto forged = co_await acl_call(c, "POST", "/v1/acl/login", other_body, "");
    BOOST_TEST(forged.status == 500u);
    auto not_login = co_await acl_call(c, "POST", "/v1/acl/logout", "");
    BOOST_TEST(not_login.status == 403u);
    BOOST_TEST(not_login.body == "Permission denied: token wasn't created via login");
    auto out = co_await acl_call(c, "POST", "/v1/acl/logout", "", secret);
    BOOST_TEST(out.status == 200u);
    auto again = co_await acl_call(c, "POST", "/v1/acl/logout", "", secret);
    BOOST_TEST(again.status == 403u);
    BOOST_TEST(again.body == "ACL not found");
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(connect_ca)

// The CA's configuration needs operator:write, to read as well; a leaf needs service:write on
// its service; the roots need nothing.
BOOST_AUTO_TEST_CASE(ca_configuration_and_leaves_need_operator_and_service_write) {
  agent_fixture f(deny_by_default());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    token web = co_await token_with(c, "web", R"(service "web" { policy = "write" }
operator = "read")");
    auto config = co_await acl_call(c, "GET", "/v1/connect/ca/configuration", "", web.secret);
    BOOST_TEST(config.status == 403u);
    BOOST_TEST(config.body == "Permission denied: token with AccessorID '" + web.accessor +
                                  "' lacks permission 'operator:write'");
    BOOST_TEST((co_await acl_call(c, "GET", "/v1/connect/ca/configuration", "")).status == 200u);
    BOOST_TEST((co_await acl_call(c, "GET", "/v1/connect/ca/roots", "", web.secret)).status == 200u);
    BOOST_TEST((co_await acl_call(c, "GET", "/v1/agent/connect/ca/leaf/web", "", web.secret)).status == 200u);
    auto db = co_await acl_call(c, "GET", "/v1/agent/connect/ca/leaf/db", "", web.secret);
    BOOST_TEST(db.status == 403u);
    BOOST_TEST(db.body == denial(web.accessor, "service:write", "db"));
  }());
}

BOOST_AUTO_TEST_SUITE_END()
