// Hostile request input against the dev agent (issue 12): numbers and durations out of range,
// deep JSON, Consul's endpoint limits (KV values in a txn, txn length and operations, event
// size, lock delay) and control characters echoed into the log.
#define BOOST_TEST_MODULE dev_agent_input
#include <boost/test/unit_test.hpp>

#include "agent_client.hpp"
#include "agent_fixture.hpp"

#include "core/base64.hpp"
#include "dev_agent/store/state.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <string>
#include <vector>

using namespace coconsul;
using namespace coconsul::test;
namespace asio = boost::asio;
namespace json = boost::json;

namespace {
const std::string decode_failed = "Request decode failed: ";
}

BOOST_AUTO_TEST_SUITE(numbers)

BOOST_AUTO_TEST_CASE(a_duration_number_past_int64_is_gos_unmarshal_error) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.put("/v1/agent/check/register", R"({"Name":"c","TTL":1e30})");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == decode_failed +
                             "json: cannot unmarshal number 1e30 into Go struct field CheckDefinition.TTL of type time.Duration");
    r = co_await c.put("/v1/agent/service/register", R"({"Name":"web","Check":{"TTL":-1e19}})");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body ==
               decode_failed + "json: cannot unmarshal number -1e19 into Go struct field CheckType.TTL of type time.Duration");
    r = co_await c.put("/v1/agent/check/register", R"({"Name":"c","Interval":18446744073709551615,"TCP":"127.0.0.1:1"})");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == decode_failed +
                             "json: cannot unmarshal number 18446744073709551615 into Go struct field CheckDefinition.Interval "
                             "of type time.Duration");
    // Past a double's range (Boost.JSON reads it as an infinity; Go refuses it).
    r = co_await c.put("/v1/agent/check/register", R"({"Notes":"1e999 \" 2e999","Name":"c","TTL":-1e999})");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == decode_failed + "json: cannot unmarshal number -1e999 into Go value of type float64");
    // A zero with a huge exponent is 0 (Boost.JSON made it a NaN, which json_out could not write).
    r = co_await c.put("/v1/agent/service/register", R"({"Name":"zero","Port":0,"Check":{"TTL":"5s","DeregisterCriticalServiceAfter":0e999}})");
    BOOST_TEST(r.status == 200u);
    // A string past Go's range is time.ParseDuration's error; the largest one is fine.
    r = co_await c.put("/v1/agent/check/register", R"({"Name":"c","TTL":"2562048h"})");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == decode_failed + "time: invalid duration \"2562048h\"");
    // Its timers saturate at the clock's end (now + 292 years overflowed: UBSan saw it).
    r = co_await c.put("/v1/agent/check/register", R"({"Name":"c","TTL":"2562047h"})");
    BOOST_TEST(r.status == 200u);
    r = co_await c.put("/v1/agent/check/register", R"({"Name":"slow","TCP":"127.0.0.1:1","Interval":"2562047h"})");
    BOOST_TEST(r.status == 200u);
    r = co_await c.put("/v1/agent/check/pass/c");
    BOOST_TEST(r.status == 200u);
    // Nothing half-registered by the refused ones.
    r = co_await c.get("/v1/agent/checks");
    BOOST_TEST(r.json().as_object().size() == 3u);  // c, slow and service:zero
    BOOST_TEST(r.json().at("c").at("Status").as_string() == "passing");
  }());
}

BOOST_AUTO_TEST_CASE(an_integer_field_refuses_fractions_and_overflow_as_go_does) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.put("/v1/agent/service/register", R"({"Name":"web","Port":1e10})");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body ==
               decode_failed + "json: cannot unmarshal number 1e10 into Go struct field ServiceDefinition.Port of type int");
    r = co_await c.put("/v1/agent/service/register", R"({"Name":"web","Port":80.5})");
    BOOST_TEST(r.body ==
               decode_failed + "json: cannot unmarshal number 80.5 into Go struct field ServiceDefinition.Port of type int");
    r = co_await c.put("/v1/agent/service/register", R"({"Name":"web","Weights":{"Passing":99999999999}})");
    BOOST_TEST(r.body ==
               decode_failed + "json: cannot unmarshal number 99999999999 into Go struct field Weights.Passing of type int");
    r = co_await c.put("/v1/txn", R"([{"KV":{"Verb":"cas","Key":"k","Index":-1}}])");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == decode_failed + "json: cannot unmarshal number -1 into Go struct field TxnKVOp.Index of type uint64");
    r = co_await c.get("/v1/agent/services");
    BOOST_TEST(r.json().as_object().empty());
  }());
}

BOOST_AUTO_TEST_CASE(the_largest_uint64_shows_as_itself) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    const std::string max = "18446744073709551615";
    auto r = co_await c.put("/v1/kv/k?flags=" + max, "v");
    BOOST_TEST(r.body == "true\n");
    r = co_await c.get("/v1/kv/k");
    BOOST_TEST(json::serialize(r.json().at(0).at("Flags")) == max);
    r = co_await c.put("/v1/kv/k?cas=" + max, "w");
    BOOST_TEST(r.body == "false\n");
    r = co_await c.put("/v1/txn", R"([{"KV":{"Verb":"check-index","Key":"k","Index":)" + max + "}}]");
    BOOST_TEST(r.status == 409u);
    BOOST_TEST(r.body.find("doesn't match " + max) != std::string::npos);
    r = co_await c.put("/v1/txn", R"([{"KV":{"Verb":"set","Key":"t","Flags":)" + max + R"(,"Value":"dg=="}}])");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.body.find("\"Flags\": " + max) != std::string::npos);
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(lock_delay)

BOOST_AUTO_TEST_CASE(a_number_past_int64_is_refused_not_shown_as_minus_one_second) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.put("/v1/session/create", R"({"LockDelay":18446744073709551615})");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == decode_failed +
                             "json: cannot unmarshal number 18446744073709551615 into Go struct field Session.LockDelay of "
                             "type time.Duration");
    r = co_await c.put("/v1/session/create", R"({"LockDelay":1e30})");
    BOOST_TEST(r.status == 400u);
    // Small numbers are seconds (Consul's lockDelayMinThreshold); a huge negative one wraps as in
    // Go (signed overflow before the fix, which UBSan reports) and delays nothing.
    r = co_await c.put("/v1/session/create", R"({"LockDelay":-1e18})");
    BOOST_TEST(r.status == 200u);
    r = co_await c.put("/v1/session/create", R"({"LockDelay":7})");
    auto id = std::string(r.json().at("ID").as_string());
    r = co_await c.get("/v1/session/info/" + id);
    BOOST_TEST(r.json().at(0).at("LockDelay").to_number<std::int64_t>() == 7000000000);
  }());
}

BOOST_AUTO_TEST_CASE(a_292_year_lock_delay_is_applied_as_consuls_60s_cap) {
  // Through the store: the HTTP side can only see that the key is locked, not for how long.
  dev::state_store s(nullptr);
  dev::session_record session;
  session.id = "s1";
  session.node = "n";
  session.lock_delay = std::chrono::hours(2562047);
  {
    dev::write_txn w(s);
    s.create_session(w, session);
  }
  dev::kv_entry e;
  e.key = "locked";
  e.session = "s1";
  std::string error;
  {
    dev::write_txn w(s);
    BOOST_TEST_REQUIRE(s.kv_lock(w, e, &error));
  }
  BOOST_TEST(s.session("s1")->lock_delay == std::chrono::nanoseconds(std::chrono::hours(2562047)));  // kept as asked
  auto before = std::chrono::steady_clock::now();
  {
    dev::write_txn w(s);
    s.destroy_session(w, "s1");
  }
  auto until = s.kv_lock_delay("locked");
  BOOST_TEST_REQUIRE(until.has_value());
  BOOST_TEST((*until >= before + std::chrono::seconds(59)));
  BOOST_TEST((*until <= std::chrono::steady_clock::now() + std::chrono::seconds(60)));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(depth)

std::string nested(std::size_t levels) { return std::string(levels, '[') + std::string(levels, ']'); }

BOOST_AUTO_TEST_CASE(json_nests_to_gos_10000_levels_and_no_further) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    // 40 levels inside a field the agent keeps opaque: Boost.JSON's default (32) refused it.
    auto r = co_await c.put("/v1/agent/service/register", R"({"Name":"web","Proxy":{"Config":{"x":)" + nested(40) + "}}}");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.body.empty());
    r = co_await c.put("/v1/agent/service/register", nested(10000));
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == decode_failed + "json: cannot unmarshal array into Go value of type structs.ServiceDefinition");
    r = co_await c.put("/v1/agent/service/register", nested(10001));
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == decode_failed + "invalid character '[' exceeded max depth");
    std::string objects;
    for (int i = 0; i < 10001; ++i) objects += "{\"a\":";
    r = co_await c.put("/v1/txn", objects);
    BOOST_TEST(r.body == decode_failed + "invalid character '{' exceeded max depth");
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(endpoint_limits)

std::string txn_set(const std::string& key, const std::string& value) {
  return R"({"KV":{"Verb":"set","Key":")" + key + R"(","Value":")" + core::base64_encode(value) + "\"}}";
}

// A txn body of n small sets, keys k0 ... k(n-1).
std::string many_sets(int n) {
  std::string ops = "[";
  for (int i = 0; i < n; ++i) {
    if (i) ops += ',';
    std::string key = "k";
    key += std::to_string(i);  // not "k" + ...: gcc 12 warns (-Wrestrict) falsely about that
    ops += txn_set(key, "v");
  }
  return ops + "]";
}

BOOST_AUTO_TEST_CASE(txn_refuses_what_put_kv_refuses_and_is_bounded) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    // A 600 KiB value: PUT /v1/kv refuses it; a txn used to store it.
    std::string big(600 * 1024, 'x');
    auto r = co_await c.put("/v1/kv/big", big);
    BOOST_TEST(r.status == 413u);
    std::string body = "[" + txn_set("big", big) + "]";
    r = co_await c.put("/v1/txn", body);
    BOOST_TEST(r.status == 413u);
    BOOST_TEST(r.body == "Request body(" + std::to_string(body.size()) +
                             " bytes) too large, max size: 524288 bytes. See "
                             "https://www.consul.io/docs/agent/config/config-files#txn_max_req_len.");
    r = co_await c.get("/v1/kv/big");
    BOOST_TEST(r.status == 404u);
    // Operations: Consul's 128, not the docs' 64.
    r = co_await c.put("/v1/txn", many_sets(129));
    BOOST_TEST(r.status == 413u);
    BOOST_TEST(r.body == "Transaction contains too many operations (129 > 128)");
    r = co_await c.get("/v1/kv/k0");
    BOOST_TEST(r.status == 404u);
    r = co_await c.put("/v1/txn", many_sets(128));
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.json().at("Results").as_array().size() == 128u);
  }());
}

BOOST_AUTO_TEST_CASE(event_payloads_are_bounded_by_serfs_512_bytes) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.put("/v1/event/fire/deploy", std::string(1024 * 1024, 'p'));
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "user event exceeds configured limit of 512 bytes before encoding");
    r = co_await c.put("/v1/event/fire/" + std::string(600, 'n'));
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "user event exceeds configured limit of 512 bytes before encoding");
    r = co_await c.put("/v1/event/fire/deploy", std::string(100, 'p'));
    BOOST_TEST(r.status == 200u);
    r = co_await c.get("/v1/event/list");
    BOOST_TEST(r.json().as_array().size() == 1u);  // only the one that fit was kept
    BOOST_TEST(r.json().at(0).at("Payload").as_string() == core::base64_encode(std::string(100, 'p')));
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(agent_log)

BOOST_AUTO_TEST_CASE(control_characters_in_echoed_text_cannot_forge_a_line) {
  dev_agent_options o = agent_test_options();
  o.level = dev_agent_options::log_level::info;
  std::vector<std::string> lines;
  o.log_sink = [&](std::string_view line) { lines.emplace_back(line); };
  agent_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    json::object body;
    body["ID"] = "web\n2026-01-01T00:00:00.000Z [ERROR] agent: forged\x1b[2J";
    body["Name"] = "web\x1b[31m";
    auto r = co_await c.put("/v1/agent/service/register", json::serialize(body));
    BOOST_TEST(r.status == 200u);
  }());
  std::vector<std::string> synced;
  for (const auto& l : lines) {
    BOOST_TEST(l.find_first_of("\n\r\x1b") == std::string::npos, "a raw control character in: " << l);
    if (l.find("Synced service") != std::string::npos) synced.push_back(l);
  }
  BOOST_TEST_REQUIRE(synced.size() == 1u);
  BOOST_TEST(synced[0].find("service=web\\x0a2026-01-01T00:00:00.000Z [ERROR] agent: forged\\x1b[2J") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
