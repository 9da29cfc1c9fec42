// KV, sessions, locks, transactions and events against the dev agent, as Consul answers them.
#define BOOST_TEST_MODULE dev_agent_kv_session
#include <boost/test/unit_test.hpp>

#include "agent_client.hpp"
#include "agent_fixture.hpp"

#include <boost/json.hpp>

using namespace coconsul;
using namespace coconsul::test;
namespace asio = boost::asio;
namespace json = boost::json;

BOOST_AUTO_TEST_SUITE(kv)

BOOST_AUTO_TEST_CASE(put_get_and_the_404_with_headers) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/v1/kv/missing");
    BOOST_TEST(r.status == 404u);
    BOOST_TEST(r.body.empty());
    BOOST_TEST(r.index() >= 1u);
    r = co_await c.put("/v1/kv/app/config?flags=42", "test");
    BOOST_TEST(r.body == "true\n");
    r = co_await c.get("/v1/kv/app/config");
    auto e = r.json().at(0);
    BOOST_TEST(e.at("Key").as_string() == "app/config");
    BOOST_TEST(e.at("Value").as_string() == "dGVzdA==");
    BOOST_TEST(e.at("Flags").to_number<std::uint64_t>() == 42u);
    BOOST_TEST(e.at("LockIndex").to_number<std::uint64_t>() == 0u);
    BOOST_TEST(!e.as_object().contains("Session"));
    BOOST_TEST(r.index() == e.at("ModifyIndex").to_number<std::uint64_t>());
    r = co_await c.get("/v1/kv/app/config?raw");
    BOOST_TEST(r.body == "test");
    BOOST_TEST(r.header("X-Content-Type-Options") == "nosniff");
    r = co_await c.put("/v1/kv/empty");
    r = co_await c.get("/v1/kv/empty");
    BOOST_TEST(r.json().at(0).at("Value").is_null());
    r = co_await c.get("/v1/kv/");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == "Missing key name");
    r = co_await c.put("/v1/kv/big", std::string(512 * 1024 + 1, 'x'));
    BOOST_TEST(r.status == 413u);
    BOOST_TEST(r.body.find("Request body(524289 bytes) too large, max size: 524288 bytes.") == 0u);
  }());
}

BOOST_AUTO_TEST_CASE(recurse_keys_and_separator) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    for (std::string k : {"a/1", "a/2", "a/b/3", "c"}) co_await c.put("/v1/kv/" + k, "v");
    auto r = co_await c.get("/v1/kv/a?recurse");
    BOOST_TEST(r.json().as_array().size() == 3u);
    r = co_await c.get("/v1/kv/?keys");
    BOOST_TEST(r.json().as_array().size() == 4u);
    r = co_await c.get("/v1/kv/a/?keys&separator=/");
    BOOST_TEST(json::serialize(r.json()) == R"(["a/1","a/2","a/b/"])");
    r = co_await c.get("/v1/kv/zzz?keys");
    BOOST_TEST(r.status == 404u);
    r = co_await c.get("/v1/kv/zzz?recurse");
    BOOST_TEST(r.status == 404u);
    r = co_await c.del("/v1/kv/a?recurse");
    BOOST_TEST(r.body == "true\n");
    r = co_await c.get("/v1/kv/?keys");
    BOOST_TEST(json::serialize(r.json()) == R"(["c"])");
  }());
}

BOOST_AUTO_TEST_CASE(check_and_set) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.put("/v1/kv/k?cas=0", "one");
    BOOST_TEST(r.body == "true\n");
    r = co_await c.put("/v1/kv/k?cas=0", "two");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.body == "false\n");
    r = co_await c.get("/v1/kv/k");
    auto idx = r.json().at(0).at("ModifyIndex").to_number<std::uint64_t>();
    r = co_await c.put("/v1/kv/k?cas=" + std::to_string(idx + 100), "three");
    BOOST_TEST(r.body == "false\n");
    r = co_await c.put("/v1/kv/k?cas=" + std::to_string(idx), "three");
    BOOST_TEST(r.body == "true\n");
    r = co_await c.del("/v1/kv/k?cas=1");
    BOOST_TEST(r.body == "false\n");
    r = co_await c.get("/v1/kv/k");
    idx = r.json().at(0).at("ModifyIndex").to_number<std::uint64_t>();
    r = co_await c.del("/v1/kv/k?cas=" + std::to_string(idx));
    BOOST_TEST(r.body == "true\n");
    r = co_await c.put("/v1/kv/k?cas=1&acquire=abc", "x");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == "Conflicting flags: acquire=abc&cas=1");
    r = co_await c.put("/v1/kv/k?flags=nope", "x");
    BOOST_TEST(r.status == 500u);
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(sessions)

BOOST_AUTO_TEST_CASE(create_defaults_info_list_renew_destroy) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.put("/v1/session/create", R"({"Name":"s","TTL":"30s"})");
    BOOST_TEST(r.status == 200u);
    std::string id(r.json().at("ID").as_string());
    BOOST_TEST(id.size() == 36u);
    r = co_await c.get("/v1/session/info/" + id);
    auto s = r.json().at(0);
    BOOST_TEST(s.at("Name").as_string() == "s");
    BOOST_TEST(s.at("Node").as_string() == "test-node");
    BOOST_TEST(s.at("LockDelay").as_int64() == 15000000000);
    BOOST_TEST(s.at("Behavior").as_string() == "release");
    BOOST_TEST(s.at("TTL").as_string() == "30s");
    BOOST_TEST(s.at("NodeChecks").at(0).as_string() == "serfHealth");
    BOOST_TEST(s.at("ServiceChecks").is_null());
    r = co_await c.get("/v1/session/list");
    BOOST_TEST(r.json().as_array().size() == 1u);
    r = co_await c.get("/v1/session/node/test-node");
    BOOST_TEST(r.json().as_array().size() == 1u);
    r = co_await c.put("/v1/session/renew/" + id);
    BOOST_TEST(r.json().at(0).at("ID").as_string() == id);
    r = co_await c.put("/v1/session/destroy/" + id);
    BOOST_TEST(r.body == "true\n");
    r = co_await c.get("/v1/session/info/" + id);
    BOOST_TEST(r.body == "[]\n");
    r = co_await c.put("/v1/session/renew/" + id);
    BOOST_TEST(r.status == 404u);
    BOOST_TEST(r.body == "Session id '" + id + "' not found");
    r = co_await c.put("/v1/session/create");
    BOOST_TEST(r.status == 200u);
  }());
}

BOOST_AUTO_TEST_CASE(validation) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.put("/v1/session/create", R"({"TTL":"10ms"})");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "Invalid Session TTL '10000000', must be between [100ms=24h0m0s]");
    r = co_await c.put("/v1/session/create", R"({"Behavior":"explode"})");
    BOOST_TEST(r.body == "Invalid Behavior setting 'explode'");
    r = co_await c.put("/v1/session/create", R"({"Nonsense":1})");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == "Request decode failed: json: unknown field \"Nonsense\"");
    r = co_await c.put("/v1/session/create", R"({"NodeChecks":["nope"]})");
    BOOST_TEST(r.body == "Missing check 'nope' registration");
    r = co_await c.put("/v1/session/create", R"({"LockDelay":5})");  // small numbers are seconds
    std::string id(r.json().at("ID").as_string());
    r = co_await c.get("/v1/session/info/" + id);
    BOOST_TEST(r.json().at(0).at("LockDelay").as_int64() == 5000000000);
  }());
}

BOOST_AUTO_TEST_CASE(acquire_release_lock_index_and_lock_delay) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.put("/v1/session/create", R"({"LockDelay":"200ms"})");
    std::string s1(r.json().at("ID").as_string());
    r = co_await c.put("/v1/session/create", R"({"LockDelay":"0s"})");
    std::string s2(r.json().at("ID").as_string());
    r = co_await c.put("/v1/kv/lock?acquire=" + s1, "me");
    BOOST_TEST(r.body == "true\n");
    r = co_await c.get("/v1/kv/lock");
    BOOST_TEST(r.json().at(0).at("LockIndex").to_number<std::uint64_t>() == 1u);
    BOOST_TEST(r.json().at(0).at("Session").as_string() == s1);
    r = co_await c.put("/v1/kv/lock?acquire=" + s2, "you");
    BOOST_TEST(r.body == "false\n");
    r = co_await c.put("/v1/kv/lock?release=" + s2);
    BOOST_TEST(r.body == "false\n");
    r = co_await c.put("/v1/kv/lock?release=" + s1, "done");
    BOOST_TEST(r.body == "true\n");
    r = co_await c.get("/v1/kv/lock");
    BOOST_TEST(!r.json().at(0).as_object().contains("Session"));
    BOOST_TEST(r.json().at(0).at("LockIndex").to_number<std::uint64_t>() == 1u);
    r = co_await c.put("/v1/kv/lock?acquire=" + s2, "you");
    BOOST_TEST(r.body == "true\n");
    r = co_await c.get("/v1/kv/lock");
    BOOST_TEST(r.json().at(0).at("LockIndex").to_number<std::uint64_t>() == 2u);
    r = co_await c.put("/v1/kv/lock?acquire=not-a-session", "x");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "invalid session \"not-a-session\"");
    // Destroying s1 while it holds a lock puts the key under s1's lock-delay.
    r = co_await c.put("/v1/kv/other?acquire=" + s1);
    co_await c.put("/v1/session/destroy/" + s1);
    r = co_await c.put("/v1/kv/other?acquire=" + s2);
    BOOST_TEST(r.body == "false\n");
    co_await sleep_for(std::chrono::milliseconds(250));
    r = co_await c.put("/v1/kv/other?acquire=" + s2);
    BOOST_TEST(r.body == "true\n");
  }());
}

BOOST_AUTO_TEST_CASE(behavior_delete_and_ttl_invalidation) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    // From before the create: the TTL runs from there, and a loaded machine can take longer
    // than the 10 ms of slack below between the create and the acquire.
    auto start = std::chrono::steady_clock::now();
    auto r = co_await c.put("/v1/session/create", R"({"Behavior":"delete","TTL":"100ms","LockDelay":"0s"})");
    std::string id(r.json().at("ID").as_string());
    co_await c.put("/v1/kv/ephemeral?acquire=" + id, "x");
    r = co_await c.get("/v1/kv/ephemeral");
    auto idx = r.index();
    // Not renewed: invalidated after twice the TTL, and its key deleted.
    r = co_await c.get("/v1/kv/ephemeral?index=" + std::to_string(idx) + "&wait=5s");
    auto elapsed = std::chrono::steady_clock::now() - start;
    BOOST_TEST(r.status == 404u);
    BOOST_TEST((elapsed >= std::chrono::milliseconds(190)));
    r = co_await c.get("/v1/session/info/" + id);
    BOOST_TEST(r.body == "[]\n");
  }());
}

BOOST_AUTO_TEST_CASE(a_critical_check_invalidates_its_sessions) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/agent/check/register", R"({"Name":"guard","TTL":"1h","Status":"passing"})");
    auto r = co_await c.put("/v1/session/create", R"({"NodeChecks":["serfHealth","guard"]})");
    std::string id(r.json().at("ID").as_string());
    co_await c.put("/v1/agent/check/fail/guard");
    r = co_await c.get("/v1/session/info/" + id);
    BOOST_TEST(r.body == "[]\n");
    r = co_await c.put("/v1/session/create", R"({"NodeChecks":["guard"]})");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "Check 'guard' is in critical state");
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(txn_and_events)

BOOST_AUTO_TEST_CASE(txn_applies_all_or_nothing) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.put("/v1/txn", R"([{"KV":{"Verb":"set","Key":"t/a","Value":"YQ=="}},
                                          {"KV":{"Verb":"set","Key":"t/b","Value":"Yg=="}},
                                          {"KV":{"Verb":"get","Key":"t/a"}}])");
    BOOST_TEST(r.status == 200u);
    auto results = r.json().at("Results").as_array();
    BOOST_TEST(results.size() == 3u);
    BOOST_TEST(results[0].at("KV").at("Value").is_null());
    BOOST_TEST(results[2].at("KV").at("Value").as_string() == "YQ==");
    BOOST_TEST(r.json().at("Errors").is_null());
    r = co_await c.put("/v1/txn", R"([{"KV":{"Verb":"set","Key":"t/c","Value":"Yw=="}},
                                     {"KV":{"Verb":"cas","Key":"t/a","Value":"eA==","Index":999999}}])");
    BOOST_TEST(r.status == 409u);
    BOOST_TEST(r.json().at("Errors").at(0).at("OpIndex").as_int64() == 1);
    BOOST_TEST(r.json().at("Errors").at(0).at("What").as_string() == "failed to set key \"t/a\", index is stale");
    r = co_await c.get("/v1/kv/t/c");
    BOOST_TEST(r.status == 404u);  // rolled back
    r = co_await c.put("/v1/txn", R"([{"KV":{"Verb":"set","Key":"x","Bogus":1}}])");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == "Request decode failed: json: unknown field \"Bogus\"");
  }());
}

BOOST_AUTO_TEST_CASE(fire_and_list_events) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/agent/service/register", R"({"Name":"web","Tags":["blue"]})");
    auto r = co_await c.put("/v1/event/fire/deploy?service=web", "v2");
    BOOST_TEST(r.json().at("Name").as_string() == "deploy");
    BOOST_TEST(r.json().at("Payload").as_string() == "djI=");
    BOOST_TEST(r.json().at("ServiceFilter").as_string() == "web");
    BOOST_TEST(r.json().at("LTime").to_number<std::uint64_t>() == 1u);
    co_await c.put("/v1/event/fire/other");
    r = co_await c.get("/v1/event/list?name=deploy");
    BOOST_TEST(r.json().as_array().size() == 1u);
    auto idx = r.index();
    r = co_await c.get("/v1/event/list");
    BOOST_TEST(r.json().as_array().size() == 2u);
    BOOST_TEST(r.json().at(1).at("Payload").is_null());
    r = co_await c.get("/v1/event/list?name=deploy&index=" + std::to_string(idx) + "&wait=50ms");
    BOOST_TEST(r.index() == idx);  // no new deploy event: timed out with the same index
    // Filters decide whether this (only) agent keeps the event, as Consul's agents do.
    co_await c.put("/v1/event/fire/a?node=other-node");
    co_await c.put("/v1/event/fire/b?service=db");
    co_await c.put("/v1/event/fire/c?service=we.&tag=bl");
    co_await c.put("/v1/event/fire/d?node=test-.*");
    r = co_await c.get("/v1/event/list");
    std::string names;
    auto events = r.json();
    for (const auto& e : events.as_array()) names += std::string(e.at("Name").as_string()) + ",";
    BOOST_TEST(names == "deploy,other,c,d,");
    r = co_await c.put("/v1/event/fire/x?tag=blue");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "Cannot provide tag filter without service filter");
  }());
}

BOOST_AUTO_TEST_SUITE_END()
