// The client against a scripted server that answers 200 with bodies that do not decode: the
// operation fails with errc::decode_error, the decoder's message and the response's status,
// whatever the token, and no half-decoded value is handed out.
#define BOOST_TEST_MODULE client_decode
#include <boost/test/unit_test.hpp>

#include "test_server.hpp"

#include <async_test.hpp>
#include <coconsul/client.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <string>

namespace asio = boost::asio;
using coconsul::errc;
using coconsul::test::reply;
using coconsul::test::run_with_deadline;
using coconsul::test::test_server;

namespace {

coconsul::config config_for(const test_server& server) {
  coconsul::config c;
  c.address = server.address();
  c.timeouts.connect = std::chrono::seconds(5);
  c.timeouts.request = std::chrono::seconds(5);
  return c;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_CASE(a_body_of_the_wrong_type_is_a_decode_error_with_the_status) {
  asio::io_context ioc;
  test_server server(ioc, [](const coconsul::test::received_request&) { return reply::ok("42"); });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    coconsul::client consul(ioc, config_for(server));
    auto [ec, diag, leader] = co_await consul.status().leader(
        coconsul::query_options(), coconsul::pass_diagnostics(asio::as_tuple(asio::use_awaitable)));
    BOOST_TEST((ec == errc::decode_error), ec.message());
    BOOST_TEST(diag.http_status == 200u);
    BOOST_TEST(contains(diag.message, "expected a string"), diag.message);
    BOOST_TEST(leader.empty());

    // The default token: the same failure as a coconsul::error.
    bool threw = false;
    try {
      co_await consul.status().peers();
    } catch (const coconsul::error& e) {
      threw = true;
      BOOST_TEST((e.code() == errc::decode_error), e.code().message());
      BOOST_TEST(e.http_status() == 200u);
      BOOST_TEST(contains(e.diag().message, "expected an array"), e.diag().message);
    }
    BOOST_TEST(threw);
  }());
}

BOOST_AUTO_TEST_CASE(a_bad_field_inside_a_read_fails_the_whole_read) {
  asio::io_context ioc;
  test_server server(ioc, [](const coconsul::test::received_request&) {
    return reply::ok(R"([{"Key":"a","Value":"not base64!","ModifyIndex":7}])",
                     "X-Consul-Index: 7\r\n");
  });
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    coconsul::client consul(ioc, config_for(server));
    auto [ec, diag, pairs] = co_await consul.kv().list(
        "a", coconsul::query_options(), coconsul::pass_diagnostics(asio::as_tuple(asio::use_awaitable)));
    BOOST_TEST((ec == errc::decode_error), ec.message());
    BOOST_TEST(diag.http_status == 200u);
    BOOST_TEST(contains(diag.message, "[0].Value"), diag.message);
    BOOST_TEST(pairs.value.empty());
  }());
}
