// The client's agent-cache controls against the in-process dev agent: ?cached with query_meta's
// cache_hit and cache_age, Cache-Control from query_options, reads while the agent has lost its
// servers, and hash-based blocking on an agent service.
#define BOOST_TEST_MODULE client_agent_cache
#include <boost/test/unit_test.hpp>

#include "agent_fixture.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using coconsul::test::agent_fixture;
using coconsul::test::failure_of;

namespace {

asio::awaitable<void> let_pass(std::chrono::milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  co_await t.async_wait(asio::use_awaitable);
}

coconsul::query_options cached() {
  coconsul::query_options o;
  o.cached = true;
  return o;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(cached_reads_report_hits_and_survive_lost_servers, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    coconsul::service_registration web{.id = "web-1", .name = "web", .port = 8080};
    co_await consul.agent().register_service(web);
    auto opts = cached();
    auto first = co_await consul.health().service("web", opts);
    BOOST_TEST(!first.meta.cache_hit);
    BOOST_TEST(!first.meta.cache_age.has_value());
    auto second = co_await consul.health().service("web", opts);
    BOOST_TEST(second.meta.cache_hit);
    BOOST_TEST_REQUIRE(second.meta.cache_age.has_value());
    BOOST_TEST(second.meta.cache_age->count() == 0);

    agent.lose_server_contact();
    auto plain = coconsul::query_options();
    auto e = co_await failure_of(consul.health().service("web", plain));
    BOOST_TEST(e.http_status() == 500u);
    BOOST_TEST(e.message().find("No known Consul servers") != std::string::npos);
    auto stale = co_await consul.health().service("web", opts);
    BOOST_TEST(stale.meta.cache_hit);
    BOOST_TEST_REQUIRE(stale.value.size() == 1u);
    BOOST_TEST(stale.value[0].service.id == "web-1");
    agent.restore_server_contact();
  }());
}

BOOST_FIXTURE_TEST_CASE(cache_control_from_query_options, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto opts = cached();
    auto first = co_await consul.catalog().datacenters(opts);
    BOOST_TEST(!first.meta.cache_hit);
    co_await let_pass(600ms);
    agent.lose_server_contact();
    // max-age 0: a refetch, which fails without the servers...
    auto fresh_only = cached();
    fresh_only.max_age = 0s;
    auto e = co_await failure_of(consul.catalog().datacenters(fresh_only));
    BOOST_TEST(e.http_status() == 500u);
    // ... unless stale-if-error allows the cached answer.
    auto fallback = fresh_only;
    fallback.stale_if_error = 60s;
    auto served = co_await consul.catalog().datacenters(fallback);
    BOOST_TEST(served.meta.cache_hit);
    BOOST_TEST(served.value == first.value);
    BOOST_TEST_REQUIRE(served.meta.cache_age.has_value());
    BOOST_TEST(served.meta.cache_age->count() >= 1);
    agent.restore_server_contact();

    // The controls mean nothing without cached: refused before anything is sent.
    coconsul::query_options wrong;
    wrong.must_revalidate = true;
    e = co_await failure_of(consul.catalog().datacenters(wrong));
    BOOST_TEST((e.code() == coconsul::errc::invalid_argument));
    BOOST_TEST(e.message() == "max_age, must_revalidate and stale_if_error need cached");
  }());
}

BOOST_FIXTURE_TEST_CASE(hash_blocking_waits_for_a_changed_service, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    coconsul::service_registration web{.id = "web-1", .name = "web", .port = 8080};
    co_await consul.agent().register_service(web);
    auto first = co_await consul.agent().service("web-1");
    BOOST_TEST_REQUIRE(!first.meta.content_hash.empty());

    coconsul::query_options opts;
    opts.hash = first.meta.content_hash;
    opts.wait = 10s;
    std::optional<coconsul::query_result<coconsul::agent_service>> changed;
    auto park = [&]() -> asio::awaitable<void> { changed = co_await consul.agent().service("web-1", opts); };
    asio::co_spawn(ioc, park(), asio::detached);
    co_await coconsul::test::until([&] { return agent.waiting_queries() == 1; });
    web.port = 9090;
    co_await consul.agent().register_service(web);
    co_await coconsul::test::until([&] { return changed.has_value(); });
    BOOST_TEST(changed->value.port == 9090);
    BOOST_TEST(changed->meta.content_hash != first.meta.content_hash);
  }());
}
