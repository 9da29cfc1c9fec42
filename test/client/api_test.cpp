// The client's API operations (agent, catalog, health, session, event, status, txn) against
// the in-process dev agent: what they send and return, their documented failures, refusals.
#define BOOST_TEST_MODULE client_api
#include <boost/test/unit_test.hpp>

#include "agent_fixture.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using coconsul::errc;
using coconsul::test::agent_fixture;
using coconsul::test::failure_of;

namespace {

coconsul::service_registration web(std::string id, int port) {
  coconsul::service_registration reg{.id = std::move(id), .name = "web", .tags = {"v1"}, .port = port};
  reg.address = "127.0.0.1";
  reg.meta = {{"zone", "a"}};
  coconsul::service_check ttl;
  ttl.ttl = 30s;
  reg.check = ttl;
  return reg;
}

}  // namespace

// Bad input is refused before anything is sent (the agent below does not exist: anything sent
// would fail as connection_failed), with the message of the first check that fails.
BOOST_FIXTURE_TEST_CASE(refusals_keep_their_message_and_their_order, agent_fixture) {
  coconsul::config nowhere;
  nowhere.address = "http://127.0.0.1:1";
  coconsul::client lost(ioc, nowhere);
  run([&]() -> asio::awaitable<void> {
    auto a = lost.agent();
    // The status is checked before the check ID.
    auto e = co_await failure_of(a.update_ttl("", "fine"));
    BOOST_TEST((e.code() == errc::invalid_argument));
    BOOST_TEST(e.message() == "check status \"fine\" is not passing, warning or critical");
    e = co_await failure_of(a.update_ttl("", "passing"));
    BOOST_TEST(e.message() == "check ID is empty");
    e = co_await failure_of(a.enable_maintenance(""));
    BOOST_TEST(e.message() == "service ID is empty");
    e = co_await failure_of(a.disable_maintenance("web\n1"));
    BOOST_TEST(e.message() == "service ID contains the control character 0x0a at offset 3");
    // The name before the tags, the tags before the scope.
    coconsul::service_registration reg;
    reg.tags = {"bad\ttag"};
    coconsul::write_options bad_scope;
    bad_scope.datacenter = "dc\r";
    e = co_await failure_of(a.register_service(reg, coconsul::register_options(), bad_scope));
    BOOST_TEST(e.message() == "service name is empty");
    reg.name = "web";
    e = co_await failure_of(a.register_service(reg, coconsul::register_options(), bad_scope));
    BOOST_TEST(e.message() == "tag contains the control character 0x09 at offset 3");
    reg.tags.clear();
    e = co_await failure_of(a.register_service(reg, coconsul::register_options(), bad_scope));
    BOOST_TEST(e.message() == "datacenter contains the control character 0x0d at offset 2");
    // The key before the read options.
    coconsul::query_options negative;
    negative.wait = -1ms;
    e = co_await failure_of(lost.kv().get("", negative));
    BOOST_TEST(e.message() == "key is empty");
    e = co_await failure_of(lost.kv().get("k", negative));
    BOOST_TEST(e.message() == "wait is negative");
    std::vector<coconsul::txn_op> none;
    e = co_await failure_of(lost.txn().execute(none));
    BOOST_TEST(e.message() == "a transaction needs at least one operation");
    std::vector<coconsul::txn_op> no_kv(1);
    e = co_await failure_of(lost.txn().execute(no_kv));
    BOOST_TEST(e.message() == "operation 0 has no KV part");
    coconsul::session_create_request short_ttl;
    short_ttl.ttl = 5s;
    e = co_await failure_of(lost.session().create(short_ttl));
    BOOST_TEST(e.message() == "session TTL must be between 10s and 24h (Consul's limits)");
    e = co_await failure_of(lost.health().state("sick"));
    BOOST_TEST(e.message() == "health state \"sick\" is not any, passing, warning or critical");
    e = co_await failure_of(lost.agent().self());
    BOOST_TEST((e.code() == errc::connection_failed));  // the control: a valid request is sent
  }());
}

BOOST_FIXTURE_TEST_CASE(agent_registers_heartbeats_and_deregisters, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto a = consul.agent();
    co_await a.register_service(web("web-1", 8080));
    auto services = co_await a.services();
    BOOST_TEST_REQUIRE(services.value.count("web-1") == 1u);
    const auto& s = services.value.at("web-1");
    BOOST_TEST(s.service == "web");
    BOOST_TEST(s.port == 8080);
    BOOST_TEST(s.meta.at("zone") == "a");
    BOOST_TEST(s.weights.passing == 1);

    auto one = co_await a.service("web-1");
    BOOST_TEST(one.value.id == "web-1");

    auto checks = co_await a.checks();
    BOOST_TEST_REQUIRE(checks.value.count("service:web-1") == 1u);
    BOOST_TEST(checks.value.at("service:web-1").status == "critical");  // Consul's initial status
    co_await a.pass_ttl("service:web-1", "all good");
    checks = co_await a.checks();
    BOOST_TEST(checks.value.at("service:web-1").status == "passing");
    BOOST_TEST(checks.value.at("service:web-1").output == "all good");
    co_await a.warn_ttl("service:web-1");
    BOOST_TEST((co_await a.checks()).value.at("service:web-1").status == "warning");
    co_await a.update_ttl("service:web-1", "critical", "down");
    BOOST_TEST((co_await a.checks()).value.at("service:web-1").output == "down");

    co_await a.deregister_service("web-1");
    BOOST_TEST((co_await a.services()).value.empty());
  }());
}

BOOST_FIXTURE_TEST_CASE(agent_documented_failures, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto a = consul.agent();
    auto e = co_await failure_of(a.deregister_service("nope"));
    BOOST_TEST((e.code() == errc::not_found));
    BOOST_TEST(e.message().find("Unknown service ID") != std::string::npos, e.message());
    e = co_await failure_of(a.pass_ttl("no-such-check"));
    BOOST_TEST((e.code() == errc::not_found));
    e = co_await failure_of(a.service("nope"));
    BOOST_TEST((e.code() == errc::not_found));
    e = co_await failure_of(a.update_ttl("x", "fine"));
    BOOST_TEST((e.code() == errc::invalid_argument));
    coconsul::service_registration nameless;
    e = co_await failure_of(a.register_service(nameless));
    BOOST_TEST((e.code() == errc::invalid_argument));
    // Consul's own validation: an address of 0.0.0.0 is refused with 400.
    auto bad = web("web-x", 1);
    bad.address = "0.0.0.0";
    e = co_await failure_of(a.register_service(bad));
    BOOST_TEST((e.code() == errc::bad_request));
    BOOST_TEST(e.http_status() == 400u);
  }());
}

BOOST_FIXTURE_TEST_CASE(agent_checks_and_maintenance, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto a = consul.agent();
    co_await a.register_service(web("web-1", 8080));
    coconsul::check_registration check{.id = "disk", .name = "disk space", .status = "passing"};
    check.ttl = 1min;
    co_await a.register_check(check);
    BOOST_TEST((co_await a.checks()).value.at("disk").status == "passing");
    co_await a.deregister_check("disk");
    BOOST_TEST((co_await a.checks()).value.count("disk") == 0u);

    co_await a.pass_ttl("service:web-1");
    co_await a.enable_maintenance("web-1", "deploying");
    coconsul::query_options passing;
    passing.passing = true;
    BOOST_TEST((co_await consul.health().service("web", passing)).value.empty());
    co_await a.disable_maintenance("web-1");
    BOOST_TEST((co_await consul.health().service("web", passing)).value.size() == 1u);

    auto self = co_await a.self();
    BOOST_TEST(self.value.config.node_name == "test-node");
    BOOST_TEST(self.value.config.datacenter == "dc1");
    auto members = co_await a.members();
    BOOST_TEST_REQUIRE(members.value.size() == 1u);
    BOOST_TEST(members.value[0].name == "test-node");
  }());
}

// register_options: re-registering without a check keeps it unless replace_existing_checks.
BOOST_FIXTURE_TEST_CASE(register_options_replace_existing_checks, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto a = consul.agent();
    auto reg = web("web-1", 8080);
    coconsul::service_check disk;
    disk.check_id = "web-1:disk";
    disk.ttl = 30s;
    reg.check.reset();
    reg.checks = {*web("web-1", 8080).check, disk};
    reg.checks[0].check_id = "web-1:ttl";
    co_await a.register_service(reg);
    BOOST_TEST((co_await a.checks()).value.count("web-1:disk") == 1u);

    reg.checks = {reg.checks[0]};
    co_await a.register_service(reg);  // the default keeps what the agent has
    BOOST_TEST((co_await a.checks()).value.count("web-1:disk") == 1u);

    const coconsul::register_options replace{.replace_existing_checks = true};
    co_await a.register_service(reg, replace);
    const auto checks = (co_await a.checks()).value;
    BOOST_TEST(checks.count("web-1:disk") == 0u);
    BOOST_TEST(checks.count("web-1:ttl") == 1u);
  }());
}

BOOST_FIXTURE_TEST_CASE(catalog_reads_and_external_registration, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto c = consul.catalog();
    const auto dcs = (co_await c.datacenters()).value;
    BOOST_TEST_REQUIRE(dcs.size() == 1u);
    BOOST_TEST(dcs[0] == "dc1");
    co_await consul.agent().register_service(web("web-1", 8080));
    auto services = co_await c.services();
    BOOST_TEST_REQUIRE(services.value.count("web") == 1u);
    BOOST_TEST(services.value.at("web") == std::vector<std::string>{"v1"}, boost::test_tools::per_element());
    auto rows = co_await c.service("web");
    BOOST_TEST_REQUIRE(rows.value.size() == 1u);
    BOOST_TEST(rows.value[0].service_id == "web-1");
    BOOST_TEST(rows.value[0].service_port == 8080);
    BOOST_TEST(rows.value[0].node == "test-node");
    BOOST_TEST((co_await c.service("unknown-service")).value.empty());

    coconsul::catalog_registration ext{.node = "external", .address = "10.0.0.9"};
    coconsul::agent_service db;
    db.id = "db-1";
    db.service = "db";
    db.port = 5432;
    ext.service = db;
    co_await c.register_entity(ext);
    auto node = co_await c.node("external");
    BOOST_TEST_REQUIRE(node.value.has_value());
    BOOST_TEST(node.value->node.address == "10.0.0.9");
    BOOST_TEST(node.value->services.count("db-1") == 1u);
    BOOST_TEST((co_await c.nodes()).value.size() == 2u);
    const coconsul::catalog_deregistration gone{.node = "external"};
    co_await c.deregister_entity(gone);
    BOOST_TEST(!(co_await c.node("external")).value.has_value());
  }());
}

BOOST_FIXTURE_TEST_CASE(health_reads, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto h = consul.health();
    co_await consul.agent().register_service(web("web-1", 8080));
    co_await consul.agent().register_service(web("web-2", 8081));
    co_await consul.agent().pass_ttl("service:web-1");
    auto all = co_await h.service("web");
    BOOST_TEST(all.value.size() == 2u);
    coconsul::query_options passing;
    passing.passing = true;
    auto healthy = co_await h.service("web", passing);
    BOOST_TEST_REQUIRE(healthy.value.size() == 1u);
    BOOST_TEST(healthy.value[0].service.id == "web-1");
    BOOST_TEST(healthy.value[0].node.node == "test-node");
    BOOST_TEST(healthy.value[0].checks.size() == 2u);  // serfHealth and the service's TTL check
    coconsul::query_options tagged;
    tagged.tags = {"v2"};
    BOOST_TEST((co_await h.service("web", tagged)).value.empty());
    BOOST_TEST((co_await h.checks("web")).value.size() == 2u);
    auto critical = co_await h.state("critical");
    BOOST_TEST_REQUIRE(critical.value.size() == 1u);
    BOOST_TEST(critical.value[0].service_id == "web-2");
    BOOST_TEST((co_await h.node("test-node")).value.size() == 3u);
    auto e = co_await failure_of(h.state("sick"));
    BOOST_TEST((e.code() == errc::invalid_argument));
    coconsul::query_options filtered;
    filtered.filter = "Service.Port == 8081";
    auto f = co_await h.service("web", filtered);
    BOOST_TEST_REQUIRE(f.value.size() == 1u);
    BOOST_TEST(f.value[0].service.id == "web-2");
  }());
}

BOOST_FIXTURE_TEST_CASE(sessions, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto s = consul.session();
    coconsul::session_create_request req{.name = "lock-holder", .behavior = "delete"};
    req.ttl = 15s;
    const std::string id = co_await s.create(req);
    BOOST_TEST(id.size() == 36u);
    auto info = co_await s.info(id);
    BOOST_TEST_REQUIRE(info.value.has_value());
    BOOST_TEST(info.value->name == "lock-holder");
    BOOST_TEST(info.value->behavior == "delete");
    BOOST_TEST((info.value->ttl == 15s));
    auto renewed = co_await s.renew(id);
    BOOST_TEST(renewed.id == id);
    BOOST_TEST((co_await s.list()).value.size() == 1u);
    BOOST_TEST((co_await s.node("test-node")).value.size() == 1u);
    co_await s.destroy(id);
    BOOST_TEST(!(co_await s.info(id)).value.has_value());
    co_await s.destroy(id);  // destroying twice is not an error
    auto e = co_await failure_of(s.renew(id));
    BOOST_TEST((e.code() == errc::not_found));
    coconsul::session_create_request too_short;
    too_short.ttl = 1s;
    e = co_await failure_of(s.create(too_short));
    BOOST_TEST((e.code() == errc::invalid_argument));
  }());
}

BOOST_FIXTURE_TEST_CASE(status_and_events, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    const std::string leader = co_await consul.status().leader();
    BOOST_TEST(!leader.empty());
    auto peers = co_await consul.status().peers();
    BOOST_TEST_REQUIRE(peers.size() == 1u);
    BOOST_TEST(peers[0] == leader);

    auto fired = co_await consul.event().fire("deploy", "v2");
    BOOST_TEST(fired.name == "deploy");
    BOOST_TEST(fired.payload == "v2");
    BOOST_TEST(!fired.id.empty());
    auto events = co_await consul.event().list("deploy");
    BOOST_TEST_REQUIRE(events.value.size() == 1u);
    BOOST_TEST(events.value[0].id == fired.id);
  }());
}

BOOST_FIXTURE_TEST_CASE(transactions_commit_or_roll_back, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto t = consul.txn();
    std::vector<coconsul::txn_op> ops(2);
    ops[0].kv = coconsul::txn_kv_op{.verb = "set", .key = "tx/a", .value = "1"};
    ops[1].kv = coconsul::txn_kv_op{.verb = "set", .key = "tx/b", .value = "2"};
    auto done = co_await t.execute(ops);
    BOOST_TEST(done.errors.empty());
    BOOST_TEST(done.results.size() == 2u);
    BOOST_TEST((co_await consul.kv().get("tx/b")).value->value == "2");

    std::vector<coconsul::txn_op> failing(2);
    failing[0].kv = coconsul::txn_kv_op{.verb = "set", .key = "tx/c", .value = "3"};
    failing[1].kv = coconsul::txn_kv_op{.verb = "check-not-exists", .key = "tx/a"};
    auto rolled_back = co_await t.execute(failing);
    BOOST_TEST_REQUIRE(rolled_back.errors.size() == 1u);
    BOOST_TEST(rolled_back.errors[0].op_index == 1);
    BOOST_TEST(!(co_await consul.kv().get("tx/c")).value.has_value());  // nothing applied

    std::vector<coconsul::txn_op> too_many(65, failing[0]);
    auto e = co_await failure_of(t.execute(too_many));
    BOOST_TEST((e.code() == errc::invalid_argument));
  }());
}
