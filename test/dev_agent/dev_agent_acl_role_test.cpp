// The dev agent's ACL roles, auth methods, binding rules and replication status over raw HTTP:
// shapes, Consul's error codes and texts, list filters, links kept by ID (renames show,
// deletions drop them), and what deleting an auth method takes with it.
#define BOOST_TEST_MODULE dev_agent_acl_role
#include <boost/test/unit_test.hpp>

#include "acl_test_support.hpp"

using namespace coconsul;
using namespace coconsul::test;
namespace asio = boost::asio;
namespace json = boost::json;

namespace {
std::vector<std::string> keys_of(const json::value& v) {
  std::vector<std::string> out;
  for (const auto& kv : v.as_object()) out.emplace_back(kv.key());
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(roles)

BOOST_AUTO_TEST_CASE(crud_by_name_list_and_links_from_tokens) {
  agent_fixture f(acl_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto p = co_await acl_call(c, "PUT", "/v1/acl/policy", R"({"Name":"p"})");
    std::string pid = str(p.json(), "ID");
    auto r = co_await acl_call(c, "PUT", "/v1/acl/role",
                               R"({"Name":"web-role","Description":"d","Policies":[{"Name":"p"}],)"
                               R"("NodeIdentities":[{"NodeName":"n1","Datacenter":"dc1"}]})");
    BOOST_TEST_REQUIRE(r.status == 200u);
    auto role = r.json();
    std::string rid = str(role, "ID");
    BOOST_TEST((keys_of(role) == std::vector<std::string>{"ID", "Name", "Description", "Policies", "NodeIdentities",
                                                          "Hash", "CreateIndex", "ModifyIndex"}));
    BOOST_TEST(json::serialize(role.at("Policies")) == R"([{"ID":")" + pid + R"(","Name":"p"}])");

    r = co_await acl_call(c, "GET", "/v1/acl/role/name/web-role", "");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(str(r.json(), "ID") == rid);
    r = co_await acl_call(c, "GET", "/v1/acl/role/9a4b8c1e-0000-4000-8000-000000000001", "");
    BOOST_TEST(r.status == 404u);  // a bare 404, as Consul writes it
    BOOST_TEST(r.body == "");
    r = co_await acl_call(c, "GET", "/v1/acl/roles?policy=" + pid, "");
    BOOST_TEST(r.json().as_array().size() == 1u);
    r = co_await acl_call(c, "GET", std::string("/v1/acl/roles?policy=") + "00000000-0000-0000-0000-000000000001", "");
    BOOST_TEST(r.body == "[]\n");

    auto t = co_await acl_call(c, "PUT", "/v1/acl/token", R"({"Roles":[{"Name":"web-role"}]})");
    BOOST_TEST_REQUIRE(t.status == 200u);
    std::string accessor = str(t.json(), "AccessorID");
    r = co_await acl_call(c, "GET", "/v1/acl/tokens?role=" + rid, "");
    BOOST_TEST_REQUIRE(r.json().as_array().size() == 1u);
    BOOST_TEST(str(r.json().as_array()[0], "AccessorID") == accessor);

    r = co_await acl_call(c, "GET", "/v1/acl/token/" + accessor + "?expanded", "");
    BOOST_TEST_REQUIRE(r.status == 200u);
    auto e = r.json().as_object();
    BOOST_TEST(e.begin()->key() == "ExpandedPolicies");
    // The stored policy, then the synthetic policy of the role's node identity.
    const auto& expanded = e.at("ExpandedPolicies").as_array();
    BOOST_TEST_REQUIRE(expanded.size() == 2u);
    BOOST_TEST(str(expanded[0], "ID") == pid);
    BOOST_TEST(str(expanded[1], "Name").rfind("synthetic-policy-", 0) == 0u);
    BOOST_TEST(str(expanded[1], "Description") == R"(synthetic policy for node identity "n1")");
    BOOST_TEST(str(expanded[1], "Rules").find(R"(node "n1")") != std::string::npos);
    BOOST_TEST(json::serialize(expanded[1].at("Datacenters")) == R"(["dc1"])");
    BOOST_TEST(str(e.at("ExpandedRoles").as_array()[0], "ID") == rid);
    BOOST_TEST(str(e, "AgentACLDefaultPolicy") == "allow");
    BOOST_TEST(str(e, "AgentACLDownPolicy") == "extend-cache");
    BOOST_TEST(str(e, "ResolvedByAgent") == "test-node");
    BOOST_TEST(str(e, "AccessorID") == accessor);

    // Renamed: every link shows the new name. Deleted: links go.
    r = co_await acl_call(c, "PUT", "/v1/acl/role/" + rid, R"({"Name":"renamed"})");
    BOOST_TEST_REQUIRE(r.status == 200u);
    BOOST_TEST(!r.json().as_object().contains("Policies"));  // the update replaced them
    r = co_await acl_call(c, "GET", "/v1/acl/token/" + accessor, "");
    BOOST_TEST(str(r.json().at("Roles").as_array()[0], "Name") == "renamed");
    r = co_await acl_call(c, "DELETE", "/v1/acl/role/" + rid, "");
    BOOST_TEST(r.body == "true\n");
    r = co_await acl_call(c, "GET", "/v1/acl/token/" + accessor, "");
    BOOST_TEST(!r.json().as_object().contains("Roles"));
  }());
}

BOOST_AUTO_TEST_CASE(consuls_errors) {
  agent_fixture f(acl_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    co_await acl_call(c, "PUT", "/v1/acl/role", R"({"Name":"taken"})");
    struct bad {
      std::string method, target, body;
      unsigned status;
      std::string text;
    };
    std::vector<bad> cases = {
        {"PUT", "/v1/acl/role", "", 400, "Role decoding failed: EOF"},
        {"PUT", "/v1/acl/role", R"({"ID":"x","Name":"a"})", 400, "Role ID in URL and payload do not match"},
        {"PUT", "/v1/acl/role", R"({"Name":""})", 500, "Invalid Role: no Name is set"},
        {"PUT", "/v1/acl/role", R"({"Name":"a/b"})", 500,
         "Invalid Role: invalid Name. Only alphanumeric characters, '-' and '_' are allowed"},
        {"PUT", "/v1/acl/role", R"({"Name":"taken"})", 500, "Invalid Role: A Role with Name \"taken\" already exists"},
        {"PUT", "/v1/acl/role", R"({"Name":"a","Policies":[{"Name":"nope"}]})", 500, "No such ACL policy with name \"nope\""},
        {"PUT", "/v1/acl/role", R"({"Name":"a","ServiceIdentities":[{}]})", 500,
         "Service identity is missing the service name field on this role"},
        {"PUT", "/v1/acl/role/nope", R"({"Name":"a"})", 500, "Role ID invalid UUID"},
        {"GET", "/v1/acl/role/", "", 400, "Missing role ID"},
        {"PUT", "/v1/acl/auth-method", R"({"Name":"m","Type":"oidc"})", 500,
         "Invalid Auth Method: Type should be one of: [aws-iam jwt kubernetes]"},
        {"PUT", "/v1/acl/auth-method", R"({"Type":"jwt"})", 500, "Invalid Auth Method: no Name is set"},
        {"PUT", "/v1/acl/auth-method", R"({"Name":"m","Type":"jwt","TokenLocality":"planet"})", 500,
         "Invalid Auth Method: TokenLocality should be one of 'local' or 'global'"},
        {"PUT", "/v1/acl/auth-method", R"({"Name":"m","Type":"jwt","MaxTokenTTL":"48h"})", 500,
         "MaxTokenTTL 48h0m0s cannot be more than 24h0m0s"},
        {"PUT", "/v1/acl/auth-method/m", R"({"Name":"n","Type":"jwt"})", 400, "AuthMethod Name in URL and payload do not match"},
        {"PUT", "/v1/acl/auth-method", R"({"Name":"m","Type":"jwt","Config":[]})", 500,
         "Invalid Auth Method: Config must be an object"},
        {"GET", "/v1/acl/auth-method/nope", "", 404, ""},
        {"PUT", "/v1/acl/binding-rule", R"({"BindType":"service","BindName":"x"})", 500,
         "Invalid Binding Rule: no AuthMethod is set"},
        {"PUT", "/v1/acl/binding-rule", R"({"AuthMethod":"nope","BindType":"service","BindName":"x"})", 500,
         "cannot find auth method with name \"nope\""},
        {"GET", "/v1/acl/binding-rule/9a4b8c1e-0000-4000-8000-000000000001", "", 404, ""},
        {"PUT", "/v1/acl/binding-rule/nope", "{}", 500, "Binding Rule ID invalid UUID"},
    };
    for (const auto& k : cases) {
      auto r = co_await acl_call(c, k.method, k.target, k.body);
      BOOST_TEST(r.status == k.status, k.method << " " << k.target << " " << k.body);
      BOOST_TEST(r.body == k.text, k.method << " " << k.target << " " << k.body);
    }
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(auth_methods)

BOOST_AUTO_TEST_CASE(every_ce_type_with_its_config_and_binding_rules) {
  agent_fixture f(acl_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    // kubernetes and aws-iam Configs are kept as sent; a jwt Config is checked as Consul checks it
    // (a jwt method that logs in is in dev_agent_acl_enforce_test).
    for (const char* type : {"jwt", "kubernetes", "aws-iam"}) {
      auto r = co_await acl_call(c, "PUT", "/v1/acl/auth-method",
                                 std::string(R"({"Name":"m-)") + type + R"(","Type":")" + type +
                                     R"(","MaxTokenTTL":"1h","Config":{"BoundIssuer":"me","N":[1,2]}})");
      if (std::string(type) == "jwt") {
        BOOST_TEST(r.status == 500u);
        BOOST_TEST(r.body.rfind("Invalid Auth Method: ", 0) == 0u, r.body);
      } else {
        BOOST_TEST(r.status == 200u, type);
      }
    }
    auto r = co_await acl_call(c, "GET", "/v1/acl/auth-method/m-kubernetes", "");
    BOOST_TEST_REQUIRE(r.status == 200u);
    BOOST_TEST((keys_of(r.json()) ==
                std::vector<std::string>{"Name", "Type", "MaxTokenTTL", "Config", "CreateIndex", "ModifyIndex"}));
    BOOST_TEST(str(r.json(), "MaxTokenTTL") == "1h0m0s");
    BOOST_TEST(json::serialize(r.json().at("Config")) == R"({"BoundIssuer":"me","N":[1,2]})");
    r = co_await acl_call(c, "PUT", "/v1/acl/auth-method/m-kubernetes", R"({"Type":"aws-iam"})");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "the Type field of an Auth Method is immutable");
    r = co_await acl_call(c, "GET", "/v1/acl/auth-methods", "");
    BOOST_TEST_REQUIRE(r.json().as_array().size() == 2u);
    BOOST_TEST(str(r.json().as_array()[0], "Name") == "m-aws-iam");
    BOOST_TEST(!r.json().as_array()[0].as_object().contains("Config"));

    auto b = co_await acl_call(c, "PUT", "/v1/acl/binding-rule",
                               R"({"AuthMethod":"m-kubernetes","Selector":"value.team == web","BindType":"service","BindName":"svc-${value.name}"})");
    BOOST_TEST_REQUIRE(b.status == 200u);
    BOOST_TEST((keys_of(b.json()) == std::vector<std::string>{"ID", "Description", "AuthMethod", "Selector", "BindType",
                                                              "BindName", "CreateIndex", "ModifyIndex"}));
    std::string bid = str(b.json(), "ID");
    co_await acl_call(c, "PUT", "/v1/acl/binding-rule", R"({"AuthMethod":"m-aws-iam","BindType":"role","BindName":"r"})");
    r = co_await acl_call(c, "PUT", "/v1/acl/binding-rule/" + bid, R"({"AuthMethod":"m-aws-iam"})");
    BOOST_TEST(r.body == "the AuthMethod field of an Binding Rule is immutable");
    r = co_await acl_call(c, "PUT", "/v1/acl/binding-rule/" + bid, R"({"BindType":"policy","BindName":"x"})");
    BOOST_TEST(r.body == "Invalid Binding Rule: unknown BindType \"policy\"");
    r = co_await acl_call(c, "PUT", "/v1/acl/binding-rule/" + bid, R"({"BindType":"service","BindName":"Bad Name"})");
    BOOST_TEST(r.body == "Invalid Binding Rule: invalid BindName");
    r = co_await acl_call(c, "PUT", "/v1/acl/binding-rule/" + bid, R"({"BindType":"node","BindName":"n-${x}","Description":"u"})");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(str(r.json(), "AuthMethod") == "m-kubernetes");
    r = co_await acl_call(c, "GET", "/v1/acl/binding-rules?authmethod=m-kubernetes", "");
    BOOST_TEST_REQUIRE(r.json().as_array().size() == 1u);
    BOOST_TEST(str(r.json().as_array()[0], "Description") == "u");
    r = co_await acl_call(c, "GET", "/v1/acl/binding-rules", "");
    BOOST_TEST(r.json().as_array().size() == 2u);

    // Deleting a method takes its binding rules with it.
    r = co_await acl_call(c, "DELETE", "/v1/acl/auth-method/m-kubernetes", "");
    BOOST_TEST(r.body == "true\n");
    r = co_await acl_call(c, "GET", "/v1/acl/binding-rule/" + bid, "");
    BOOST_TEST(r.status == 404u);
    r = co_await acl_call(c, "GET", "/v1/acl/binding-rules", "");
    BOOST_TEST(r.json().as_array().size() == 1u);
    r = co_await acl_call(c, "DELETE", "/v1/acl/binding-rule/" + bid, "");
    BOOST_TEST(r.body == "true\n");  // nothing to delete is no error
  }());
}

BOOST_AUTO_TEST_CASE(replication_status_of_the_primary) {
  agent_fixture f(acl_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/v1/acl/replication");
    BOOST_TEST_REQUIRE(r.status == 200u);
    BOOST_TEST(json::serialize(r.json()) ==
               R"({"Enabled":false,"Running":false,"SourceDatacenter":"","ReplicationType":"","ReplicatedIndex":0,)"
               R"("ReplicatedRoleIndex":0,"ReplicatedTokenIndex":0,"LastSuccess":"0001-01-01T00:00:00Z",)"
               R"("LastError":"0001-01-01T00:00:00Z","LastErrorMessage":""})");
  }());
}

BOOST_AUTO_TEST_SUITE_END()
