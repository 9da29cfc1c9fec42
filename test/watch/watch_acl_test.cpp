// A watch under ACLs, against the dev agent with default deny: its token decides which
// instances it sees, and its status says when the agent left some out, so that "no instances"
// can be told apart from "none this token may see".

#define BOOST_TEST_MODULE watch_acl
#include <boost/test/unit_test.hpp>

#include "agent_fixture.hpp"

#include <coconsul/acl.hpp>
#include <coconsul/catalog.hpp>

namespace asio = boost::asio;
using coconsul::test::agent_fixture;

namespace {

constexpr const char* root = "7d5b4c1e-2a4f-4e0b-9c61-3b8f0d2e6a11";

asio::awaitable<void> register_web_on(coconsul::client& c, std::string node, std::string address) {
  coconsul::catalog_registration r;
  r.node = std::move(node);
  r.address = std::move(address);
  coconsul::agent_service s;
  s.id = "web";
  s.service = "web";
  s.port = 80;
  r.service = s;
  co_await c.catalog().register_entity(r);
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_watch_sees_what_its_token_may_read_and_says_it_was_filtered) {
  agent_fixture f(coconsul::test::deny_by_default_options(root));
  f.consul.set_token(root);
  f.run([&]() -> asio::awaitable<void> {
    co_await register_web_on(f.consul, "n1", "10.0.0.1");
    co_await register_web_on(f.consul, "n2", "10.0.0.2");
    coconsul::acl_policy p;
    p.name = "web-on-n1";
    p.rules = R"(service "web" { policy = "read" }
node "n1" { policy = "read" })";
    co_await f.consul.acl().policy_create(p);
    coconsul::acl_token t;
    t.policies.push_back(coconsul::acl_link{.id = "", .name = "web-on-n1"});
    coconsul::acl_token made = co_await f.consul.acl().token_create(t);

    coconsul::service_watch_options limited;
    limited.passing_only = false;
    limited.token = made.secret_id;
    auto w = f.consul.watch_service("web", limited);
    auto seen = co_await w.next();
    BOOST_TEST_REQUIRE(seen.endpoints().size() == 1u);
    BOOST_TEST(seen.endpoints()[0].node == "n1");
    BOOST_TEST(w.status().results_filtered_by_acls);

    coconsul::service_watch_options everything;
    everything.passing_only = false;
    auto all = f.consul.watch_service("web", everything);  // the client's management token
    auto both = co_await all.next();
    BOOST_TEST(both.endpoints().size() == 2u);
    BOOST_TEST(!all.status().results_filtered_by_acls);
  }());
}
