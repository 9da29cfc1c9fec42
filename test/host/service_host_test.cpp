// The service host against the in-process dev agent: registration, health endpoint, TTL
// heartbeats, re-registration, maintenance, stop, cancellation. Over 500 lines: every case
// shares the helpers below (hosts, check and service waits, raw HTTP to the endpoint).
#define BOOST_TEST_MODULE service_host
#include <boost/test/unit_test.hpp>

#include "agent_fixture.hpp"

#include <coconsul/service_host.hpp>

#include "host/registration.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <memory>
#include <optional>
#include <set>
#include <string>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using coconsul::errc;
using coconsul::health_status;
using coconsul::test::agent_fixture;
using clock_type = std::chrono::steady_clock;

namespace {

// A host for service "web" (ID "web-1") with the health endpoint and an HTTP check on it.
coconsul::service_host_options web_with_http_check() {
  coconsul::service_host_options o;
  o.service.name = "web";
  o.service.id = "web-1";
  o.service.port = 8080;
  o.health_endpoint = coconsul::health_endpoint_options();
  o.http_check = coconsul::service_check();
  o.http_check->interval = 50ms;
  return o;
}

// A host for service "worker" (ID "worker-1") with one TTL check.
coconsul::service_host_options worker_with_ttl(std::chrono::milliseconds ttl) {
  coconsul::service_host_options o;
  o.service.name = "worker";
  o.service.id = "worker-1";
  coconsul::service_check ttl_check;
  ttl_check.ttl = ttl;
  o.service.checks.push_back(ttl_check);
  return o;
}

// Blocks on /v1/health/checks/:service until check `id` has `status` and an output containing
// `output_part`; returns that check.
asio::awaitable<coconsul::health_check> wait_for_check(coconsul::client& consul, std::string service, std::string id,
                                                       std::string status, std::string output_part = "") {
  coconsul::query_options o;
  for (;;) {
    auto r = co_await consul.health().checks(service, o);
    for (auto& c : r.value)
      if (c.check_id == id && c.status == status && c.output.find(output_part) != std::string::npos) co_return c;
    o.index = r.meta.last_index;
    o.wait = 5s;
  }
}

// Blocks on /v1/health/service/:name until the service is (or is not) in the catalog.
asio::awaitable<void> wait_for_service(coconsul::client& consul, std::string name, bool present) {
  coconsul::query_options o;
  for (;;) {
    auto r = co_await consul.health().service(name, o);
    if (r.value.empty() != present) co_return;
    o.index = r.meta.last_index;
    o.wait = 5s;
  }
}

asio::awaitable<bool> agent_has_check(coconsul::client& consul, std::string id) {
  auto checks = co_await consul.agent().checks();
  co_return checks.value.count(id) > 0;
}

// A port nothing listens on (bound once, then released).
std::uint16_t free_port(asio::io_context& ioc) {
  tcp::acceptor a(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();
}

asio::awaitable<boost::system::error_code> try_connect(std::uint16_t port) {
  tcp::socket s(co_await asio::this_coro::executor);
  auto [ec] = co_await s.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                       asio::as_tuple(asio::use_awaitable));
  co_return ec;
}

asio::awaitable<http::response<http::string_body>> send(beast::tcp_stream& stream, http::verb method,
                                                        std::string target) {
  http::request<http::string_body> req{method, target, 11};
  req.set(http::field::host, "127.0.0.1");
  req.keep_alive(true);
  req.prepare_payload();
  co_await http::async_write(stream, req, asio::use_awaitable);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.skip(method == http::verb::head);  // a HEAD response announces a body it does not send
  co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
  co_return parser.release();
}

asio::awaitable<beast::tcp_stream> connect_to(std::uint16_t port) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  co_await stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), asio::use_awaitable);
  co_return stream;
}

template <class F>
void expect_invalid(F make, const std::string& message_part) {
  try {
    make();
    BOOST_FAIL("expected coconsul::error (invalid_argument)");
  } catch (const coconsul::error& e) {
    BOOST_TEST((e.code() == errc::invalid_argument), e.what());
    BOOST_TEST(e.diag().message.find(message_part) != std::string::npos, e.diag().message);
  }
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(start_registers_the_service_and_the_http_check_passes, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    coconsul::service_host host(consul, web_with_http_check());
    BOOST_TEST(host.health_port() == 0);
    co_await host.start();
    BOOST_TEST(host.running());
    BOOST_TEST(host.health_port() != 0);
    BOOST_TEST(host.health_url() == "http://127.0.0.1:" + std::to_string(host.health_port()) + "/check");

    auto services = co_await consul.agent().services();
    BOOST_REQUIRE(services.value.count("web-1") == 1);
    BOOST_TEST(services.value["web-1"].service == "web");
    BOOST_TEST(services.value["web-1"].port == 8080);
    auto checks = co_await consul.agent().checks();
    BOOST_REQUIRE(checks.value.count("service:web-1") == 1);  // Consul's default ID for a single check
    BOOST_TEST(checks.value["service:web-1"].definition.http == host.health_url());
    BOOST_TEST(host.stats().registrations == 1u);

    // The agent's HTTP check reaches the endpoint and reports passing.
    co_await wait_for_check(consul, "web", "service:web-1", "passing", "passing");
    auto entries = co_await consul.health().service("web");
    BOOST_REQUIRE(entries.value.size() == 1u);
    BOOST_TEST(entries.value[0].service.id == "web-1");
    BOOST_TEST(host.stats().health_requests >= 1u);
    co_await host.stop();
  }());
}

BOOST_FIXTURE_TEST_CASE(set_health_drives_the_http_check, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    coconsul::service_host host(consul, web_with_http_check());
    co_await host.start();
    co_await wait_for_check(consul, "web", "service:web-1", "passing");

    host.set_health(health_status::critical, "why");
    BOOST_TEST((host.health() == health_status::critical));
    auto critical = co_await wait_for_check(consul, "web", "service:web-1", "critical", "why");
    BOOST_TEST(critical.output.find("503") != std::string::npos, critical.output);

    host.set_health(health_status::warning, "busy");
    auto warning = co_await wait_for_check(consul, "web", "service:web-1", "warning", "busy");
    BOOST_TEST(warning.output.find("429") != std::string::npos, warning.output);

    host.set_health(health_status::passing);
    co_await wait_for_check(consul, "web", "service:web-1", "passing", "passing");
    co_await host.stop();
  }());
}

BOOST_FIXTURE_TEST_CASE(ttl_check_is_kept_passing_by_heartbeats, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    coconsul::service_host host(consul, worker_with_ttl(300ms));
    host.set_health(health_status::passing, "all good");
    co_await host.start();
    co_await wait_for_check(consul, "worker", "service:worker-1", "passing", "all good");

    // Watch every change of the check for more than three TTLs: it never expires.
    const auto until = clock_type::now() + 1200ms;
    coconsul::query_options o;
    while (clock_type::now() < until) {
      auto r = co_await consul.health().checks("worker", o);
      BOOST_REQUIRE(r.value.size() == 1u);
      BOOST_TEST(r.value[0].status == "passing", r.value[0].output);
      o.index = r.meta.last_index;
      o.wait = std::chrono::duration_cast<std::chrono::milliseconds>(until - clock_type::now()) + 1ms;
    }
    BOOST_TEST(host.stats().heartbeats >= 4u);  // one at start, then every 100 ms
    BOOST_TEST(host.stats().errors == 0u);
    co_await host.stop();
  }());
}

BOOST_FIXTURE_TEST_CASE(set_health_reaches_a_ttl_check_at_once, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    // A 30 s TTL heartbeats every 10 s: only set_health can explain a change within a second.
    coconsul::service_host host(consul, worker_with_ttl(30s));
    co_await host.start();
    co_await wait_for_check(consul, "worker", "service:worker-1", "passing");
    const auto asked = clock_type::now();
    host.set_health(health_status::critical, "disk full");
    co_await wait_for_check(consul, "worker", "service:worker-1", "critical", "disk full");
    BOOST_TEST((clock_type::now() - asked < 1s));
    host.set_health(health_status::warning, "disk 90%");
    co_await wait_for_check(consul, "worker", "service:worker-1", "warning", "disk 90%");
    co_await host.stop();
  }());
}

BOOST_FIXTURE_TEST_CASE(several_checks_get_consuls_numbered_ids, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto o = web_with_http_check();
    coconsul::service_check ttl_check;
    ttl_check.ttl = 10s;
    o.service.check = ttl_check;  // first in Consul's order: Check, then Checks, then the host's HTTP check
    coconsul::service_check named;
    named.check_id = "web-tcp";
    named.tcp = "127.0.0.1:1";
    named.interval = 1s;
    o.service.checks.push_back(named);
    coconsul::service_host host(consul, std::move(o));
    co_await host.start();
    auto checks = co_await consul.agent().checks();
    BOOST_TEST(checks.value.count("service:web-1:1") == 1u);
    BOOST_TEST(checks.value["service:web-1:1"].type == "ttl");
    BOOST_TEST(checks.value.count("web-tcp") == 1u);
    BOOST_TEST(checks.value.count("service:web-1:3") == 1u);
    BOOST_TEST(checks.value["service:web-1:3"].type == "http");
    // The host knew the TTL check's ID: its first heartbeat made it passing.
    BOOST_TEST(checks.value["service:web-1:1"].status == "passing");
    BOOST_TEST(host.stats().heartbeats == 1u);
    co_await host.stop();
  }());
}

BOOST_FIXTURE_TEST_CASE(planned_check_ids_are_the_ones_the_agent_would_give, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    coconsul::service_host_options o;
    o.service.name = "raw";
    coconsul::service_check ttl_check;
    ttl_check.ttl = 10s;
    o.service.check = ttl_check;
    o.service.checks.push_back(ttl_check);
    o.service.checks.push_back(ttl_check);
    // The agent names the checks of a registration that gives no IDs...
    co_await consul.agent().register_service(o.service);
    auto checks = co_await consul.agent().checks();
    std::set<std::string> agent_ids;
    for (const auto& [id, c] : checks.value)
      if (c.service_id == "raw") agent_ids.insert(id);
    // ...exactly as the host's plan does.
    auto plan = coconsul::detail::plan_registration(o, "");
    std::set<std::string> planned_ids;
    for (const auto& c : plan.registration.checks) planned_ids.insert(c.check_id);
    BOOST_TEST(agent_ids.size() == 3u);
    BOOST_TEST((agent_ids == planned_ids));
  }());
}

BOOST_FIXTURE_TEST_CASE(registers_again_when_the_agent_forgets_the_service, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto o = web_with_http_check();
    o.anti_entropy = 100ms;
    coconsul::service_host host(consul, std::move(o));
    co_await host.start();
    co_await wait_for_service(consul, "web", true);

    co_await consul.agent().deregister_service("web-1");  // behind the host's back
    co_await wait_for_service(consul, "web", false);
    co_await wait_for_service(consul, "web", true);  // the anti-entropy read noticed
    BOOST_TEST(host.stats().registrations == 2u);
    co_await wait_for_check(consul, "web", "service:web-1", "passing");
    co_await host.stop();
  }());
}

BOOST_FIXTURE_TEST_CASE(a_heartbeat_answered_404_registers_again, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto o = worker_with_ttl(300ms);
    o.anti_entropy = 0ms;  // only the heartbeat can notice
    coconsul::service_host host(consul, std::move(o));
    co_await host.start();
    co_await consul.agent().deregister_service("worker-1");
    co_await wait_for_service(consul, "worker", false);
    co_await wait_for_check(consul, "worker", "service:worker-1", "passing");
    BOOST_TEST(host.stats().registrations == 2u);
    co_await host.stop();
  }());
}

BOOST_FIXTURE_TEST_CASE(registers_again_after_an_agent_restart, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto o = worker_with_ttl(300ms);
    o.anti_entropy = 100ms;
    o.retry = 50ms;
    coconsul::service_host host(consul, std::move(o));
    co_await host.start();
    co_await wait_for_service(consul, "worker", true);

    // A new agent on the same port knows nothing of the service.
    const auto port = agent.port();
    agent.stop();
    auto opts = coconsul::test::fast_agent_options();
    opts.port = port;
    coconsul::dev_agent restarted(ioc.get_executor(), opts);
    restarted.start();

    co_await wait_for_check(consul, "worker", "service:worker-1", "passing");
    BOOST_TEST(host.stats().registrations == 2u);
    co_await host.stop();
    auto services = co_await consul.agent().services();
    BOOST_TEST(services.value.count("worker-1") == 0u);
    restarted.stop();
  }());
}

BOOST_FIXTURE_TEST_CASE(maintenance_mode_is_set_cleared_and_kept, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto o = worker_with_ttl(10s);
    o.anti_entropy = 100ms;
    coconsul::service_host host(consul, std::move(o));
    co_await host.start();
    const std::string maintenance_check = "_service_maintenance:worker-1";

    co_await host.maintenance(coconsul::maintenance_mode::on, "upgrading");
    auto checks = co_await consul.agent().checks();
    BOOST_REQUIRE(checks.value.count(maintenance_check) == 1u);
    BOOST_TEST(checks.value[maintenance_check].status == "critical");
    BOOST_TEST(checks.value[maintenance_check].notes == "upgrading");

    // A re-registration puts the mode back.
    co_await consul.agent().deregister_service("worker-1");
    co_await wait_for_service(consul, "worker", false);
    co_await wait_for_check(consul, "worker", maintenance_check, "critical");
    BOOST_TEST(host.stats().registrations == 2u);

    co_await host.maintenance(coconsul::maintenance_mode::off);
    BOOST_TEST(!(co_await agent_has_check(consul, maintenance_check)));
    BOOST_TEST(co_await agent_has_check(consul, "service:worker-1"));
    co_await host.stop();
  }());
}

BOOST_FIXTURE_TEST_CASE(stop_deregisters_and_closes_the_endpoint, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    coconsul::service_host host(consul, web_with_http_check());
    co_await host.start();
    const auto port = host.health_port();
    BOOST_TEST(!(co_await try_connect(port)));
    // An open keep-alive connection is closed too.
    auto stream = co_await connect_to(port);
    auto first = co_await send(stream, http::verb::get, "/check");
    BOOST_TEST(first.result_int() == 200u);

    co_await host.stop();
    BOOST_TEST(!host.running());
    BOOST_TEST(host.health_port() == 0);
    auto services = co_await consul.agent().services();
    BOOST_TEST(services.value.count("web-1") == 0u);
    auto checks = co_await consul.agent().checks();
    BOOST_TEST(checks.value.count("service:web-1") == 0u);
    BOOST_TEST((co_await try_connect(port) == asio::error::connection_refused));
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    auto [read_ec, n] = co_await http::async_read(stream, buffer, res, asio::as_tuple(asio::use_awaitable));
    BOOST_TEST((read_ec == http::error::end_of_stream), read_ec.message());
    co_await host.stop();  // a second stop does nothing
  }());
}

BOOST_FIXTURE_TEST_CASE(destroying_a_running_host_deregisters_in_the_background, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    std::uint16_t port = 0;
    {
      coconsul::service_host host(consul, web_with_http_check());
      co_await host.start();
      port = host.health_port();
    }
    BOOST_TEST((co_await try_connect(port) == asio::error::connection_refused));
    co_await wait_for_service(consul, "web", false);
  }());
}

BOOST_FIXTURE_TEST_CASE(bad_options_are_refused_with_a_clear_message, agent_fixture) {
  coconsul::service_host_options no_name;
  expect_invalid([&] { coconsul::service_host h(consul, no_name); }, "service name is empty");

  coconsul::service_host_options no_url;
  no_url.service.name = "web";
  no_url.http_check = coconsul::service_check();
  expect_invalid([&] { coconsul::service_host h(consul, no_url); }, "http_check has no URL");

  auto bad_path = web_with_http_check();
  bad_path.health_endpoint->path = "check";
  expect_invalid([&] { coconsul::service_host h(consul, bad_path); }, "must start with '/'");

  auto bad_address = web_with_http_check();
  bad_address.health_endpoint->address = "localhost:80";
  expect_invalid([&] { coconsul::service_host h(consul, bad_address); }, "is not an IP address");

  coconsul::service_host host(consul, web_with_http_check());
  expect_invalid([&] { host.set_health(health_status::maintenance); }, "use maintenance()");
  BOOST_TEST((host.health() == health_status::passing));
}

BOOST_FIXTURE_TEST_CASE(start_fails_cleanly_when_the_agent_is_unreachable, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    coconsul::config c;
    c.address = "http://127.0.0.1:" + std::to_string(free_port(ioc));
    coconsul::client nowhere(ioc, c);
    auto o = web_with_http_check();
    const auto health_port = free_port(ioc);
    o.health_endpoint->port = health_port;
    coconsul::service_host host(nowhere, std::move(o));
    auto [ec] = co_await host.start(asio::as_tuple(asio::use_awaitable));
    BOOST_TEST((ec == errc::connection_failed), ec.message());
    BOOST_TEST(host.stats().last_error_message.find("refused") != std::string::npos, host.stats().last_error_message);
    BOOST_TEST(!host.running());
    BOOST_TEST(host.health_port() == 0);
    BOOST_TEST(host.stats().errors == 1u);
    BOOST_TEST((co_await try_connect(health_port) == asio::error::connection_refused));
  }());
}

BOOST_FIXTURE_TEST_CASE(start_fails_cleanly_when_the_port_is_taken, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    tcp::acceptor taken(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    auto o = web_with_http_check();
    o.health_endpoint->port = taken.local_endpoint().port();
    coconsul::service_host host(consul, std::move(o));
    auto [ec] = co_await host.start(asio::as_tuple(asio::use_awaitable));
    BOOST_TEST((ec == asio::error::address_in_use), ec.message());
    BOOST_TEST(!host.running());
    auto services = co_await consul.agent().services();
    BOOST_TEST(services.value.count("web-1") == 0u);
  }());
}

BOOST_FIXTURE_TEST_CASE(refuses_a_second_start, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    coconsul::service_host host(consul, web_with_http_check());
    co_await host.start();
    auto [ec] = co_await host.start(asio::as_tuple(asio::use_awaitable));
    BOOST_TEST((ec == errc::invalid_argument), ec.message());
    BOOST_TEST(host.running());
    co_await host.stop();
  }());
}

BOOST_FIXTURE_TEST_CASE(health_endpoint_answers_http, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto o = web_with_http_check();
    o.http_check.reset();
    coconsul::service_host host(consul, std::move(o));
    co_await host.start();
    auto stream = co_await connect_to(host.health_port());

    // Keep-alive: every request below goes over this one connection.
    auto ok = co_await send(stream, http::verb::get, "/check");
    BOOST_TEST(ok.result_int() == 200u);
    BOOST_TEST(ok.body() == "passing");
    BOOST_TEST(ok.keep_alive());

    host.set_health(health_status::warning, "busy");
    auto warn = co_await send(stream, http::verb::get, "/check?x=1");
    BOOST_TEST(warn.result_int() == 429u);
    BOOST_TEST(warn.body() == "busy");

    host.set_health(health_status::critical);
    auto crit = co_await send(stream, http::verb::get, "/check");
    BOOST_TEST(crit.result_int() == 503u);
    BOOST_TEST(crit.body() == "critical");

    auto head = co_await send(stream, http::verb::head, "/check");
    BOOST_TEST(head.result_int() == 503u);

    auto other = co_await send(stream, http::verb::get, "/other");
    BOOST_TEST(other.result_int() == 404u);

    auto post = co_await send(stream, http::verb::post, "/check");
    BOOST_TEST(post.result_int() == 405u);
    BOOST_TEST(post[http::field::allow] == "GET, HEAD");

    BOOST_TEST(host.stats().health_requests == 6u);
    co_await host.stop();
  }());
}

// Cancellation (include/coconsul/service_host.hpp): a cancelled stop() still stops the host
// and deregisters in the background; a cancelled maintenance() changes nothing.
namespace {

// Starts `launch(token)` with a token whose cancellation slot is emitted (terminal) at once,
// and returns the error the operation completed with.
template <class Launch>
asio::awaitable<coconsul::error_code> cancelled_at_once(Launch launch) {
  std::optional<coconsul::error_code> result;
  asio::steady_timer done(co_await asio::this_coro::executor, clock_type::time_point::max());
  asio::cancellation_signal cancel;
  auto on_done = [&](coconsul::error_code ec) {
    result = ec;
    done.cancel();
  };
  launch(asio::bind_cancellation_slot(cancel.slot(), on_done));
  cancel.emit(asio::cancellation_type::terminal);
  while (!result) (void)co_await done.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return *result;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_cancelled_stop_still_stops_the_host_and_deregisters_in_the_background, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    coconsul::service_host host(consul, web_with_http_check());
    co_await host.start();
    const auto port = host.health_port();
    auto stop = [&](auto token) { host.stop(std::move(token)); };
    const auto ec = co_await cancelled_at_once(stop);
    BOOST_TEST((ec == asio::error::operation_aborted), ec.message());
    BOOST_TEST(!host.running());
    BOOST_TEST(host.health_port() == 0);
    BOOST_TEST((co_await try_connect(port) == asio::error::connection_refused));
    co_await wait_for_service(consul, "web", false);  // deregistered in the background
  }());
}

BOOST_FIXTURE_TEST_CASE(a_cancelled_maintenance_keeps_the_mode_it_had, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto o = worker_with_ttl(10s);
    o.anti_entropy = 100ms;
    coconsul::service_host host(consul, std::move(o));
    co_await host.start();
    auto enter = [&](auto token) { host.maintenance(coconsul::maintenance_mode::on, "upgrade", std::move(token)); };
    const auto ec = co_await cancelled_at_once(enter);
    BOOST_TEST((ec == asio::error::operation_aborted), ec.message());
    BOOST_TEST(host.running());

    // Whatever reached the agent, the host kept "not in maintenance": a re-registration says so.
    co_await consul.agent().deregister_service("worker-1");
    co_await wait_for_service(consul, "worker", false);
    co_await wait_for_check(consul, "worker", "service:worker-1", "passing");
    BOOST_TEST(host.stats().registrations == 2u);
    BOOST_TEST(!(co_await agent_has_check(consul, "_service_maintenance:worker-1")));
    co_await host.stop();
  }());
}
