// The service host with a Connect sidecar against the in-process dev agent: the sidecar comes
// with the service (its checks too), its TTL check is heartbeated, an operator's deregistration
// brings both back, and stop() deregisters both.
#define BOOST_TEST_MODULE service_host_sidecar
#include <boost/test/unit_test.hpp>

#include "agent_fixture.hpp"

#include <coconsul/service_host.hpp>

#include "host/registration.hpp"

#include <chrono>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using coconsul::test::agent_fixture;

namespace {

coconsul::service_host_options web_with_sidecar() {
  coconsul::service_host_options o;
  o.service.name = "web";
  o.service.id = "web-1";
  o.service.port = 8080;
  o.service.connect.sidecar_service.emplace();
  o.anti_entropy = 50ms;
  o.retry = 50ms;
  return o;
}

// Polls the agent until it has both the service and its sidecar (the host works in the
// background); false after 5 s.
asio::awaitable<bool> both_registered(coconsul::client& c) {
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (std::chrono::steady_clock::now() < deadline) {
    coconsul::query_result<std::map<std::string, coconsul::agent_service>> services = co_await c.agent().services();
    if (services.value.count("web-1") == 1u && services.value.count("web-1-sidecar-proxy") == 1u) co_return true;
    co_await coconsul::test::sleep_for(20ms);
  }
  co_return false;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_plan_numbers_a_sidecars_checks_under_its_id) {
  auto o = web_with_sidecar();
  coconsul::service_check ttl;
  ttl.ttl = 30s;
  o.service.connect.sidecar_service->check = ttl;
  auto plan = coconsul::detail::plan_registration(o, "");
  const auto& sidecar = *plan.registration.connect.sidecar_service;
  BOOST_TEST(!sidecar.check.has_value());
  BOOST_REQUIRE(sidecar.checks.size() == 1u);
  BOOST_TEST(sidecar.checks[0].check_id == "service:web-1-sidecar-proxy");
  BOOST_REQUIRE(plan.ttl_checks.size() == 1u);
  BOOST_TEST(plan.ttl_checks[0].check_id == "service:web-1-sidecar-proxy");
}

BOOST_AUTO_TEST_CASE(the_sidecar_comes_and_goes_with_the_service) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    coconsul::service_host host(f.consul, web_with_sidecar());
    co_await host.start();
    auto services = (co_await f.consul.agent().services()).value;
    BOOST_TEST_REQUIRE(services.count("web-1-sidecar-proxy") == 1u);
    const auto& sidecar = services.at("web-1-sidecar-proxy");
    BOOST_TEST(sidecar.kind == "connect-proxy");
    BOOST_TEST(sidecar.proxy.destination_service_id == "web-1");
    BOOST_TEST(sidecar.proxy.local_service_port == 8080);
    auto checks = (co_await f.consul.agent().checks()).value;
    BOOST_TEST(checks.count("service:web-1-sidecar-proxy:1") == 1u);  // Connect Sidecar Listening
    BOOST_TEST(checks.count("service:web-1-sidecar-proxy:2") == 1u);  // Connect Sidecar Aliasing web-1

    // An operator removes the service (and with it the sidecar): the host registers both again.
    co_await f.consul.agent().deregister_service("web-1");
    BOOST_TEST(co_await both_registered(f.consul));

    co_await host.stop();
    auto after = (co_await f.consul.agent().services()).value;
    BOOST_TEST(after.count("web-1") == 0u);
    BOOST_TEST(after.count("web-1-sidecar-proxy") == 0u);
    BOOST_TEST((co_await f.consul.agent().checks()).value.empty());
  }());
}

BOOST_AUTO_TEST_CASE(a_sidecar_ttl_check_is_heartbeated) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    auto o = web_with_sidecar();
    coconsul::service_check ttl;
    ttl.ttl = 30s;
    o.service.connect.sidecar_service->check = ttl;
    coconsul::service_host host(f.consul, std::move(o));
    co_await host.start();
    auto checks = (co_await f.consul.agent().checks()).value;
    BOOST_TEST_REQUIRE(checks.count("service:web-1-sidecar-proxy") == 1u);
    BOOST_TEST(checks.at("service:web-1-sidecar-proxy").status == "passing");  // the first heartbeat
    BOOST_TEST(checks.count("service:web-1-sidecar-proxy:1") == 0u);           // no default checks
    co_await host.stop();
  }());
}
