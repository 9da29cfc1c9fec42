// unix:// and https:// (certificates made by the openssl command line for this run).
#include <boost/test/unit_test.hpp>

#include "pool_helpers.hpp"
#include "test_certs.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <utility>

namespace asio = boost::asio;
namespace http = coconsul::http;
using namespace std::chrono_literals;
using namespace coconsul::test;
using coconsul::config;
using coconsul::errc;
using coconsul::make_error_code;

BOOST_AUTO_TEST_SUITE(unix_socket)

BOOST_AUTO_TEST_CASE(requests_over_a_unix_socket) {
  asio::io_context ioc;
  server_options unix_socket;
  unix_socket.transport = server_options::kind::unix_socket;
  test_server server(ioc, [](const received_request& r) { return reply::ok("via unix " + r.target); }, unix_socket);
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    BOOST_TEST(server.address().starts_with("unix:///"));
    http::pool pool(ioc.get_executor(), config_for(server));
    for (int i = 0; i < 3; ++i) {
      auto out = co_await send(pool, get("/v1/agent/self"));
      BOOST_TEST_REQUIRE(!out.ec, out.ec.message() << ": " << out.diag.message);
      BOOST_TEST(out.response.body == "via unix /v1/agent/self");
    }
    BOOST_TEST(server.accepted() == 1u);
    BOOST_TEST(*server.requests().at(0).header("Host") == "localhost");
  }());
}

BOOST_AUTO_TEST_CASE(missing_socket_is_connection_failed) {
  asio::io_context ioc;
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    config cfg;
    cfg.address = "unix:///tmp/coconsul-no-such-socket.sock";
    http::pool pool(ioc.get_executor(), cfg);
    auto out = co_await send(pool, get());
    BOOST_TEST((out.ec == make_error_code(errc::connection_failed)), out.ec.message());
    BOOST_TEST(contains(out.diag.message, "connecting to unix socket /tmp/coconsul-no-such-socket.sock failed"),
               out.diag.message);
  }());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(tls)

server_options tls_server(bool require_client_cert = false) {
  server_options o;
  o.transport = server_options::kind::tls;
  o.cert_file = certs().server_cert;
  o.key_file = certs().server_key;
  if (require_client_cert) o.client_ca_file = certs().ca_cert;
  return o;
}

BOOST_AUTO_TEST_CASE(succeeds_with_the_ca_configured) {
  asio::io_context ioc;
  test_server server(ioc, [](const received_request&) { return reply::ok("secure"); }, tls_server());
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    for (std::string name : {"", "localhost"}) {  // the default, 127.0.0.1, is an IP SAN of the certificate
      auto cfg = config_for(server);
      cfg.tls.ca_file = certs().ca_cert;
      cfg.tls.server_name = name;
      http::pool pool(ioc.get_executor(), cfg);
      for (int i = 0; i < 2; ++i) {
        auto out = co_await send(pool, get());
        BOOST_TEST_REQUIRE(!out.ec, out.ec.message() << ": " << out.diag.message);
        BOOST_TEST(out.response.body == "secure");
      }
      BOOST_TEST(pool.stats().connections_opened == 1u);
    }
    BOOST_TEST(server.accepted() == 2u);
  }());
}

BOOST_AUTO_TEST_CASE(host_name_address_sends_sni_and_verifies_the_dns_name) {
  asio::io_context ioc;
  test_server server(ioc, [](const received_request&) { return reply::ok("by name"); }, tls_server());
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    config cfg;
    cfg.address = "https://localhost:" + std::to_string(server.port());
    cfg.tls.ca_file = certs().ca_cert;
    http::pool pool(ioc.get_executor(), cfg);
    auto out = co_await send(pool, get());
    BOOST_TEST_REQUIRE(!out.ec, out.ec.message() << ": " << out.diag.message);
    BOOST_TEST(out.response.body == "by name");
  }());
}

BOOST_AUTO_TEST_CASE(stale_tls_connection_is_retried) {
  asio::io_context ioc;
  int n = 0;
  test_server server(ioc, [&](const received_request&) {
    return reply::raw(ok_response("answer " + std::to_string(++n)), reply::then::close);
  }, tls_server());
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    auto cfg = config_for(server);
    cfg.tls.ca_file = certs().ca_cert;
    http::pool pool(ioc.get_executor(), cfg);
    auto out = co_await send(pool, get());
    BOOST_TEST_REQUIRE(!out.ec, out.diag.message);
    co_await server.wait_until([&] { return server.closed_by_server() == 1; });
    out = co_await send(pool, get());
    BOOST_TEST_REQUIRE(!out.ec, out.ec.message() << ": " << out.diag.message);
    BOOST_TEST(out.response.body == "answer 2");
    BOOST_TEST(pool.stats().retries == 1u);
  }());
}

BOOST_AUTO_TEST_CASE(ca_directory_works_too) {
  asio::io_context ioc;
  test_server server(ioc, [](const received_request&) { return reply::ok("secure"); }, tls_server());
  // OpenSSL finds CAs in a directory by subject-hash names.
  std::string dir = certs().path("cadir");
  std::string cmd = "mkdir -p '" + dir + "' && cp '" + certs().ca_cert + "' '" + dir + "/' && openssl rehash '" + dir +
                    "' >/dev/null 2>&1";
  BOOST_TEST_REQUIRE(std::system(cmd.c_str()) == 0);
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    auto cfg = config_for(server);
    cfg.tls.ca_path = dir;
    http::pool pool(ioc.get_executor(), cfg);
    auto out = co_await send(pool, get());
    BOOST_TEST(!out.ec, out.ec.message() << ": " << out.diag.message);
  }());
}

BOOST_AUTO_TEST_CASE(refused_without_the_ca) {
  asio::io_context ioc;
  test_server server(ioc, [](const received_request&) { return reply::ok(); }, tls_server());
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    for (std::string ca : {std::string(), certs().other_ca_cert}) {  // the system's CAs, an unrelated CA
      auto cfg = config_for(server);
      cfg.tls.ca_file = ca;
      http::pool pool(ioc.get_executor(), cfg);
      auto out = co_await send(pool, get());
      BOOST_TEST((out.ec == make_error_code(errc::connection_failed)), out.ec.message());
      BOOST_TEST(contains(out.diag.message, "TLS certificate verification failed"), out.diag.message);
      BOOST_TEST(contains(out.diag.message, "issuer certificate"), out.diag.message);
      BOOST_TEST_MESSAGE(out.diag.message);
    }
    BOOST_TEST(server.requests().empty());
  }());
}

BOOST_AUTO_TEST_CASE(refused_with_a_wrong_server_name) {
  asio::io_context ioc;
  test_server server(ioc, [](const received_request&) { return reply::ok(); }, tls_server());
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    auto cfg = config_for(server);
    cfg.tls.ca_file = certs().ca_cert;
    cfg.tls.server_name = "consul.example.com";
    http::pool pool(ioc.get_executor(), cfg);
    auto out = co_await send(pool, get());
    BOOST_TEST((out.ec == make_error_code(errc::connection_failed)), out.ec.message());
    BOOST_TEST(contains(out.diag.message, "hostname mismatch"), out.diag.message);
    BOOST_TEST(contains(out.diag.message, "consul.example.com"), out.diag.message);
    BOOST_TEST(server.requests().empty());
  }());
}

BOOST_AUTO_TEST_CASE(verification_can_be_turned_off) {
  asio::io_context ioc;
  test_server server(ioc, [](const received_request&) { return reply::ok("unverified"); }, tls_server());
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    auto cfg = config_for(server);
    cfg.tls.verify = false;
    cfg.tls.server_name = "consul.example.com";
    http::pool pool(ioc.get_executor(), cfg);
    auto out = co_await send(pool, get());
    BOOST_TEST_REQUIRE(!out.ec, out.ec.message() << ": " << out.diag.message);
    BOOST_TEST(out.response.body == "unverified");
  }());
}

BOOST_AUTO_TEST_CASE(client_certificate_is_presented) {
  asio::io_context ioc;
  test_server server(ioc, [](const received_request&) { return reply::ok("mutual"); }, tls_server(true));
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    auto cfg = config_for(server);
    cfg.tls.ca_file = certs().ca_cert;
    {
      http::pool without(ioc.get_executor(), cfg);
      auto out = co_await send(without, get());
      BOOST_TEST(out.ec, "the server requires a client certificate");
      co_await server.wait_until([&] { return server.failed_handshakes() == 1; });
    }
    cfg.tls.cert_file = certs().client_cert;
    cfg.tls.key_file = certs().client_key;
    http::pool with(ioc.get_executor(), cfg);
    auto out = co_await send(with, get());
    BOOST_TEST_REQUIRE(!out.ec, out.ec.message() << ": " << out.diag.message);
    BOOST_TEST(out.response.body == "mutual");
  }());
}

BOOST_AUTO_TEST_CASE(unreadable_tls_files_throw_invalid_config) {
  asio::io_context ioc;
  config cfg;
  cfg.address = "https://127.0.0.1:8501";
  cfg.tls.ca_file = "/nonexistent/ca.pem";
  try {
    http::pool p(ioc.get_executor(), cfg);
    BOOST_FAIL("no exception");
  } catch (const coconsul::error& e) {
    BOOST_TEST((e.code() == make_error_code(errc::invalid_config)));
    BOOST_TEST(contains(e.message(), "/nonexistent/ca.pem"), e.message());
  }
  cfg.tls.ca_file.clear();
  cfg.tls.cert_file = certs().client_cert;  // without its key
  BOOST_CHECK_THROW(http::pool(ioc.get_executor(), cfg), coconsul::error);
}

// The connect timeout covers the TLS handshake: a listener that accepts and never answers.
BOOST_AUTO_TEST_CASE(connect_timeout_covers_the_handshake) {
  asio::io_context ioc;
  asio::ip::tcp::acceptor silent(ioc, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  asio::ip::tcp::socket accepted(ioc);
  silent.async_accept(accepted, [](coconsul::error_code) {});
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    config cfg;
    cfg.address = "https://127.0.0.1:" + std::to_string(silent.local_endpoint().port());
    cfg.tls.ca_file = certs().ca_cert;
    cfg.timeouts.connect = 150ms;
    http::pool pool(ioc.get_executor(), cfg);
    auto start = std::chrono::steady_clock::now();
    auto out = co_await send(pool, get());
    auto took = std::chrono::steady_clock::now() - start;
    BOOST_TEST((out.ec == make_error_code(errc::connect_timeout)), out.ec.message() << ": " << out.diag.message);
    BOOST_TEST(contains(out.diag.message, "took longer than 150 ms"), out.diag.message);
    BOOST_TEST((took >= 150ms && took < 3s));
    BOOST_TEST(pool.stats().open_connections == 0u);
  }());
}

BOOST_AUTO_TEST_SUITE_END()

// Boost 1.81's Beast throws std::length_error for a header field of 65,534 bytes or more,
// whatever the limit. With limits.max_header_bytes raised past it, each transport's read path
// must give header_too_large and keep the pool usable, not let the exception escape run().
BOOST_AUTO_TEST_SUITE(huge_header_field)

BOOST_AUTO_TEST_CASE(a_70000_byte_field_is_header_too_large_on_every_transport) {
  const std::string huge = "HTTP/1.1 200 OK\r\nX-Big: " + std::string(70000, 'v') + "\r\nContent-Length: 2\r\n\r\nok";
  server_options tcp;
  server_options unix_socket;
  unix_socket.transport = server_options::kind::unix_socket;
  server_options tls;
  tls.transport = server_options::kind::tls;
  tls.cert_file = certs().server_cert;
  tls.key_file = certs().server_key;
  const std::pair<const char*, server_options> transports[] = {{"http", tcp}, {"unix", unix_socket}, {"https", tls}};
  for (const auto& [name, options] : transports) {
    BOOST_TEST_CONTEXT(name) {
      asio::io_context ioc;
      int n = 0;
      test_server server(ioc, [&](const received_request&) {
        return ++n == 1 ? reply::raw(huge, reply::then::keep_open) : reply::ok("fine");
      }, options);
      run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
        auto cfg = config_for(server);
        cfg.tls.ca_file = certs().ca_cert;
        cfg.limits.max_header_bytes = 1024 * 1024;
        http::pool pool(ioc.get_executor(), cfg);
        auto out = co_await send(pool, get());
        BOOST_TEST((out.ec == make_error_code(errc::header_too_large)), out.ec.message() << ": " << out.diag.message);
        BOOST_TEST(contains(out.diag.message, "response header has a field of 65,534 bytes or more"), out.diag.message);
        BOOST_TEST(pool.stats().open_connections == 0u);  // never reused after an error
        out = co_await send(pool, get());
        BOOST_TEST_REQUIRE(!out.ec, out.ec.message() << ": " << out.diag.message);
        BOOST_TEST(out.response.body == "fine");
      }());
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
