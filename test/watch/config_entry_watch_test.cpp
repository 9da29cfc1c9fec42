// The config entry watches against the dev agent: an entry's watch is empty until the entry is
// written, then follows its changes and its deletion; a kind's watch follows the list; watches
// of the same entry share one blocking query; a slow consumer gets the newest entry with the
// intermediate ones coalesced; destroying the watch ends its query.
#define BOOST_TEST_MODULE config_entry_watch
#include <boost/test/unit_test.hpp>

#include "agent_fixture.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <optional>
#include <string>
#include <variant>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using coconsul::config_entry;
using coconsul::test::agent_fixture;
using coconsul::test::until;

namespace {

coconsul::watch_options fast() {
  coconsul::watch_options o;
  o.pacing.refill = 50ms;
  o.pacing.backoff_base = 10ms;
  o.pacing.backoff_cap = 200ms;
  return o;
}

config_entry defaults(std::string name, std::string protocol) {
  return coconsul::service_defaults{.name = std::move(name), .protocol = std::move(protocol)};
}

std::string protocol_of(const std::optional<config_entry>& e) {
  return e ? std::get<coconsul::service_defaults>(*e).protocol : std::string("(none)");
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(an_entry_watch_follows_creation_changes_and_deletion, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto w = consul.watch_config_entry("service-defaults", "web", fast());
    auto first = co_await w.next();
    BOOST_TEST(!first->has_value());  // no entry yet: empty, not an error
    auto web = defaults("web", "http");
    co_await consul.config().set(web);
    auto created = co_await w.next();
    BOOST_TEST(protocol_of(*created) == "http");
    BOOST_TEST((*created)->modify_index() > 0u);
    auto grpc = defaults("web", "grpc");
    co_await consul.config().set(grpc);
    BOOST_TEST(protocol_of(*co_await w.next()) == "grpc");
    co_await consul.config().erase("service-defaults", "web");
    BOOST_TEST(!(co_await w.next())->has_value());
    BOOST_TEST(w.status().errors == 0u);
  }());
}

BOOST_FIXTURE_TEST_CASE(a_kind_watch_follows_the_list, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto w = consul.watch_config_entries("service-defaults", fast());
    BOOST_TEST((co_await w.next())->empty());
    auto web = defaults("web", "http");
    co_await consul.config().set(web);
    auto one = co_await w.next();
    BOOST_TEST_REQUIRE(one->size() == 1u);
    BOOST_TEST((*one)[0].name() == "web");
    auto api = defaults("api", "grpc");
    co_await consul.config().set(api);
    auto two = co_await w.next();
    BOOST_TEST_REQUIRE(two->size() == 2u);
    BOOST_TEST((*two)[0].name() == "api");  // sorted by name, as Consul lists them
    // An entry of another kind is not this watch's business.
    coconsul::config_entry resolver = coconsul::service_resolver{.name = "web", .connect_timeout = 3s};
    co_await consul.config().set(resolver);
    co_await consul.config().erase("service-defaults", "api");
    auto back = co_await w.next();
    BOOST_TEST_REQUIRE(back->size() == 1u);
    BOOST_TEST((*back)[0].name() == "web");
  }());
}

BOOST_FIXTURE_TEST_CASE(watches_of_the_same_entry_share_one_query_and_one_value, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto web = defaults("web", "http");
    co_await consul.config().set(web);
    auto a = consul.watch_config_entry("service-defaults", "web", fast());
    auto b = consul.watch_config_entry("service-defaults", "web", fast());
    auto va = co_await a.next();
    auto vb = co_await b.next();
    BOOST_TEST(va.get() == vb.get());  // shared, not copied
    bool a_done = false, b_done = false;
    auto wait_a = [&]() -> asio::awaitable<void> { co_await a.next(); a_done = true; };
    auto wait_b = [&]() -> asio::awaitable<void> { co_await b.next(); b_done = true; };
    asio::co_spawn(ioc, wait_a(), asio::detached);
    asio::co_spawn(ioc, wait_b(), asio::detached);
    co_await until([&] { return agent.waiting_queries() == 1; });
    auto grpc = defaults("web", "grpc");
    co_await consul.config().set(grpc);
    co_await until([&] { return a_done && b_done; });
    BOOST_TEST(a.status().queries_sent == b.status().queries_sent);
  }());
}

BOOST_FIXTURE_TEST_CASE(a_slow_consumer_gets_the_newest_entry, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto w = consul.watch_config_entry("service-defaults", "web", fast());
    BOOST_TEST(!(co_await w.next())->has_value());
    co_await until([&] { return agent.waiting_queries() == 1; });
    const auto queries_before = w.status().queries_sent;
    for (int i = 0; i < 30; ++i) {
      auto e = defaults("web", "p" + std::to_string(i));
      co_await consul.config().set(e);
    }
    // Nobody asked for more: at most the one waiting query answered.
    auto latest = co_await w.next();
    if (protocol_of(*latest) != "p29") latest = co_await w.next();  // the held one was taken mid-burst
    BOOST_TEST(protocol_of(*latest) == "p29");
    BOOST_TEST(w.status().queries_sent <= queries_before + 3);
  }());
}

BOOST_FIXTURE_TEST_CASE(destroying_the_watch_ends_its_query_and_its_pending_next, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    std::optional<coconsul::config_entries_watch> w(consul.watch_config_entries("service-router", fast()));
    co_await w->next();
    bool woke = false;
    coconsul::error_code ended;
    auto waiting = [&]() -> asio::awaitable<void> {
      auto [ec, value] = co_await w->next(asio::as_tuple(asio::use_awaitable));
      ended = ec;
      woke = true;
    };
    asio::co_spawn(ioc, waiting(), asio::detached);
    co_await until([&] { return agent.waiting_queries() == 1; });
    w.reset();
    co_await until([&] { return woke && agent.waiting_queries() == 0; });
    BOOST_TEST((ended == asio::error::operation_aborted));
  }());
}
