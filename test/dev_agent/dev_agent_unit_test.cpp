// The dev agent's pure parts, without sockets: JSON output as Go writes it, strict request
// decoding, the store's index rules and KV semantics.
#define BOOST_TEST_MODULE dev_agent_unit
#include <boost/test/unit_test.hpp>

#include "dev_agent/endpoints/decode.hpp"
#include "dev_agent/endpoints/render.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/json_in.hpp"
#include "dev_agent/http/json_out.hpp"
#include "dev_agent/http/message.hpp"
#include "dev_agent/store/state.hpp"

#include <coconsul/dev_agent.hpp>
#include <coconsul/error.hpp>

#include <boost/asio/io_context.hpp>

#include <boost/json/parse.hpp>

using namespace coconsul::dev;
namespace json = boost::json;

BOOST_AUTO_TEST_SUITE(output)

BOOST_AUTO_TEST_CASE(pretty_json_matches_go_marshal_indent) {
  auto v = json::parse(R"({"A":[1,"x"],"B":{},"C":[],"D":{"E":null,"F":true}})");
  BOOST_TEST(render_pretty(v) ==
             "{\n    \"A\": [\n        1,\n        \"x\"\n    ],\n    \"B\": {},\n    \"C\": [],\n"
             "    \"D\": {\n        \"E\": null,\n        \"F\": true\n    }\n}\n");
}

BOOST_AUTO_TEST_CASE(strings_are_escaped_like_go) {
  BOOST_TEST(render_compact(json::value("a<b>&\"\\\n\x01")) == R"("a\u003cb\u003e\u0026\"\\\n\u0001")");
}

BOOST_AUTO_TEST_CASE(floats_print_like_go) {
  BOOST_TEST(render_compact(json::value(1.5)) == "1.5");
  BOOST_TEST(render_compact(json::value(1e-05)) == "0.00001");
  BOOST_TEST(render_compact(json::value(1e-07)) == "1e-7");
  BOOST_TEST(render_compact(json::value(1e21)) == "1e+21");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(decoding)

BOOST_AUTO_TEST_CASE(unknown_fields_are_rejected_with_gos_text) {
  auto v = parse_body(R"({"Name":"web","Bogus":1})");
  try {
    decode_service_definition(v);
    BOOST_FAIL("no error");
  } catch (const body_decode_error& e) {
    BOOST_TEST(std::string(e.what()) == "json: unknown field \"Bogus\"");
  }
}

BOOST_AUTO_TEST_CASE(keys_match_case_insensitively_and_snake_aliases_work) {
  auto v = parse_body(R"({"name":"web","ID":"web-1","enabletagoverride":true,
    "check":{"http":"http://x/","interval":"10s","deregister_critical_service_after":"1m","tls_skip_verify":true}})");
  auto d = decode_service_definition(v);
  BOOST_TEST(d.service.name == "web");
  BOOST_TEST(d.service.id == "web-1");
  BOOST_TEST(d.service.enable_tag_override);
  BOOST_REQUIRE(d.check.has_value());
  BOOST_TEST(d.check->definition.http == "http://x/");
  BOOST_TEST(d.check->definition.interval.count() == 10'000'000'000);
  BOOST_TEST(d.check->definition.deregister_critical_service_after.count() == 60'000'000'000);
  BOOST_TEST(d.check->definition.tls_skip_verify);
  BOOST_TEST(d.check->type() == "http");
}

BOOST_AUTO_TEST_CASE(durations_accept_numbers_as_nanoseconds) {
  auto c = decode_check_definition(parse_body(R"({"Name":"t","TTL":15000000000})"));
  BOOST_TEST(c.definition.ttl.count() == 15'000'000'000);
  BOOST_CHECK_THROW(decode_check_definition(parse_body(R"({"Name":"t","TTL":"soon"})")), body_decode_error);
}

BOOST_AUTO_TEST_CASE(wrong_types_name_the_field) {
  try {
    decode_service_definition(parse_body(R"({"Name":"web","Port":"80"})"));
    BOOST_FAIL("no error");
  } catch (const body_decode_error& e) {
    BOOST_TEST(std::string(e.what()) ==
               "json: cannot unmarshal string into Go struct field ServiceDefinition.Port of type int");
  }
}

BOOST_AUTO_TEST_CASE(empty_and_malformed_bodies) {
  BOOST_CHECK_THROW(parse_body(""), body_decode_error);
  try {
    parse_body("x");
  } catch (const body_decode_error& e) {
    BOOST_TEST(std::string(e.what()) == "invalid character 'x' looking for beginning of value");
  }
}

BOOST_AUTO_TEST_CASE(check_validation_texts) {
  check_spec c;
  c.definition.http = "http://x/";
  BOOST_TEST(c.validate() == "Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks");
  c.definition.interval = std::chrono::seconds(1);
  c.definition.ttl = std::chrono::seconds(1);
  BOOST_TEST(c.validate() == "Interval and TTL cannot both be specified");
  c.definition.ttl = {};
  c.failures_before_warning = 3;
  c.failures_before_critical = 2;
  BOOST_TEST(c.validate() == "FailuresBeforeWarning can't be higher than FailuresBeforeCritical");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(store)

BOOST_AUTO_TEST_CASE(one_index_stamps_every_write) {
  unsigned touched = 0;
  state_store s([&](unsigned t) { touched |= t; });
  {
    write_txn w(s);
    kv_entry e;
    e.key = "a";
    e.value = "1";
    s.kv_set(w, e);
  }
  BOOST_TEST(s.last_index() == 1u);
  BOOST_TEST(touched == unsigned(tbl_kvs));
  BOOST_TEST(s.kv_get("a")->create_index == 1u);
  {
    write_txn w(s);
    kv_entry e;
    e.key = "a";
    s.kv_set(w, e);
  }
  BOOST_TEST(s.kv_get("a")->create_index == 1u);
  BOOST_TEST(s.kv_get("a")->modify_index == 2u);
  BOOST_TEST(!s.kv_get("a")->value.has_value());
  BOOST_TEST(s.kv_key_index("a") == 2u);
}

BOOST_AUTO_TEST_CASE(cas_lock_unlock_and_tombstones) {
  state_store s(nullptr);
  kv_entry e;
  e.key = "k";
  {
    write_txn w(s);
    BOOST_TEST(s.kv_cas(w, e, 0));   // create-only
    BOOST_TEST(!s.kv_cas(w, e, 0));  // exists now
  }
  session_record sess;
  sess.id = "s1";
  sess.node = "n";
  sess.lock_delay = std::chrono::seconds(15);
  {
    write_txn w(s);
    s.create_session(w, sess);
  }
  {
    write_txn w(s);
    e.session = "s1";
    std::string err;
    BOOST_TEST(s.kv_lock(w, e, &err));
    BOOST_TEST(s.kv_get("k")->lock_index == 1u);
    BOOST_TEST(s.kv_lock(w, e, &err));  // re-acquire by the holder keeps LockIndex
    BOOST_TEST(s.kv_get("k")->lock_index == 1u);
    e.session = "s2";
    BOOST_TEST(!s.kv_lock(w, e, &err));
    BOOST_TEST(err == "invalid session \"s2\"");
  }
  {
    write_txn w(s);
    BOOST_TEST(s.destroy_session(w, "s1"));
  }
  BOOST_TEST(s.kv_get("k")->session.empty());
  BOOST_TEST(s.kv_lock_delay("k").has_value());
  std::uint64_t before = s.kv_prefix_index("");
  {
    write_txn w(s);
    BOOST_TEST(s.kv_delete(w, "k"));
  }
  BOOST_TEST(s.kv_prefix_index("") > before);  // the tombstone keeps the prefix index moving
  BOOST_TEST(s.kv_prefix_index("k") == s.last_index());
}

BOOST_AUTO_TEST_CASE(service_index_moves_only_for_that_service) {
  state_store s(nullptr);
  node_record n;
  n.name = "n1";
  service_record web, db;
  web.node = db.node = "n1";
  web.id = web.name = "web";
  db.id = db.name = "db";
  {
    write_txn w(s);
    s.ensure_node(w, n);
    s.ensure_service(w, web);
    s.ensure_service(w, db);
  }
  auto web_index = s.service_index("web", true);
  {
    write_txn w(s);
    db.port = 5;
    s.ensure_service(w, db);
  }
  BOOST_TEST(s.service_index("web", true) == web_index);
  BOOST_TEST(s.service_index("db", true) == s.last_index());
  {
    write_txn w(s);
    s.delete_service(w, "n1", "web");
  }
  // Gone: the extinction index, which moved past what a watcher held.
  BOOST_TEST(s.service_index("web", true) == s.last_index());
}

namespace {

std::vector<std::string> keys_of(const std::vector<const check_record*>& checks) {
  std::vector<std::string> out;
  for (const auto* c : checks) out.push_back(c->node + "/" + c->check_id);
  return out;
}

std::vector<std::string> keys_of(const std::vector<const service_record*>& services) {
  std::vector<std::string> out;
  for (const auto* s : services) out.push_back(s->node + "/" + s->id);
  return out;
}

template <class Record, class Pred>
std::vector<const Record*> scan(const std::vector<const Record*>& all, Pred pred) {
  std::vector<const Record*> out;
  for (const auto* r : all)
    if (pred(*r)) out.push_back(r);
  return out;
}

// Every indexed read answers what a scan of the whole store answers, in the same order.
void expect_indexed_reads_match_a_scan(const state_store& s, const std::vector<std::string>& node_names,
                                       const std::vector<std::string>& service_names) {
  auto checks = s.all_checks();
  auto services = s.all_services();
  for (const auto& node : node_names) {
    BOOST_TEST_CONTEXT("node " << node) {
      BOOST_TEST(keys_of(s.node_checks(node)) == keys_of(scan(checks, [&](auto& c) { return c.node == node; })),
                 boost::test_tools::per_element());
      BOOST_TEST(keys_of(s.service_checks(node, "")) ==
                     keys_of(scan(checks, [&](auto& c) { return c.node == node && c.service_id.empty(); })),
                 boost::test_tools::per_element());
    }
  }
  for (const auto* svc : services) {
    BOOST_TEST_CONTEXT("instance " << svc->node << "/" << svc->id) {
      BOOST_TEST(keys_of(s.service_checks(svc->node, svc->id)) ==
                     keys_of(scan(checks, [&](auto& c) { return c.node == svc->node && c.service_id == svc->id; })),
                 boost::test_tools::per_element());
      // The scan is in (node, check ID) order, which is check ID order within one node.
      BOOST_TEST(keys_of(s.instance_checks(*svc)) ==
                     keys_of(scan(checks,
                                  [&](auto& c) {
                                    return c.node == svc->node && (c.service_id.empty() || c.service_id == svc->id);
                                  })),
                 boost::test_tools::per_element());
    }
  }
  for (const auto& name : service_names) {
    BOOST_TEST_CONTEXT("service " << name) {
      BOOST_TEST(keys_of(s.service_instances(name)) == keys_of(scan(services, [&](auto& v) { return v.name == name; })),
                 boost::test_tools::per_element());
      BOOST_TEST(keys_of(s.checks_of_service_name(name)) ==
                     keys_of(scan(checks, [&](auto& c) { return !c.service_id.empty() && c.service_name == name; })),
                 boost::test_tools::per_element());
    }
  }
  for (std::string status : {"passing", "warning", "critical"}) {
    BOOST_TEST_CONTEXT("status " << status) {
      BOOST_TEST(keys_of(s.checks_in_state(status)) ==
                     keys_of(scan(checks, [&](auto& c) { return c.status == status; })),
                 boost::test_tools::per_element());
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(check_and_service_indexes_follow_every_write) {
  state_store s(nullptr);
  const std::vector<std::string> nodes{"n1", "n2", "n3"};
  const std::vector<std::string> names{"web", "www", "db", "ghost"};
  auto put_service = [&](std::string node, std::string id, std::string name) {
    service_record r;
    r.node = std::move(node);
    r.id = std::move(id);
    r.name = std::move(name);
    write_txn w(s);
    s.ensure_service(w, r);
  };
  auto put_check = [&](std::string node, std::string id, std::string service_id, std::string status) {
    check_record c;
    c.node = std::move(node);
    c.check_id = std::move(id);
    c.service_id = std::move(service_id);
    c.status = std::move(status);
    write_txn w(s);
    s.ensure_check(w, c);
  };
  {
    write_txn w(s);
    for (const auto& name : nodes) {
      node_record n;
      n.name = name;
      s.ensure_node(w, n);
    }
  }
  // Register: node-level checks sort around the service's own ("a-web" < "serfHealth" < "web-1:ttl").
  put_service("n1", "web-1", "web");
  put_service("n1", "db-1", "db");
  put_service("n2", "web-2", "web");
  put_check("n1", "serfHealth", "", "passing");
  put_check("n1", "a-web", "web-1", "passing");
  put_check("n1", "web-1:ttl", "web-1", "critical");
  put_check("n1", "db-1:ttl", "db-1", "passing");
  put_check("n2", "serfHealth", "", "passing");
  put_check("n2", "web-2:ttl", "web-2", "warning");
  expect_indexed_reads_match_a_scan(s, nodes, names);
  BOOST_TEST(keys_of(s.instance_checks(*s.service("n1", "web-1"))) ==
                 (std::vector<std::string>{"n1/a-web", "n1/serfHealth", "n1/web-1:ttl"}),
             boost::test_tools::per_element());
  BOOST_TEST(keys_of(s.service_instances("web")) == (std::vector<std::string>{"n1/web-1", "n2/web-2"}),
             boost::test_tools::per_element());

  // A check re-registered under another service, and a service renamed.
  put_check("n1", "a-web", "db-1", "passing");
  put_service("n1", "web-1", "www");
  expect_indexed_reads_match_a_scan(s, nodes, names);
  BOOST_TEST(keys_of(s.service_checks("n1", "web-1")) == (std::vector<std::string>{"n1/web-1:ttl"}),
             boost::test_tools::per_element());
  BOOST_TEST(keys_of(s.service_instances("web")) == (std::vector<std::string>{"n2/web-2"}),
             boost::test_tools::per_element());
  BOOST_TEST(keys_of(s.service_instances("www")) == (std::vector<std::string>{"n1/web-1"}),
             boost::test_tools::per_element());

  // Node check changes: a status change (a write) moves it between states; output alone does not.
  BOOST_TEST(s.set_check_status("n1", "serfHealth", "critical", "node down"));
  BOOST_TEST(s.set_check_status("n1", "serfHealth", "critical", "still down"));
  put_check("n3", "maintenance", "", "critical");
  expect_indexed_reads_match_a_scan(s, nodes, names);
  BOOST_TEST(keys_of(s.checks_in_state("passing")) ==
                 (std::vector<std::string>{"n1/a-web", "n1/db-1:ttl", "n2/serfHealth"}),
             boost::test_tools::per_element());
  BOOST_TEST(s.service_checks("n1", "")[0]->status == "critical");
  BOOST_TEST(s.service_checks("n1", "")[0]->output == "still down");

  // Deregister a check, remove a service with its checks, remove a whole node.
  {
    write_txn w(s);
    BOOST_TEST(s.delete_check(w, "n1", "web-1:ttl"));
    BOOST_TEST(s.delete_service(w, "n1", "db-1"));
  }
  expect_indexed_reads_match_a_scan(s, nodes, names);
  BOOST_TEST(s.service_checks("n1", "db-1").empty());
  BOOST_TEST(s.service_instances("db").empty());
  BOOST_TEST(s.checks_of_service_name("db").empty());
  BOOST_TEST(keys_of(s.instance_checks(*s.service("n1", "web-1"))) == (std::vector<std::string>{"n1/serfHealth"}),
             boost::test_tools::per_element());
  {
    write_txn w(s);
    BOOST_TEST(s.delete_node(w, "n2"));
  }
  expect_indexed_reads_match_a_scan(s, nodes, names);
  BOOST_TEST(s.service_instances("web").empty());
  BOOST_TEST(s.node_checks("n2").empty());
  BOOST_TEST(s.checks_in_state("warning").empty());
  BOOST_TEST(s.all_checks().size() == 2u);  // n1/serfHealth, n3/maintenance
}

BOOST_AUTO_TEST_CASE(reset_moves_every_index_back) {
  state_store s(nullptr);
  for (int i = 0; i < 5; ++i) {
    write_txn w(s);
    kv_entry e;
    e.key = "k";  // appended piecewise: gcc 12 warns falsely (-Wrestrict) on "lit" + string&&
    e.key += std::to_string(i);
    s.kv_set(w, e);
  }
  s.reset_indexes(1);
  BOOST_TEST(s.last_index() == 1u);
  BOOST_TEST(s.kv_prefix_index("") == 1u);
  BOOST_TEST(s.kv_get("k4")->modify_index == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(public_api)

BOOST_AUTO_TEST_CASE(options_take_designated_initializers_and_nothing_listens_before_start) {
  boost::asio::io_context ioc;
  coconsul::dev_agent agent(ioc.get_executor(), {
                                                    .port = 0,
                                                    .node_name = "test-node",
                                                    .reap_interval = std::chrono::milliseconds(50),
                                                    .deregister_minimum = std::chrono::milliseconds(300),
                                                    .check_min_interval = std::chrono::milliseconds(20),
                                                });
  BOOST_TEST(agent.node_name() == "test-node");
  BOOST_TEST(agent.datacenter() == "dc1");
  BOOST_TEST(agent.address().empty());
  BOOST_TEST(agent.http_address().empty());
  BOOST_TEST(agent.port() == 0u);
}

BOOST_AUTO_TEST_CASE(a_bad_bind_address_is_a_clear_error) {
  boost::asio::io_context ioc;
  coconsul::dev_agent_options o;
  o.bind_address = "localhost:80";
  coconsul::dev_agent agent(ioc.get_executor(), o);
  try {
    agent.start();
    BOOST_FAIL("no error");
  } catch (const coconsul::error& e) {
    BOOST_TEST(e.code() == coconsul::make_error_code(coconsul::errc::invalid_address));
    BOOST_TEST(e.message() == "dev agent: bind address \"localhost:80\" is not an IP address");
  }
}

BOOST_AUTO_TEST_CASE(log_levels_parse) {
  using options = coconsul::dev_agent_options;
  BOOST_TEST((options::parse_log_level("DEBUG") == options::log_level::debug));
  BOOST_TEST((options::parse_log_level("warning") == options::log_level::warn));
  BOOST_CHECK_THROW(options::parse_log_level("loud"), coconsul::error);
}

BOOST_AUTO_TEST_SUITE_END()
