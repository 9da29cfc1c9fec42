// The ACL client against a scripted server (test/http/test_server.hpp), where the dev agent
// cannot show it: the exact method, path and body of every /v1/acl/* call, bad input refused
// before sending, Consul's 403 texts read back (acl_denial, acl_not_found), and which token each
// request carries: after client::set_token, while a request is in flight, and as the token file
// changes.
#define BOOST_TEST_MODULE client_acl_requests
#include <boost/test/unit_test.hpp>

#include "test_server.hpp"

#include <async_test.hpp>
#include <coconsul/client.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace asio = boost::asio;
using coconsul::errc;
using coconsul::test::received_request;
using coconsul::test::reply;
using coconsul::test::run_with_deadline;
using coconsul::test::test_server;

namespace {

coconsul::config config_for(const test_server& server, std::string token = "") {
  coconsul::config c;
  c.address = server.address();
  c.token = std::move(token);
  c.timeouts.request = std::chrono::seconds(5);
  return c;
}

// What a Consul agent would answer, in shape: a list for the list routes, true for deletes and
// logout, an object otherwise.
reply consul_like(const received_request& r) {
  const std::string path = r.target.substr(0, r.target.find('?'));
  if (r.method == "DELETE" || path == "/v1/acl/logout") return reply::ok("true");
  for (const char* list : {"/v1/acl/tokens", "/v1/acl/policies", "/v1/acl/roles", "/v1/acl/auth-methods",
                           "/v1/acl/binding-rules"})
    if (path == list) return reply::ok("[]", "X-Consul-Index: 7\r\n");
  return reply::ok(R"({"AccessorID":"acc","SecretID":"sec","ID":"id-1","Name":"n"})", "X-Consul-Index: 7\r\n");
}

std::string line(const received_request& r) { return r.method + " " + r.target; }

std::string token_of(const received_request& r) {
  const auto* t = r.header("X-Consul-Token");
  return t ? *t : std::string("(none)");
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(acl_requests)

BOOST_AUTO_TEST_CASE(every_route_sends_consuls_method_path_and_body) {
  asio::io_context ioc;
  test_server server(ioc, consul_like);
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    coconsul::client consul(ioc, config_for(server, "mgmt"));
    auto acl = consul.acl();
    auto created = co_await acl.bootstrap();
    BOOST_TEST(created.secret_id == "sec");
    co_await acl.replication();

    coconsul::acl_token t;
    t.description = "web";
    t.policies = {{.id = "", .name = "web-write"}};
    co_await acl.token_create(t);
    co_await acl.token_read("acc 1");
    auto expanded = co_await acl.token_read_expanded("acc");
    BOOST_TEST(expanded.value.token.accessor_id == "acc");
    co_await acl.token_read_self();
    t.accessor_id = "acc";
    co_await acl.token_update(t);
    co_await acl.token_clone("acc", "a copy");
    co_await acl.token_delete("acc");
    co_await acl.token_list();
    // Named locals, not braced temporaries: g++ 12 destroys those twice inside co_await.
    coconsul::acl_token_list_filter filter;
    filter.policy = "p1";
    auto by_policy = co_await acl.token_list(filter);
    BOOST_TEST(by_policy.meta.last_index == 7u);
    filter.policy.clear();
    filter.role = "r1";
    co_await acl.token_list(filter);
    filter.role.clear();
    filter.auth_method = "jwt x";
    co_await acl.token_list(filter);

    coconsul::acl_policy p;
    p.name = "kv";
    p.rules = R"(key_prefix "" { policy = "read" })";
    co_await acl.policy_create(p);
    co_await acl.policy_read("p1");
    co_await acl.policy_read_by_name("kv/read");
    p.id = "p1";
    co_await acl.policy_update(p);
    co_await acl.policy_delete("p1");
    co_await acl.policy_list();

    coconsul::acl_role r;
    r.name = "ops";
    co_await acl.role_create(r);
    auto role = co_await acl.role_read("r1");
    BOOST_TEST(role.value.has_value());
    co_await acl.role_read_by_name("ops");
    r.id = "r1";
    co_await acl.role_update(r);
    co_await acl.role_delete("r1");
    co_await acl.role_list();
    co_await acl.role_list("p1");

    coconsul::acl_auth_method m;
    m.name = "jwt";
    m.type = "jwt";
    m.max_token_ttl = std::chrono::minutes(5);
    m.config["BoundIssuer"] = "me";
    co_await acl.auth_method_create(m);
    co_await acl.auth_method_read("jwt");
    co_await acl.auth_method_update(m);
    co_await acl.auth_method_delete("jwt");
    co_await acl.auth_method_list();

    coconsul::acl_binding_rule b;
    b.auth_method = "jwt";
    b.bind_type = "service";
    b.bind_name = "web";
    co_await acl.binding_rule_create(b);
    co_await acl.binding_rule_read("b1");
    b.id = "b1";
    co_await acl.binding_rule_update(b);
    co_await acl.binding_rule_delete("b1");
    co_await acl.binding_rule_list();
    co_await acl.binding_rule_list("jwt");

    coconsul::acl_login_params login;
    login.auth_method = "jwt";
    login.bearer_token = "eyJ.x.y";
    co_await acl.login(login);
    co_await acl.logout();
  }());

  const std::vector<std::string> expected = {
      "PUT /v1/acl/bootstrap",
      "GET /v1/acl/replication",
      "PUT /v1/acl/token",
      "GET /v1/acl/token/acc%201",
      "GET /v1/acl/token/acc?expanded",
      "GET /v1/acl/token/self",
      "PUT /v1/acl/token/acc",
      "PUT /v1/acl/token/acc/clone",
      "DELETE /v1/acl/token/acc",
      "GET /v1/acl/tokens",
      "GET /v1/acl/tokens?policy=p1",
      "GET /v1/acl/tokens?role=r1",
      "GET /v1/acl/tokens?authmethod=jwt%20x",
      "PUT /v1/acl/policy",
      "GET /v1/acl/policy/p1",
      "GET /v1/acl/policy/name/kv%2Fread",
      "PUT /v1/acl/policy/p1",
      "DELETE /v1/acl/policy/p1",
      "GET /v1/acl/policies",
      "PUT /v1/acl/role",
      "GET /v1/acl/role/r1",
      "GET /v1/acl/role/name/ops",
      "PUT /v1/acl/role/r1",
      "DELETE /v1/acl/role/r1",
      "GET /v1/acl/roles",
      "GET /v1/acl/roles?policy=p1",
      "PUT /v1/acl/auth-method",
      "GET /v1/acl/auth-method/jwt",
      "PUT /v1/acl/auth-method/jwt",
      "DELETE /v1/acl/auth-method/jwt",
      "GET /v1/acl/auth-methods",
      "PUT /v1/acl/binding-rule",
      "GET /v1/acl/binding-rule/b1",
      "PUT /v1/acl/binding-rule/b1",
      "DELETE /v1/acl/binding-rule/b1",
      "GET /v1/acl/binding-rules",
      "GET /v1/acl/binding-rules?authmethod=jwt",
      "POST /v1/acl/login",
      "POST /v1/acl/logout",
  };
  std::vector<std::string> sent;
  for (const auto& r : server.requests()) sent.push_back(line(r));
  BOOST_TEST(sent == expected, boost::test_tools::per_element());

  const auto& reqs = server.requests();
  BOOST_TEST_REQUIRE(reqs.size() == expected.size());
  auto body_of = [&](std::string_view l) {
    for (const auto& r : reqs)
      if (line(r) == l) return r.body;
    return std::string("(not sent)");
  };
  BOOST_TEST(body_of("PUT /v1/acl/token") == R"({"Description":"web","Policies":[{"Name":"web-write"}]})");
  BOOST_TEST(body_of("PUT /v1/acl/token/acc") ==
             R"({"AccessorID":"acc","Description":"web","Policies":[{"Name":"web-write"}]})");
  BOOST_TEST(body_of("PUT /v1/acl/token/acc/clone") == R"({"Description":"a copy"})");
  BOOST_TEST(body_of("PUT /v1/acl/policy") == R"({"Name":"kv","Rules":"key_prefix \"\" { policy = \"read\" }"})");
  BOOST_TEST(body_of("PUT /v1/acl/auth-method") ==
             R"({"Name":"jwt","Type":"jwt","MaxTokenTTL":"5m0s","Config":{"BoundIssuer":"me"}})");
  BOOST_TEST(body_of("PUT /v1/acl/binding-rule") == R"({"AuthMethod":"jwt","BindType":"service","BindName":"web"})");
  BOOST_TEST(body_of("POST /v1/acl/login") == R"({"AuthMethod":"jwt","BearerToken":"eyJ.x.y"})");
  // Every request carries the client's token, but login: Consul refuses a login with a token.
  for (const auto& r : reqs) {
    BOOST_TEST_CONTEXT(line(r)) {
      BOOST_TEST(token_of(r) == (line(r) == "POST /v1/acl/login" ? "(none)" : "mgmt"));
    }
  }
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused_before_anything_is_sent) {
  asio::io_context ioc;
  test_server server(ioc, consul_like);
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    coconsul::client consul(ioc, config_for(server, "mgmt"));
    auto acl = consul.acl();
    auto tuple = coconsul::pass_diagnostics(asio::as_tuple(asio::use_awaitable));
    auto expect_refused = [](auto result, std::string_view says) {
      auto& [ec, diag, value] = result;
      BOOST_TEST((ec == errc::invalid_argument), ec.message());
      BOOST_TEST(diag.message.find(says) != std::string::npos, diag.message);
    };
    expect_refused(co_await acl.token_read("", coconsul::query_options(), tuple), "token AccessorID is empty");
    expect_refused(co_await acl.token_read("a\nb", coconsul::query_options(), tuple), "control character");
    coconsul::acl_token no_id;
    expect_refused(co_await acl.token_update(no_id, coconsul::write_options(), tuple), "token AccessorID is empty");
    coconsul::acl_token_list_filter two_filters;
    two_filters.policy = "p";
    two_filters.role = "r";
    expect_refused(co_await acl.token_list(two_filters, coconsul::query_options(), tuple), "one filter at a time");
    coconsul::acl_policy with_id;
    with_id.id = "p1";
    with_id.name = "x";
    expect_refused(co_await acl.policy_create(with_id, coconsul::write_options(), tuple), "Consul assigns it");
    coconsul::acl_policy unnamed;
    expect_refused(co_await acl.policy_create(unnamed, coconsul::write_options(), tuple), "policy name is empty");
    coconsul::acl_role role_with_id;
    role_with_id.id = "r1";
    role_with_id.name = "x";
    expect_refused(co_await acl.role_create(role_with_id, coconsul::write_options(), tuple), "Consul assigns it");
    coconsul::acl_auth_method typeless;
    typeless.name = "m";
    expect_refused(co_await acl.auth_method_create(typeless, coconsul::write_options(), tuple),
                   "auth method type is empty");
    coconsul::acl_binding_rule rule;
    rule.auth_method = "m";
    rule.bind_type = "role";
    expect_refused(co_await acl.binding_rule_create(rule, coconsul::write_options(), tuple),
                   "binding rule bind name is empty");
    coconsul::acl_login_params login;
    login.auth_method = "m";
    login.bearer_token = "jwt";
    coconsul::write_options as_someone;
    as_someone.token = "t";
    expect_refused(co_await acl.login(login, as_someone, tuple), "without a token");
    auto [ec, diag] = co_await acl.role_delete("", coconsul::write_options(), tuple);
    BOOST_TEST((ec == errc::invalid_argument));
  }());
  BOOST_TEST(server.requests().empty());
}

BOOST_AUTO_TEST_CASE(a_403_says_what_was_missing_and_an_unknown_token_is_told_apart) {
  asio::io_context ioc;
  test_server server(ioc, [](const received_request& r) {
    const std::string body =
        r.target == "/v1/acl/token/self"
            ? "ACL not found"
            : "Permission denied: token with AccessorID '5e52a099-4c90-c067-5478-980f06be9af5' lacks permission "
              "'acl:read'";
    return reply::raw("HTTP/1.1 403 Forbidden\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body,
                      reply::then::keep_open);
  });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    coconsul::client consul(ioc, config_for(server, "someone"));
    auto tuple = coconsul::pass_diagnostics(asio::as_tuple(asio::use_awaitable));
    auto [ec, diag, list] = co_await consul.acl().policy_list(coconsul::query_options(), tuple);
    BOOST_TEST((ec == errc::forbidden), ec.message());
    const auto denial = coconsul::parse_acl_denial(diag);
    BOOST_TEST_REQUIRE(denial.has_value());
    BOOST_TEST(denial->accessor_id == "5e52a099-4c90-c067-5478-980f06be9af5");
    BOOST_TEST(denial->permission == "acl:read");
    BOOST_TEST(denial->resource == "acl");
    BOOST_TEST(denial->access == "read");
    BOOST_TEST(denial->name.empty());

    auto [ec2, diag2, self] = co_await consul.acl().token_read_self(coconsul::query_options(), tuple);
    BOOST_TEST((ec2 == errc::acl_not_found), ec2.message());
    BOOST_TEST(diag2.message == "ACL not found");
    BOOST_TEST(!coconsul::parse_acl_denial(diag2).has_value());
  }());
}

BOOST_AUTO_TEST_CASE(a_denial_is_read_from_each_of_consuls_forms) {
  auto parse = [](std::string text, unsigned status = 403) {
    return coconsul::parse_acl_denial(coconsul::diagnostics{status, std::move(text)});
  };
  const auto named = parse(
      "Permission denied: token with AccessorID 'a-1' lacks permission 'service:write' on \"web \\\"x\\\"\"");
  BOOST_TEST_REQUIRE(named.has_value());
  BOOST_TEST(named->accessor_id == "a-1");
  BOOST_TEST(named->permission == "service:write");
  BOOST_TEST(named->resource == "service");
  BOOST_TEST(named->access == "write");
  BOOST_TEST(named->name == "web \"x\"");
  const auto bare = parse("Permission denied");
  BOOST_TEST_REQUIRE(bare.has_value());
  BOOST_TEST(bare->permission.empty());
  BOOST_TEST(!parse("ACL not found").has_value());
  BOOST_TEST(!parse("Permission denied", 500).has_value());
}

BOOST_AUTO_TEST_CASE(set_token_switches_later_requests_and_spares_those_in_flight) {
  asio::io_context ioc;
  test_server server(ioc, [](const received_request& r) {
    if (r.target.starts_with("/v1/kv/slow")) return reply::hang();
    return reply::ok("\"127.0.0.1:8300\"");
  });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    coconsul::client consul(ioc, config_for(server, "token-a"));
    co_await consul.status().leader();

    // A request in flight when the token changes: sent with token-a, and it stays so.
    bool slow_done = false;
    coconsul::error_code slow_ec;
    auto on_slow = [&](std::exception_ptr, std::tuple<coconsul::error_code, coconsul::query_result<std::optional<coconsul::kv_pair>>> r) {
      slow_done = true;
      slow_ec = std::get<0>(r);
    };
    asio::co_spawn(ioc, consul.kv().get("slow", coconsul::query_options(), asio::as_tuple(asio::use_awaitable)), on_slow);
    co_await server.wait_until([&] { return server.requests().size() == 2; });

    consul.set_token("token-b");
    BOOST_TEST(consul.get_config().token == "token-b");
    co_await consul.status().leader();
    // An empty token: no header at all (the pool once added the configured token back).
    consul.set_token("");
    co_await consul.status().leader();
    consul.set_token("token-c");
    co_await consul.status().leader();
    BOOST_CHECK_THROW(consul.set_token("bad\ntoken"), coconsul::error);

    consul.close();  // the slow request ends with errc::closed, never resent
    co_await coconsul::test::until([&] { return slow_done; });
    BOOST_TEST((slow_ec == errc::closed), slow_ec.message());
  }());
  std::vector<std::string> tokens;
  for (const auto& r : server.requests()) tokens.push_back(token_of(r));
  const std::vector<std::string> expected = {"token-a", "token-a", "token-b", "(none)", "token-c"};
  BOOST_TEST(tokens == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_changed_token_file_is_used_by_the_next_request) {
  const std::string path = "acl_requests_test_token.txt";
  write_file(path, "file-token-1\n");
  asio::io_context ioc;
  test_server server(ioc, [](const received_request&) { return reply::ok("\"127.0.0.1:8300\""); });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    auto cfg = config_for(server, "configured");
    cfg.token_file = path;
    coconsul::client consul(ioc, cfg);
    BOOST_TEST(consul.get_config().token == "file-token-1");
    co_await consul.status().leader();
    // Rewritten in place, same size, at once: the timestamp may not have moved, the token has.
    write_file(path, "file-token-2\n");
    co_await consul.status().leader();
    // Replaced by a rename, as secret managers do.
    write_file(path + ".new", "  file-token-three  ");
    BOOST_TEST_REQUIRE(std::rename((path + ".new").c_str(), path.c_str()) == 0);
    co_await consul.status().leader();
    co_await consul.status().leader();  // unchanged: the same token again
    // Empty: the configured token.
    write_file(path, "");
    co_await consul.status().leader();

    // Gone: a clear error naming the file, and nothing is sent.
    std::remove(path.c_str());
    auto [ec, diag, leader] =
        co_await consul.status().leader(coconsul::query_options(),
                                        coconsul::pass_diagnostics(asio::as_tuple(asio::use_awaitable)));
    BOOST_TEST((ec == errc::invalid_config), ec.message());
    BOOST_TEST(diag.message.find(path) != std::string::npos, diag.message);
    BOOST_TEST(diag.message.find("No such file") != std::string::npos, diag.message);
    BOOST_TEST(server.requests().size() == 5u);

    // Back: followed again.
    write_file(path, "file-token-4");
    co_await consul.status().leader();
    // set_token wins and stops following the file.
    consul.set_token("explicit");
    write_file(path, "file-token-5");
    co_await consul.status().leader();
  }());
  std::remove(path.c_str());
  std::vector<std::string> tokens;
  for (const auto& r : server.requests()) tokens.push_back(token_of(r));
  const std::vector<std::string> expected = {"file-token-1", "file-token-2", "file-token-three", "file-token-three",
                                             "configured",   "file-token-4", "explicit"};
  BOOST_TEST(tokens == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_unreadable_token_file_fails_the_client_at_once) {
  asio::io_context ioc;
  coconsul::config cfg;
  cfg.address = "http://127.0.0.1:1";
  cfg.token_file = "/nonexistent/coconsul-token";
  try {
    coconsul::client consul(ioc, cfg);
    BOOST_FAIL("no exception");
  } catch (const coconsul::error& e) {
    BOOST_TEST((e.code() == errc::invalid_config));
    BOOST_TEST(e.message().find("/nonexistent/coconsul-token") != std::string::npos, e.message());
  }
}

BOOST_AUTO_TEST_SUITE_END()
