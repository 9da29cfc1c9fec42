// The dev agent's /v1/agent control endpoints over real sockets, byte for byte: monitor's
// streamed response (its framing, its levels, no leak when the client hangs up, a bounded queue
// for a reader that does not read), join, leave, force-leave, members' segment errors, token.
#define BOOST_TEST_MODULE dev_agent_agent_api
#include <boost/test/unit_test.hpp>

#include "agent_client.hpp"
#include "agent_fixture.hpp"
#include "dev_agent/common/log_tap.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <memory>
#include <vector>

using namespace coconsul;
using namespace coconsul::test;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Agent options that keep the agent's own log lines (at warn) for a test to look at.
struct captured_log {
  std::shared_ptr<std::vector<std::string>> lines = std::make_shared<std::vector<std::string>>();
  dev_agent_options options() const {
    auto o = agent_test_options();
    o.level = dev_agent_options::log_level::warn;
    auto keep = lines;
    o.log_sink = [keep](std::string_view line) { keep->emplace_back(line); };
    return o;
  }
  bool has(const std::string& part) const {
    for (const auto& l : *lines)
      if (contains(l, part)) return true;
    return false;
  }
};

// A raw connection that sends one request and reads what comes, as it comes.
struct raw_stream {
  explicit raw_stream(const asio::any_io_executor& ex) : socket(ex) {}
  tcp::socket socket;
  asio::streambuf in;

  static asio::awaitable<std::unique_ptr<raw_stream>> open(const dev_agent& agent, std::string target,
                                                         int receive_buffer = 0) {
    auto ex = co_await asio::this_coro::executor;
    auto s = std::make_unique<raw_stream>(ex);
    s->socket.open(tcp::v4());
    if (receive_buffer > 0) s->socket.set_option(asio::socket_base::receive_buffer_size(receive_buffer));
    tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), agent.port());
    co_await s->socket.async_connect(ep, asio::use_awaitable);
    std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    co_await asio::async_write(s->socket, asio::buffer(req), asio::use_awaitable);
    co_return s;
  }

  // Everything up to the end of the header block.
  asio::awaitable<std::string> head() {
    std::size_t n = co_await asio::async_read_until(socket, in, "\r\n\r\n", asio::use_awaitable);
    std::string h(asio::buffers_begin(in.data()), asio::buffers_begin(in.data()) + static_cast<std::ptrdiff_t>(n));
    in.consume(n);
    co_return h;
  }

  // Reads until the bytes received hold `part` `n` times (or the stream ends).
  asio::awaitable<std::string> until_count(const std::string& part, std::size_t n) {
    for (;;) {
      std::string have(asio::buffers_begin(in.data()), asio::buffers_end(in.data()));
      std::size_t seen = 0;
      for (auto at = have.find(part); at != std::string::npos; at = have.find(part, at + 1)) ++seen;
      if (seen >= n) co_return have;
      auto [ec, got] = co_await asio::async_read(socket, in.prepare(4096), asio::transfer_at_least(1),
                                                  asio::as_tuple(asio::use_awaitable));
      if (ec) co_return have;
      in.commit(got);
    }
  }

  // Reads until the bytes received (chunk framing included) hold `part`.
  asio::awaitable<std::string> until_seen(const std::string& part) {
    for (;;) {
      std::string have(asio::buffers_begin(in.data()), asio::buffers_end(in.data()));
      if (contains(have, part)) co_return have;
      auto [ec, n] = co_await asio::async_read(socket, in.prepare(4096), asio::transfer_at_least(1),
                                                asio::as_tuple(asio::use_awaitable));
      if (ec) co_return have;
      in.commit(n);
    }
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(metrics_stream)

BOOST_AUTO_TEST_CASE(sends_a_summary_each_interval_until_the_client_hangs_up) {
  auto options = agent_test_options();
  options.metrics_interval = std::chrono::milliseconds(100);
  agent_fixture f(options);
  f.run([&]() -> asio::awaitable<void> {
    auto started = std::chrono::steady_clock::now();
    auto stream = co_await raw_stream::open(f.agent, "/v1/agent/metrics/stream");
    std::string head = co_await stream->head();  // at once, before the first summary
    BOOST_TEST(head.rfind("HTTP/1.1 200 OK\r\n", 0) == 0u);
    BOOST_TEST(contains(head, "Transfer-Encoding: chunked\r\n"));
    BOOST_TEST(contains(head, "Content-Type: application/json\r\n"));
    // Two summaries, each go-metrics' shape with the live gauges, one interval apart at least.
    std::string got = co_await stream->until_count("\"Timestamp\"", 2);
    auto first = got.find("\"Timestamp\"");
    BOOST_TEST_REQUIRE(first != std::string::npos);
    BOOST_TEST(got.find("\"Timestamp\"", first + 1) != std::string::npos);
    BOOST_TEST(contains(got, "consul.http.requests_in_flight"));
    BOOST_TEST(contains(got, "\"Gauges\""));
    bool two_intervals_passed = std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(200);
    BOOST_TEST(two_intervals_passed);
    stream->socket.close();
    co_await until([&] { return f.agent.open_connections() == 0; });
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(monitor)

BOOST_AUTO_TEST_CASE(streams_at_once_chunked_at_its_own_level_and_frees_everything_on_hang_up) {
  agent_fixture f(agent_test_options());  // the agent itself logs nothing
  f.run([&]() -> asio::awaitable<void> {
    auto mon = co_await raw_stream::open(f.agent, "/v1/agent/monitor?loglevel=debug");
    std::string head = co_await mon->head();  // before any line: the 200 is sent at once
    BOOST_TEST(head.rfind("HTTP/1.1 200 OK\r\n", 0) == 0u);
    BOOST_TEST(contains(head, "Transfer-Encoding: chunked\r\n"));
    BOOST_TEST(contains(head, "Content-Type: text/plain; charset=utf-8\r\n"));
    BOOST_TEST(!contains(head, "Content-Length"));
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.put("/v1/agent/join/10.3.3.3");
    BOOST_TEST(r.status == 500u);
    // The debug line of the join's request, which the agent's own level (off) would not show.
    std::string got = co_await mon->until_seen("url=/v1/agent/join/10.3.3.3");
    BOOST_TEST(contains(got, "[INFO]  agent: Joining cluster...: cluster=LAN\n"));
    BOOST_TEST(contains(got, "[DEBUG] agent.http: Request finished: method=PUT url=/v1/agent/join/10.3.3.3"));
    BOOST_TEST(f.agent.monitor_readers() == 1u);
    BOOST_TEST(f.agent.open_connections() == 2u);
    mon->socket.close();
    co_await until([&] { return f.agent.monitor_readers() == 0 && f.agent.open_connections() == 1; });
    c.close();
    co_await until([&] { return f.agent.open_connections() == 0; });
  }());
}

BOOST_AUTO_TEST_CASE(json_lines_and_levels) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto mon = co_await raw_stream::open(f.agent, "/v1/agent/monitor?loglevel=ERR&logjson");
    co_await mon->head();
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/agent/force-leave/ghost");  // an info and a warn line: below ERR
    co_await c.put("/v1/agent/join/10.4.4.4");      // likewise
    auto warn = co_await raw_stream::open(f.agent, "/v1/agent/monitor?loglevel=warn&logjson");
    co_await warn->head();
    co_await c.put("/v1/agent/force-leave/ghost2");
    std::string got = co_await warn->until_seen("ghost2");
    BOOST_TEST(contains(got, R"({"@level":"warn","@message":"Failed to remove node: node=ghost2 error=\"agent: No node found with name 'ghost2'\"","@module":"agent","@timestamp":")"));
    BOOST_TEST(!contains(got, "Force leaving node"));  // info
    // The ERR reader got nothing: its first bytes are still to come.
    BOOST_TEST(mon->in.size() == 0u);
  }());
}

BOOST_AUTO_TEST_CASE(an_unknown_level_is_consuls_400) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/v1/agent/monitor?loglevel=verbose");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == "Unknown log level: verbose");
    BOOST_TEST(f.agent.monitor_readers() == 0u);
  }());
}

// The tap itself, without sockets: a reader's queue holds at most max_queued_lines lines and
// max_queued_bytes bytes, the oldest going first, and a reader gets only its levels.
BOOST_AUTO_TEST_CASE(the_tap_bounds_a_reader_by_lines_and_by_bytes) {
  asio::io_context ioc;
  dev::log_tap tap(ioc.get_executor());
  auto info = tap.subscribe(dev::log_level::info, false);
  auto warn = tap.subscribe(dev::log_level::warn, false);
  std::string big(100 * 1024, 'x');  // a line of 102,401 bytes with its newline: 10 fit in 1 MiB
  for (int i = 0; i < 50; ++i) tap.publish(dev::log_level::info, "t", big, "agent", big);
  BOOST_TEST(info->lines.size() == 10u);
  BOOST_TEST(info->queued_bytes == 10u * (big.size() + 1));
  BOOST_TEST(info->queued_bytes <= dev::log_tap::max_queued_bytes);
  BOOST_TEST(info->dropped == 40u);
  BOOST_TEST(warn->lines.empty());
  for (int i = 0; i < 1000; ++i) tap.publish(dev::log_level::warn, "t", "short", "agent", "short");
  BOOST_TEST(info->lines.size() == dev::log_tap::max_queued_lines);
  BOOST_TEST(info->dropped == 40u + 10u + (1000u - dev::log_tap::max_queued_lines));
  BOOST_TEST(info->lines.back() == "short\n");
  BOOST_TEST(warn->lines.size() == dev::log_tap::max_queued_lines);
  BOOST_TEST(tap.readers() == 2u);
  warn.reset();
  BOOST_TEST(tap.readers() == 1u);
}

// A reader that never reads: the agent keeps a bounded queue for it (above), drops the oldest,
// and says how many when the reader goes, as Consul does.
BOOST_AUTO_TEST_CASE(a_reader_that_does_not_read_costs_a_bounded_queue) {
  captured_log log;
  agent_fixture f(log.options());
  f.run([&]() -> asio::awaitable<void> {
    auto mon = co_await raw_stream::open(f.agent, "/v1/agent/monitor?loglevel=trace", 4096);
    co_await mon->head();
    auto c = agent_client(f.agent, f.ioc.get_executor());
    // Long lines (a 60 KB address, logged three times a request): far more than the sockets'
    // buffers hold, so most of them must wait in the agent's queue, or be dropped.
    std::string address(60 * 1024, 'h');
    for (int i = 0; i < 400; ++i) co_await c.put("/v1/agent/join/" + address);
    BOOST_TEST(!log.has("Dropped logs during monitor request"));
    mon->socket.close();
    co_await until([&] { return f.agent.monitor_readers() == 0; });
    BOOST_TEST(log.has("[WARN]  agent: Dropped logs during monitor request: dropped_count="));
  }(), std::chrono::seconds(60));
}

BOOST_AUTO_TEST_CASE(the_agent_stopping_ends_every_stream) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto mon = co_await raw_stream::open(f.agent, "/v1/agent/monitor");
    co_await mon->head();
    BOOST_TEST(f.agent.monitor_readers() == 1u);
    f.agent.stop();
    co_await mon->until_seen("never sent");  // returns at the close
    BOOST_TEST(f.agent.monitor_readers() == 0u);
    BOOST_TEST(f.agent.open_connections() == 0u);
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(membership)

BOOST_AUTO_TEST_CASE(join_answers_as_consul_does_when_nothing_listens_there) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.put("/v1/agent/join/10.1.2.3");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body ==
               "1 error occurred:\n\t* Failed to join 10.1.2.3:8301: dial tcp 10.1.2.3:8301: connect: connection "
               "refused\n\n");
    r = co_await c.put("/v1/agent/join/10.1.2.3?wan=1");  // the WAN pool's port
    BOOST_TEST(contains(r.body, "Failed to join 10.1.2.3:8302"));
    r = co_await c.put("/v1/agent/join/[::1]:7000");
    BOOST_TEST(contains(r.body, "Failed to join [::1]:7000: dial tcp [::1]:7000"));
    r = co_await c.put("/v1/agent/join/no-such-host.invalid");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(contains(r.body, "Failed to resolve no-such-host.invalid"));
    // Itself: one node joined, as a lone Consul agent joining its own address.
    r = co_await c.put("/v1/agent/join/127.0.0.1");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.body == "");
    r = co_await c.put("/v1/agent/join/localhost:8302?wan=1");
    BOOST_TEST(r.status == 200u);
    r = co_await c.get("/v1/agent/join/127.0.0.1");
    BOOST_TEST(r.status == 405u);
  }());
}

BOOST_AUTO_TEST_CASE(force_leave_of_an_unknown_node_and_of_the_agent_itself) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.put("/v1/agent/force-leave/ghost");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "agent: No node found with name 'ghost'");
    r = co_await c.put("/v1/agent/force-leave/ghost?wan");
    BOOST_TEST(r.body == "agent: No node found with name ''");  // Consul's WAN-only path names no LAN node
    for (const char* ok : {"/v1/agent/force-leave/test-node", "/v1/agent/force-leave/test-node?prune",
                           "/v1/agent/force-leave/test-node.dc1", "/v1/agent/force-leave/test-node.dc1?wan"}) {
      r = co_await c.put(ok);
      BOOST_TEST(r.status == 200u, ok);
    }
    r = co_await c.get("/v1/agent/members");
    BOOST_TEST(r.json().as_array().size() == 1u);
    BOOST_TEST(r.json().as_array()[0].at("Status").as_int64() == 1);  // the agent refuted its removal
  }());
}

BOOST_AUTO_TEST_CASE(members_segment_errors) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/v1/agent/members?wan=1&segment=x");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == "Cannot provide a segment with wan=true");
    r = co_await c.get("/v1/agent/members?segment=x");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "Network segments are not supported in this version of Consul");
    r = co_await c.get("/v1/agent/members?wan=1&segment=_all");
    BOOST_TEST(r.status == 200u);
    r = co_await c.get("/v1/agent/members?segment=_all");
    BOOST_TEST(r.status == 200u);
  }());
}

BOOST_AUTO_TEST_CASE(leave_answers_then_the_listener_closes_and_the_owner_is_told) {
  agent_fixture f(agent_test_options());
  bool told = false;
  f.agent.on_leave([&] { told = true; });
  std::uint16_t port = f.agent.port();
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.put("/v1/agent/leave");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.body == "");
    co_await until([&] { return told; });
    BOOST_TEST(f.agent.left());
    tcp::socket s(f.ioc);
    tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
    auto [ec] = co_await s.async_connect(ep, asio::as_tuple(asio::use_awaitable));
    BOOST_TEST((ec == asio::error::connection_refused));
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(token)

BOOST_AUTO_TEST_CASE(acls_off_is_consuls_401_whatever_the_name) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    for (const char* name : {"default", "agent", "nope"}) {
      auto r = co_await c.put(std::string("/v1/agent/token/") + name, R"({"Token":"s"})");
      BOOST_TEST(r.status == 401u);
      BOOST_TEST(r.body == "ACL support disabled");
    }
    BOOST_TEST(f.agent.agent_token("default") == "");
  }());
}

BOOST_AUTO_TEST_CASE(with_acls_on_every_consul_name_is_stored_and_others_are_404) {
  // Each request names a management token: once the default token is set to a value that is
  // no token, requests without one act with it and get 403 "ACL not found", as in Consul.
  auto o = agent_test_options();
  o.acl.tokens.initial_management = "root";
  agent_fixture f(o);
  f.agent.set_acl_enabled(true);
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto put = [&c](std::string target, std::string body) { return c.put(target + "?token=root", std::move(body)); };
    struct named {
      const char* path;
      const char* kind;
    };
    for (named n : {named{"default", "default"}, named{"acl_token", "default"}, named{"agent", "agent"},
                    named{"acl_agent_token", "agent"}, named{"agent_recovery", "agent_recovery"},
                    named{"agent_master", "agent_recovery"}, named{"acl_agent_master_token", "agent_recovery"},
                    named{"replication", "replication"}, named{"acl_replication_token", "replication"}}) {
      std::string value = std::string("t-") + n.path;
      auto r = co_await put(std::string("/v1/agent/token/") + n.path, R"({"Token":")" + value + R"("})");
      BOOST_TEST(r.status == 200u, n.path);
      BOOST_TEST(r.body == "");
      BOOST_TEST(f.agent.agent_token(n.kind) == value, n.path);
    }
    auto r = co_await put("/v1/agent/token/x", R"({"Token":"s"})");
    BOOST_TEST(r.status == 404u);
    BOOST_TEST(r.body == "Token \"x\" is unknown");
    r = co_await put("/v1/agent/token/agent", R"({"Tokn":"s"})");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == "Request decode failed: json: unknown field \"Tokn\"");
    // Without a token, the agent's default one ("t-acl_token", no token) is what the request acts with.
    r = co_await c.put("/v1/agent/token/agent", R"({"Token":"s"})");
    BOOST_TEST(r.status == 403u);
    BOOST_TEST(r.body == "ACL not found");
  }());
}

BOOST_AUTO_TEST_SUITE_END()
