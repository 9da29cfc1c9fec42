// Every ACL call of the client against the in-process dev agent with ACLs on: bootstrap and its
// refusal, tokens, policies, roles, auth methods and binding rules through their whole life,
// replication, and which token a request carried (token_read_self) after client::set_token and
// as a token file changes. With ACLs off, the routes answer Consul's 401.
#define BOOST_TEST_MODULE client_acl_api
#include <boost/test/unit_test.hpp>

#include <agent_fixture.hpp>
#include <coconsul/client.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>

namespace asio = boost::asio;
using coconsul::errc;
using coconsul::test::agent_fixture;

namespace {

constexpr const char* management_secret = "3f0c8f44-5b0e-4c47-9d47-1d2c8a3b9e01";
constexpr const char* ec_public_key =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE8W4aCAvZfnJBH9kCX6zyPV8Z2XvM\n"
    "JkWIc8I6bMQlO+XezxFmRfs2ydYymh+Lw1VngJWeSU5DKEVpKmeCPICruQ==\n"
    "-----END PUBLIC KEY-----\n";

coconsul::dev_agent_options acl_options(bool with_management = true) {
  auto o = coconsul::test::fast_agent_options();
  o.acl.enabled = true;
  o.acl.default_policy = "deny";
  if (with_management) o.acl.tokens.initial_management = management_secret;
  return o;
}

// The agent with ACLs on, and the client holding the initial management token.
struct acl_fixture : agent_fixture {
  acl_fixture() : agent_fixture(acl_options()) { consul.set_token(management_secret); }
};

auto with_diagnostics() { return coconsul::pass_diagnostics(asio::as_tuple(asio::use_awaitable)); }

template <class List, class Pred>
bool has(const List& list, Pred pred) {
  return std::any_of(list.begin(), list.end(), pred);
}

}  // namespace

BOOST_AUTO_TEST_CASE(with_acls_off_every_route_answers_acl_support_disabled) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    auto [ec, diag, token] = co_await f.consul.acl().bootstrap(coconsul::write_options(), with_diagnostics());
    BOOST_TEST((ec == errc::unexpected_status), ec.message());
    BOOST_TEST(diag.http_status == 401u);
    BOOST_TEST(diag.message == "ACL support disabled");
    auto [ec2, diag2, list] = co_await f.consul.acl().policy_list(coconsul::query_options(), with_diagnostics());
    BOOST_TEST(diag2.http_status == 401u);
    BOOST_TEST(diag2.message == "ACL support disabled");
  }());
}

BOOST_AUTO_TEST_CASE(bootstrap_works_once_then_says_its_reset_index) {
  agent_fixture f(acl_options(false));
  f.run([&]() -> asio::awaitable<void> {
    coconsul::acl_token root = co_await f.consul.acl().bootstrap();
    BOOST_TEST(root.description == "Bootstrap Token (Global Management)");
    BOOST_TEST(!root.secret_id.empty());
    BOOST_TEST(!root.accessor_id.empty());
    BOOST_TEST(has(root.policies, [](const coconsul::acl_link& l) { return l.name == "global-management"; }));

    auto [ec, diag, again] = co_await f.consul.acl().bootstrap(coconsul::write_options(), with_diagnostics());
    BOOST_TEST((ec == errc::forbidden), ec.message());
    BOOST_TEST(diag.message.starts_with("Permission denied: ACL bootstrap no longer allowed (reset index: "),
               diag.message);

    // The bootstrap token manages: it reads itself.
    f.consul.set_token(root.secret_id);
    auto self = co_await f.consul.acl().token_read_self();
    BOOST_TEST(self.value.accessor_id == root.accessor_id);
  }());
}

BOOST_FIXTURE_TEST_CASE(a_token_through_its_whole_life, acl_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto acl = consul.acl();
    coconsul::acl_policy policy;
    policy.name = "web-write";
    policy.rules = R"(service "web" { policy = "write" })";
    coconsul::acl_policy made = co_await acl.policy_create(policy);

    coconsul::acl_token t;
    t.description = "web's token";
    t.policies.push_back(coconsul::acl_link{.id = "", .name = "web-write"});
    t.service_identities.push_back(coconsul::acl_service_identity{.service_name = "api", .datacenters = {}});
    coconsul::acl_token created = co_await acl.token_create(t);
    BOOST_TEST(!created.accessor_id.empty());
    BOOST_TEST(!created.secret_id.empty());
    BOOST_TEST(created.description == "web's token");
    BOOST_TEST_REQUIRE(created.policies.size() == 1u);
    BOOST_TEST(created.policies[0].id == made.id);  // linked by name, resolved to the ID
    BOOST_TEST(!created.create_time.empty());
    BOOST_TEST(!created.hash.empty());

    auto read = co_await acl.token_read(created.accessor_id);
    BOOST_TEST(read.value.secret_id == created.secret_id);
    BOOST_TEST(read.value.service_identities.size() == 1u);
    BOOST_TEST(read.meta.last_index > 0u);

    auto expanded = co_await acl.token_read_expanded(created.accessor_id);
    BOOST_TEST(expanded.value.token.accessor_id == created.accessor_id);
    BOOST_TEST(has(expanded.value.expansion.expanded_policies,
                   [&](const coconsul::acl_policy& p) { return p.id == made.id && p.rules == policy.rules; }));
    BOOST_TEST(expanded.value.expansion.agent_acl_default_policy == "deny");

    auto all = co_await acl.token_list();
    BOOST_TEST(has(all.value, [&](const auto& e) { return e.accessor_id == created.accessor_id; }));
    BOOST_TEST(has(all.value, [](const auto& e) { return e.description == "Anonymous Token"; }));
    coconsul::acl_token_list_filter by_policy;
    by_policy.policy = made.id;
    auto linked = co_await acl.token_list(by_policy);
    BOOST_TEST_REQUIRE(linked.value.size() == 1u);
    BOOST_TEST(linked.value[0].accessor_id == created.accessor_id);

    coconsul::acl_token changed = read.value;
    changed.description = "web's token, renamed";
    coconsul::acl_token updated = co_await acl.token_update(changed);
    BOOST_TEST(updated.description == "web's token, renamed");
    BOOST_TEST(updated.secret_id == created.secret_id);
    BOOST_TEST(updated.modify_index > created.modify_index);

    coconsul::acl_token copy = co_await acl.token_clone(created.accessor_id, "a copy");
    BOOST_TEST(copy.accessor_id != created.accessor_id);
    BOOST_TEST(copy.secret_id != created.secret_id);
    BOOST_TEST(copy.description == "a copy");
    BOOST_TEST_REQUIRE(copy.policies.size() == 1u);
    BOOST_TEST(copy.policies[0].id == made.id);

    co_await acl.token_delete(created.accessor_id);
    auto [ec, diag, gone] = co_await acl.token_read(created.accessor_id, coconsul::query_options(), with_diagnostics());
    BOOST_TEST((ec == errc::acl_not_found), ec.message());
    BOOST_TEST(diag.message == "ACL not found");
    co_await acl.token_delete(copy.accessor_id);
  }());
}

BOOST_FIXTURE_TEST_CASE(a_policy_through_its_whole_life, acl_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto acl = consul.acl();
    coconsul::acl_policy p;
    p.name = "kv-app";
    p.description = "the app's keys";
    p.rules = R"(key_prefix "app/" { policy = "write" })";
    coconsul::acl_policy made = co_await acl.policy_create(p);
    BOOST_TEST(!made.id.empty());
    BOOST_TEST(made.name == "kv-app");
    BOOST_TEST(made.rules == p.rules);
    BOOST_TEST(!made.hash.empty());

    auto by_id = co_await acl.policy_read(made.id);
    BOOST_TEST(by_id.value.description == "the app's keys");
    auto by_name = co_await acl.policy_read_by_name("kv-app");
    BOOST_TEST(by_name.value.id == made.id);
    auto list = co_await acl.policy_list();
    BOOST_TEST(has(list.value, [&](const auto& e) { return e.id == made.id && e.name == "kv-app"; }));
    BOOST_TEST(has(list.value, [](const auto& e) { return e.name == "global-management"; }));

    coconsul::acl_policy changed = by_id.value;
    changed.rules = R"(key_prefix "app/" { policy = "read" })";
    changed.datacenters = {"dc1"};
    coconsul::acl_policy updated = co_await acl.policy_update(changed);
    BOOST_TEST(updated.rules == changed.rules);
    BOOST_TEST(updated.datacenters == std::vector<std::string>{"dc1"});

    co_await acl.policy_delete(made.id);
    auto [ec, diag, gone] = co_await acl.policy_read(made.id, coconsul::query_options(), with_diagnostics());
    BOOST_TEST((ec == errc::acl_not_found), ec.message());
  }());
}

BOOST_FIXTURE_TEST_CASE(a_role_through_its_whole_life, acl_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto acl = consul.acl();
    coconsul::acl_policy p;
    p.name = "node-read";
    p.rules = R"(node_prefix "" { policy = "read" })";
    coconsul::acl_policy made = co_await acl.policy_create(p);

    coconsul::acl_role r;
    r.name = "ops";
    r.description = "operators";
    r.policies.push_back(coconsul::acl_link{.id = made.id, .name = ""});
    r.node_identities.push_back(coconsul::acl_node_identity{.node_name = "node-1", .datacenter = "dc1"});
    coconsul::acl_role role = co_await acl.role_create(r);
    BOOST_TEST(!role.id.empty());
    BOOST_TEST_REQUIRE(role.policies.size() == 1u);
    BOOST_TEST(role.policies[0].name == "node-read");  // linked by ID, named by Consul

    auto by_id = co_await acl.role_read(role.id);
    BOOST_TEST_REQUIRE(by_id.value.has_value());
    BOOST_TEST(by_id.value->description == "operators");
    auto by_name = co_await acl.role_read_by_name("ops");
    BOOST_TEST_REQUIRE(by_name.value.has_value());
    BOOST_TEST(by_name.value->id == role.id);
    auto missing = co_await acl.role_read_by_name("nobody");
    BOOST_TEST(!missing.value.has_value());

    auto linked = co_await acl.role_list(made.id);
    BOOST_TEST_REQUIRE(linked.value.size() == 1u);
    BOOST_TEST(linked.value[0].id == role.id);

    // A token linking the role is listed by it.
    coconsul::acl_token t;
    t.roles.push_back(coconsul::acl_link{.id = "", .name = "ops"});
    coconsul::acl_token token = co_await acl.token_create(t);
    coconsul::acl_token_list_filter by_role;
    by_role.role = role.id;
    auto with_role = co_await acl.token_list(by_role);
    BOOST_TEST_REQUIRE(with_role.value.size() == 1u);
    BOOST_TEST(with_role.value[0].accessor_id == token.accessor_id);

    coconsul::acl_role changed = *by_id.value;
    changed.description = "on call";
    coconsul::acl_role updated = co_await acl.role_update(changed);
    BOOST_TEST(updated.description == "on call");

    co_await acl.role_delete(role.id);
    auto gone = co_await acl.role_read(role.id);
    BOOST_TEST(!gone.value.has_value());
  }());
}

BOOST_FIXTURE_TEST_CASE(auth_methods_and_binding_rules_through_their_whole_life, acl_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto acl = consul.acl();
    coconsul::acl_auth_method m;
    m.name = "jwt-login";
    m.type = "jwt";
    m.description = "our issuer's JWTs";
    m.max_token_ttl = std::chrono::minutes(10);
    m.config["BoundIssuer"] = "https://issuer.example";
    // A real EC P-256 public key: the agent may validate the Config as Consul does.
    boost::json::array keys;
    keys.emplace_back(ec_public_key);
    m.config["JWTValidationPubKeys"] = std::move(keys);
    coconsul::acl_auth_method method = co_await acl.auth_method_create(m);
    BOOST_TEST(method.name == "jwt-login");
    BOOST_TEST((method.max_token_ttl == std::chrono::minutes(10)));
    BOOST_TEST(method.config.at("BoundIssuer").as_string() == "https://issuer.example");

    auto read = co_await acl.auth_method_read("jwt-login");
    BOOST_TEST_REQUIRE(read.value.has_value());
    BOOST_TEST(read.value->description == "our issuer's JWTs");
    auto missing = co_await acl.auth_method_read("none");
    BOOST_TEST(!missing.value.has_value());
    auto methods = co_await acl.auth_method_list();
    BOOST_TEST(has(methods.value, [](const auto& e) { return e.name == "jwt-login" && e.type == "jwt"; }));

    coconsul::acl_auth_method changed = *read.value;
    changed.display_name = "JWT";
    coconsul::acl_auth_method updated = co_await acl.auth_method_update(changed);
    BOOST_TEST(updated.display_name == "JWT");

    coconsul::acl_binding_rule r;
    r.auth_method = "jwt-login";
    r.description = "every login is web";
    r.bind_type = "service";
    r.bind_name = "web";
    coconsul::acl_binding_rule rule = co_await acl.binding_rule_create(r);
    BOOST_TEST(!rule.id.empty());
    BOOST_TEST(rule.bind_name == "web");
    auto rule_read = co_await acl.binding_rule_read(rule.id);
    BOOST_TEST_REQUIRE(rule_read.value.has_value());
    BOOST_TEST(rule_read.value->bind_type == "service");
    auto rules = co_await acl.binding_rule_list("jwt-login");
    BOOST_TEST_REQUIRE(rules.value.size() == 1u);
    BOOST_TEST(rules.value[0].id == rule.id);
    auto no_rules = co_await acl.binding_rule_list("other");
    BOOST_TEST(no_rules.value.empty());

    coconsul::acl_binding_rule rule_changed = *rule_read.value;
    rule_changed.bind_name = "api";
    coconsul::acl_binding_rule rule_updated = co_await acl.binding_rule_update(rule_changed);
    BOOST_TEST(rule_updated.bind_name == "api");
    co_await acl.binding_rule_delete(rule.id);
    auto rule_gone = co_await acl.binding_rule_read(rule.id);
    BOOST_TEST(!rule_gone.value.has_value());

    co_await acl.auth_method_delete("jwt-login");
    auto method_gone = co_await acl.auth_method_read("jwt-login");
    BOOST_TEST(!method_gone.value.has_value());
  }());
}

BOOST_FIXTURE_TEST_CASE(a_blocking_list_returns_when_a_policy_is_written, acl_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto first = co_await consul.acl().policy_list();
    BOOST_TEST(first.meta.last_index > 0u);
    coconsul::query_options blocking;
    blocking.index = first.meta.last_index;
    blocking.wait = std::chrono::seconds(10);
    bool returned = false;
    coconsul::query_result<std::vector<coconsul::acl_policy_list_entry>> woken;
    auto wait = [&]() -> asio::awaitable<void> {
      woken = co_await consul.acl().policy_list(blocking);
      returned = true;
    };
    asio::co_spawn(ioc, wait(), asio::detached);
    co_await coconsul::test::until([&] { return agent.waiting_queries() == 1; });
    BOOST_TEST(!returned);

    coconsul::acl_policy p;
    p.name = "late";
    co_await consul.acl().policy_create(p);
    co_await coconsul::test::until([&] { return returned; });
    BOOST_TEST(woken.meta.last_index > first.meta.last_index);
    BOOST_TEST(has(woken.value, [](const auto& e) { return e.name == "late"; }));
  }());
}

BOOST_FIXTURE_TEST_CASE(replication_in_a_primary_datacenter_is_off, acl_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto status = co_await consul.acl().replication();
    BOOST_TEST(!status.value.enabled);
    BOOST_TEST(!status.value.running);
  }());
}

BOOST_FIXTURE_TEST_CASE(the_agent_sees_the_token_the_client_switched_to, acl_fixture) {
  run([&]() -> asio::awaitable<void> {
    coconsul::acl_token t;
    t.description = "switched to";
    coconsul::acl_token other = co_await consul.acl().token_create(t);
    auto before = co_await consul.acl().token_read_self();
    BOOST_TEST(before.value.description == "Initial Management Token");

    consul.set_token(other.secret_id);
    auto after = co_await consul.acl().token_read_self();
    BOOST_TEST(after.value.accessor_id == other.accessor_id);

    // An unknown secret is not a denial: errc::acl_not_found.
    consul.set_token("0d1c9f6b-5a5e-4f4e-9a55-000000000000");
    auto [ec, diag, unknown] = co_await consul.acl().token_read_self(coconsul::query_options(), with_diagnostics());
    BOOST_TEST((ec == errc::acl_not_found), ec.message());
    BOOST_TEST(!coconsul::parse_acl_denial(diag).has_value());
  }());
}

BOOST_FIXTURE_TEST_CASE(the_agent_sees_the_token_file_change, acl_fixture) {
  const std::string path = "acl_api_test_token.txt";
  run([&]() -> asio::awaitable<void> {
    coconsul::acl_token t;
    t.description = "from the file";
    coconsul::acl_token other = co_await consul.acl().token_create(t);
    { std::ofstream(path, std::ios::trunc) << management_secret << "\n"; }

    coconsul::config cfg = consul.get_config();
    cfg.token.clear();
    cfg.token_file = path;
    coconsul::client from_file(ioc, cfg);
    auto first = co_await from_file.acl().token_read_self();
    BOOST_TEST(first.value.description == "Initial Management Token");

    { std::ofstream(path, std::ios::trunc) << other.secret_id << "\n"; }  // rotated, no restart
    auto second = co_await from_file.acl().token_read_self();
    BOOST_TEST(second.value.accessor_id == other.accessor_id);
  }());
  std::remove(path.c_str());
}
