// Every sample payload of Consul's documentation decodes into the model, with its real
// field values; the ones that are not valid JSON in the docs give a clear decode_error. Just
// over 500 lines: one case per sample file.
#define BOOST_TEST_MODULE model
#include <boost/test/unit_test.hpp>

#include "sample_files.hpp"

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
#include <boost/json/value.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using coconsul::decode_json;
using model_test::sample;

namespace {

using strings = std::vector<std::string>;

void check_session_sample(const std::string& body, const std::string& node) {
  auto sessions = decode_json<std::vector<coconsul::session>>(body);
  BOOST_TEST_REQUIRE(sessions.size() == 1u);
  const auto& s = sessions[0];
  BOOST_TEST(s.id == "adf4238a-882b-9ddc-4a9d-5b6758e4159e");
  BOOST_TEST(s.name == "test-session");
  BOOST_TEST(s.node == node);
  BOOST_TEST((s.lock_delay == 15s));  // sent as the integer 15000000000
  BOOST_TEST(s.behavior == "release");
  BOOST_TEST((s.ttl == 30s));
  BOOST_TEST((s.node_checks == strings{"serfHealth"}));
  BOOST_TEST(s.service_checks.empty());  // null
  BOOST_TEST(s.create_index == 1086449u);
  BOOST_TEST(s.modify_index == 1086449u);
}

// What each valid sample must decode to (a few fields each, chosen to exercise the rules).
const std::map<std::string, std::function<void(const std::string&)>>& valid_samples() {
  static const std::map<std::string, std::function<void(const std::string&)>> checks = {
      {"agent_check_register_request.json",
       [](const std::string& body) {
         auto c = decode_json<coconsul::check_registration>(body);
         BOOST_TEST(c.id == "mem");
         BOOST_TEST(c.name == "Memory utilization");
         BOOST_TEST(c.namespace_name == "default");
         BOOST_TEST(c.notes == "Ensure we don't oversubscribe memory");
         BOOST_TEST((c.deregister_critical_service_after == 90min));
         BOOST_TEST((c.args == strings{"/usr/local/bin/check_mem.py"}));
         BOOST_TEST(c.docker_container_id == "f972c95ebf0e");
         BOOST_TEST(c.shell == "/bin/bash");
         BOOST_TEST(c.http == "https://example.com");
         BOOST_TEST(c.method == "POST");
         BOOST_TEST((c.header.at("Content-Type") == strings{"application/json"}));
         BOOST_TEST(c.body == R"({"check":"mem"})");
         BOOST_TEST(c.disable_redirects);
         BOOST_TEST(c.tcp == "example.com:22");
         BOOST_TEST((c.interval == 10s));
         BOOST_TEST((c.timeout == 5s));
         BOOST_TEST(c.tls_skip_verify);
       }},
      {"agent_check_update_request.json",
       [](const std::string& body) {
         auto u = decode_json<coconsul::check_update>(body);
         BOOST_TEST(u.status == "passing");
         BOOST_TEST(u.output == "curl reported a failure:\n\n...");
       }},
      {"agent_health_service_id_critical_response.json",
       [](const std::string& body) {
         auto h = decode_json<coconsul::agent_service_health>(body);
         BOOST_TEST(h.aggregated_status == "critical");
         BOOST_TEST(h.service.id == "web2");
         BOOST_TEST(h.service.service == "web");
         BOOST_TEST(h.service.meta.empty());
         BOOST_TEST(h.service.tagged_addresses.at("wan").address == "198.51.100.54");
         BOOST_TEST(h.service.tagged_addresses.at("lan").port == 8000);
         BOOST_TEST(h.service.datacenter == "dc1");
         BOOST_TEST_REQUIRE(h.checks.size() == 1u);
         BOOST_TEST(h.checks[0].check_id == "service:web2");
         BOOST_TEST(h.checks[0].status == "critical");
         BOOST_TEST(h.checks[0].output.find("connection refused") != std::string::npos);
         BOOST_TEST(h.checks[0].definition.header.empty());  // null
         BOOST_TEST(h.checks[0].definition.interval.count() == 0);  // "0s"
       }},
      {"agent_health_service_id_passing_response.json",
       [](const std::string& body) {
         auto h = decode_json<coconsul::agent_service_health>(body);
         BOOST_TEST(h.aggregated_status == "passing");
         BOOST_TEST(h.service.id == "web1");
         BOOST_TEST((h.service.tags == strings{"rails"}));
         BOOST_TEST((h.service.weights == coconsul::weights{.passing = 1, .warning = 1}));
         BOOST_TEST(h.checks.empty());
       }},
      {"agent_health_service_name_response.json",
       [](const std::string& body) {
         auto list = decode_json<std::vector<coconsul::agent_service_health>>(body);
         BOOST_TEST_REQUIRE(list.size() == 2u);
         BOOST_TEST(list[0].aggregated_status == "passing");
         BOOST_TEST(list[1].service.tagged_addresses.at("wan").address == "198.51.100.54");
         BOOST_TEST_REQUIRE(list[1].checks.size() == 1u);
         BOOST_TEST(list[1].checks[0].node == "server1");
       }},
      {"agent_members_response.json",
       [](const std::string& body) {
         auto members = decode_json<std::vector<coconsul::member>>(body);
         BOOST_TEST_REQUIRE(members.size() == 1u);
         BOOST_TEST(members[0].name == "foobar");
         BOOST_TEST(members[0].addr == "10.1.10.12");
         BOOST_TEST(members[0].port == 8301);
         BOOST_TEST(members[0].tags.at("role") == "consul");
         BOOST_TEST(members[0].status == 1);
         BOOST_TEST(members[0].protocol_max == 2);
         BOOST_TEST(members[0].delegate_cur == 3);
       }},
      {"agent_service_config_response.json",
       [](const std::string& body) {
         auto s = decode_json<coconsul::agent_service>(body);
         BOOST_TEST(s.kind == "connect-proxy");
         BOOST_TEST(s.id == "web-sidecar-proxy");
         BOOST_TEST(s.tags.empty());  // null
         BOOST_TEST(s.meta.empty());  // null
         BOOST_TEST(s.port == 18080);
         // lowercase "address"/"port", as the docs show them
         BOOST_TEST(s.tagged_addresses.at("lan").address == "127.0.0.1");
         BOOST_TEST(s.tagged_addresses.at("lan").port == 8000);
         BOOST_TEST(s.content_hash == "4ecd29c7bc647ca8");
       }},
      {"agent_service_register_request.json",
       [](const std::string& body) {
         auto r = decode_json<coconsul::service_registration>(body);
         BOOST_TEST(r.id == "redis1");
         BOOST_TEST(r.name == "redis");
         BOOST_TEST((r.tags == strings{"primary", "v1"}));
         BOOST_TEST(r.address == "127.0.0.1");
         BOOST_TEST(r.port == 8000);
         BOOST_TEST(r.meta.at("redis_version") == "4.0");
         BOOST_TEST(!r.enable_tag_override);
         BOOST_TEST_REQUIRE(r.check.has_value());
         BOOST_TEST((r.check->deregister_critical_service_after == 90min));
         BOOST_TEST((r.check->args == strings{"/usr/local/bin/check_redis.py"}));
         BOOST_TEST((r.check->interval == 10s));
         BOOST_TEST((r.check->timeout == 5s));
         BOOST_TEST(r.checks.empty());
         BOOST_TEST_REQUIRE(r.weights.has_value());
         BOOST_TEST(r.weights->passing == 10);
         BOOST_TEST(r.weights->warning == 1);
       }},
      {"agent_services_response.json",
       [](const std::string& body) {
         auto services = decode_json<std::map<std::string, coconsul::agent_service>>(body);
         BOOST_TEST_REQUIRE(services.count("redis") == 1u);
         const auto& s = services.at("redis");
         BOOST_TEST(s.service == "redis");
         BOOST_TEST(s.tags.empty());
         BOOST_TEST(s.tagged_addresses.at("wan").address == "198.51.100.53");
         BOOST_TEST(s.tagged_addresses.at("wan").port == 80);
         BOOST_TEST(s.meta.at("redis_version") == "4.0");
         BOOST_TEST(s.namespace_name == "default");
         BOOST_TEST(s.port == 8000);
         BOOST_TEST(s.weights.passing == 10);
         BOOST_TEST(s.datacenter == "dc1");
       }},
      {"catalog_datacenters_response.json",
       [](const std::string& body) {
         BOOST_TEST((decode_json<strings>(body) == strings{"dc1", "dc2"}));
       }},
      {"catalog_deregister_request_check.json",
       [](const std::string& body) {
         auto d = decode_json<coconsul::catalog_deregistration>(body);
         BOOST_TEST(d.datacenter == "dc1");
         BOOST_TEST(d.node == "t2.320");
         BOOST_TEST(d.check_id == "service:redis1");
         BOOST_TEST(d.service_id.empty());
         BOOST_TEST(d.namespace_name == "team-1");
       }},
      {"catalog_deregister_request_node.json",
       [](const std::string& body) {
         auto d = decode_json<coconsul::catalog_deregistration>(body);
         BOOST_TEST(d.node == "t2.320");
         BOOST_TEST(d.check_id.empty());
         BOOST_TEST(d.service_id.empty());
       }},
      {"catalog_deregister_request_service.json",
       [](const std::string& body) {
         auto d = decode_json<coconsul::catalog_deregistration>(body);
         BOOST_TEST(d.service_id == "redis1");
         BOOST_TEST(d.namespace_name == "team-1");
       }},
      {"catalog_nodes_response.json",
       [](const std::string& body) {
         auto nodes = decode_json<std::vector<coconsul::node>>(body);
         BOOST_TEST_REQUIRE(nodes.size() == 2u);
         BOOST_TEST(nodes[0].id == "40e4a748-2192-161a-0510-9bf59fe950b5");
         BOOST_TEST(nodes[0].meta.at("instance_type") == "t2.medium");
         BOOST_TEST(nodes[1].node == "t2.320");
         BOOST_TEST(nodes[1].datacenter == "dc2");
         BOOST_TEST(nodes[1].tagged_addresses.at("wan") == "10.1.10.12");
       }},
      {"catalog_register_request.json",
       [](const std::string& body) {
         auto r = decode_json<coconsul::catalog_registration>(body);
         BOOST_TEST(r.node == "t2.320");
         BOOST_TEST(r.address == "192.168.10.10");
         BOOST_TEST(r.tagged_addresses.at("wan") == "10.0.10.10");
         BOOST_TEST(r.node_meta.at("somekey") == "somevalue");
         BOOST_TEST_REQUIRE(r.service.has_value());
         BOOST_TEST(r.service->service == "redis");
         BOOST_TEST(r.service->tagged_addresses.at("wan").address == "198.18.0.1");
         BOOST_TEST_REQUIRE(r.check.has_value());
         BOOST_TEST(r.check->check_id == "service:redis1");
         BOOST_TEST(r.check->definition.tcp == "localhost:8888");
         BOOST_TEST((r.check->definition.interval == 5s));
         BOOST_TEST((r.check->definition.deregister_critical_service_after == 30s));
         BOOST_TEST(!r.skip_node_update);
       }},
      {"catalog_service_response.json",
       [](const std::string& body) {
         auto rows = decode_json<std::vector<coconsul::catalog_service>>(body);
         BOOST_TEST_REQUIRE(rows.size() == 1u);
         const auto& r = rows[0];
         BOOST_TEST(r.node == "t2.320");
         BOOST_TEST(r.node_meta.at("somekey") == "somevalue");
         BOOST_TEST(r.create_index == 51u);
         BOOST_TEST(r.service_address == "172.17.0.3");
         BOOST_TEST(r.service_id == "32a2a47f7992:nodea:5000");
         BOOST_TEST(r.service_name == "web");
         BOOST_TEST(r.service_port == 5000);
         BOOST_TEST(r.service_meta.at("web_meta_value") == "baz");
         BOOST_TEST(r.service_tagged_addresses.at("wan").port == 512);
         BOOST_TEST((r.service_tags == strings{"prod"}));
       }},
      {"catalog_services_response.json",
       [](const std::string& body) {
         auto services = decode_json<std::map<std::string, strings>>(body);
         BOOST_TEST(services.size() == 3u);
         BOOST_TEST(services.at("consul").empty());
         BOOST_TEST((services.at("postgresql") == strings{"primary", "secondary"}));
       }},
      {"event_fire_response.json",
       [](const std::string& body) {
         auto e = decode_json<coconsul::user_event>(body);
         BOOST_TEST(e.id == "b54fe110-7af5-cafc-d1fb-afc8ba432b1c");
         BOOST_TEST(e.name == "deploy");
         BOOST_TEST(e.payload.empty());  // null
         BOOST_TEST(e.version == 1);
         BOOST_TEST(e.ltime == 0u);
       }},
      {"event_list_response.json",
       [](const std::string& body) {
         auto events = decode_json<std::vector<coconsul::user_event>>(body);
         BOOST_TEST_REQUIRE(events.size() == 1u);
         BOOST_TEST(events[0].payload == "1609030");  // "MTYwOTAzMA==" decoded
         BOOST_TEST(events[0].ltime == 19u);
       }},
      {"health_checks_response.json",
       [](const std::string& body) {
         auto checks = decode_json<std::vector<coconsul::health_check>>(body);
         BOOST_TEST_REQUIRE(checks.size() == 1u);
         BOOST_TEST(checks[0].check_id == "service:redis");
         BOOST_TEST(checks[0].status == "passing");
         BOOST_TEST((checks[0].service_tags == strings{"primary"}));
       }},
      {"health_node_response.json",
       [](const std::string& body) {
         auto checks = decode_json<std::vector<coconsul::health_check>>(body);
         BOOST_TEST_REQUIRE(checks.size() == 2u);
         BOOST_TEST(checks[0].check_id == "serfHealth");
         BOOST_TEST(checks[0].service_id.empty());
         BOOST_TEST(checks[1].service_name == "redis");
         BOOST_TEST(checks[1].namespace_name == "foo");
       }},
      {"health_service_response.json",
       [](const std::string& body) {
         auto entries = decode_json<std::vector<coconsul::service_entry>>(body);
         BOOST_TEST_REQUIRE(entries.size() == 1u);
         const auto& e = entries[0];
         BOOST_TEST(e.node.node == "foobar");
         BOOST_TEST(e.node.address == "10.1.10.12");
         BOOST_TEST(e.node.tagged_addresses.at("lan") == "10.1.10.12");
         BOOST_TEST(e.service.id == "redis");
         BOOST_TEST(e.service.address == "10.1.10.12");
         BOOST_TEST(e.service.port == 8000);
         BOOST_TEST(e.service.tagged_addresses.at("wan").address == "198.18.1.2");
         BOOST_TEST(e.service.weights.passing == 10);
         BOOST_TEST_REQUIRE(e.checks.size() == 2u);
         BOOST_TEST(e.checks[0].service_id == "redis");
         BOOST_TEST(e.checks[1].check_id == "serfHealth");
       }},
      {"health_state_response.json",
       [](const std::string& body) {
         auto checks = decode_json<std::vector<coconsul::health_check>>(body);
         BOOST_TEST_REQUIRE(checks.size() == 2u);
         BOOST_TEST(checks[0].name == "Serf Health Status");
         BOOST_TEST(checks[1].check_id == "service:redis");
       }},
      {"kv_delete_response.json",
       [](const std::string& body) { BOOST_TEST(decode_json<bool>(body)); }},
      {"kv_get_response.json",
       [](const std::string& body) {
         auto pairs = decode_json<std::vector<coconsul::kv_pair>>(body);
         BOOST_TEST_REQUIRE(pairs.size() == 1u);
         BOOST_TEST(pairs[0].key == "zip");
         BOOST_TEST(pairs[0].value == "test");  // "dGVzdA==" decoded
         BOOST_TEST(pairs[0].create_index == 100u);
         BOOST_TEST(pairs[0].modify_index == 200u);
         BOOST_TEST(pairs[0].lock_index == 200u);
         BOOST_TEST(pairs[0].flags == 0u);
         BOOST_TEST(pairs[0].session == "adf4238a-882b-9ddc-4a9d-5b6758e4159e");
       }},
      {"kv_keys_response.json",
       [](const std::string& body) {
         BOOST_TEST((decode_json<strings>(body) == strings{"/web/bar", "/web/foo", "/web/subdir/"}));
       }},
      {"kv_put_response.json", [](const std::string& body) { BOOST_TEST(decode_json<bool>(body)); }},
      {"session_create_request.json",
       [](const std::string& body) {
         auto r = decode_json<coconsul::session_create_request>(body);
         BOOST_TEST((r.lock_delay == 15s));
         BOOST_TEST(r.name == "my-service-lock");
         BOOST_TEST(r.node == "foobar");
         BOOST_TEST_REQUIRE(r.checks.has_value());
         BOOST_TEST((*r.checks == strings{"a", "b", "c"}));
         BOOST_TEST(!r.node_checks.has_value());
         BOOST_TEST(r.behavior == "release");
         BOOST_TEST((r.ttl == 30s));
       }},
      {"session_create_response.json",
       [](const std::string& body) {
         BOOST_TEST(decode_json<coconsul::session_create_response>(body).id ==
                    "adf4238a-882b-9ddc-4a9d-5b6758e4159e");
       }},
      {"session_destroy_response.json",
       [](const std::string& body) { BOOST_TEST(decode_json<bool>(body)); }},
      {"session_info_response.json",
       [](const std::string& body) { check_session_sample(body, "raja-laptop-02"); }},
      {"session_list_response.json",
       [](const std::string& body) { check_session_sample(body, "raja-laptop-02"); }},
      {"session_node_response.json",
       [](const std::string& body) { check_session_sample(body, "node-abcd1234"); }},
      {"session_renew_response.json",
       [](const std::string& body) { check_session_sample(body, "raja-laptop-02"); }},
      {"status_leader_response.json",
       [](const std::string& body) { BOOST_TEST(decode_json<std::string>(body) == "10.1.10.12:8300"); }},
      {"status_peers_response.json",
       [](const std::string& body) {
         BOOST_TEST((decode_json<strings>(body) ==
                     strings{"10.1.10.12:8300", "10.1.10.11:8300", "10.1.10.10:8300"}));
       }},
  };
  return checks;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(samples)

BOOST_AUTO_TEST_CASE(every_sample_file_is_checked) {
  const auto invalid = model_test::invalid_samples();
  BOOST_TEST(invalid.size() == 4u);  // agent_checks, agent_self, txn_request, txn_response
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(model_test::samples_dir())) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    const std::string name = entry.path().filename().string();
    BOOST_TEST_CONTEXT(name) {
      BOOST_TEST((valid_samples().count(name) + invalid.count(name) == 1u));
    }
  }
  BOOST_TEST(files == valid_samples().size() + invalid.size());
}

BOOST_AUTO_TEST_CASE(valid_samples_decode_with_their_values) {
  for (const auto& [name, check] : valid_samples()) {
    BOOST_TEST_CONTEXT(name) {
      try {
        check(sample(name));
      } catch (const std::exception& e) {
        BOOST_ERROR("decoding threw: " << e.what());
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(invalid_samples_give_a_clear_decode_error) {
  // Each is decoded as the type its endpoint returns; the parser stops where the docs err.
  struct expectation {
    std::function<coconsul::error_code(const std::string&, coconsul::diagnostics&)> decode;
    std::string where;
  };
  const std::map<std::string, expectation> expected = {
      {"agent_checks_response.json",  // the missing comma after "Timeout": "1s"
       {[](const std::string& b, coconsul::diagnostics& d) {
          std::map<std::string, coconsul::agent_check> out;
          return decode_json(b, out, d);
        },
        "(line 14, column 5)"}},
      {"agent_self_response.json",  // "... full runtime configuration ..."
       {[](const std::string& b, coconsul::diagnostics& d) {
          coconsul::agent_self out;
          return decode_json(b, out, d);
        },
        "(line 11, column 5)"}},
      {"txn_request.json",  // "Flags": <flags>
       {[](const std::string& b, coconsul::diagnostics& d) {
          std::vector<coconsul::txn_op> out;
          return decode_json(b, out, d);
        },
        "(line 7, column 16)"}},
      {"txn_response.json",  // "LockIndex": <lock index>
       {[](const std::string& b, coconsul::diagnostics& d) {
          coconsul::txn_response out;
          return decode_json(b, out, d);
        },
        "(line 5, column 22)"}},
  };
  for (const auto& name : model_test::invalid_samples()) {
    BOOST_TEST_CONTEXT(name) {
      BOOST_TEST_REQUIRE(expected.count(name) == 1u);
      coconsul::diagnostics diag;
      const auto ec = expected.at(name).decode(sample(name), diag);
      BOOST_TEST((ec == coconsul::errc::decode_error));
      BOOST_TEST(diag.message.rfind("invalid JSON at offset ", 0) == 0u, diag.message);
      BOOST_TEST(diag.message.find(expected.at(name).where) != std::string::npos, diag.message);
      BOOST_TEST(diag.message.find("syntax error") != std::string::npos, diag.message);
    }
  }
}

// What the dev agent relies on: a documented answer, decoded and written back with
// encode_mode::all_fields, still has every field the docs show (values may be reformatted,
// e.g. durations). Only the Connect proxy settings are not modelled.
template <class T>
std::string reencode(const std::string& body) {
  return coconsul::encode_json(decode_json<T>(body), coconsul::encode_mode::all_fields);
}

void collect_missing(const boost::json::value& docs, const boost::json::value& ours,
                     const std::string& path, std::vector<std::string>& missing) {
  static const std::set<std::string> unmodelled = {"Proxy", "Connect", "ServiceProxy",
                                                   "ServiceConnect"};
  if (docs.is_object() && ours.is_object()) {
    for (const auto& e : docs.get_object()) {
      std::string key(e.key());
      if (unmodelled.count(key)) continue;
      // The docs write TaggedAddresses entries as "address"/"port"; agents write
      // "Address"/"Port" (SEMANTICS.md 4.3), and so do we.
      if (path.find("TaggedAddresses") != std::string::npos && (key == "address" || key == "port"))
        key[0] = static_cast<char>(key[0] - 'a' + 'A');
      if (!ours.get_object().contains(key)) missing.push_back(path + "." + key);
      else collect_missing(e.value(), ours.get_object().at(key), path + "." + key, missing);
    }
  } else if (docs.is_array() && ours.is_array()) {
    const auto n = std::min(docs.get_array().size(), ours.get_array().size());
    for (std::size_t i = 0; i < n; ++i)
      collect_missing(docs.get_array()[i], ours.get_array()[i], path + "[" + std::to_string(i) + "]",
                      missing);
  }
}

BOOST_AUTO_TEST_CASE(answers_reencode_with_every_documented_field) {
  using coconsul::agent_service;
  const std::map<std::string, std::function<std::string(const std::string&)>> answers = {
      {"agent_health_service_name_response.json", reencode<std::vector<coconsul::agent_service_health>>},
      {"agent_members_response.json", reencode<std::vector<coconsul::member>>},
      {"agent_service_config_response.json", reencode<agent_service>},
      {"agent_services_response.json", reencode<std::map<std::string, agent_service>>},
      {"catalog_nodes_response.json", reencode<std::vector<coconsul::node>>},
      {"catalog_service_response.json", reencode<std::vector<coconsul::catalog_service>>},
      {"event_list_response.json", reencode<std::vector<coconsul::user_event>>},
      {"health_checks_response.json", reencode<std::vector<coconsul::health_check>>},
      {"health_service_response.json", reencode<std::vector<coconsul::service_entry>>},
      {"health_state_response.json", reencode<std::vector<coconsul::health_check>>},
      {"kv_get_response.json", reencode<std::vector<coconsul::kv_pair>>},
      {"session_info_response.json", reencode<std::vector<coconsul::session>>},
  };
  for (const auto& [name, encode] : answers) {
    BOOST_TEST_CONTEXT(name) {
      const std::string body = sample(name);
      std::vector<std::string> missing;
      collect_missing(boost::json::parse(body), boost::json::parse(encode(body)), "", missing);
      BOOST_TEST(missing.empty(), "missing: " << (missing.empty() ? "" : missing.front()));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
