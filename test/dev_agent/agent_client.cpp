// A raw HTTP client for the dev agent's tests (see agent_client.hpp): exact bytes out, status,
// headers and body in, no coconsul client in between.

#include "agent_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

#include <stdexcept>

namespace coconsul::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

std::string reply::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (beast::iequals(k, name)) return v;
  return {};
}

bool reply::has_header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (beast::iequals(k, name)) return true;
  return false;
}

boost::json::value reply::json() const { return boost::json::parse(body); }

std::uint64_t reply::index() const {
  auto h = header("X-Consul-Index");
  return h.empty() ? 0 : std::stoull(h);
}

struct agent_client::impl {
  impl(asio::any_io_executor ex, std::string h, std::uint16_t p) : stream(ex), host(std::move(h)), port(p) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  std::string host;
  std::uint16_t port;
  bool connected = false;
};

agent_client::agent_client(asio::any_io_executor ex, std::string host, std::uint16_t port)
    : impl_(std::make_unique<impl>(std::move(ex), std::move(host), port)) {}

agent_client::~agent_client() = default;

void agent_client::close() {
  boost::system::error_code ec;
  impl_->stream.socket().close(ec);
  impl_->connected = false;
}

asio::awaitable<reply> agent_client::request(std::string method, std::string target, std::string body,
                                             std::vector<std::pair<std::string, std::string>> headers) {
  auto& s = *impl_;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!s.connected) {
      asio::ip::tcp::endpoint ep(asio::ip::make_address(s.host), s.port);
      co_await s.stream.async_connect(ep, asio::use_awaitable);
      s.connected = true;
      s.buffer.clear();
    }
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, s.host + ":" + std::to_string(s.port));
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    if (!body.empty() || method == "PUT" || method == "POST") req.prepare_payload();
    auto [wec, wn] = co_await http::async_write(s.stream, req, asio::as_tuple(asio::use_awaitable));
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    boost::system::error_code rec;
    if (!wec) {
      auto [ec, n] = co_await http::async_read(s.stream, s.buffer, parser, asio::as_tuple(asio::use_awaitable));
      rec = ec;
    }
    if (wec || rec) {
      close();
      // A keep-alive connection the agent closed: retry once on a fresh one.
      if (attempt == 0 && (rec == http::error::end_of_stream || rec == asio::error::connection_reset ||
                           wec == asio::error::broken_pipe || wec == asio::error::connection_reset))
        continue;
      throw boost::system::system_error(wec ? wec : rec, "agent_client " + method + " " + target);
    }
    auto& res = parser.get();
    reply r;
    r.status = res.result_int();
    for (const auto& f : res) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    r.body = std::move(res.body());
    if (!res.keep_alive()) close();
    co_return r;
  }
  throw std::runtime_error("unreachable");
}

}  // namespace coconsul::test
