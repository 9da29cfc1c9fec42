// The agent's check runners (HTTP, TCP, TTL), their thresholds and the reaper, with Consul's
// timers shortened through dev_agent_options.
#define BOOST_TEST_MODULE dev_agent_checks
#include <boost/test/unit_test.hpp>

#include "agent_client.hpp"
#include "agent_fixture.hpp"
#include "tls_endpoint.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>

using namespace coconsul;
using namespace coconsul::test;
namespace asio = boost::asio;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

// A health endpoint whose answer the test sets; it records the last request it saw.
struct health_endpoint {
  explicit health_endpoint(asio::io_context& ioc) : acceptor(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    asio::co_spawn(ioc, serve(), asio::detached);
  }
  std::string url(const std::string& path = "/health") const {
    return "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + path;
  }
  asio::awaitable<void> serve() {
    for (;;) {
      auto [ec, s] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      std::string req;
      auto [rec, n] = co_await asio::async_read_until(s, asio::dynamic_buffer(req), "\r\n\r\n",
                                                      asio::as_tuple(asio::use_awaitable));
      if (rec) continue;
      last_request = req.substr(0, n);
      ++hits;
      std::string path = last_request.substr(last_request.find(' ') + 1);
      path = path.substr(0, path.find(' '));
      bool redirect = !redirect_from.empty() && path == redirect_from;
      std::string resp = redirect ? "HTTP/1.1 302 Found\r\nLocation: " + redirect_to + "\r\nContent-Length: 0\r\n"
                                    "Connection: close\r\n\r\n"
                                  : "HTTP/1.1 " + status + "\r\nContent-Length: " + std::to_string(body.size()) +
                                        "\r\nConnection: close\r\n\r\n" + body;
      co_await asio::async_write(s, asio::buffer(resp), asio::as_tuple(asio::use_awaitable));
    }
  }
  tcp::acceptor acceptor;
  std::string status = "200 OK";
  std::string body = "ok";
  std::string redirect_from, redirect_to;  // answer 302 for this path
  std::string last_request;
  int hits = 0;
};

// Waits (blocking on /v1/agent/checks is not possible, so on /v1/health/state/any) until the
// check has `status`; returns its record.
asio::awaitable<json::value> wait_for_status(agent_client& c, std::string check, std::string status) {
  std::uint64_t idx = 0;
  for (;;) {
    auto r = co_await c.get("/v1/health/state/any?wait=5s&index=" + std::to_string(idx));
    idx = r.index();
    auto all = r.json();
    for (const auto& e : all.as_array())
      if (e.at("CheckID").as_string() == check && e.at("Status").as_string() == status) co_return e;
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(http_check_maps_statuses_and_formats_output) {
  agent_fixture f(agent_test_options());
  health_endpoint h(f.ioc);
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.put("/v1/agent/service/register",
                            R"({"Name":"web","Check":{"HTTP":")" + h.url() + R"(","Interval":"50ms"}})");
    BOOST_TEST(r.status == 200u);
    auto chk = co_await wait_for_status(c, "service:web", "passing");
    BOOST_TEST(chk.at("Output").as_string() == "HTTP GET " + h.url() + ": 200 OK Output: ok");
    BOOST_TEST(h.last_request.find("User-Agent: Consul Health Check\r\n") != std::string::npos);
    BOOST_TEST(h.last_request.find("Accept: text/plain, text/*, */*\r\n") != std::string::npos);
    h.status = "429 Too Many Requests";
    co_await wait_for_status(c, "service:web", "warning");
    h.status = "503 Service Unavailable";
    h.body = std::string(5000, 'a') + "TAIL";
    chk = co_await wait_for_status(c, "service:web", "critical");
    std::string out(chk.at("Output").as_string());
    BOOST_TEST(out.find("HTTP GET " + h.url() + ": 503 Service Unavailable Output: ") == 0u);
    BOOST_TEST(out.size() < 4200u);  // the last 4 KB of the body
    BOOST_TEST(out.substr(out.size() - 4) == "TAIL");
  }());
}

BOOST_AUTO_TEST_CASE(http_check_of_a_dead_endpoint_is_critical) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/agent/check/register",
                   R"({"Name":"dead","HTTP":"http://127.0.0.1:1/health","Interval":"50ms","Status":"passing"})");
    auto chk = co_await wait_for_status(c, "dead", "critical");
    BOOST_TEST(chk.at("Output").as_string() ==
               "Get \"http://127.0.0.1:1/health\": dial tcp 127.0.0.1:1: connect: connection refused");
  }());
}

BOOST_AUTO_TEST_CASE(tcp_check) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    std::string live = "127.0.0.1:" + std::to_string(f.agent.port());
    co_await c.put("/v1/agent/check/register", R"({"Name":"live","TCP":")" + live + R"(","Interval":"50ms"})");
    co_await c.put("/v1/agent/check/register", R"({"Name":"dead","TCP":"127.0.0.1:1","Interval":"50ms","Status":"passing"})");
    auto chk = co_await wait_for_status(c, "live", "passing");
    BOOST_TEST(chk.at("Output").as_string() == "TCP connect " + live + ": Success");
    chk = co_await wait_for_status(c, "dead", "critical");
    BOOST_TEST(chk.at("Output").as_string() == "dial tcp 127.0.0.1:1: connect: connection refused");
  }());
}

BOOST_AUTO_TEST_CASE(failures_before_critical_goes_through_warning) {
  agent_fixture f(agent_test_options());
  health_endpoint h(f.ioc);
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/agent/check/register",
                   R"({"Name":"flaky","HTTP":")" + h.url() +
                       R"(","Interval":"30ms","FailuresBeforeWarning":1,"FailuresBeforeCritical":3,"SuccessBeforePassing":2})");
    co_await wait_for_status(c, "flaky", "passing");
    int hits_at_passing = h.hits;
    BOOST_TEST(hits_at_passing >= 1);  // counters start at the thresholds: the first success counts
    h.status = "500 Internal Server Error";
    int before = h.hits;
    co_await wait_for_status(c, "flaky", "warning");
    BOOST_TEST(h.hits - before >= 1);
    co_await wait_for_status(c, "flaky", "critical");
    BOOST_TEST(h.hits - before >= 3);
    h.status = "200 OK";
    before = h.hits;
    co_await wait_for_status(c, "flaky", "passing");
    BOOST_TEST(h.hits - before >= 2);  // SuccessBeforePassing
  }());
}

BOOST_AUTO_TEST_CASE(interval_below_the_minimum_is_raised) {
  agent_fixture f(agent_test_options());
  health_endpoint h(f.ioc);
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/agent/check/register", R"({"Name":"fast","HTTP":")" + h.url() + R"(","Interval":"1ms"})");
    auto r = co_await c.get("/v1/agent/checks");
    BOOST_TEST(r.json().at("fast").at("Interval").as_string() == "20ms");  // agent_test_options: 20 ms minimum
    co_await sleep_for(200ms);
    BOOST_TEST(h.hits <= 11);
  }());
}

BOOST_AUTO_TEST_CASE(reaper_removes_a_critical_service_after_the_clamped_timeout) {
  agent_fixture f(agent_test_options());  // deregister minimum 300 ms, reaper every 50 ms
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/agent/service/register",
                   R"({"Name":"doomed","Check":{"TCP":"127.0.0.1:1","Interval":"20ms","DeregisterCriticalServiceAfter":"10ms"}})");
    co_await wait_for_status(c, "service:doomed", "critical");
    auto critical_at = std::chrono::steady_clock::now();
    auto r = co_await c.get("/v1/catalog/service/doomed");
    auto idx = r.index();
    BOOST_TEST(r.json().as_array().size() == 1u);
    for (;;) {
      r = co_await c.get("/v1/catalog/service/doomed?wait=5s&index=" + std::to_string(idx));
      idx = r.index();
      if (r.json().as_array().empty()) break;
    }
    auto after = std::chrono::steady_clock::now() - critical_at;
    BOOST_TEST((after >= 280ms));           // raised from 10 ms to the 300 ms minimum
    BOOST_TEST((after < 300ms + 50ms + 300ms));  // plus at most one reaper tick (and slack)
    r = co_await c.get("/v1/agent/services");
    BOOST_TEST(r.body == "{}\n");
  }());
}

BOOST_AUTO_TEST_CASE(a_ttl_check_that_is_fed_is_never_reaped) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/agent/service/register",
                   R"({"Name":"fed","Check":{"TTL":"200ms","DeregisterCriticalServiceAfter":"1ms"}})");
    for (int i = 0; i < 10; ++i) {
      co_await c.put("/v1/agent/check/pass/service:fed");
      co_await sleep_for(60ms);
    }
    auto r = co_await c.get("/v1/agent/services");
    BOOST_TEST(r.json().as_object().contains("fed"));
  }());
}

BOOST_AUTO_TEST_CASE(consuls_defaults_clamp_a_30s_deregister_to_one_minute) {
  // The walkthrough's "30s": with Consul's defaults it is raised to 1 minute (and reaped every
  // 30 s), which is why removal takes 60-90 s.
  dev_agent_options o;
  o.node_name = "defaults";
  o.level = dev_agent_options::log_level::warn;
  std::vector<std::string> lines;
  o.log_sink = [&](std::string_view line) { lines.emplace_back(line); };
  agent_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/v1/agent/self");
    BOOST_TEST(r.json().at("DebugConfig").at("CheckDeregisterIntervalMin").as_string() == "1m0s");
    BOOST_TEST(r.json().at("DebugConfig").at("CheckReapInterval").as_string() == "30s");
    co_await c.put("/v1/agent/service/register",
                   R"({"Name":"web","Check":{"TCP":"127.0.0.1:1","Interval":"10s","DeregisterCriticalServiceAfter":"30s"}})");
  }());
  bool warned = false;
  for (const auto& l : lines)
    warned |= l.find("[WARN]  agent: check has deregister interval below minimum: check=service:web minimum_interval=1m0s") !=
              std::string::npos;
  BOOST_TEST(warned);
}

BOOST_AUTO_TEST_CASE(https_check_verifies_unless_told_not_to) {
  agent_fixture f(agent_test_options());
  tls_health_endpoint h(f.ioc);
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/agent/check/register",
                   R"({"Name":"strict","HTTP":")" + h.url() + R"(","Interval":"50ms","Status":"passing"})");
    co_await c.put("/v1/agent/check/register",
                   R"({"Name":"lax","HTTP":")" + h.url("localhost") + R"(","Interval":"50ms","TLSSkipVerify":true})");
    auto chk = co_await wait_for_status(c, "strict", "critical");
    BOOST_TEST(chk.at("Output").as_string() ==
               "Get \"" + h.url() + "\": tls: failed to verify certificate: x509: certificate signed by unknown authority");
    chk = co_await wait_for_status(c, "lax", "passing");
    BOOST_TEST(chk.at("Output").as_string() == "HTTP GET " + h.url("localhost") + ": 200 OK Output: secure");
    BOOST_TEST(chk.at("Definition").at("TLSSkipVerify").as_bool());
  }());
}

BOOST_AUTO_TEST_CASE(http_check_method_headers_host_body_and_redirects) {
  agent_fixture f(agent_test_options());
  health_endpoint h(f.ioc);
  h.redirect_from = "/old";
  h.redirect_to = "/health";
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/agent/check/register",
                   R"({"Name":"custom","HTTP":")" + h.url("/old") + R"(","Interval":"50ms","Method":"POST","Body":"ping",
                       "Header":{"Host":["svc.internal"],"X-Probe":["a","b"],"User-Agent":["mine"]}})");
    auto chk = co_await wait_for_status(c, "custom", "passing");
    // The redirect was followed (and a 302 turns a POST into a GET, as Go's client does).
    BOOST_TEST(chk.at("Output").as_string() == "HTTP POST " + h.url("/old") + ": 200 OK Output: ok");
    BOOST_TEST(h.last_request.rfind("GET /health HTTP/1.1\r\n", 0) == 0u);
    BOOST_TEST(h.last_request.find("Host: svc.internal\r\n") != std::string::npos);
    BOOST_TEST(h.last_request.find("X-Probe: a\r\n") != std::string::npos);
    BOOST_TEST(h.last_request.find("X-Probe: b\r\n") != std::string::npos);
    BOOST_TEST(h.last_request.find("User-Agent: mine\r\n") != std::string::npos);
    BOOST_TEST(h.last_request.find("Consul Health Check") == std::string::npos);
    auto r = co_await c.get("/v1/agent/checks");
    BOOST_TEST(r.json().at("custom").at("Definition").at("Method").as_string() == "POST");
    BOOST_TEST(r.json().at("custom").at("Definition").at("Header").at("X-Probe").at(1).as_string() == "b");
  }());
}

BOOST_AUTO_TEST_CASE(stopping_the_agent_aborts_a_probe_in_flight) {
  agent_fixture f(agent_test_options());
  // Accepts and never answers: the check's read would wait for its 10 s timeout.
  tcp::acceptor silent(f.ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  tcp::socket held(f.ioc);
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    std::string url = "http://127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + "/";
    auto r = co_await c.put("/v1/agent/check/register",
                            R"({"Name":"hang","HTTP":")" + url + R"(","Interval":"20ms","Timeout":"10s"})");
    BOOST_TEST(r.status == 200u);
    co_await silent.async_accept(held, asio::use_awaitable);  // the probe is connected and reading
  }());
  f.agent.stop();
  // The probe's read was cancelled with the runner: nothing of the agent is left to run.
  f.ioc.restart();
  auto started = std::chrono::steady_clock::now();
  f.ioc.run_for(5s);
  BOOST_TEST((std::chrono::steady_clock::now() - started < 1s));
}
