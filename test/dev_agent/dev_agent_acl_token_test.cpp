// The dev agent's ACL system over raw HTTP, byte for byte: ACLs off (401 everywhere, 410 for
// the legacy routes), bootstrap once and its reset file, the builtin objects, tokens (create,
// read, update, clone, delete, self by each token source, list filters, blocking, expiry) and
// policies (CRUD, by name, list, renames shown in links, deletion dropping links).
#define BOOST_TEST_MODULE dev_agent_acl_token
#include <boost/test/unit_test.hpp>

#include "acl_test_support.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <filesystem>
#include <fstream>
#include <optional>

using namespace coconsul;
using namespace coconsul::test;
namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

constexpr const char* global_management = "00000000-0000-0000-0000-000000000001";
constexpr const char* anonymous = "00000000-0000-0000-0000-000000000002";

// Every ACL route of Consul 1.14 (routes.tsv, area acl), with a method it serves.
const std::vector<std::pair<std::string, std::string>> acl_routes = {
    {"PUT", "/v1/acl/bootstrap"},       {"GET", "/v1/acl/replication"},   {"GET", "/v1/acl/policies"},
    {"PUT", "/v1/acl/policy"},          {"GET", "/v1/acl/policy/x"},      {"GET", "/v1/acl/policy/name/x"},
    {"GET", "/v1/acl/roles"},           {"PUT", "/v1/acl/role"},          {"GET", "/v1/acl/role/name/x"},
    {"DELETE", "/v1/acl/role/x"},       {"GET", "/v1/acl/binding-rules"}, {"PUT", "/v1/acl/binding-rule"},
    {"GET", "/v1/acl/binding-rule/x"},  {"GET", "/v1/acl/auth-methods"},  {"PUT", "/v1/acl/auth-method"},
    {"GET", "/v1/acl/auth-method/x"},   {"GET", "/v1/acl/tokens"},        {"PUT", "/v1/acl/token"},
    {"GET", "/v1/acl/token/self"},      {"GET", "/v1/acl/token/x"},       {"PUT", "/v1/acl/token/x/clone"},
};

// Runs a blocking GET in the background; `done` holds its reply when it returns.
asio::awaitable<void> park(agent_client& c, std::string target, std::optional<reply>& done) {
  done = co_await acl_call(c, "GET", std::move(target), "");
}

// Waits (under the test's deadline) until the agent holds `n` blocking queries.
asio::awaitable<void> until_waiting(const dev_agent& agent, std::size_t n) {
  while (agent.waiting_queries() != n) co_await sleep_for(2ms);
}

asio::awaitable<void> until_done(const std::optional<reply>& done) {
  while (!done) co_await sleep_for(2ms);
}

// `n` service identities, for the bound on identities per token.
std::string many_identities(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += (i ? "," : "") + std::string(R"({"ServiceName":"s)") + std::to_string(i) + R"("})";
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(acls_off)

BOOST_AUTO_TEST_CASE(every_acl_route_is_401_and_the_legacy_ones_410) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    for (const auto& [method, path] : acl_routes) {
      auto r = co_await c.request(method, path, "{}");
      BOOST_TEST(r.status == 401u, method << " " << path);
      BOOST_TEST(r.body == "ACL support disabled", path);
    }
    for (const char* path : {"/v1/acl/create", "/v1/acl/update", "/v1/acl/destroy/x", "/v1/acl/clone/x"}) {
      auto r = co_await c.put(path);
      BOOST_TEST(r.status == 410u, path);
      BOOST_TEST(r.body == std::string("Endpoint ") + path + " for the legacy ACL system was removed in Consul 1.11.");
    }
    for (const char* path : {"/v1/acl/info/x", "/v1/acl/list", "/v1/acl/rules/translate/x"}) {
      auto r = co_await c.get(path);
      BOOST_TEST(r.status == 410u, path);
    }
    auto r = co_await c.get("/v1/kv/x");
    BOOST_TEST(r.header("X-Consul-Default-Acl-Policy") == "allow");
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(bootstrap)

BOOST_AUTO_TEST_CASE(works_once_then_403_with_the_reset_index_and_the_reset_file_lifts_it) {
  auto dir = std::filesystem::temp_directory_path() / ("coconsul-acl-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto o = agent_test_options();
  o.acl.enabled = true;
  o.acl.data_dir = dir.string();
  agent_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto r = co_await c.put("/v1/acl/bootstrap");
    BOOST_TEST_REQUIRE(r.status == 200u);
    auto b = r.json().as_object();
    BOOST_TEST(b.begin()->key() == "ID");  // aclBootstrapResponse: ID first
    BOOST_TEST(str(b, "ID") == str(b, "SecretID"));
    BOOST_TEST(str(b, "Description") == "Bootstrap Token (Global Management)");
    BOOST_TEST(json::serialize(b.at("Policies")) ==
               R"([{"ID":"00000000-0000-0000-0000-000000000001","Name":"global-management"}])");
    BOOST_TEST(b.at("Local") == false);
    std::uint64_t reset = b.at("CreateIndex").to_number<std::uint64_t>();

    r = co_await c.put("/v1/acl/bootstrap");
    BOOST_TEST(r.status == 403u);
    BOOST_TEST(r.body == "Permission denied: ACL bootstrap no longer allowed (reset index: " + std::to_string(reset) + ")");

    std::ofstream(dir / "acl-bootstrap-reset") << (reset + 5);
    r = co_await c.put("/v1/acl/bootstrap");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "Invalid bootstrap reset index (specified " + std::to_string(reset + 5) +
                             ", reset index: " + std::to_string(reset) + ")");
    std::ofstream(dir / "acl-bootstrap-reset") << reset;
    r = co_await c.put("/v1/acl/bootstrap");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(!std::filesystem::exists(dir / "acl-bootstrap-reset"));
    // The first token still works.
    r = co_await acl_call(c, "GET", "/v1/acl/token/self", "", str(b, "SecretID"));
    BOOST_TEST(r.status == 200u);
  }());
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(an_initial_management_token_uses_up_the_bootstrap) {
  agent_fixture f(acl_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto r = co_await c.put("/v1/acl/bootstrap");
    BOOST_TEST(r.status == 403u);
    BOOST_TEST(r.body.rfind("Permission denied: ACL bootstrap no longer allowed (reset index: ", 0) == 0);
    r = co_await acl_call(c, "GET", "/v1/acl/token/self", "");
    BOOST_TEST_REQUIRE(r.status == 200u);
    BOOST_TEST(str(r.json(), "Description") == "Initial Management Token");
    BOOST_TEST(str(r.json(), "SecretID") == acl_root);
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(builtins)

BOOST_AUTO_TEST_CASE(the_anonymous_token_and_the_global_management_policy_exist) {
  agent_fixture f(acl_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto r = co_await acl_call(c, "GET", std::string("/v1/acl/token/") + anonymous, "");
    BOOST_TEST_REQUIRE(r.status == 200u);
    BOOST_TEST(str(r.json(), "SecretID") == "anonymous");
    BOOST_TEST(str(r.json(), "Description") == "Anonymous Token");
    BOOST_TEST(!r.json().as_object().contains("Policies"));  // omitempty
    BOOST_TEST(r.index() > 0u);
    r = co_await acl_call(c, "GET", "/v1/acl/policy/name/global-management", "");
    BOOST_TEST_REQUIRE(r.status == 200u);
    BOOST_TEST(str(r.json(), "ID") == global_management);
    BOOST_TEST(str(r.json(), "Description") == "Builtin Policy that grants unlimited access");
    BOOST_TEST(str(r.json(), "Rules").find("acl = \"write\"") != std::string::npos);
    r = co_await acl_call(c, "DELETE", std::string("/v1/acl/policy/") + global_management, "");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "Delete operation not permitted on the builtin global-management policy");
    r = co_await acl_call(c, "DELETE", std::string("/v1/acl/token/") + anonymous, "");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "Delete operation not permitted on the anonymous token");
    auto self = co_await c.get("/v1/kv/x");
    BOOST_TEST(self.header("X-Consul-Default-Acl-Policy") == "allow");
  }());
}

BOOST_AUTO_TEST_CASE(agent_self_reports_acls_on) {
  auto o = acl_test_options();
  o.acl.tokens.agent = "agent-secret";
  agent_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto r = co_await acl_call(c, "GET", "/v1/agent/self", "");
    BOOST_TEST_REQUIRE(r.status == 200u);
    auto self = r.json();
    BOOST_TEST(self.at("Member").at("Tags").at("acls") == "1");
    BOOST_TEST(self.at("Stats").at("consul").at("acl") == "enabled");
    const auto& d = self.at("DebugConfig");
    BOOST_TEST(d.at("ACLsEnabled") == true);
    BOOST_TEST(d.at("ACLInitialManagementToken") == "hidden");
    BOOST_TEST(d.at("ACLTokens").at("ACLAgentToken") == "hidden");
    BOOST_TEST(d.at("ACLTokens").at("ACLDefaultToken") == "");
    BOOST_TEST(d.at("ACLResolverSettings").at("ACLDefaultPolicy") == "allow");
    BOOST_TEST(d.at("ACLResolverSettings").at("ACLTokenTTL") == "30s");
    BOOST_TEST(f.agent.agent_token("agent") == "agent-secret");  // the configured agent token
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(tokens)

BOOST_AUTO_TEST_CASE(create_read_update_clone_delete) {
  agent_fixture f(acl_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto r = co_await acl_call(c, "PUT", "/v1/acl/policy", R"({"Name":"kv-read","Rules":"key_prefix \"\" { policy = \"read\" }"})");
    BOOST_TEST_REQUIRE(r.status == 200u);
    std::string policy_id = str(r.json(), "ID");
    r = co_await acl_call(c, "PUT", "/v1/acl/token",
                          R"({"Description":"web","Policies":[{"Name":"kv-read"},{"ID":")" + policy_id +
                              R"("}],"ServiceIdentities":[{"ServiceName":"web"},{"ServiceName":"web","Datacenters":["dc1"]}]})");
    BOOST_TEST_REQUIRE(r.status == 200u);
    auto t = r.json().as_object();
    std::string accessor = str(t, "AccessorID");
    std::string secret = str(t, "SecretID");
    BOOST_TEST(accessor.size() == 36u);
    BOOST_TEST(json::serialize(t.at("Policies")) == R"([{"ID":")" + policy_id + R"(","Name":"kv-read"}])");
    BOOST_TEST(json::serialize(t.at("ServiceIdentities")) == R"([{"ServiceName":"web"}])");  // deduplicated
    BOOST_TEST(str(t, "Hash").size() == 44u);
    BOOST_TEST(t.at("CreateIndex") == t.at("ModifyIndex"));
    std::vector<std::string> keys;
    for (const auto& kv : t) keys.emplace_back(kv.key());
    BOOST_TEST((keys == std::vector<std::string>{"AccessorID", "SecretID", "Description", "Policies", "ServiceIdentities",
                                                 "Local", "CreateTime", "Hash", "CreateIndex", "ModifyIndex"}));

    r = co_await acl_call(c, "GET", "/v1/acl/token/" + accessor, "");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(str(r.json(), "SecretID") == secret);

    // An update replaces the token's links and identities: what it does not send, it drops.
    r = co_await acl_call(c, "PUT", "/v1/acl/token/" + accessor,
                          R"({"Description":"web v2","Policies":[{"ID":")" + policy_id + R"("}]})");
    BOOST_TEST_REQUIRE(r.status == 200u);
    BOOST_TEST(str(r.json(), "Description") == "web v2");
    BOOST_TEST(str(r.json(), "SecretID") == secret);
    BOOST_TEST(str(r.json(), "CreateTime") == str(t, "CreateTime"));
    BOOST_TEST(r.json().at("CreateIndex") == t.at("CreateIndex"));
    BOOST_TEST(r.json().at("ModifyIndex").to_number<std::uint64_t>() > t.at("ModifyIndex").to_number<std::uint64_t>());
    BOOST_TEST(!r.json().as_object().contains("ServiceIdentities"));

    r = co_await acl_call(c, "PUT", "/v1/acl/token/" + accessor + "/clone", R"({"Description":"copy"})");
    BOOST_TEST_REQUIRE(r.status == 200u);
    BOOST_TEST(str(r.json(), "AccessorID") != accessor);
    BOOST_TEST(str(r.json(), "Description") == "copy");
    BOOST_TEST(r.json().at("Policies") == t.at("Policies"));

    r = co_await acl_call(c, "DELETE", "/v1/acl/token/" + accessor, "");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.body == "true\n");
    r = co_await acl_call(c, "GET", "/v1/acl/token/" + accessor, "");
    BOOST_TEST(r.status == 403u);
    BOOST_TEST(r.body == "ACL not found");
    r = co_await acl_call(c, "GET", "/v1/acl/token/self", "", secret);
    BOOST_TEST(r.status == 403u);
    BOOST_TEST(r.body == "ACL not found");
  }());
}

BOOST_AUTO_TEST_CASE(consuls_errors_for_bad_writes) {
  agent_fixture f(acl_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    struct bad {
      std::string method, target, body;
      unsigned status;
      std::string text;
    };
    std::vector<bad> cases = {
        {"PUT", "/v1/acl/token", "", 400, "Token decoding failed: EOF"},
        {"PUT", "/v1/acl/token", R"({"Foo":1})", 400, "Token decoding failed: json: unknown field \"Foo\""},
        {"PUT", "/v1/acl/token", R"({"Policies":[{"Name":"nope"}]})", 500, "No such ACL policy with name \"nope\""},
        {"PUT", "/v1/acl/token", R"({"Roles":[{"ID":"9a4b8c1e-0000-4000-8000-000000000001"}]})", 500,
         "No such ACL role with ID \"9a4b8c1e-0000-4000-8000-000000000001\""},
        {"PUT", "/v1/acl/token", R"({"AccessorID":"nope"})", 500, "Invalid Token: AccessorID is not a valid UUID"},
        {"PUT", "/v1/acl/token", R"({"SecretID":"00000000-0000-0000-0000-000000000099"})", 500,
         "Invalid Token: UUIDs with the prefix \"00000000-0000-0000-0000-0000000000\" are reserved"},
        {"PUT", "/v1/acl/token", R"({"SecretID":")" + std::string(acl_root) + R"("})", 500,
         "Invalid Token: SecretID is already in use"},
        {"PUT", "/v1/acl/token", R"({"AuthMethod":"m"})", 500, "AuthMethod field is disallowed outside of Login"},
        {"PUT", "/v1/acl/token", R"({"ExpirationTTL":"-1s"})", 500, "Token Expiration TTL '-1s' should be > 0"},
        {"PUT", "/v1/acl/token", R"({"ExpirationTTL":"10s"})", 500,
         "ExpirationTime cannot be less than 1m0s in the future (was 10s)"},
        {"PUT", "/v1/acl/token", R"({"ExpirationTTL":"25h"})", 500,
         "ExpirationTime cannot be more than 24h0m0s in the future (was 25h0m0s)"},
        {"PUT", "/v1/acl/token", R"({"ServiceIdentities":[{"ServiceName":"Web!"}]})", 500,
         "Service identity \"Web!\" has an invalid name. Only alphanumeric characters, '-' and '_' are allowed"},
        {"PUT", "/v1/acl/token", R"({"NodeIdentities":[{"NodeName":"n1"}]})", 500,
         "Node identity is missing the datacenter field on this token"},
        {"PUT", "/v1/acl/token/9a4b8c1e-0000-4000-8000-000000000001", R"({"AccessorID":"9a4b8c1e-0000-4000-8000-000000000002"})",
         400, "Token Accessor ID in URL and payload do not match"},
        {"PUT", "/v1/acl/token/9a4b8c1e-0000-4000-8000-000000000001", "{}", 500,
         "Cannot find token \"9a4b8c1e-0000-4000-8000-000000000001\""},
        {"DELETE", "/v1/acl/token/nope", "", 500, "Accessor ID is missing or an invalid UUID"},
        {"GET", "/v1/acl/tokens?policy=a&role=b", "", 500, "can only filter by one of policy, role, or methodName at a time"},
        {"PUT", "/v1/acl/policy", R"({"Name":"a b"})", 500,
         "Invalid Policy: invalid Name. Only alphanumeric characters, '-' and '_' are allowed"},
        {"PUT", "/v1/acl/policy", R"({"Name":""})", 500, "Invalid Policy: no Name is set"},
        {"PUT", "/v1/acl/policy", R"({"ID":"x","Name":"a"})", 400, "Cannot specify the ID when creating a new policy"},
        {"PUT", "/v1/acl/policy", R"({"Name":"global-management"})", 500,
         "Invalid Policy: A Policy with Name \"global-management\" already exists"},
        {"PUT", "/v1/acl/policy", R"({"Name":"big","Rules":")" + std::string(128 * 1024 + 1, 'x') + R"("})", 500,
         "Failed to parse ACL rules: the rules are 131073 bytes, over this agent's limit of 131072"},
        {"PUT", std::string("/v1/acl/policy/") + global_management, R"({"Name":"global-management","Rules":""})", 500,
         "Changing the Rules for the builtin global-management policy is not permitted"},
        {"GET", "/v1/acl/policy/9a4b8c1e-0000-4000-8000-000000000001", "", 403, "ACL not found"},
        // This agent's bounds (docs/acl.md, "Bounds").
        {"PUT", "/v1/acl/token", R"({"Description":")" + std::string(8 * 1024 + 1, 'd') + R"("})", 400,
         "Description is 8193 bytes, over this agent's limit of 8192"},
        {"PUT", "/v1/acl/token", R"({"ServiceIdentities":[)" + many_identities(257) + "]}", 500,
         "Too many service identities (this agent's limit is 256)"},
    };
    for (const auto& k : cases) {
      auto r = co_await acl_call(c, k.method, k.target, k.body);
      BOOST_TEST(r.status == k.status, k.method << " " << k.target << " " << k.body);
      BOOST_TEST(r.body == k.text, k.method << " " << k.target << " " << k.body);
    }
    // The caller's own token cannot be deleted.
    auto self = co_await acl_call(c, "GET", "/v1/acl/token/self", "");
    auto r = co_await acl_call(c, "DELETE", "/v1/acl/token/" + str(self.json(), "AccessorID"), "");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "Deletion of the request's authorization token is not permitted");
  }());
}

BOOST_AUTO_TEST_CASE(self_by_each_token_source_in_consuls_order) {
  agent_fixture f(acl_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto made = co_await acl_call(c, "PUT", "/v1/acl/token", R"({"Description":"other"})");
    std::string other = str(made.json(), "SecretID");
    auto description = [](const reply& r) { return r.status == 200 ? str(r.json(), "Description") : r.body; };
    using headers = std::vector<std::pair<std::string, std::string>>;
    // Headers built as named locals: gcc 12 and braced lists inside co_await (BUILD-NOTES).
    headers h1{{"X-Consul-Token", acl_root}};
    headers h2{{"X-Consul-Token", other}, {"Authorization", std::string("Bearer ") + acl_root}};
    headers h3{{"Authorization", "bEaReR  " + other + " x"}};
    headers h4{{"Authorization", "Basic " + other}};
    auto r = co_await c.request("GET", "/v1/acl/token/self?token=" + other, "", h1);
    BOOST_TEST(description(r) == "other");  // ?token= first
    r = co_await c.request("GET", "/v1/acl/token/self", "", h2);
    BOOST_TEST(description(r) == "other");  // then X-Consul-Token
    r = co_await c.request("GET", "/v1/acl/token/self", "", h3);
    BOOST_TEST(description(r) == "other");  // then Bearer, any case, first word
    r = co_await c.request("GET", "/v1/acl/token/self", "", h4);
    BOOST_TEST(r.status == 403u);  // not a bearer token: none, and no default token yet
    BOOST_TEST(r.body == "ACL not found");
    r = co_await c.get("/v1/acl/token/self?token=9a4b8c1e-0000-4000-8000-00000000dead");
    BOOST_TEST(r.status == 403u);
    BOOST_TEST(r.body == "ACL not found");
    r = co_await c.get("/v1/acl/token/self?token=anonymous");
    BOOST_TEST(description(r) == "Anonymous Token");
    // The agent's default token is what a request without one acts with.
    r = co_await acl_call(c, "PUT", "/v1/agent/token/default", R"({"Token":")" + other + R"("})");
    BOOST_TEST(r.status == 200u);
    r = co_await c.get("/v1/acl/token/self");
    BOOST_TEST(description(r) == "other");
    r = co_await c.get("/v1/acl/token/self?token=root");
    BOOST_TEST(r.status == 403u);
    r = co_await c.get("/v1/acl/tokens?token=manage");
    BOOST_TEST(r.status == 403u);
    BOOST_TEST(r.body == "Permission denied: Cannot resolve root ACL");
  }());
}

BOOST_AUTO_TEST_CASE(list_filters_and_renames_and_deleted_policies) {
  agent_fixture f(acl_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto p = co_await acl_call(c, "PUT", "/v1/acl/policy", R"({"Name":"p1","Description":"one","Rules":"key \"x\" { policy = \"read\" }"})");
    std::string pid = str(p.json(), "ID");
    auto t = co_await acl_call(c, "PUT", "/v1/acl/token", R"({"Description":"with p1","Policies":[{"ID":")" + pid + R"("}]})");
    std::string accessor = str(t.json(), "AccessorID");
    co_await acl_call(c, "PUT", "/v1/acl/token", R"({"Description":"plain"})");

    auto r = co_await acl_call(c, "GET", "/v1/acl/tokens", "");
    BOOST_TEST(r.json().as_array().size() == 4u);  // anonymous, initial management, two new
    r = co_await acl_call(c, "GET", "/v1/acl/tokens?policy=" + pid, "");
    BOOST_TEST_REQUIRE(r.json().as_array().size() == 1u);
    BOOST_TEST(str(r.json().as_array()[0], "AccessorID") == accessor);
    r = co_await acl_call(c, "GET", std::string("/v1/acl/tokens?policy=") + global_management, "");
    BOOST_TEST(r.json().as_array().size() == 1u);  // the initial management token
    r = co_await acl_call(c, "GET", "/v1/acl/tokens?authmethod=none", "");
    BOOST_TEST(r.body == "[]\n");

    r = co_await acl_call(c, "GET", "/v1/acl/policies", "");
    BOOST_TEST_REQUIRE(r.status == 200u);
    auto policies = r.json();  // named: a range-for over a temporary's member dangles
    for (const auto& e : policies.as_array()) {
      BOOST_TEST(!e.as_object().contains("Rules"));
      BOOST_TEST(e.at("Datacenters").is_null());
    }
    // A rename shows wherever the policy is linked.
    r = co_await acl_call(c, "PUT", "/v1/acl/policy/" + pid, R"({"Name":"p1-renamed","Rules":"key \"x\" { policy = \"read\" }"})");
    BOOST_TEST_REQUIRE(r.status == 200u);
    BOOST_TEST(str(r.json(), "Description") == "");
    r = co_await acl_call(c, "GET", "/v1/acl/token/" + accessor, "");
    BOOST_TEST(str(r.json().at("Policies").as_array()[0], "Name") == "p1-renamed");
    r = co_await acl_call(c, "GET", "/v1/acl/policy/name/p1", "");
    BOOST_TEST(r.status == 403u);
    // Deleting it removes its links.
    r = co_await acl_call(c, "DELETE", "/v1/acl/policy/" + pid, "");
    BOOST_TEST(r.body == "true\n");
    r = co_await acl_call(c, "GET", "/v1/acl/token/" + accessor, "");
    BOOST_TEST(!r.json().as_object().contains("Policies"));
    r = co_await acl_call(c, "GET", "/v1/acl/tokens?policy=" + pid, "");
    BOOST_TEST(r.body == "[]\n");
  }());
}

BOOST_AUTO_TEST_CASE(a_blocking_list_wakes_on_a_write) {
  agent_fixture f(acl_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor()), writer(f.agent, f.ioc.get_executor());
    auto r = co_await acl_call(c, "GET", "/v1/acl/tokens", "");
    std::uint64_t idx = r.index();
    BOOST_TEST(idx > 0u);
    std::optional<reply> done;
    asio::co_spawn(f.ioc, park(c, "/v1/acl/tokens?wait=10s&index=" + std::to_string(idx), done), asio::detached);
    co_await until_waiting(f.agent, 1);
    co_await acl_call(writer, "PUT", "/v1/acl/policy", R"({"Name":"other-table"})");  // another table
    BOOST_TEST(!done.has_value());
    auto made = co_await acl_call(writer, "PUT", "/v1/acl/token", R"({"Description":"new"})");
    co_await until_done(done);
    BOOST_TEST(done->index() == made.json().at("CreateIndex").to_number<std::uint64_t>());
    BOOST_TEST(done->json().as_array().size() == 3u);
  }());
}

BOOST_AUTO_TEST_CASE(expired_tokens_are_reaped_when_they_expire) {
  auto o = acl_test_options();
  o.acl.token_min_expiration_ttl = 10ms;
  agent_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto made = co_await acl_call(c, "PUT", "/v1/acl/token", R"({"Description":"brief","ExpirationTTL":"300ms"})");
    BOOST_TEST_REQUIRE(made.status == 200u);
    BOOST_TEST(made.json().as_object().contains("ExpirationTime"));
    BOOST_TEST(!made.json().as_object().contains("ExpirationTTL"));
    std::string secret = str(made.json(), "SecretID");
    auto r = co_await acl_call(c, "GET", "/v1/acl/tokens", "");
    BOOST_TEST(r.json().as_array().size() == 3u);
    // The reaper's delete is a write: the blocking list wakes with the token gone.
    r = co_await acl_call(c, "GET", "/v1/acl/tokens?wait=5s&index=" + std::to_string(r.index()), "");
    BOOST_TEST(r.json().as_array().size() == 2u);
    r = co_await acl_call(c, "GET", "/v1/acl/token/self", "", secret);
    BOOST_TEST(r.status == 403u);
    BOOST_TEST(r.body == "ACL not found");
  }());
}

BOOST_AUTO_TEST_CASE(the_configured_default_policy_is_in_every_response) {
  auto o = acl_test_options();
  o.acl.default_policy = "deny";
  agent_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/v1/status/leader");
    BOOST_TEST(r.header("X-Consul-Default-Acl-Policy") == "deny");
  }());
}

BOOST_AUTO_TEST_SUITE_END()
