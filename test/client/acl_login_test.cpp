// acl_api::login and logout against the dev agent: a JWT signed by a key the jwt auth method
// trusts gives a token with the service identity its binding rule names; the client acting with
// that token may do what the identity grants and no more; logout ends it.

#define BOOST_TEST_MODULE client_acl_login
#include <boost/test/unit_test.hpp>

#include "acl_jwt_signer.hpp"
#include "agent_fixture.hpp"

#include <coconsul/acl.hpp>
#include <coconsul/agent.hpp>

#include <chrono>

namespace asio = boost::asio;
namespace json = boost::json;
using coconsul::errc;
using coconsul::test::agent_fixture;
namespace jwt = coconsul::test::jwt;
using coconsul::test::failure_of;

namespace {

constexpr const char* root = "5e8a1d2c-4b3f-4a6e-9d70-1c2b3a4f5e60";

}  // namespace

BOOST_AUTO_TEST_CASE(a_jwt_logs_in_acts_with_its_identity_and_logs_out) {
  agent_fixture f(coconsul::test::deny_by_default_options(root));
  f.consul.set_token(root);
  f.run([&]() -> asio::awaitable<void> {
    auto key = jwt::ec_key("P-256");
    coconsul::acl_auth_method m;
    m.name = "ci";
    m.type = "jwt";
    m.config["JWTValidationPubKeys"] = json::array{json::value(jwt::public_pem(key))};
    m.config["BoundIssuer"] = "https://ci.example";
    m.config["ClaimMappings"] = json::object{{"service", "service"}};
    m.config["JWTSupportedAlgs"] = json::array{json::value("ES256")};
    co_await f.consul.acl().auth_method_create(m);
    coconsul::acl_binding_rule rule;
    rule.auth_method = "ci";
    rule.bind_type = "service";
    rule.bind_name = "${value.service}";
    co_await f.consul.acl().binding_rule_create(rule);

    const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    json::object claims;
    claims["iss"] = "https://ci.example";
    claims["service"] = "web";
    claims["iat"] = now.count();
    claims["exp"] = now.count() + 300;
    coconsul::acl_login_params params;
    params.auth_method = "ci";
    params.bearer_token = jwt::token("ES256", key, claims);
    coconsul::acl_token t = co_await f.consul.acl().login(params);
    BOOST_TEST(t.auth_method == "ci");
    BOOST_TEST_REQUIRE(t.service_identities.size() == 1u);
    BOOST_TEST(t.service_identities[0].service_name == "web");

    f.consul.set_token(t.secret_id);
    coconsul::service_registration web{.id = "web-1", .name = "web", .port = 80};
    co_await f.consul.agent().register_service(web);
    coconsul::service_registration db{.id = "db-1", .name = "db", .port = 5432};
    auto refused = co_await failure_of(f.consul.agent().register_service(db));
    BOOST_TEST((refused.code() == errc::forbidden));
    co_await f.consul.acl().logout();
    auto gone = co_await failure_of(f.consul.agent().register_service(web));
    BOOST_TEST((gone.code() == errc::acl_not_found));
  }());
}
