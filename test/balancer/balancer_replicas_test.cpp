// The balancer under load while replicas are killed and restarted: no request lost.

#define BOOST_TEST_MODULE balancer_replicas
#include <boost/test/unit_test.hpp>

#include "agent_fixture.hpp"
#include "replicas.hpp"

#include <array>
#include <memory>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using coconsul::test::agent_fixture;
using coconsul::test::echo_replica;
using coconsul::test::entry_of;
using coconsul::test::fast_balancer;
using coconsul::test::instance;
using coconsul::test::until;
using tcp = asio::ip::tcp;

namespace {

struct traffic {
  bool stop = false;
  int workers_done = 0;
  std::size_t answered = 0;
  std::size_t broken_exchanges = 0;          // connected, then the replica died mid-exchange
  std::size_t connect_errors = 0;            // connect() itself failed: a lost request
  std::size_t leases_on_ejected = 0;         // handed out while the balancer had it ejected
  std::size_t leases_on_dead = 0;            // connected just before the kill (kernel-level), or a bug
  std::string dead_id;                       // the replica that is down right now, if any
};

// Sends requests through lb.connect() until told to stop; a request whose exchange breaks is
// retried on another connection, so every request is answered while a live replica exists.
asio::awaitable<void> worker(coconsul::balancer& lb, traffic& t, int id) {
  auto ex = co_await asio::this_coro::executor;
  for (int n = 0; !t.stop; ++n) {
    const std::string request = "worker " + std::to_string(id) + " request " + std::to_string(n) + "\n";
    for (;;) {
      tcp::socket s(ex);
      auto [ec, lease] = co_await lb.connect(s, asio::as_tuple(asio::use_awaitable));
      if (ec) {
        ++t.connect_errors;
        BOOST_TEST_MESSAGE("connect failed: " << ec.message());
        break;
      }
      const auto& ep = lease.endpoint();
      if (entry_of(lb, ep.service_id)->ejected) ++t.leases_on_ejected;
      if (ep.service_id == t.dead_id) ++t.leases_on_dead;
      auto [wec, w] = co_await asio::async_write(s, asio::buffer(request), asio::as_tuple(asio::use_awaitable));
      std::string reply;
      auto [rec, r] = co_await asio::async_read_until(s, asio::dynamic_buffer(reply), '\n',
                                                      asio::as_tuple(asio::use_awaitable));
      if (wec || rec || reply != request) {
        ++t.broken_exchanges;
        lease.fail();
        continue;
      }
      ++t.answered;
      break;
    }
  }
  ++t.workers_done;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_replica_killed_and_restarted_loses_no_request, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto ex = ioc.get_executor();
    std::array<std::unique_ptr<echo_replica>, 3> replicas;
    for (int i = 0; i < 3; ++i) {
      replicas[i] = std::make_unique<echo_replica>(ex);
      // Consul notices deaths through a TCP check every 50 ms.
      co_await consul.agent().register_service(
          instance("echo", "echo-" + std::to_string(i + 1), replicas[i]->port(), 1, 50ms));
    }
    coconsul::balancer lb(consul, "echo", fast_balancer());
    traffic t;
    constexpr int workers = 4;
    for (int i = 0; i < workers; ++i) asio::co_spawn(ex, worker(lb, t, i), asio::detached);

    co_await until([&] { return t.answered >= 200; });
    BOOST_TEST(replicas[1]->served() > 0u);
    replicas[1]->kill();
    t.dead_id = "echo-2";
    const auto answered_at_kill = t.answered;
    // Traffic goes on while Consul notices (its check fails, the snapshot drops echo-2).
    co_await until([&] { return !entry_of(lb, "echo-2") && t.answered >= answered_at_kill + 200; });
    const auto failures_while_down = lb.stats().connect_failures;

    replicas[1]->restart();
    t.dead_id.clear();
    co_await until([&] { return replicas[1]->served() >= 20; });  // back in the snapshot, serving
    t.stop = true;
    co_await until([&] { return t.workers_done == workers; });

    BOOST_TEST(t.connect_errors == 0u);    // every request found a live replica
    BOOST_TEST(t.leases_on_ejected == 0u);
    // The first failure (a refused connect, or an exchange broken by the kill) ejects echo-2, so
    // each worker meets the death at most once, instead of once per request until Consul noticed.
    BOOST_TEST(failures_while_down + t.broken_exchanges <= std::uint64_t(workers));
    BOOST_TEST(t.leases_on_dead <= std::size_t(workers));
    BOOST_TEST(t.answered > answered_at_kill + 200);
    BOOST_TEST(replicas[0]->served() > 0u);
    BOOST_TEST(replicas[2]->served() > 0u);
    auto st = lb.stats();
    BOOST_TEST(st.endpoints.size() == 3u);
    BOOST_TEST(st.snapshots >= 3u);  // the first, echo-2 gone, echo-2 back
    BOOST_TEST_MESSAGE("answered " << t.answered << ", broken exchanges retried " << t.broken_exchanges
                                   << ", connect failures " << st.connect_failures
                                   << ", leases on echo-2 after its kill " << t.leases_on_dead);
  }());
}
