// The service host under ACLs, against the dev agent with default deny: a registration its
// token may not make fails start() with the permission Consul names, and a re-registration
// refused while running is reported in stats() and retried until the token may again.

#define BOOST_TEST_MODULE service_host_acl
#include <boost/test/unit_test.hpp>

#include "agent_fixture.hpp"

#include <coconsul/acl.hpp>
#include <coconsul/service_host.hpp>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using coconsul::errc;
using coconsul::test::agent_fixture;
using coconsul::test::until;
using coconsul::test::failure_of;

namespace {

constexpr const char* root = "3c2f6b8a-9d1e-4f70-8a5b-6e4d2c1b0a99";

coconsul::service_host_options host_for(std::string name, std::string token) {
  coconsul::service_host_options o;
  o.service.name = name;
  o.service.id = name + "-1";
  o.anti_entropy = 50ms;
  o.retry = 20ms;
  o.scope.token = std::move(token);
  return o;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_refused_registration_names_the_missing_permission_and_is_retried) {
  agent_fixture f(coconsul::test::deny_by_default_options(root));
  f.consul.set_token(root);
  f.run([&]() -> asio::awaitable<void> {
    coconsul::acl_policy p;
    p.name = "web-writer";
    p.rules = R"(service "web" { policy = "write" })";
    coconsul::acl_policy policy = co_await f.consul.acl().policy_create(p);
    coconsul::acl_token t;
    t.policies.push_back(coconsul::acl_link{.id = policy.id, .name = ""});
    coconsul::acl_token token = co_await f.consul.acl().token_create(t);

    // At start: the agent's 403, with the permission and the service it names.
    coconsul::service_host db(f.consul, host_for("db", token.secret_id));
    auto refused = co_await failure_of(db.start());
    BOOST_TEST((refused.code() == errc::forbidden));
    BOOST_TEST(refused.message().find("lacks permission 'service:write' on \"db\"") != std::string::npos,
               refused.message());
    BOOST_TEST(!db.running());

    // While running: the token loses write and the service goes; the host says why it cannot
    // register again, keeps trying, and registers once the token may.
    coconsul::service_host web(f.consul, host_for("web", token.secret_id));
    co_await web.start();
    policy.rules = R"(service "web" { policy = "read" })";
    co_await f.consul.acl().policy_update(policy);
    co_await f.consul.agent().deregister_service("web-1");
    co_await until([&] { return web.stats().errors >= 2; });  // tried more than once
    auto stats = web.stats();
    BOOST_TEST((stats.last_error == errc::forbidden));
    BOOST_TEST(stats.last_error_message.find("lacks permission 'service:write' on \"web\"") != std::string::npos,
               stats.last_error_message);
    BOOST_TEST(stats.registrations == 1u);
    policy.rules = R"(service "web" { policy = "write" })";
    co_await f.consul.acl().policy_update(policy);
    co_await until([&] { return web.stats().registrations == 2u; });
    auto services = co_await f.consul.agent().services();
    BOOST_TEST(services.value.count("web-1") == 1u);
    co_await web.stop();
  }());
}
