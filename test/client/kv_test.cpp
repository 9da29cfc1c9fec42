// The KV API against the in-process dev agent: reads, writes, cas, locks on keys, refusals and
// completion tokens.
#define BOOST_TEST_MODULE client_kv
#include <boost/test/unit_test.hpp>

#include "agent_fixture.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using coconsul::errc;
using coconsul::test::agent_fixture;
using coconsul::test::until;

namespace {

template <class Awaitable>
asio::awaitable<coconsul::error_code> error_of(Awaitable op) {
  try {
    co_await std::move(op);
  } catch (const coconsul::error& e) {
    co_return e.code();
  }
  co_return coconsul::error_code{};
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(put_then_get_round_trips_bytes_and_flags, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto kv = consul.kv();
    const std::string bytes("a\0b\xff\n", 5);
    const std::uint64_t flags = (std::uint64_t{1} << 60) + 1;  // above 2^53: must stay exact
    co_await kv.put("config/web/greeting", bytes, flags);
    auto got = co_await kv.get("config/web/greeting");
    BOOST_TEST_REQUIRE(got.value.has_value());
    BOOST_TEST(got.value->key == "config/web/greeting");
    BOOST_TEST(got.value->value == bytes);
    BOOST_TEST(got.value->flags == flags);
    BOOST_TEST(got.value->create_index >= 1u);
    BOOST_TEST(got.meta.last_index >= got.value->modify_index);
    BOOST_TEST(got.meta.known_leader);
    // One leading slash is ignored, as by Consul's Go client.
    auto again = co_await kv.get("/config/web/greeting");
    BOOST_TEST(again.value.has_value());
  }());
}

BOOST_FIXTURE_TEST_CASE(a_missing_key_is_empty_not_an_error, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto got = co_await consul.kv().get("no/such/key");
    BOOST_TEST(!got.value.has_value());
    BOOST_TEST(got.meta.last_index >= 1u);  // the index is still there to block on
    auto list = co_await consul.kv().list("no/such/");
    BOOST_TEST(list.value.empty());
  }());
}

BOOST_FIXTURE_TEST_CASE(list_and_keys_with_separator, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto kv = consul.kv();
    for (const char* k : {"app/b", "app/a", "app/dir/x", "app/dir/y", "other"}) co_await kv.put(k, k);
    auto list = co_await kv.list("app/");
    BOOST_TEST_REQUIRE(list.value.size() == 4u);
    BOOST_TEST(list.value[0].key == "app/a");
    BOOST_TEST(list.value[3].key == "app/dir/y");
    auto keys = co_await kv.keys("app/", "/");
    const std::vector<std::string> expected{"app/a", "app/b", "app/dir/"};
    BOOST_TEST(keys.value == expected, boost::test_tools::per_element());
  }());
}

BOOST_FIXTURE_TEST_CASE(check_and_set, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto kv = consul.kv();
    BOOST_TEST(co_await kv.cas("lock/owner", "a", 0));   // 0: create only if absent
    BOOST_TEST(!co_await kv.cas("lock/owner", "b", 0));  // exists now
    auto cur = co_await kv.get("lock/owner");
    BOOST_TEST(!co_await kv.cas("lock/owner", "c", cur.value->modify_index + 1));
    BOOST_TEST(co_await kv.cas("lock/owner", "d", cur.value->modify_index));
    BOOST_TEST((co_await kv.get("lock/owner")).value->value == "d");
  }());
}

BOOST_FIXTURE_TEST_CASE(deletes, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto kv = consul.kv();
    co_await kv.put("t/1", "x");
    co_await kv.put("t/2", "y");
    co_await kv.put("t/3", "z");
    co_await kv.delete_key("t/1");
    BOOST_TEST(!(co_await kv.get("t/1")).value);
    co_await kv.delete_key("t/1");  // deleting a missing key is fine
    auto two = co_await kv.get("t/2");
    BOOST_TEST(!co_await kv.delete_cas("t/2", two.value->modify_index + 7));
    BOOST_TEST(co_await kv.delete_cas("t/2", two.value->modify_index));
    co_await kv.delete_tree("t/");
    BOOST_TEST((co_await kv.list("t/")).value.empty());
  }());
}

BOOST_FIXTURE_TEST_CASE(acquire_and_release_with_sessions, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto kv = consul.kv();
    const coconsul::session_create_request named_a{.name = "a"}, named_b{.name = "b"};
    const std::string a = co_await consul.session().create(named_a);
    const std::string b = co_await consul.session().create(named_b);
    BOOST_TEST(co_await kv.acquire("service/leader", a, "node-a"));
    BOOST_TEST(!co_await kv.acquire("service/leader", b, "node-b"));
    auto held = co_await kv.get("service/leader");
    BOOST_TEST(held.value->session == a);
    BOOST_TEST(held.value->lock_index == 1u);
    BOOST_TEST(held.value->value == "node-a");
    BOOST_TEST(!co_await kv.release("service/leader", b, "x"));  // not b's lock
    BOOST_TEST(co_await kv.release("service/leader", a, "node-a"));
    BOOST_TEST((co_await kv.get("service/leader")).value->session.empty());
  }());
}

BOOST_FIXTURE_TEST_CASE(a_blocking_get_returns_on_change, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto kv = consul.kv();
    co_await kv.put("watched", "1");
    auto first = co_await kv.get("watched");
    coconsul::query_options o;
    o.index = first.meta.last_index;
    o.wait = 30s;
    std::optional<coconsul::query_result<std::optional<coconsul::kv_pair>>> woke;
    auto waiter = [&]() -> asio::awaitable<void> { woke = co_await kv.get("watched", o); };
    asio::co_spawn(ioc, waiter(), asio::detached);
    co_await until([&] { return agent.waiting_queries() == 1; });  // it is really blocked
    BOOST_TEST(!woke.has_value());
    co_await kv.put("watched", "2");
    co_await until([&] { return woke.has_value(); });
    BOOST_TEST(woke->value->value == "2");
    BOOST_TEST(woke->meta.last_index > first.meta.last_index);
  }());
}

BOOST_FIXTURE_TEST_CASE(a_blocking_get_returns_at_the_end_of_wait, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto kv = consul.kv();
    co_await kv.put("still", "1");
    auto first = co_await kv.get("still");
    coconsul::query_options o;
    o.index = first.meta.last_index;
    o.wait = 300ms;
    const auto start = std::chrono::steady_clock::now();
    auto same = co_await kv.get("still", o);
    const auto took = std::chrono::steady_clock::now() - start;
    BOOST_TEST(same.meta.last_index == first.meta.last_index);
    BOOST_TEST(same.value->value == "1");
    BOOST_TEST((took >= 300ms));
    BOOST_TEST((took < 300ms + 300ms / 16 + 1s));
  }());
}

BOOST_FIXTURE_TEST_CASE(cancelling_a_blocking_get_ends_it_at_once, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto kv = consul.kv();
    co_await kv.put("c", "1");
    coconsul::query_options o;
    o.index = (co_await kv.get("c")).meta.last_index;
    o.wait = 60s;
    asio::cancellation_signal cancel;
    std::optional<coconsul::error_code> result;
    kv.get("c", o, asio::bind_cancellation_slot(cancel.slot(), [&](coconsul::error_code ec, auto) { result = ec; }));
    BOOST_TEST_MESSAGE("waiting for the agent to hold the query");
    co_await until([&] { return agent.waiting_queries() == 1; });
    const auto start = std::chrono::steady_clock::now();
    cancel.emit(asio::cancellation_type::terminal);
    BOOST_TEST_MESSAGE("waiting for the cancelled operation to complete");
    co_await until([&] { return result.has_value(); });
    BOOST_TEST((std::chrono::steady_clock::now() - start < 1s));
    BOOST_TEST((*result == asio::error::operation_aborted));
    // The connection was closed: the agent sees it go and stops waiting.
    BOOST_TEST_MESSAGE("waiting for the agent to drop the query");
    co_await until([&] { return agent.waiting_queries() == 0; });
    // The client goes on working.
    BOOST_TEST((co_await kv.get("c")).value->value == "1");
  }());
}

BOOST_FIXTURE_TEST_CASE(bad_input_is_refused_before_anything_is_sent, agent_fixture) {
  // A client whose agent does not exist: if anything were sent, the error would be a
  // connection failure, not invalid_argument.
  coconsul::config nowhere;
  nowhere.address = "http://127.0.0.1:1";
  coconsul::client lost(ioc, nowhere);
  run([&]() -> asio::awaitable<void> {
    auto kv = lost.kv();
    BOOST_TEST((co_await error_of(kv.get("")) == errc::invalid_argument));
    BOOST_TEST((co_await error_of(kv.get("a\nb")) == errc::invalid_argument));
    BOOST_TEST((co_await error_of(kv.put("k\x7f", "v")) == errc::invalid_argument));
    BOOST_TEST((co_await error_of(kv.acquire("k", "", "v")) == errc::invalid_argument));
    coconsul::query_options both;
    both.cached = true;
    both.consistency = coconsul::consistency_mode::consistent;
    BOOST_TEST((co_await error_of(kv.get("k", both)) == errc::invalid_argument));
    try {
      co_await kv.get("bad\tkey");
      BOOST_FAIL("no exception");
    } catch (const coconsul::error& e) {
      BOOST_TEST(e.message() == "key contains the control character 0x09 at offset 3");
    }
    BOOST_TEST((co_await error_of(kv.get("fine")) == errc::connection_failed));  // the control
  }());
}

BOOST_FIXTURE_TEST_CASE(any_completion_token_works, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto kv = consul.kv();
    co_await kv.put("token/k", "v");
    // as_tuple: no exceptions.
    auto [ec, got] = co_await kv.get("token/k", coconsul::query_options(), asio::as_tuple(asio::use_awaitable));
    BOOST_TEST(!ec);
    BOOST_TEST(got.value->value == "v");
    auto [ec2, none] = co_await kv.get("", coconsul::query_options(), asio::as_tuple(asio::use_awaitable));
    BOOST_TEST((ec2 == errc::invalid_argument));
    // pass_diagnostics: Consul's message without exceptions.
    auto [ec3, diag, nothing] = co_await consul.session().renew(
        "00000000-0000-0000-0000-000000000000", coconsul::write_options(),
        coconsul::pass_diagnostics(asio::as_tuple(asio::use_awaitable)));
    BOOST_TEST((ec3 == errc::not_found));
    BOOST_TEST(diag.http_status == 404u);
    BOOST_TEST(diag.message.find("not found") != std::string::npos, diag.message);
    // A plain callback.
    std::optional<std::string> value;
    kv.get("token/k", coconsul::query_options(), [&](coconsul::error_code e, coconsul::query_result<std::optional<coconsul::kv_pair>> r) {
      BOOST_TEST(!e);
      value = r.value->value;
    });
    co_await until([&] { return value.has_value(); });
    BOOST_TEST(*value == "v");
  }());
}

BOOST_FIXTURE_TEST_CASE(use_future_works, agent_fixture) {
  auto put = consul.kv().put("future/k", "v", 0, coconsul::write_options(), asio::use_future);
  auto got = consul.kv().get("future/k", coconsul::query_options(), asio::use_future);  // queued after the put
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (got.wait_for(0s) != std::future_status::ready && std::chrono::steady_clock::now() < deadline)
    ioc.run_one_for(100ms);
  BOOST_TEST_REQUIRE((got.wait_for(0s) == std::future_status::ready));
  put.get();
  BOOST_TEST(got.get().value->value == "v");
}

BOOST_FIXTURE_TEST_CASE(consul_errors_carry_consuls_message, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    agent.fail_next_requests(500, 1);
    try {
      co_await consul.kv().get("x");
      BOOST_FAIL("no exception");
    } catch (const coconsul::error& e) {
      BOOST_TEST((e.code() == errc::server_error));
      BOOST_TEST(e.http_status() == 500u);
      BOOST_TEST(!e.message().empty());
    }
    BOOST_TEST(!(co_await consul.kv().get("x")).value);  // and then it works again
  }());
}
