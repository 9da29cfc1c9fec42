// agent_api's control of the agent (join, leave, force_leave, reload, node maintenance, tokens)
// and its log monitor, against the in-process dev agent and, for what the dev agent cannot show
// (a line split across chunks, a header that never comes, reload's 200), a scripted server.
#define BOOST_TEST_MODULE client_agent_ops
#include <boost/test/unit_test.hpp>

#include "agent_fixture.hpp"
#include "test_server.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json/parse.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using coconsul::errc;
using coconsul::test::agent_fixture;
using coconsul::test::until;
using coconsul::test::failure_of;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A fixture whose agent logs at warn, so a reader at info sees lines the agent's own sink does not.
coconsul::dev_agent_options quiet_agent() {
  auto o = coconsul::test::fast_agent_options();
  o.level = coconsul::dev_agent_options::log_level::warn;
  o.log_sink = [](std::string_view) {};
  return o;
}

// Failures expected: they are there to make the agent log. Parameters, not captures: the
// coroutine outlives the callback that starts it.
asio::awaitable<void> join_quietly(coconsul::client& c, std::string address) {
  co_await failure_of(c.agent().join(std::move(address)));
}
asio::awaitable<void> force_leave_quietly(coconsul::client& c, std::string node) {
  co_await failure_of(c.agent().force_leave(std::move(node)));
}

// The next monitor line that contains `part`.
asio::awaitable<std::string> line_with(coconsul::log_monitor& m, const std::string& part) {
  for (;;) {
    std::string line = co_await m.next();
    if (contains(line, part)) co_return line;
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(monitor_streams_lines_as_they_are_written_at_its_own_level) {
  agent_fixture f(quiet_agent());
  f.run([&]() -> asio::awaitable<void> {
    auto mon = f.consul.agent().monitor();
    // The stream opens on the first next(): make a line to read after it is open.
    asio::steady_timer later(f.ioc, 50ms);
    later.async_wait([&](coconsul::error_code) { asio::co_spawn(f.ioc, join_quietly(f.consul, "10.9.9.9"), asio::detached); });
    std::string line = co_await line_with(mon, "couldn't join");
    BOOST_TEST(contains(line, "[WARN]  agent: (LAN) couldn't join"));
    // An info line, below the agent's own level, reaches an info reader.
    co_await failure_of(f.consul.agent().join("10.9.9.8"));
    line = co_await line_with(mon, "Joining cluster");
    BOOST_TEST(contains(line, "[INFO]  agent: Joining cluster...: cluster=LAN"));
  }());
}

BOOST_AUTO_TEST_CASE(monitor_json_lines_are_objects_with_hclog_keys) {
  agent_fixture f(quiet_agent());
  f.run([&]() -> asio::awaitable<void> {
    coconsul::monitor_options opts;
    opts.log_level = "warn";
    opts.json = true;
    auto mon = f.consul.agent().monitor(opts);
    asio::steady_timer later(f.ioc, 50ms);
    later.async_wait([&](coconsul::error_code) {
      asio::co_spawn(f.ioc, force_leave_quietly(f.consul, "ghost"), asio::detached);
    });
    std::string line = co_await mon.next();  // the info line "Force leaving node" is below warn
    auto v = boost::json::parse(line);
    BOOST_TEST(v.at("@level").as_string() == "warn");
    BOOST_TEST(v.at("@module").as_string() == "agent");
    BOOST_TEST(contains(std::string(v.at("@message").as_string()), "No node found with name 'ghost'"));
    BOOST_TEST(v.as_object().contains("@timestamp"));
  }());
}

BOOST_AUTO_TEST_CASE(monitor_refuses_an_unknown_level_with_consuls_text) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    coconsul::monitor_options opts;
    opts.log_level = "loud";
    auto mon = f.consul.agent().monitor(opts);
    auto e = co_await failure_of(mon.next());
    BOOST_TEST((e.code() == errc::bad_request));
    BOOST_TEST(e.diag().http_status == 400u);
    BOOST_TEST(e.message() == "Unknown log level: loud");
    // The failure is final: the monitor says so again without sending anything.
    auto again = co_await failure_of(mon.next());
    BOOST_TEST((again.code() == errc::bad_request));
  }());
}

// Cancelling next() closes the stream; the agent sees the hang-up and its connection and its
// reader go: nothing leaks on either side.
BOOST_AUTO_TEST_CASE(cancelling_the_monitor_frees_the_agents_connection_and_reader) {
  agent_fixture f(quiet_agent());
  f.run([&]() -> asio::awaitable<void> {
    auto mon = f.consul.agent().monitor();
    asio::cancellation_signal stop;
    bool finished = false;
    coconsul::error_code result;
    mon.next(asio::bind_cancellation_slot(stop.slot(), [&](coconsul::error_code ec, std::string) {
      finished = true;
      result = ec;
    }));
    co_await until([&] { return f.agent.monitor_readers() == 1; });
    BOOST_TEST(f.agent.open_connections() == 1u);
    stop.emit(asio::cancellation_type::terminal);
    co_await until([&] { return finished; });
    BOOST_TEST((result == asio::error::operation_aborted));
    co_await until([&] { return f.agent.monitor_readers() == 0 && f.agent.open_connections() == 0; });
    BOOST_TEST(f.consul.stats().open_connections == 0u);
    auto e = co_await failure_of(mon.next());
    BOOST_TEST((e.code() == asio::error::operation_aborted));
  }());
}

BOOST_AUTO_TEST_CASE(destroying_the_monitor_frees_the_agents_reader) {
  agent_fixture f(quiet_agent());
  f.run([&]() -> asio::awaitable<void> {
    {
      auto mon = f.consul.agent().monitor();
      using namespace asio::experimental::awaitable_operators;
      asio::steady_timer t(f.ioc, 100ms);
      // The line never comes: the timer wins and the next() is cancelled, then the monitor goes.
      co_await (mon.next(asio::use_awaitable) || t.async_wait(asio::use_awaitable));
      BOOST_TEST(f.agent.monitor_readers() == 1u);
    }
    co_await until([&] { return f.agent.monitor_readers() == 0 && f.agent.open_connections() == 0; });
  }());
}

// As Consul's: the agent stopping closes the connection in the middle of the chunked body.
BOOST_AUTO_TEST_CASE(the_monitor_ends_when_the_agent_stops) {
  agent_fixture f(quiet_agent());
  f.run([&]() -> asio::awaitable<void> {
    auto mon = f.consul.agent().monitor();
    asio::steady_timer later(f.ioc, 50ms);
    later.async_wait([&](coconsul::error_code) { f.agent.stop(); });
    auto e = co_await failure_of(line_with(mon, "never written"));
    BOOST_TEST((e.code() == errc::truncated_response));
    BOOST_TEST(contains(e.message(), "body bytes of a chunked response"));
  }());
}

BOOST_AUTO_TEST_CASE(join_fails_as_consul_does_for_an_address_where_nothing_listens) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    auto e = co_await failure_of(f.consul.agent().join("10.1.2.3"));
    BOOST_TEST((e.code() == errc::server_error));
    BOOST_TEST(e.message() ==
               "1 error occurred:\n\t* Failed to join 10.1.2.3:8301: dial tcp 10.1.2.3:8301: connect: connection "
               "refused");  // the client trims the text's trailing newlines
    coconsul::join_options wan;
    wan.wan = true;
    e = co_await failure_of(f.consul.agent().join("10.1.2.3:9000", wan));
    BOOST_TEST(contains(e.message(), "Failed to join 10.1.2.3:9000"));
    // Its own serf address is a join Consul makes (one node: itself).
    co_await f.consul.agent().join("127.0.0.1");
    co_await f.consul.agent().join("127.0.0.1:8301");
    e = co_await failure_of(f.consul.agent().join(""));
    BOOST_TEST((e.code() == errc::invalid_argument));
  }());
}

BOOST_AUTO_TEST_CASE(force_leave_knows_only_the_agent_itself) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    auto a = f.consul.agent();
    auto e = co_await failure_of(a.force_leave("ghost"));
    BOOST_TEST((e.code() == errc::server_error));
    BOOST_TEST(e.message() == "agent: No node found with name 'ghost'");
    coconsul::force_leave_options prune;
    prune.prune = true;
    co_await a.force_leave("test-node", prune);  // the agent refutes its own removal
    co_await a.force_leave("test-node.dc1");     // its WAN name
    coconsul::force_leave_options wan;
    wan.wan = true;
    co_await a.force_leave("test-node.dc1", wan);
    e = co_await failure_of(a.force_leave("test-node", wan));  // the WAN pool knows only "<node>.<dc>"
    BOOST_TEST(e.message() == "agent: No node found with name ''");
    auto members = co_await a.members();
    BOOST_TEST(members.value.size() == 1u);
    BOOST_TEST(members.value.at(0).status == 1);
  }());
}

BOOST_AUTO_TEST_CASE(leave_answers_then_the_agent_stops_and_tells_its_owner) {
  agent_fixture f;
  bool told = false;
  f.agent.on_leave([&] { told = true; });
  f.run([&]() -> asio::awaitable<void> {
    co_await f.consul.agent().leave();
    co_await until([&] { return told; });
    BOOST_TEST(f.agent.left());
    BOOST_TEST(f.agent.open_connections() == 0u);
    auto e = co_await failure_of(f.consul.agent().self());
    BOOST_TEST((e.code() == errc::connection_failed));
  }());
}

BOOST_AUTO_TEST_CASE(node_maintenance_adds_and_removes_the_critical_check) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    auto a = f.consul.agent();
    co_await a.enable_node_maintenance("patching");
    auto checks = co_await a.checks();
    BOOST_TEST_REQUIRE(checks.value.count("_node_maintenance") == 1u);
    BOOST_TEST(checks.value.at("_node_maintenance").status == "critical");
    BOOST_TEST(checks.value.at("_node_maintenance").notes == "patching");
    co_await a.disable_node_maintenance();
    checks = co_await a.checks();
    BOOST_TEST(checks.value.count("_node_maintenance") == 0u);
  }());
}

BOOST_AUTO_TEST_CASE(update_token_with_acls_off_is_consuls_401) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    auto e = co_await failure_of(f.consul.agent().update_token(coconsul::agent_token_kind::agent, "secret"));
    BOOST_TEST(e.diag().http_status == 401u);
    BOOST_TEST(e.message() == "ACL support disabled");
    e = co_await failure_of(f.consul.agent().update_token(coconsul::agent_token_kind::agent, "bad\nline"));
    BOOST_TEST((e.code() == errc::invalid_argument));
  }());
}

// What each operation sends, as Consul's Go client sends it, and reload's 200 (the endpoint is
// the config engineer's: a scripted server answers for it here).
BOOST_AUTO_TEST_CASE(the_requests_are_the_go_clients) {
  asio::io_context ioc;
  coconsul::test::test_server server(ioc, [](const coconsul::test::received_request&) {
    return coconsul::test::reply::ok("");
  });
  coconsul::config cfg;
  cfg.address = server.address();
  coconsul::client consul(ioc, cfg);
  coconsul::test::run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    auto a = consul.agent();
    co_await a.reload();
    coconsul::join_options wan;
    wan.wan = true;
    co_await a.join("10.0.0.1:8302", wan);
    coconsul::force_leave_options fl;
    fl.prune = true;
    fl.wan = true;
    co_await a.force_leave("n1.dc1", fl);
    co_await a.leave();
    co_await a.update_token(coconsul::agent_token_kind::default_token, "t1");
    co_await a.enable_node_maintenance("why not");
    co_await a.disable_node_maintenance();
    const auto& r = server.requests();
    BOOST_TEST_REQUIRE(r.size() == 7u);
    for (const auto& q : r) BOOST_TEST(q.method == "PUT");
    BOOST_TEST(r[0].target == "/v1/agent/reload");
    BOOST_TEST(r[1].target == "/v1/agent/join/10.0.0.1:8302?wan=1");
    BOOST_TEST(r[2].target == "/v1/agent/force-leave/n1.dc1?prune=1&wan=1");
    BOOST_TEST(r[3].target == "/v1/agent/leave");
    BOOST_TEST(r[4].target == "/v1/agent/token/default");
    BOOST_TEST(r[4].body == R"({"Token":"t1"})");
    BOOST_TEST(r[5].target == "/v1/agent/maintenance?enable=true&reason=why%20not");
    BOOST_TEST(r[6].target == "/v1/agent/maintenance?enable=false");
  }());
}

// The monitor reads the chunked body as it comes: a line split across chunks is one line, and
// a line arrives without waiting for the body to end.
BOOST_AUTO_TEST_CASE(monitor_lines_are_cut_from_the_stream_whatever_the_chunks) {
  asio::io_context ioc;
  coconsul::test::test_server server(ioc, [](const coconsul::test::received_request&) {
    return coconsul::test::reply::raw(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nfirs\r\n8\r\nt\nsecond\r\n7\r\n\n\nthird\r\n",
        coconsul::test::reply::then::hang);
  });
  coconsul::config cfg;
  cfg.address = server.address();
  coconsul::client consul(ioc, cfg);
  coconsul::test::run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    auto mon = consul.agent().monitor();
    BOOST_TEST(co_await mon.next() == "first");
    BOOST_TEST(co_await mon.next() == "second");
    BOOST_TEST(co_await mon.next() == "");  // "\n\n": an empty line is a line
    // "third" has no newline yet and the server hangs: next() waits until cancelled.
    using namespace asio::experimental::awaitable_operators;
    asio::steady_timer t(ioc, 100ms);
    auto which = co_await (mon.next(asio::use_awaitable) || t.async_wait(asio::use_awaitable));
    BOOST_TEST(which.index() == 1u);
    co_await server.wait_until([&] { return server.closed_by_client() == 1; });
  }());
}

BOOST_AUTO_TEST_CASE(a_monitor_header_that_never_comes_times_out) {
  asio::io_context ioc;
  coconsul::test::test_server server(ioc, [](const coconsul::test::received_request&) {
    return coconsul::test::reply::hang();
  });
  coconsul::config cfg;
  cfg.address = server.address();
  cfg.timeouts.request = 200ms;
  coconsul::client consul(ioc, cfg);
  coconsul::test::run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    auto mon = consul.agent().monitor();
    auto e = co_await failure_of(mon.next());
    BOOST_TEST((e.code() == errc::request_timeout));
  }());
}

// --- the metrics stream ---

// Against the dev agent with a 100 ms telemetry interval: a summary per interval, each Consul's
// agent_metrics with the agent's live gauges; destroying the stream frees the agent's connection.
BOOST_AUTO_TEST_CASE(stream_metrics_gives_a_summary_each_interval) {
  auto options = quiet_agent();
  options.metrics_interval = 100ms;
  agent_fixture f(options);
  f.run([&]() -> asio::awaitable<void> {
    {
      auto metrics = f.consul.agent().stream_metrics();
      auto started = std::chrono::steady_clock::now();
      coconsul::agent_metrics first = co_await metrics.next();
      coconsul::agent_metrics second = co_await metrics.next();
      bool two_intervals_passed = std::chrono::steady_clock::now() - started >= 200ms;
      BOOST_TEST(two_intervals_passed);
      for (const auto* m : {&first, &second}) {
        BOOST_TEST(contains(m->timestamp, " +0000 UTC"));
        bool has_in_flight = false;
        for (const auto& g : m->gauges) has_in_flight = has_in_flight || g.name == "consul.http.requests_in_flight";
        BOOST_TEST(has_in_flight);
      }
      BOOST_TEST(first.timestamp <= second.timestamp);  // go-metrics' format sorts as text
      BOOST_TEST(f.agent.open_connections() == 1u);
    }
    co_await until([&] { return f.agent.open_connections() == 0; });
  }());
}

// Go's json.Encoder writes one indented object per interval: a summary is framed by where its
// JSON ends, whatever the chunks; a summary that is not JSON ends the stream with decode_error.
BOOST_AUTO_TEST_CASE(metrics_summaries_are_framed_by_their_json_whatever_the_chunks) {
  asio::io_context ioc;
  coconsul::test::test_server server(ioc, [](const coconsul::test::received_request& r) {
    BOOST_TEST(r.target == "/v1/agent/metrics/stream");
    return coconsul::test::reply::raw(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        "10\r\n{\n    \"Timestamp\r\n"
        "1b\r\n\": \"t1\", \"Gauges\": [{\"Name\"\r\n"
        "2f\r\n: \"g\", \"Value\": 1, \"Labels\": {}}]}\n{\"Timestamp\"\r\n"
        "8\r\n: \"t2\"}\n\r\n"
        "6\r\n{oops}\r\n",
        coconsul::test::reply::then::hang);
  });
  coconsul::config cfg;
  cfg.address = server.address();
  coconsul::client consul(ioc, cfg);
  coconsul::test::run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    auto metrics = consul.agent().stream_metrics();
    coconsul::agent_metrics one = co_await metrics.next();
    BOOST_TEST(one.timestamp == "t1");
    BOOST_TEST_REQUIRE(one.gauges.size() == 1u);
    BOOST_TEST(one.gauges[0].name == "g");
    BOOST_TEST(one.gauges[0].value == 1.0);
    coconsul::agent_metrics two = co_await metrics.next();
    BOOST_TEST(two.timestamp == "t2");
    BOOST_TEST(two.gauges.empty());
    auto e = co_await failure_of(metrics.next());
    BOOST_TEST((e.code() == errc::decode_error));
    BOOST_TEST(contains(e.message(), "the metrics stream is not JSON"));
    auto again = co_await failure_of(metrics.next());  // final, and the connection is closed
    BOOST_TEST((again.code() == errc::decode_error));
    co_await server.wait_until([&] { return server.closed_by_client() == 1; });
  }());
}
