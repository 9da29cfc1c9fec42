// The client's side of Connect registrations against the in-process dev agent: a service
// registered with a SidecarService from the model types, the sidecar read back with its Proxy
// (agent, catalog and health), and catalog().connect_service / health().connect_service,
// blocking included.
#define BOOST_TEST_MODULE client_connect_services
#include <boost/test/unit_test.hpp>

#include "agent_fixture.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>

#include <chrono>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using coconsul::test::agent_fixture;

namespace {

coconsul::service_registration web_with_sidecar() {
  coconsul::service_registration r;
  r.name = "web";
  r.port = 8080;
  coconsul::sidecar_service sidecar;
  coconsul::upstream db;
  db.destination_name = "db";
  db.local_bind_port = 9191;
  sidecar.proxy.upstreams.push_back(db);
  sidecar.proxy.config["protocol"] = "http";
  r.connect.sidecar_service = sidecar;
  return r;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_sidecar_registered_from_the_model_reads_back_everywhere) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    auto reg = web_with_sidecar();
    co_await f.consul.agent().register_service(reg);
    auto services = (co_await f.consul.agent().services()).value;
    BOOST_TEST_REQUIRE(services.count("web-sidecar-proxy") == 1u);
    const coconsul::agent_service& sc = services.at("web-sidecar-proxy");
    BOOST_TEST(sc.kind == coconsul::service_kind::connect_proxy);
    BOOST_TEST(sc.port == 21000);
    BOOST_TEST(sc.proxy.destination_service_name == "web");
    BOOST_TEST(sc.proxy.destination_service_id == "web");
    BOOST_TEST(sc.proxy.local_service_address == "127.0.0.1");
    BOOST_TEST(sc.proxy.local_service_port == 8080);
    BOOST_TEST(sc.proxy.config.at("protocol") == "http");
    BOOST_TEST_REQUIRE(sc.proxy.upstreams.size() == 1u);
    BOOST_TEST(sc.proxy.upstreams[0].destination_type == "service");
    BOOST_TEST(sc.proxy.upstreams[0].local_bind_port == 9191);
    BOOST_TEST((services.at("web").proxy == coconsul::proxy_config()));  // a typical service has none

    auto catalog = co_await f.consul.catalog().connect_service("web");
    BOOST_TEST_REQUIRE(catalog.value.size() == 1u);
    BOOST_TEST(catalog.value[0].service_id == "web-sidecar-proxy");
    BOOST_TEST((catalog.value[0].service_proxy == sc.proxy));  // the same Proxy in the catalog's form
    BOOST_TEST(catalog.meta.last_index > 0u);

    auto health = co_await f.consul.health().connect_service("web");
    BOOST_TEST_REQUIRE(health.value.size() == 1u);
    BOOST_TEST(health.value[0].service.proxy.destination_service_name == "web");
    BOOST_TEST(health.value[0].checks.size() == 3u);  // serfHealth, listening, aliasing

    auto none = co_await f.consul.health().connect_service("db");
    BOOST_TEST(none.value.empty());
  }());
}

BOOST_AUTO_TEST_CASE(a_native_service_is_its_own_connect_instance) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    coconsul::service_registration r;
    r.name = "api";
    r.port = 9000;
    r.connect.native = true;
    co_await f.consul.agent().register_service(r);
    auto services = (co_await f.consul.agent().services()).value;
    BOOST_TEST(services.at("api").connect.native);
    auto catalog = co_await f.consul.catalog().connect_service("api");
    BOOST_TEST_REQUIRE(catalog.value.size() == 1u);
    BOOST_TEST(catalog.value[0].service_connect.native);
  }());
}

BOOST_AUTO_TEST_CASE(a_refused_proxy_fails_with_consuls_text) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    coconsul::service_registration r;
    r.name = "p";
    r.kind = std::string(coconsul::service_kind::connect_proxy);
    r.port = 20000;
    coconsul::error e = co_await coconsul::test::failure_of(f.consul.agent().register_service(r));
    BOOST_TEST((e.code() == coconsul::errc::bad_request));
    BOOST_TEST(e.message().find("Proxy.DestinationServiceName must be non-empty") != std::string::npos, e.message());
  }());
}

BOOST_AUTO_TEST_CASE(a_blocking_connect_read_wakes_for_a_new_sidecar) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    coconsul::service_registration web;
    web.name = "web";
    web.port = 8080;
    co_await f.consul.agent().register_service(web);
    auto first = co_await f.consul.health().connect_service("web");
    BOOST_TEST(first.value.empty());
    coconsul::query_options o;
    o.index = first.meta.last_index;
    o.wait = 10s;
    auto register_later = [&]() -> asio::awaitable<void> {
      while (f.agent.waiting_queries() < 1) co_await coconsul::test::sleep_for(5ms);
      auto reg = web_with_sidecar();
      co_await f.consul.agent().register_service(reg);
    };
    auto started = std::chrono::steady_clock::now();
    using namespace asio::experimental::awaitable_operators;
    auto woke = co_await (f.consul.health().connect_service("web", o) && register_later());
    BOOST_TEST_REQUIRE(woke.value.size() == 1u);
    BOOST_TEST(woke.value[0].service.id == "web-sidecar-proxy");
    BOOST_TEST(woke.meta.last_index > first.meta.last_index);
    BOOST_TEST((std::chrono::steady_clock::now() - started < 5s));
  }());
}

BOOST_AUTO_TEST_CASE(a_sidecar_token_is_sent_and_the_sidecar_is_vetted_as_it) {
  constexpr const char* root = "2d7f1c3a-6b4e-4f0a-9c8d-1e2f3a4b5c6d";
  agent_fixture f(coconsul::test::deny_by_default_options(root));
  f.run([&]() -> asio::awaitable<void> {
    f.consul.set_token(root);
    // A token that may write the sidecar (and its destination), another only the service.
    auto token_for = [&](std::string name, std::string rules) -> asio::awaitable<std::string> {
      coconsul::acl_policy policy;
      policy.name = name;
      policy.rules = std::move(rules);
      co_await f.consul.acl().policy_create(policy);
      coconsul::acl_token t;
      t.policies.push_back(coconsul::acl_link{.id = "", .name = name});
      coconsul::acl_token created = co_await f.consul.acl().token_create(t);
      co_return created.secret_id;
    };
    std::string proxy = co_await token_for("proxy", R"(service_prefix "web" { policy = "write" })");
    std::string web = co_await token_for("web", R"(service "web" { policy = "write" })");
    coconsul::client as_web(f.ioc, f.consul.get_config());
    as_web.set_token(web);
    auto reg = web_with_sidecar();
    reg.connect.sidecar_service->token = proxy;
    co_await as_web.agent().register_service(reg);
    auto services = (co_await f.consul.agent().services()).value;
    BOOST_TEST(services.count("web-sidecar-proxy") == 1u);
  }());
}
