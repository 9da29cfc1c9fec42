// config_api: the exact requests against a scripted server (test/http/test_server.hpp) and
// Consul's answers read back (true/false of a cas, a 404's text as not_found, a 500's text),
// bad input refused before sending.
#define BOOST_TEST_MODULE client_config_entries
#include <boost/test/unit_test.hpp>

#include "test_server.hpp"

#include <async_test.hpp>
#include <coconsul/client.hpp>

#include <string>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using coconsul::config_entry;
using coconsul::errc;
using coconsul::test::failure_of;
using coconsul::test::received_request;
using coconsul::test::reply;
using coconsul::test::run_with_deadline;
using coconsul::test::test_server;

namespace {

coconsul::config config_for(const test_server& server) {
  coconsul::config c;
  c.address = server.address();
  c.timeouts.request = std::chrono::seconds(5);
  return c;
}

std::string line(const received_request& r) { return r.method + " " + r.target; }

reply answer(unsigned status, std::string_view reason, std::string body, std::string headers = "") {
  return reply::raw("HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
                        "\r\nContent-Type: text/plain; charset=utf-8\r\n" + headers +
                        "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body,
                    reply::then::keep_open);
}

// A Consul-shaped scripted agent: web's service-defaults exists at index 12, db does not.
reply consul_like(const received_request& r) {
  const std::string path = r.target.substr(0, r.target.find('?'));
  const bool cas = r.target.find("cas=") != std::string::npos;
  if (r.method == "PUT") return reply::ok(cas && r.target.find("cas=12") == std::string::npos ? "false" : "true");
  if (r.method == "DELETE") return reply::ok(cas ? (r.target.find("cas=12") != std::string::npos ? "true" : "false") : "{}");
  if (path == "/v1/config/service-defaults")
    return reply::ok(R"([{"Kind":"service-defaults","Name":"web","Protocol":"http","CreateIndex":12,"ModifyIndex":12},
                         {"Kind":"service-defaults","Name":"api","CreateIndex":3,"ModifyIndex":3}])",
                     "X-Consul-Index: 12\r\n");
  if (path == "/v1/config/service-defaults/web")
    return reply::ok(R"({"Kind":"service-defaults","Name":"web","Protocol":"http","MeshGateway":{},"Expose":{},
                         "CreateIndex":12,"ModifyIndex":12})",
                     "X-Consul-Index: 12\r\n");
  if (path == "/v1/config/proxy-defaults/other")
    return answer(500, "Internal Server Error", R"(invalid name ("other"), only "global" is supported)");
  return answer(404, "Not Found", R"(Config entry not found for "service-defaults" / "db")", "X-Consul-Index: 12\r\n");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(config_entry_requests)

BOOST_AUTO_TEST_CASE(every_operation_sends_consuls_method_path_and_body) {
  asio::io_context ioc;
  test_server server(ioc, consul_like);
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    coconsul::client consul(ioc, config_for(server));
    auto config = consul.config();
    config_entry web = coconsul::service_defaults{.name = "web", .protocol = "http"};
    BOOST_TEST(co_await config.set(web));
    BOOST_TEST(co_await config.cas(web, 12));
    BOOST_TEST(!co_await config.cas(web, 0));  // Consul's false: it exists
    auto got = co_await config.get("service-defaults", "web");
    BOOST_TEST(got.meta.last_index == 12u);
    BOOST_TEST(got.value.name() == "web");
    BOOST_TEST(std::get<coconsul::service_defaults>(got.value).protocol == "http");
    coconsul::query_options blocking;
    blocking.index = 12;
    blocking.wait = 2s;
    co_await config.get("service-defaults", "web", blocking);
    coconsul::query_options filtered;
    filtered.filter = "Protocol == \"http\"";
    auto all = co_await config.list("service-defaults", filtered);
    BOOST_TEST_REQUIRE(all.value.size() == 2u);
    BOOST_TEST(all.value[1].name() == "api");
    co_await config.erase("service-defaults", "web");
    BOOST_TEST(co_await config.erase_cas("service-defaults", "web", 12));
    BOOST_TEST(!co_await config.erase_cas("service-defaults", "web", 11));
    config_entry odd = coconsul::service_router{.name = "a b/c"};
    coconsul::write_options in_dc2;
    in_dc2.datacenter = "dc2";
    co_await config.set(odd, in_dc2);
    co_await config.erase("service-router", "a b/c");
  }());

  const std::vector<std::string> expected = {
      "PUT /v1/config",
      "PUT /v1/config?cas=12",
      "PUT /v1/config?cas=0",
      "GET /v1/config/service-defaults/web",
      "GET /v1/config/service-defaults/web?index=12&wait=2000ms",
      "GET /v1/config/service-defaults?filter=Protocol%20%3D%3D%20%22http%22",
      "DELETE /v1/config/service-defaults/web",
      "DELETE /v1/config/service-defaults/web?cas=12",
      "DELETE /v1/config/service-defaults/web?cas=11",
      "PUT /v1/config?dc=dc2",
      "DELETE /v1/config/service-router/a%20b%2Fc",
  };
  std::vector<std::string> sent;
  for (const auto& r : server.requests()) sent.push_back(line(r));
  BOOST_TEST(sent == expected, boost::test_tools::per_element());
  BOOST_TEST_REQUIRE(server.requests().size() >= 10u);
  BOOST_TEST(server.requests()[0].body == R"({"Kind":"service-defaults","Name":"web","Protocol":"http"})");
  BOOST_TEST(server.requests()[9].body == R"({"Kind":"service-router","Name":"a b/c"})");
}

BOOST_AUTO_TEST_CASE(consuls_refusals_come_back_with_its_text) {
  asio::io_context ioc;
  test_server server(ioc, consul_like);
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    coconsul::client consul(ioc, config_for(server));
    auto missing = co_await failure_of(consul.config().get("service-defaults", "db"));
    BOOST_TEST((missing.code() == errc::not_found));
    BOOST_TEST(missing.http_status() == 404u);
    BOOST_TEST(missing.message() == R"(Config entry not found for "service-defaults" / "db")");
    auto invalid = co_await failure_of(consul.config().get("proxy-defaults", "other"));
    BOOST_TEST((invalid.code() == errc::server_error));
    BOOST_TEST(invalid.message() == R"(invalid name ("other"), only "global" is supported)");
  }());
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused_before_anything_is_sent) {
  asio::io_context ioc;
  test_server server(ioc, consul_like);
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    coconsul::client consul(ioc, config_for(server));
    auto config = consul.config();
    auto no_kind = co_await failure_of(config.get("", "web"));
    BOOST_TEST((no_kind.code() == errc::invalid_argument));
    BOOST_TEST(no_kind.message().find("config entry kind") != std::string::npos, no_kind.message());
    auto no_name = co_await failure_of(config.erase("service-defaults", ""));
    BOOST_TEST((no_name.code() == errc::invalid_argument));
    BOOST_TEST(no_name.message().find("config entry name") != std::string::npos, no_name.message());
    auto control = co_await failure_of(config.list("service\ndefaults"));
    BOOST_TEST((control.code() == errc::invalid_argument));
    BOOST_CHECK_THROW(consul.watch_config_entry("service-defaults", ""), coconsul::error);
    BOOST_CHECK_THROW(consul.watch_config_entries(""), coconsul::error);
  }());
  BOOST_TEST(server.requests().empty());
}

BOOST_AUTO_TEST_SUITE_END()
