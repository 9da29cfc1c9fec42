// HTTP checks over TLS (https:// URLs): Consul's TLSServerName and TLSSkipVerify. The only
// TLS stream of the agent, in its own file.

#include "dev_agent/local/http_check_detail.hpp"
#include "dev_agent/local/probes.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace coconsul::dev::http_check {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr const char* timeout_text = "context deadline exceeded (Client.Timeout exceeded while awaiting headers)";

// Go's wording for the handshake failures people meet in practice.
std::string tls_error_text(const boost::system::error_code& ec, long verify_result) {
  if (verify_result == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT || verify_result == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN ||
      verify_result == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
      verify_result == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE)
    return "tls: failed to verify certificate: x509: certificate signed by unknown authority";
  if (verify_result == X509_V_ERR_HOSTNAME_MISMATCH || verify_result == X509_V_ERR_IP_ADDRESS_MISMATCH)
    return "tls: failed to verify certificate: x509: certificate is not valid for the requested name";
  if (verify_result == X509_V_ERR_CERT_HAS_EXPIRED)
    return "tls: failed to verify certificate: x509: certificate has expired or is not yet valid";
  if (verify_result != X509_V_OK) return "tls: failed to verify certificate: " + std::string(X509_verify_cert_error_string(verify_result));
  return "tls: " + ec.message();
}

}  // namespace

asio::awaitable<fetch_result> fetch_https(asio::any_io_executor ex, boost::urls::url_view u, const check_definition& def,
                                          std::string method, std::chrono::steady_clock::time_point deadline) {
  fetch_result out;
  std::string prefix = go_op(method) + " \"" + std::string(u.buffer()) + "\": ";
  std::string host(u.host_address());
  std::string port = u.has_port() ? std::string(u.port()) : "443";
  std::string hostport = host + ":" + port;

  ssl::context ctx(ssl::context::tls_client);
  ctx.set_default_verify_paths();
  ctx.set_verify_mode(def.tls_skip_verify ? ssl::verify_none : ssl::verify_peer);
  std::string server_name = def.tls_server_name.empty() ? host : def.tls_server_name;
  if (!def.tls_skip_verify) ctx.set_verify_callback(ssl::host_name_verification(server_name));

  tcp::resolver resolver(ex);
  auto [rec, results] = co_await resolver.async_resolve(host, port, asio::as_tuple(asio::use_awaitable));
  if (rec) {
    out.error = prefix + go_dial_error(hostport, rec, false);
    co_return out;
  }
  beast::ssl_stream<beast::tcp_stream> stream(ex, ctx);
  // SNI carries a name, never an IP address.
  boost::system::error_code parse_ec;
  asio::ip::make_address(server_name, parse_ec);
  if (parse_ec) SSL_set_tlsext_host_name(stream.native_handle(), server_name.c_str());
  beast::get_lowest_layer(stream).expires_at(deadline);
  auto [cec, ep] = co_await beast::get_lowest_layer(stream).async_connect(results, asio::as_tuple(asio::use_awaitable));
  if (cec) {
    out.error = prefix + (cec == beast::error::timeout ? std::string(timeout_text) : go_dial_error(hostport, cec, false));
    co_return out;
  }
  auto [hec] = co_await stream.async_handshake(ssl::stream_base::client, asio::as_tuple(asio::use_awaitable));
  if (hec) {
    long verify = SSL_get_verify_result(stream.native_handle());
    out.error = prefix + (hec == beast::error::timeout ? std::string(timeout_text) : tls_error_text(hec, verify));
    co_return out;
  }
  auto req = build_request(u, def, method);
  auto [wec, wn] = co_await http::async_write(stream, req, asio::as_tuple(asio::use_awaitable));
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  boost::system::error_code rdec;
  if (!wec) {
    auto [r, rn] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    rdec = r;
  }
  boost::system::error_code ignored;
  beast::get_lowest_layer(stream).socket().close(ignored);
  auto ec = wec ? wec : rdec;
  // A peer that closes without close_notify after a complete response is fine (Go agrees).
  if (ec && !(ec == ssl::error::stream_truncated && parser.is_done())) {
    out.error = prefix + (ec == beast::error::timeout ? std::string(timeout_text)
                          : ec == asio::error::operation_aborted ? std::string("context canceled")
                                                                 : std::string("EOF"));
    co_return out;
  }
  out = from_response(parser.get());
  co_return out;
}

}  // namespace coconsul::dev::http_check
