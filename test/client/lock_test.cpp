// coconsul::lock against the in-process dev agent: exclusion, loss, release, cancellation and
// the session renewal.
#define BOOST_TEST_MODULE client_lock
#include <boost/test/unit_test.hpp>

#include "agent_fixture.hpp"
#include "http/transport.hpp"

#include <coconsul/lock.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <memory>
#include <optional>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using coconsul::errc;
using coconsul::test::agent_fixture;
using clock_type = std::chrono::steady_clock;

using coconsul::test::until;

namespace {

// The outcome of an operation started with a callback, to be awaited later: the callback
// records the result and wakes whoever waits.
template <class T>
struct pending {
  explicit pending(asio::any_io_executor ex) : wake(ex, clock_type::time_point::max()) {}

  std::optional<coconsul::error_code> ec;
  T value{};
  clock_type::time_point completed_at{};
  asio::steady_timer wake;

  auto handler() {
    return [this](coconsul::error_code e, auto... v) {
      if constexpr (sizeof...(v) == 1) value = (std::move(v), ...);
      ec = e;
      completed_at = clock_type::now();
      wake.cancel();
    };
  }
  bool done() const { return ec.has_value(); }
  asio::awaitable<void> wait() {
    if (!ec) co_await wake.async_wait(asio::as_tuple(asio::use_awaitable));
  }
};
struct nothing {};

coconsul::lock_options lock_on(std::string key, std::string value) {
  coconsul::lock_options o;
  o.key = std::move(key);
  o.value = std::move(value);
  return o;
}

}  // namespace

BOOST_AUTO_TEST_CASE(bad_options_are_refused) {
  asio::io_context ioc;
  coconsul::client c(ioc, coconsul::config());
  try {
    coconsul::lock l(c, lock_on("", "v"));
    BOOST_FAIL("no exception for an empty key");
  } catch (const coconsul::error& e) {
    BOOST_TEST((e.code() == errc::invalid_argument));
  }
  auto short_ttl = lock_on("k", "v");
  short_ttl.session_ttl = 5s;
  try {
    coconsul::lock l(c, short_ttl);
    BOOST_FAIL("no exception for a 5 s TTL");
  } catch (const coconsul::error& e) {
    BOOST_TEST((e.code() == errc::invalid_argument));
    BOOST_TEST(e.message().find("10s") != std::string::npos, e.message());
  }
}

BOOST_FIXTURE_TEST_CASE(a_second_lock_waits_until_the_first_releases, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    coconsul::lock first(consul, lock_on("locks/contend", "first"));
    coconsul::lock second(consul, lock_on("locks/contend", "second"));
    BOOST_TEST(first.session_id().empty());
    co_await first.acquire();
    BOOST_TEST(first.held());
    BOOST_TEST(!first.session_id().empty());

    pending<std::string> first_lost(ioc.get_executor());
    first.wait_lost(first_lost.handler());
    pending<nothing> second_acquired(ioc.get_executor());
    second.acquire(second_acquired.handler());
    BOOST_TEST_MESSAGE("waiting for the second lock to block on the key (beside the first's monitor)");
    co_await until([&] { return agent.waiting_queries() == 2; });
    BOOST_TEST(!second_acquired.done());
    BOOST_TEST(!second.held());
    auto holder = co_await consul.kv().get("locks/contend");
    BOOST_TEST_REQUIRE(holder.value.has_value());
    BOOST_TEST(holder.value->session == first.session_id());
    BOOST_TEST(holder.value->value == "first");

    const auto released_at = clock_type::now();
    co_await first.release();
    BOOST_TEST(!first.held());
    co_await second_acquired.wait();
    BOOST_TEST(!*second_acquired.ec);
    BOOST_TEST(second.held());
    // Taken over as soon as the key was released (no retry pause: a release has no lock-delay).
    BOOST_TEST((second_acquired.completed_at - released_at < 500ms));
    holder = co_await consul.kv().get("locks/contend");
    BOOST_TEST_REQUIRE(holder.value.has_value());
    BOOST_TEST(holder.value->session == second.session_id());
    BOOST_TEST(holder.value->value == "second");

    co_await first_lost.wait();
    BOOST_TEST(!*first_lost.ec);
    BOOST_TEST(first_lost.value == "released");
    // release() also destroyed the first session.
    BOOST_TEST(first.session_id().empty());
    auto sessions = co_await consul.session().list();
    BOOST_TEST_REQUIRE(sessions.value.size() == 1u);
    BOOST_TEST(sessions.value[0].id == second.session_id());
    co_await second.release();
  }());
}

BOOST_FIXTURE_TEST_CASE(wait_lost_reports_a_deleted_key, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    coconsul::lock l(consul, lock_on("locks/deleted", "me"));
    co_await l.acquire();
    pending<std::string> lost(ioc.get_executor());
    l.wait_lost(lost.handler());
    co_await until([&] { return agent.waiting_queries() == 1; });  // the monitor blocks on the key
    BOOST_TEST(!lost.done());
    co_await consul.kv().delete_key("locks/deleted");
    co_await lost.wait();
    BOOST_TEST(!*lost.ec);
    BOOST_TEST(lost.value == "key deleted");
    BOOST_TEST(!l.held());
    // Once lost, wait_lost answers at once with the same reason.
    BOOST_TEST(co_await l.wait_lost() == "key deleted");
    // The session lives on, and the lock can be taken again with it.
    const std::string session = l.session_id();
    co_await l.acquire();
    BOOST_TEST(l.held());
    BOOST_TEST(l.session_id() == session);
    co_await l.release();
  }());
}

BOOST_FIXTURE_TEST_CASE(wait_lost_reports_a_destroyed_session_and_acquire_starts_over, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto opts = lock_on("locks/destroyed", "me");
    opts.lock_delay = 300ms;  // Consul's default, 15 s, would make this test slow
    opts.retry = 50ms;
    coconsul::lock l(consul, opts);
    co_await l.acquire();
    const std::string old_session = l.session_id();
    pending<std::string> lost(ioc.get_executor());
    l.wait_lost(lost.handler());
    co_await until([&] { return agent.waiting_queries() == 1; });
    co_await consul.session().destroy(old_session);  // behind the lock's back
    co_await lost.wait();
    BOOST_TEST(!*lost.ec);
    BOOST_TEST(lost.value == "session invalidated");
    const auto lost_at = clock_type::now();
    BOOST_TEST(!l.held());
    // The dead session is dropped: acquiring again makes a new one instead of failing, once
    // the lock-delay Consul set on the key when the session ended has passed.
    co_await l.acquire();
    BOOST_TEST((clock_type::now() - lost_at >= 250ms));
    BOOST_TEST(l.held());
    BOOST_TEST(!l.session_id().empty());
    BOOST_TEST(l.session_id() != old_session);
    auto holder = co_await consul.kv().get("locks/destroyed");
    BOOST_TEST(holder.value->session == l.session_id());
    co_await l.release();
  }());
}

BOOST_FIXTURE_TEST_CASE(cancelling_a_waiting_acquire_ends_it, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    coconsul::lock holder(consul, lock_on("locks/cancel", "holder"));
    coconsul::lock waiter(consul, lock_on("locks/cancel", "waiter"));
    co_await holder.acquire();
    asio::cancellation_signal cancel;
    pending<nothing> acquired(ioc.get_executor());
    waiter.acquire(asio::bind_cancellation_slot(cancel.slot(), acquired.handler()));
    co_await until([&] { return agent.waiting_queries() == 2; });
    const auto cancelled_at = clock_type::now();
    cancel.emit(asio::cancellation_type::terminal);
    co_await acquired.wait();
    BOOST_TEST((*acquired.ec == asio::error::operation_aborted));
    BOOST_TEST((acquired.completed_at - cancelled_at < 500ms));
    BOOST_TEST(!waiter.held());
    BOOST_TEST(holder.held());
    BOOST_TEST((co_await consul.kv().get("locks/cancel")).value->session == holder.session_id());
    // The cancelled lock still works.
    co_await holder.release();
    co_await waiter.acquire();
    BOOST_TEST(waiter.held());
    co_await waiter.release();
  }());
}

BOOST_FIXTURE_TEST_CASE(destroying_a_lock_ends_its_waiting_acquire_without_taking_the_key, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    coconsul::lock holder(consul, lock_on("locks/abandoned", "holder"));
    co_await holder.acquire();
    auto waiter = std::make_unique<coconsul::lock>(consul, lock_on("locks/abandoned", "waiter"));
    pending<nothing> acquired(ioc.get_executor());
    waiter->acquire(acquired.handler());
    co_await until([&] { return agent.waiting_queries() == 2; });
    waiter.reset();  // the acquire is still waiting on the key
    co_await holder.release();
    co_await acquired.wait();
    BOOST_TEST((*acquired.ec == asio::error::operation_aborted));
    auto key = co_await consul.kv().get("locks/abandoned");
    BOOST_TEST_REQUIRE(key.value.has_value());
    BOOST_TEST(key.value->session.empty(), "held by " << key.value->session);
    // The destroyed lock's session goes too.
    coconsul::query_options o;
    for (;;) {
      auto sessions = co_await consul.session().list(o);
      if (sessions.value.empty()) break;
      o.index = sessions.meta.last_index;
      o.wait = 5s;
    }
  }());
}

BOOST_FIXTURE_TEST_CASE(wait_lost_can_be_cancelled_and_the_lock_stays_held, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    coconsul::lock l(consul, lock_on("locks/watch", "me"));
    co_await l.acquire();
    asio::cancellation_signal cancel;
    pending<std::string> lost(ioc.get_executor());
    l.wait_lost(asio::bind_cancellation_slot(cancel.slot(), lost.handler()));
    co_await until([&] { return agent.waiting_queries() == 1; });
    cancel.emit(asio::cancellation_type::terminal);
    co_await lost.wait();
    BOOST_TEST((*lost.ec == asio::error::operation_aborted));
    BOOST_TEST(l.held());
    co_await l.release();
  }());
}

namespace {

// An agent that accepts session TTLs down to 1 s, so that a session's whole life (TTL, and
// Consul's invalidation after twice the TTL) fits in a few seconds. The client refuses TTLs
// below Consul's 10 s, so the short sessions are created with a raw request.
struct short_ttl_fixture {
  static coconsul::dev_agent_options options() {
    auto o = coconsul::test::fast_agent_options();
    o.session_ttl_min = 1s;
    return o;
  }

  asio::io_context ioc;
  coconsul::dev_agent agent{ioc.get_executor(), options()};
  coconsul::client consul{ioc, agent_fixture::started(agent)};
  coconsul::http::pool raw{ioc.get_executor(), consul.get_config()};

  asio::awaitable<std::string> create_session(std::string ttl) {
    coconsul::http::request req;
    req.method = coconsul::http::verb::put;
    req.target = "/v1/session/create";
    req.body = R"({"Name":"short","TTL":")" + ttl + R"("})";
    req.idempotent = false;
    coconsul::diagnostics diag;
    auto res = co_await raw.async_execute(req, diag, asio::use_awaitable);
    BOOST_TEST_REQUIRE(res.status == 200u, res.body);
    co_return std::string(boost::json::parse(res.body).at("ID").as_string());
  }

  // Blocks on the session table until `id` is gone.
  asio::awaitable<void> until_gone(const std::string& id) {
    coconsul::query_options o;
    for (;;) {
      auto info = co_await consul.session().info(id, o);
      if (!info.value) co_return;
      o.index = info.meta.last_index;
      o.wait = 10s;
    }
  }

  void run(asio::awaitable<void> body, std::chrono::seconds deadline = std::chrono::seconds(20)) {
    coconsul::test::run_with_deadline(ioc, std::move(body), deadline);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(the_renewer_keeps_a_session_alive_past_its_ttl, short_ttl_fixture) {
  run([&]() -> asio::awaitable<void> {
    const auto start = clock_type::now();
    const std::string renewed = co_await create_session("1s");
    const std::string control = co_await create_session("1s");
    asio::cancellation_signal stop;
    pending<std::string> renewer(ioc.get_executor());
    coconsul::renew_session(consul, renewed, 1s, coconsul::write_options(),
                            asio::bind_cancellation_slot(stop.slot(), renewer.handler()));
    // The agent drops a session not renewed within twice its TTL: the control shows when.
    co_await until_gone(control);
    const auto control_lived = clock_type::now() - start;
    BOOST_TEST((control_lived >= 2s));
    // Half a TTL more, to be past the renewed session's deadline too had it not been renewed.
    asio::steady_timer t(ioc, 500ms);
    co_await t.async_wait(asio::use_awaitable);
    auto info = co_await consul.session().info(renewed);
    BOOST_TEST(info.value.has_value(), "the renewed session was dropped after "
                                           << std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  clock_type::now() - start).count() << " ms");
    BOOST_TEST(!renewer.done());
    stop.emit(asio::cancellation_type::terminal);
    co_await renewer.wait();
    BOOST_TEST((*renewer.ec == asio::error::operation_aborted));
  }());
}

BOOST_FIXTURE_TEST_CASE(renew_session_reports_a_destroyed_session, short_ttl_fixture) {
  run([&]() -> asio::awaitable<void> {
    const std::string id = co_await create_session("1s");
    pending<std::string> renewer(ioc.get_executor());
    coconsul::renew_session(consul, id, 1s, coconsul::write_options(), renewer.handler());
    co_await consul.session().destroy(id);
    co_await renewer.wait();
    BOOST_TEST(!*renewer.ec);
    BOOST_TEST(renewer.value == "session invalidated");
  }());
}

BOOST_FIXTURE_TEST_CASE(renew_session_through_co_await, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    coconsul::session_create_request req;
    req.ttl = 10s;
    const std::string id = co_await consul.session().create(req);
    // Another coroutine destroys the session while this one awaits the renewer.
    auto destroy_later = [](coconsul::client& c, std::string id) -> asio::awaitable<void> {
      co_await c.session().destroy(id);
    };
    asio::co_spawn(ioc, destroy_later(consul, id), asio::detached);
    const auto start = clock_type::now();
    std::string why = co_await coconsul::renew_session(consul, id, 10s);
    BOOST_TEST(why == "session invalidated");
    // Noticed at the first renewal, half a TTL in.
    BOOST_TEST((clock_type::now() - start >= 5s));
  }());
}
