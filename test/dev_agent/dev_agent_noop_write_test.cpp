// Writes that change nothing move no index and wake no watcher, as Consul's state store
// compares before it writes: identical catalog and agent registrations, a KV set with the value,
// flags and session the key has, deleting a missing key, the same in a txn. Each case parks a
// blocking query, makes the no-op write, then a real one, and checks the query woke for the real
// one (had the no-op woken it, it would have come back with the old content).
#define BOOST_TEST_MODULE dev_agent_noop_write
#include <boost/test/unit_test.hpp>

#include "agent_client.hpp"
#include "agent_fixture.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json.hpp>

#include <functional>

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;
using coconsul::test::agent_client;
using coconsul::test::agent_fixture;
using coconsul::test::reply;

namespace {

using write_step = std::function<asio::awaitable<void>(agent_client&)>;

// Once one query is parked: `noop`, then `real`. A plain function, not a lambda: its frame
// owns its arguments, whatever outlives what.
asio::awaitable<void> write_when_parked(coconsul::dev_agent& agent, std::shared_ptr<agent_client> writer,
                                        write_step noop, write_step real) {
  co_await coconsul::test::until([&] { return agent.waiting_queries() == 1; });
  co_await noop(*writer);
  co_await real(*writer);
}

// Blocks on `target` from its current index; once the query is parked, runs `noop` then `real`
// through a second connection. Returns what the blocking query answered.
asio::awaitable<reply> watch_through(agent_fixture& f, const std::string& target, write_step noop, write_step real) {
  agent_client reader(f.agent, f.ioc.get_executor());
  auto first = co_await reader.get(target);
  auto writer = std::make_shared<agent_client>(f.agent, f.ioc.get_executor());
  asio::co_spawn(f.ioc, write_when_parked(f.agent, writer, std::move(noop), std::move(real)), asio::detached);
  std::string sep = target.find('?') == std::string::npos ? "?" : "&";
  auto woken = co_await reader.get(target + sep + "index=" + std::to_string(first.index()) + "&wait=10s");
  BOOST_TEST(woken.index() > first.index());
  co_return woken;
}

write_step put(std::string target, std::string body = {}) {
  return [target, body](agent_client& c) -> asio::awaitable<void> {
    auto r = co_await c.put(target, body);
    BOOST_TEST(r.status == 200u, target << ": " << r.body);
  };
}

write_step del(std::string target) {
  return [target](agent_client& c) -> asio::awaitable<void> {
    auto r = co_await c.del(target);
    BOOST_TEST(r.status == 200u, target << ": " << r.body);
  };
}

write_step both(write_step a, write_step b) {
  return [a, b](agent_client& c) -> asio::awaitable<void> {
    co_await a(c);
    co_await b(c);
  };
}

std::string value_of(const reply& r) {
  auto v = r.json().as_array().at(0).at("Value");
  return v.is_null() ? std::string() : std::string(v.as_string());
}

constexpr const char* web_registration = R"({"Node":"n1","Address":"10.0.0.1","NodeMeta":{"a":"b"},
  "Service":{"ID":"web1","Service":"web","Tags":["v1"],"Port":80,"Meta":{"m":"1"}},
  "Checks":[{"CheckID":"web-alive","Name":"alive","ServiceID":"web1","Status":"passing","Output":"ok"}]})";

}  // namespace

BOOST_AUTO_TEST_CASE(a_kv_set_with_the_same_value_flags_and_session_moves_nothing) {
  agent_fixture f(coconsul::test::agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/kv/app/db?flags=7", "postgres://a");
    auto before = co_await c.get("/v1/kv/app/db");
    auto modify = before.json().as_array().at(0).at("ModifyIndex").as_int64();
    auto same = co_await c.put("/v1/kv/app/db?flags=7", "postgres://a");
    BOOST_TEST(same.json() == json::value(true));  // Consul still answers true
    auto after = co_await c.get("/v1/kv/app/db");
    BOOST_TEST(after.json().as_array().at(0).at("ModifyIndex").as_int64() == modify);
    BOOST_TEST(after.index() == before.index());
    // Other flags are a change.
    co_await c.put("/v1/kv/app/db?flags=8", "postgres://a");
    auto flagged = co_await c.get("/v1/kv/app/db");
    BOOST_TEST(flagged.json().as_array().at(0).at("ModifyIndex").as_int64() > modify);
  }());
}

BOOST_AUTO_TEST_CASE(a_kv_watch_stays_parked_through_a_same_value_put) {
  agent_fixture f(coconsul::test::agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/kv/app/db", "postgres://a");
    auto woken = co_await watch_through(f, "/v1/kv/app/db", put("/v1/kv/app/db", "postgres://a"),
                                        put("/v1/kv/app/db", "postgres://b"));
    BOOST_TEST(value_of(woken) == "cG9zdGdyZXM6Ly9i");  // base64 of postgres://b
  }());
}

BOOST_AUTO_TEST_CASE(a_missing_key_watch_stays_parked_through_deleting_missing_keys) {
  agent_fixture f(coconsul::test::agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/kv/app/a", "1");
    // A missing key reports the KV table's index: any write to the table would wake it.
    auto woken = co_await watch_through(f, "/v1/kv/app/b",
                                        both(del("/v1/kv/app/missing"), del("/v1/kv/app/nothing/?recurse")),
                                        put("/v1/kv/app/b", "2"));
    BOOST_TEST(value_of(woken) == "Mg==");
  }());
}

BOOST_AUTO_TEST_CASE(a_txn_set_with_the_same_value_moves_nothing) {
  agent_fixture f(coconsul::test::agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/kv/app/a", "1");
    auto before = co_await c.get("/v1/kv/app/a");
    auto modify = before.json().as_array().at(0).at("ModifyIndex").as_int64();
    std::string same = R"([{"KV":{"Verb":"set","Key":"app/a","Value":"MQ=="}}])";  // "1"
    auto woken = co_await watch_through(f, "/v1/kv/app/?recurse",
                                        [&](agent_client& w) -> asio::awaitable<void> {
                                          auto r = co_await w.put("/v1/txn", same);
                                          BOOST_TEST(r.status == 200u);
                                          // The result carries the unchanged ModifyIndex.
                                          BOOST_TEST(r.json().at("Results").at(0).at("KV").at("ModifyIndex").as_int64() ==
                                                     modify);
                                        },
                                        put("/v1/kv/app/a", "2"));
    BOOST_TEST(value_of(woken) == "Mg==");
  }());
}

BOOST_AUTO_TEST_CASE(a_failed_txn_moves_no_index) {
  agent_fixture f(coconsul::test::agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/kv/app/a", "1");
    std::string failing = R"([{"KV":{"Verb":"set","Key":"app/b","Value":"MQ=="}},
                              {"KV":{"Verb":"check-not-exists","Key":"app/a"}}])";
    auto woken = co_await watch_through(f, "/v1/kv/app/c",
                                        [&](agent_client& w) -> asio::awaitable<void> {
                                          auto r = co_await w.put("/v1/txn", failing);
                                          BOOST_TEST(r.status == 409u);
                                        },
                                        put("/v1/kv/app/c", "3"));
    BOOST_TEST(value_of(woken) == "Mw==");
  }());
}

BOOST_AUTO_TEST_CASE(an_identical_catalog_registration_moves_nothing) {
  agent_fixture f(coconsul::test::agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/catalog/register", web_registration);
    auto node_before = co_await c.get("/v1/catalog/nodes");
    auto woken = co_await watch_through(f, "/v1/health/service/web", put("/v1/catalog/register", web_registration),
                                        put("/v1/catalog/register", R"({"Node":"n1","Address":"10.0.0.1",
                                          "NodeMeta":{"a":"b"},"Service":{"ID":"web1","Service":"web",
                                          "Tags":["v2"],"Port":80,"Meta":{"m":"1"}}})"));
    auto inst = woken.json().as_array();
    BOOST_TEST_REQUIRE(inst.size() == 1u);
    BOOST_TEST(inst[0].at("Service").at("Tags") == json::parse(R"(["v2"])"));
    // The node itself was identical every time: its table did not move.
    auto node_after = co_await c.get("/v1/catalog/nodes");
    BOOST_TEST(node_after.index() == node_before.index());
  }());
}

BOOST_AUTO_TEST_CASE(a_node_watch_stays_parked_through_an_identical_node) {
  agent_fixture f(coconsul::test::agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    std::string node = R"({"Node":"n1","Address":"10.0.0.1","TaggedAddresses":{"lan":"10.0.0.1"}})";
    co_await c.put("/v1/catalog/register", node);
    auto woken = co_await watch_through(f, "/v1/catalog/nodes", put("/v1/catalog/register", node),
                                        put("/v1/catalog/register", R"({"Node":"n1","Address":"10.0.0.2"})"));
    bool moved = false;
    auto nodes = woken.json();
    for (const auto& n : nodes.as_array())
      if (n.at("Node").as_string() == "n1") moved = n.at("Address").as_string() == "10.0.0.2";
    BOOST_TEST(moved);
  }());
}

BOOST_AUTO_TEST_CASE(a_check_output_change_through_the_catalog_is_a_write) {
  agent_fixture f(coconsul::test::agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/catalog/register", web_registration);
    auto before = co_await c.get("/v1/health/checks/web");
    std::string new_output = web_registration;
    new_output.replace(new_output.find(R"("Output":"ok")"), 13, R"("Output":"still ok")");
    co_await c.put("/v1/catalog/register", new_output);
    auto after = co_await c.get("/v1/health/checks/web");
    BOOST_TEST(after.index() > before.index());  // HealthCheck.IsSame compares Output
    BOOST_TEST(after.json().as_array().at(0).at("Output").as_string() == "still ok");
  }());
}

BOOST_AUTO_TEST_CASE(an_identical_agent_registration_moves_nothing) {
  agent_fixture f(coconsul::test::agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    std::string reg = R"({"Name":"api","ID":"api1","Port":8080,"Tags":["a"],
                          "Check":{"CheckID":"api-ttl","Name":"ttl","TTL":"30s","Status":"passing"}})";
    co_await c.put("/v1/agent/service/register", reg);
    auto woken = co_await watch_through(f, "/v1/health/service/api", put("/v1/agent/service/register", reg),
                                        put("/v1/agent/service/register", R"({"Name":"api","ID":"api1",
                                          "Port":8081,"Tags":["a"],"Check":{"CheckID":"api-ttl","Name":"ttl",
                                          "TTL":"30s","Status":"passing"}})"));
    BOOST_TEST(woken.json().as_array().at(0).at("Service").at("Port").as_int64() == 8081);
  }());
}

BOOST_AUTO_TEST_CASE(reacquiring_a_held_lock_with_the_same_value_moves_nothing) {
  agent_fixture f(coconsul::test::agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto s = co_await c.put("/v1/session/create", R"({"TTL":"30s"})");
    std::string id(s.json().at("ID").as_string());
    auto got = co_await c.put("/v1/kv/lock?acquire=" + id, "me");
    BOOST_TEST(got.json() == json::value(true));
    auto before = co_await c.get("/v1/kv/lock");
    auto again = co_await c.put("/v1/kv/lock?acquire=" + id, "me");
    BOOST_TEST(again.json() == json::value(true));
    auto after = co_await c.get("/v1/kv/lock");
    BOOST_TEST(after.json().as_array().at(0).at("ModifyIndex") == before.json().as_array().at(0).at("ModifyIndex"));
    BOOST_TEST(after.json().as_array().at(0).at("LockIndex").as_int64() == 1);
  }());
}

BOOST_AUTO_TEST_CASE(through_the_client_a_same_value_put_keeps_the_modify_index) {
  agent_fixture f(coconsul::test::agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto kv = f.consul.kv();
    co_await kv.put("cfg/x", "1");
    auto first = co_await kv.get("cfg/x");
    BOOST_TEST_REQUIRE(first.value.has_value());
    co_await kv.put("cfg/x", "1");
    auto second = co_await kv.get("cfg/x");
    BOOST_TEST(second.value->modify_index == first.value->modify_index);
    BOOST_TEST(second.meta.last_index == first.meta.last_index);
  }());
}

BOOST_AUTO_TEST_CASE(churn_index_wakes_kv_watchers_with_the_same_content) {
  agent_fixture f(coconsul::test::agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/kv/app/a", "1");
    auto first = co_await c.get("/v1/kv/app/a");
    auto& agent = f.agent;
    auto churn = [&agent]() -> asio::awaitable<void> {
      co_await coconsul::test::until([&] { return agent.waiting_queries() == 1; });
      agent.churn_index();
    };
    asio::co_spawn(f.ioc, churn(), asio::detached);
    auto woken = co_await c.get("/v1/kv/app/a?index=" + std::to_string(first.index()) + "&wait=10s");
    BOOST_TEST(woken.index() > first.index());
    BOOST_TEST(woken.body == first.body);  // the entry, ModifyIndex included, is unchanged
  }());
}
