// The JSON rules: exact encoding (only fields Consul knows, unset ones left out), tolerant
// decoding (unknown fields, nulls, either case, durations as strings or nanoseconds), exact
// 64-bit numbers, and errors that name the field. Over 500 lines: one rule set, one case each.
#include <boost/test/unit_test.hpp>

#include "sample_files.hpp"

#include <coconsul/duration.hpp>
#include <coconsul/json.hpp>
#include <coconsul/model/agent.hpp>
#include <coconsul/model/catalog.hpp>
#include <coconsul/model/check.hpp>
#include <coconsul/model/event.hpp>
#include <coconsul/model/health.hpp>
#include <coconsul/model/kv.hpp>
#include <coconsul/model/service.hpp>
#include <coconsul/model/session.hpp>
#include <coconsul/model/txn.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <limits>
#include <set>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using coconsul::decode_json;
using coconsul::encode_json;
using coconsul::encode_mode;
namespace json = boost::json;

namespace {

using strings = std::vector<std::string>;
using services_by_id = std::map<std::string, coconsul::agent_service>;

// A check with every member set, so that every field must appear in the encoding.
coconsul::service_check full_check() {
  return {
      .check_id = "web-http",
      .name = "web over HTTP",
      .notes = "GET /health",
      .status = "passing",
      .http = "https://127.0.0.1:8080/health",
      .header = {{"Authorization", {"Bearer x"}}, {"X-Two", {"a", "b"}}},
      .method = "HEAD",
      .body = "{}",
      .disable_redirects = true,
      .tls_server_name = "web.internal",
      .tls_skip_verify = true,
      .tcp = "127.0.0.1:8080",
      .udp = "127.0.0.1:8081",
      .grpc = "127.0.0.1:8082/health",
      .grpc_use_tls = true,
      .h2ping = "127.0.0.1:8083",
      .h2ping_use_tls = true,
      .args = {"/bin/check", "--quick"},
      .docker_container_id = "f972c95ebf0e",
      .shell = "/bin/sh",
      .alias_node = "node-1",
      .alias_service = "db",
      .ttl = 30s,
      .interval = 10s,
      .timeout = 2500ms,
      .deregister_critical_service_after = 90min,
      .success_before_passing = 2,
      .failures_before_warning = 1,
      .failures_before_critical = 3,
  };
}

coconsul::service_registration full_registration() {
  return {
      .kind = "connect-proxy",
      .id = "web-1",
      .name = "web",
      .tags = {"v1", "primary"},
      .port = 8080,
      .address = "10.0.0.5",
      .socket_path = "/run/web.sock",
      .tagged_addresses = {{"lan", {.address = "10.0.0.5", .port = 8080}},
                           {"wan", {.address = "198.51.100.5", .port = 80}}},
      .enable_tag_override = true,
      .meta = {{"version", "1.2.3"}},
      .weights = coconsul::weights{.passing = 10, .warning = 2},
      .check = full_check(),
      .checks = {full_check(), coconsul::service_check{.ttl = 15s}},
      .namespace_name = "team-a",
      .partition = "part-b",
  };
}

// The keys Consul's agent accepts in a service registration and in a check definition
// (api/agent.go AgentServiceRegistration and AgentServiceCheck, SEMANTICS.md 4.1; UDP and
// DisableRedirects are agent CheckType fields, shown in the check registration docs sample).
const std::set<std::string> registration_keys = {
    "Kind", "ID", "Name", "Tags", "Port", "Address", "SocketPath", "TaggedAddresses",
    "EnableTagOverride", "Meta", "Weights", "Check", "Checks", "Proxy", "Connect",
    "Namespace", "Partition"};
const std::set<std::string> check_keys = {
    "CheckID", "Name", "Args", "ScriptArgs", "DockerContainerID", "Shell", "Interval",
    "Timeout", "TTL", "HTTP", "Header", "Method", "Body", "TCP", "UDP", "Status", "Notes",
    "TLSServerName", "TLSSkipVerify", "GRPC", "GRPCUseTLS", "H2PING", "H2PingUseTLS",
    "AliasNode", "AliasService", "SuccessBeforePassing", "FailuresBeforeWarning",
    "FailuresBeforeCritical", "DeregisterCriticalServiceAfter", "DisableRedirects"};

std::set<std::string> keys_of(const json::object& o) {
  std::set<std::string> keys;
  for (const auto& e : o) keys.insert(std::string(e.key()));
  return keys;
}

// Go's omitempty zero values: what an exact encoder leaves out.
bool is_zero(const json::value& v) {
  return v.is_null() || (v.is_bool() && !v.get_bool()) || (v.is_string() && v.get_string().empty()) ||
         (v.is_int64() && v.get_int64() == 0) || (v.is_array() && v.get_array().empty()) ||
         (v.is_object() && v.get_object().empty());
}

// Durations in Go's canonical form ("90m" -> "1h30m0s"), to compare documents by meaning.
void canonical_durations(json::value& v) {
  static const std::set<std::string> duration_keys = {"Interval", "Timeout", "TTL",
                                                      "DeregisterCriticalServiceAfter"};
  if (v.is_array()) {
    for (auto& e : v.get_array()) canonical_durations(e);
  } else if (v.is_object()) {
    for (auto& e : v.get_object()) {
      if (duration_keys.count(std::string(e.key())) && e.value().is_string())
        e.value() = coconsul::format_duration(coconsul::parse_duration(e.value().get_string()));
      else
        canonical_durations(e.value());
    }
  }
}

template <class T>
std::string why_not(std::string_view body) {
  T out{};
  coconsul::diagnostics diag;
  const auto ec = decode_json(body, out, diag);
  BOOST_TEST((ec == coconsul::errc::decode_error));
  return diag.message;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(encoding)

BOOST_AUTO_TEST_CASE(unset_fields_are_left_out) {
  BOOST_TEST(encode_json(coconsul::service_registration{.name = "web"}) == R"({"Name":"web"})");
  const coconsul::service_registration r{
      .name = "web",
      .port = 8080,
      .check = coconsul::service_check{.http = "http://127.0.0.1:8080/health",
                                       .interval = 10s,
                                       .deregister_critical_service_after = 90s},
  };
  BOOST_TEST(encode_json(r) ==
             R"({"Name":"web","Port":8080,"Check":{"HTTP":"http://127.0.0.1:8080/health",)"
             R"("Interval":"10s","DeregisterCriticalServiceAfter":"1m30s"}})");
  // An engaged optional is sent even when empty: no node checks at all, not Consul's default.
  const coconsul::session_create_request s{.ttl = 10s, .node_checks = strings{}};
  BOOST_TEST(encode_json(s) == R"({"TTL":"10s","NodeChecks":[]})");
  BOOST_TEST(encode_json(coconsul::session_create_request{}) == "{}");
}

BOOST_AUTO_TEST_CASE(only_fields_consul_knows_and_all_of_ours) {
  const auto encoded = json::parse(encode_json(full_registration())).as_object();
  const auto keys = keys_of(encoded);
  for (const auto& k : keys) BOOST_TEST(registration_keys.count(k) == 1u, k);
  // Every member was set, so every member has a key: none is silently dropped.
  BOOST_TEST(keys.size() == 15u);
  for (const auto* check : {&encoded.at("Check"), &encoded.at("Checks").as_array()[0]}) {
    const auto check_fields = keys_of(check->as_object());
    for (const auto& k : check_fields) BOOST_TEST(check_keys.count(k) == 1u, k);
    BOOST_TEST(check_fields.size() == 29u);
  }
  BOOST_TEST(encoded.at("Checks").as_array()[1] == json::parse(R"({"TTL":"15s"})"));
  BOOST_TEST(encoded.at("TaggedAddresses") ==
             json::parse(R"({"lan":{"Address":"10.0.0.5","Port":8080},)"
                         R"("wan":{"Address":"198.51.100.5","Port":80}})"));
}

BOOST_AUTO_TEST_CASE(documented_registration_encodes_as_documented) {
  const std::string body = model_test::sample("agent_service_register_request.json");
  const auto ours = json::parse(encode_json(decode_json<coconsul::service_registration>(body)));
  auto docs = json::parse(body);
  canonical_durations(docs);
  // Same keys and values, except the zero values that omitempty leaves out.
  json::object expected;
  for (const auto& e : docs.as_object())
    if (!is_zero(e.value())) expected[e.key()] = e.value();
  BOOST_TEST(ours == json::value(expected), json::serialize(ours) << " vs " << json::serialize(expected));
}

BOOST_AUTO_TEST_CASE(durations_are_go_strings) {
  const coconsul::service_check c{.ttl = 1500ms, .interval = 1s, .timeout = 250ms,
                                  .deregister_critical_service_after = 1h + 2min};
  BOOST_TEST(encode_json(c) ==
             R"({"TTL":"1.5s","Interval":"1s","Timeout":"250ms","DeregisterCriticalServiceAfter":"1h2m0s"})");
}

BOOST_AUTO_TEST_CASE(all_fields_mode_writes_what_consul_responses_contain) {
  const auto v = json::parse(encode_json(coconsul::agent_service{.id = "a", .service = "a"},
                                         encode_mode::all_fields));
  BOOST_TEST(v.at("Tags") == json::array());
  BOOST_TEST(v.at("Meta") == json::object());
  BOOST_TEST(v.at("Address") == "");
  BOOST_TEST(v.at("Weights") == json::parse(R"({"Passing":1,"Warning":1})"));
  BOOST_TEST(v.at("EnableTagOverride") == false);
  // Session.LockDelay is integer nanoseconds in Consul's answers; TTL stays a string.
  const auto s = json::parse(encode_json(coconsul::session{.lock_delay = 15s, .ttl = 30s},
                                         encode_mode::all_fields));
  BOOST_TEST(s.at("LockDelay") == 15000000000);
  BOOST_TEST(s.at("TTL") == "30s");
  // An empty KV value is null, as Go writes an empty []byte.
  const auto kv = json::parse(encode_json(coconsul::kv_pair{.key = "k"}, encode_mode::all_fields));
  BOOST_TEST(kv.at("Value").is_null());
}

BOOST_AUTO_TEST_CASE(what_we_encode_decodes_to_the_same_value) {
  for (auto mode : {encode_mode::omit_empty, encode_mode::all_fields}) {
    const auto r = full_registration();
    BOOST_TEST((decode_json<coconsul::service_registration>(encode_json(r, mode)) == r));

    const std::vector<coconsul::service_entry> entries = {{
        .node = {.id = "n1", .node = "node-1", .address = "10.0.0.1", .datacenter = "dc1",
                 .tagged_addresses = {{"lan", "10.0.0.1"}}, .meta = {{"rack", "r1"}},
                 .create_index = 5, .modify_index = 6},
        .service = {.id = "web-1", .service = "web", .tags = {"v1"}, .port = 8080,
                    .tagged_addresses = {{"lan", {.address = "10.0.0.1", .port = 8080}}},
                    .weights = {.passing = 3, .warning = 1}, .create_index = 7,
                    .modify_index = 8},
        .checks = {{.node = "node-1", .check_id = "serfHealth", .status = "passing"},
                   {.check_id = "service:web-1", .status = "critical", .output = "refused",
                    .service_id = "web-1", .service_tags = {"v1"}, .type = "http",
                    .definition = {.http = "http://10.0.0.1:8080/", .interval = 10s}}},
    }};
    BOOST_TEST((decode_json<std::vector<coconsul::service_entry>>(encode_json(entries, mode)) ==
                entries));

    const coconsul::session s{.id = "s1", .name = "lock", .lock_delay = 15s, .behavior = "delete",
                              .ttl = 20s, .node_checks = {"serfHealth"},
                              .service_checks = {{.id = "web-1"}}, .create_index = 9};
    BOOST_TEST((decode_json<coconsul::session>(encode_json(s, mode)) == s));

    const coconsul::session_create_request c{.name = "lock", .lock_delay = 1s, .ttl = 10s,
                                             .node_checks = strings{}};
    BOOST_TEST((decode_json<coconsul::session_create_request>(encode_json(c, mode)) == c));

    const coconsul::user_event e{.id = "e", .name = "deploy", .payload = std::string("\0\x01\xff", 3),
                                 .version = 1, .ltime = 42};
    BOOST_TEST((decode_json<coconsul::user_event>(encode_json(e, mode)) == e));

    const std::vector<coconsul::txn_op> ops = {
        {.kv = coconsul::txn_kv_op{.verb = "cas", .key = "a/b", .value = "v", .flags = 7, .index = 12}},
        {.kv = coconsul::txn_kv_op{.verb = "get", .key = "a/c"}}};
    BOOST_TEST((decode_json<std::vector<coconsul::txn_op>>(encode_json(ops, mode)) == ops));
  }
}

BOOST_AUTO_TEST_CASE(kv_values_are_base64_bytes) {
  BOOST_TEST(encode_json(coconsul::kv_pair{.key = "zip", .value = "test"}) ==
             R"({"Key":"zip","Value":"dGVzdA=="})");
  // Every length modulo 3, and bytes that are not text.
  std::string bytes;
  for (int n = 0; n < 8; ++n) {
    const coconsul::kv_pair p{.key = "k", .value = bytes};
    BOOST_TEST((decode_json<coconsul::kv_pair>(encode_json(p)) == p), "length " << n);
    bytes += static_cast<char>(n == 2 ? 0 : 0xf0 + n);
  }
  // Read leniently, as Go's decoder does: line breaks skipped, missing padding accepted.
  BOOST_TEST(decode_json<coconsul::kv_pair>(R"({"Key":"k","Value":"dGVz\r\ndA"})").value == "test");
  BOOST_TEST(decode_json<coconsul::kv_pair>(R"({"Key":"k","Value":null})").value.empty());
}

BOOST_AUTO_TEST_CASE(a_kv_transaction_encodes_exactly) {
  const std::vector<coconsul::txn_op> ops = {
      {.kv = coconsul::txn_kv_op{.verb = "set", .key = "cfg/a", .value = "1", .flags = 42}},
      {.kv = coconsul::txn_kv_op{.verb = "check-index", .key = "cfg/b", .index = 7}}};
  BOOST_TEST(encode_json(ops) ==
             R"([{"KV":{"Verb":"set","Key":"cfg/a","Value":"MQ==","Flags":42}},)"
             R"({"KV":{"Verb":"check-index","Key":"cfg/b","Index":7}}])");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(decoding)

BOOST_AUTO_TEST_CASE(unknown_fields_are_ignored) {
  const auto s = decode_json<coconsul::agent_service>(R"({
    "ID": "web", "Service": "web", "Port": 80,
    "Proxy": {"Upstreams": [{"DestinationName": "db", "Config": {"deep": [1, {"x": null}]}}]},
    "Connect": null, "SomethingNewer": [1, 2, 3], "PeerName": "p"
  })");
  BOOST_TEST(s.id == "web");
  BOOST_TEST(s.port == 80);
}

BOOST_AUTO_TEST_CASE(nulls_read_as_empty_and_absent_fields_keep_defaults) {
  const auto s = decode_json<coconsul::agent_service>(R"({
    "ID": null, "Tags": null, "Meta": null, "TaggedAddresses": null, "Weights": null,
    "Port": null, "EnableTagOverride": null
  })");
  BOOST_TEST(s.id.empty());
  BOOST_TEST(s.tags.empty());
  BOOST_TEST(s.meta.empty());
  BOOST_TEST(s.tagged_addresses.empty());
  BOOST_TEST((s.weights == coconsul::weights{.passing = 1, .warning = 1}));  // Consul's default
  BOOST_TEST(s.port == 0);
  const auto r = decode_json<coconsul::service_registration>(R"({"Name":"x","Check":null,"Weights":null})");
  BOOST_TEST(!r.check.has_value());
  BOOST_TEST(!r.weights.has_value());
  BOOST_TEST(decode_json<std::vector<coconsul::kv_pair>>("null").empty());
}

BOOST_AUTO_TEST_CASE(keys_match_in_any_case_and_snake_case) {
  // Tagged addresses in the docs' lowercase, Consul's PascalCase, or anything between.
  const auto s = decode_json<coconsul::agent_service>(R"({"TaggedAddresses": {
    "lan": {"address": "10.0.0.1", "port": 1}, "wan": {"Address": "10.0.0.2", "Port": 2},
    "lan_ipv4": {"ADDRESS": "10.0.0.3", "pOrT": 3}}})");
  BOOST_TEST(s.tagged_addresses.at("lan").address == "10.0.0.1");
  BOOST_TEST(s.tagged_addresses.at("lan").port == 1);
  BOOST_TEST(s.tagged_addresses.at("wan").port == 2);
  BOOST_TEST(s.tagged_addresses.at("lan_ipv4").address == "10.0.0.3");
  // What python-consul and Consul's own snake_case aliases look like.
  const auto r = decode_json<coconsul::service_registration>(R"({"name": "web", "id": "web-1",
    "check": {"http": "http://x/", "interval": "10s", "tls_skip_verify": true,
              "deregister_critical_service_after": "1m"}})");
  BOOST_TEST(r.name == "web");
  BOOST_TEST(r.id == "web-1");
  BOOST_TEST_REQUIRE(r.check.has_value());
  BOOST_TEST(r.check->http == "http://x/");
  BOOST_TEST(r.check->tls_skip_verify);
  BOOST_TEST((r.check->deregister_critical_service_after == 1min));
  // An exact match wins over a looser one, in either order.
  for (const char* body : {R"({"address": "loose", "Address": "exact"})",
                           R"({"Address": "exact", "address": "loose"})"})
    BOOST_TEST(decode_json<coconsul::service_address>(body).address == "exact", body);
}

BOOST_AUTO_TEST_CASE(durations_are_go_strings_or_nanoseconds) {
  const auto c = decode_json<coconsul::service_check>(
      R"({"Interval": 10000000000, "Timeout": "1m30s", "TTL": "1.5s", "DeregisterCriticalServiceAfter": 0})");
  BOOST_TEST((c.interval == 10s));
  BOOST_TEST((c.timeout == 90s));
  BOOST_TEST((c.ttl == 1500ms));
  BOOST_TEST(c.deregister_critical_service_after.count() == 0);
  const auto s = decode_json<coconsul::session>(R"({"LockDelay": "15s", "TTL": 30000000000})");
  BOOST_TEST((s.lock_delay == 15s));
  BOOST_TEST((s.ttl == 30s));
}

BOOST_AUTO_TEST_CASE(an_empty_duration_string_is_zero) {
  // Consul's /v1/agent/checks writes a TTL check's unset Interval and Timeout as "".
  const auto c = decode_json<coconsul::agent_check>(R"({"CheckID": "ttl", "Interval": "", "Timeout": ""})");
  BOOST_TEST(c.interval.count() == 0);
  BOOST_TEST(c.timeout.count() == 0);
}

BOOST_AUTO_TEST_CASE(indexes_and_flags_keep_all_64_bits) {
  // 2^64-1 and 2^53+1: a double would lose both.
  const std::string body =
      R"([{"Key":"k","CreateIndex":9007199254740993,"ModifyIndex":18446744073709551615,)"
      R"("LockIndex":9223372036854775808,"Flags":18446744073709551614}])";
  const auto pairs = decode_json<std::vector<coconsul::kv_pair>>(body);
  BOOST_TEST_REQUIRE(pairs.size() == 1u);
  BOOST_TEST(pairs[0].create_index == 9007199254740993ull);
  BOOST_TEST(pairs[0].modify_index == 18446744073709551615ull);
  BOOST_TEST(pairs[0].lock_index == 9223372036854775808ull);
  BOOST_TEST(pairs[0].flags == 18446744073709551614ull);
  BOOST_TEST(encode_json(pairs) == body);
}

BOOST_AUTO_TEST_CASE(a_transaction_response_decodes) {
  const auto r = decode_json<coconsul::txn_response>(R"({
    "Results": [
      {"KV": {"LockIndex": 0, "Key": "cfg/a", "Flags": 42, "Value": null, "CreateIndex": 7, "ModifyIndex": 9}},
      {"Node": {"ID": "67539c9d", "Node": "bar", "Address": "192.168.0.1", "TaggedAddresses": null}},
      {"Check": {"Node": "bar", "CheckID": "service:web1", "Status": "critical",
                 "Definition": {"HTTP": "http://localhost:8080", "Interval": "10s"}, "ModifyIndex": 35}}
    ],
    "Errors": [{"OpIndex": 2, "What": "failed to lock key"}]
  })");
  BOOST_TEST_REQUIRE(r.results.size() == 3u);
  BOOST_TEST_REQUIRE(r.results[0].kv.has_value());
  BOOST_TEST(r.results[0].kv->flags == 42u);
  BOOST_TEST(r.results[0].kv->value.empty());
  BOOST_TEST(!r.results[0].node.has_value());
  BOOST_TEST_REQUIRE(r.results[1].node.has_value());
  BOOST_TEST(r.results[1].node->address == "192.168.0.1");
  BOOST_TEST_REQUIRE(r.results[2].check.has_value());
  BOOST_TEST((r.results[2].check->definition.interval == 10s));
  BOOST_TEST_REQUIRE(r.errors.size() == 1u);
  BOOST_TEST(r.errors[0].op_index == 2);
  BOOST_TEST(r.errors[0].what == "failed to lock key");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(errors)

BOOST_AUTO_TEST_CASE(a_wrong_type_names_the_field_path) {
  BOOST_TEST(why_not<std::vector<coconsul::service_entry>>(
                 R"([{}, {"Service": {"Port": 80}}, {"Service": {"ID": "x", "Port": "80"}}])") ==
             "decode error: [2].Service.Port: expected a number, got string");
  BOOST_TEST(why_not<services_by_id>(
                 R"({"web": {"Weights": {"Passing": true}}})") ==
             R"(decode error: ["web"].Weights.Passing: expected a number, got boolean)");
  BOOST_TEST(why_not<coconsul::service_registration>(R"({"Checks": [{"Header": {"A": "b"}}]})") ==
             R"(decode error: Checks[0].Header["A"]: expected an array, got string)");
  BOOST_TEST(why_not<std::vector<coconsul::kv_pair>>("{}") ==
             "decode error: expected an array, got object");
  BOOST_TEST(why_not<coconsul::agent_service>(R"({"Tags": "web"})") ==
             "decode error: Tags: expected an array, got string");
  BOOST_TEST(why_not<coconsul::health_check>(R"({"Status": 1})") ==
             "decode error: Status: expected a string, got number");
  BOOST_TEST(why_not<coconsul::agent_service>(R"({"EnableTagOverride": "true"})") ==
             "decode error: EnableTagOverride: expected true or false, got string");
}

// Found by fuzz_model_json: omit_empty left out a zero whose default is not zero, so
// weights{.warning = 0} went out as {"Passing":5} and came back (and reached Consul) as 1.
BOOST_AUTO_TEST_CASE(a_zero_is_left_out_only_where_it_is_the_default) {
  const coconsul::weights w{.passing = 5, .warning = 0};
  BOOST_TEST(coconsul::encode_json(w) == R"({"Passing":5,"Warning":0})");
  BOOST_TEST((decode_json<coconsul::weights>(coconsul::encode_json(w)) == w));
  coconsul::service_check c;  // zero defaults: still left out
  BOOST_TEST(coconsul::encode_json(c) == "{}");
}

// 9223372036854775807.0 is the double 2^63, one past int64: refused, not converted (the old
// bound, static_cast<double>(INT64_MAX), let it through to an undefined conversion).
BOOST_AUTO_TEST_CASE(numbers_past_int64_are_out_of_range_not_undefined) {
  const std::string range = "is out of range (0 to 9223372036854775807)";
  for (const char* n : {"9223372036854775807.0", "9.223372036854775808e18", "1e30", "1e300", "18446744073709551616.0"}) {
    BOOST_TEST_CONTEXT(n) {
      BOOST_TEST(why_not<coconsul::service_check>(std::string(R"({"Interval": )") + n + "}").rfind(
                     "decode error: Interval: invalid duration in nanoseconds: number ", 0) == 0u);
      BOOST_TEST(why_not<coconsul::service_check>(std::string(R"({"Timeout": )") + n + "}").find(range) !=
                 std::string::npos);
      BOOST_TEST(why_not<coconsul::member>(std::string(R"({"Status": )") + n + "}").find("is out of range") !=
                 std::string::npos);
      BOOST_TEST(why_not<coconsul::member>(std::string(R"({"Status": -)") + n + "}").find("is out of range") !=
                 std::string::npos);
    }
  }
  // The largest double below 2^63 still fits.
  auto c = decode_json<coconsul::service_check>(R"({"Interval": 9223372036854774784.0, "Timeout": 9223372036854775807})");
  BOOST_TEST(c.interval.count() == 9223372036854774784LL);
  BOOST_TEST(c.timeout.count() == std::numeric_limits<std::int64_t>::max());
}

// Durations as strings follow Go's time.ParseDuration: negative values, and its range.
BOOST_AUTO_TEST_CASE(duration_strings_follow_go) {
  auto c = decode_json<coconsul::service_check>(R"({"Interval": "-1s", "Timeout": "2562047h"})");
  BOOST_TEST(c.interval.count() == -1'000'000'000);
  BOOST_TEST(c.timeout.count() == 2562047LL * 3600 * 1'000'000'000);
  BOOST_TEST(why_not<coconsul::service_check>(R"({"Interval": "2562048h"})") ==
             "decode error: Interval: invalid duration: invalid duration \"2562048h\": overflows 64-bit nanoseconds");
  // They encode back as Go writes them.
  BOOST_TEST(coconsul::encode_json(c).find(R"("Interval":"-1s")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(numbers_out_of_range_and_bad_values_say_why) {
  BOOST_TEST(why_not<coconsul::member>(R"({"Port": 70000})") ==
             "decode error: Port: number 70000 is out of range (0 to 65535)");
  BOOST_TEST(why_not<coconsul::kv_pair>(R"({"ModifyIndex": -1})") ==
             "decode error: ModifyIndex: number -1 is out of range (0 to 18446744073709551615)");
  BOOST_TEST(why_not<coconsul::agent_service>(R"({"Port": 1.5})") ==
             "decode error: Port: expected an integer, got 1.5E0");
  BOOST_TEST(why_not<coconsul::service_check>(R"({"Interval": "10 seconds"})").rfind(
                 "decode error: Interval: invalid duration: ", 0) == 0u);
  BOOST_TEST(why_not<coconsul::service_check>(R"({"Interval": -5})") ==
             "decode error: Interval: invalid duration in nanoseconds: number -5 is out of range "
             "(0 to 9223372036854775807)");
  BOOST_TEST(why_not<std::vector<coconsul::kv_pair>>(R"([{"Value": "dGVz@A=="}])") ==
             "decode error: [0].Value: invalid base64: unexpected character at offset 4");
  BOOST_TEST(why_not<coconsul::kv_pair>(R"({"Value": "dGVzdA="})") ==
             "decode error: Value: invalid base64: wrong length or padding");
}

BOOST_AUTO_TEST_CASE(invalid_json_gives_the_offset) {
  BOOST_TEST(why_not<coconsul::kv_pair>("") ==
             "invalid JSON at offset 0 (line 1, column 1): empty body");
  BOOST_TEST(why_not<coconsul::kv_pair>("{\"Key\": \"a\",\n \"Flags\": 1 2}") ==
             "invalid JSON at offset 25 (line 2, column 13): syntax error");
  BOOST_TEST(why_not<coconsul::kv_pair>("{} x") ==
             "invalid JSON at offset 3 (line 1, column 4): unexpected characters after the JSON value");
  BOOST_TEST(why_not<std::vector<coconsul::kv_pair>>("[{\"Key\": \"a\"}") ==
             "invalid JSON at offset 13 (line 1, column 14): incomplete JSON");
}

BOOST_AUTO_TEST_CASE(a_failed_decode_leaves_the_target_unchanged) {
  coconsul::kv_pair out{.key = "before", .flags = 3};
  coconsul::diagnostics diag;
  const auto ec = decode_json(R"({"Key": "after", "Flags": "x"})", out, diag);
  BOOST_TEST((ec == coconsul::errc::decode_error));
  BOOST_TEST(out.key == "before");
  BOOST_TEST(out.flags == 3u);
  // and a good one clears the diagnostics
  BOOST_TEST(!decode_json(R"({"Key": "after"})", out, diag));
  BOOST_TEST(out.key == "after");
  BOOST_TEST(diag.message.empty());
}

BOOST_AUTO_TEST_CASE(the_throwing_form_throws_coconsul_error) {
  BOOST_CHECK_EXCEPTION(decode_json<coconsul::kv_pair>(R"({"Flags": "x"})"), coconsul::error,
                        [](const coconsul::error& e) {
                          return e.code() == coconsul::errc::decode_error &&
                                 e.message() == "decode error: Flags: expected a number, got string" &&
                                 std::string(e.what()).find("Flags: expected a number") != std::string::npos;
                        });
}

BOOST_AUTO_TEST_SUITE_END()
