// Runs the example of docs/acl.md against an in-process dev agent with ACLs on: the token the
// page's code makes links the policy it made, and a client switched to it is that token (the
// function is the page's own code, extracted by cmake/extract_snippets.cmake: test/docs/tests.cmake).
#define BOOST_TEST_MODULE docs_acl_example
#include <boost/test/unit_test.hpp>

#include "agent_fixture.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>

// Defined in docs/acl.md.
boost::asio::awaitable<coconsul::acl_token> make_service_token(coconsul::client& admin, std::string service);

BOOST_AUTO_TEST_CASE(docs_example_works) {
  auto options = coconsul::test::fast_agent_options();
  options.acl.enabled = true;
  options.acl.default_policy = "deny";
  options.acl.tokens.initial_management = "5b0c2d7e-1f3a-4b6c-8d9e-0a1b2c3d4e5f";
  coconsul::test::agent_fixture f(options);
  f.consul.set_token(options.acl.tokens.initial_management);
  f.run([&]() -> boost::asio::awaitable<void> {
    coconsul::acl_token web = co_await make_service_token(f.consul, "web");
    BOOST_TEST_REQUIRE(web.policies.size() == 1u);
    BOOST_TEST(web.policies[0].name == "web-register");
    auto policy = co_await f.consul.acl().policy_read(web.policies[0].id);
    BOOST_TEST(policy.value.rules.find("service \"web\" { policy = \"write\" }") != std::string::npos);

    f.consul.set_token(web.secret_id);
    auto self = co_await f.consul.acl().token_read_self();
    BOOST_TEST(self.value.accessor_id == web.accessor_id);
  }());
}
