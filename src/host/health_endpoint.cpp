// The health endpoint's HTTP server (plain TCP only: one Beast stream type in this file).

#include "host/health_endpoint.hpp"

#include "http/accept_loop.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <list>

namespace coconsul::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {
// A health check sends a request line and a few headers; anything bigger is not one.
constexpr std::uint32_t header_limit = 8 * 1024;
constexpr std::uint64_t body_limit = 64 * 1024;
// A keep-alive connection left idle this long is closed.
constexpr auto idle_timeout = std::chrono::seconds(60);
}  // namespace

struct health_endpoint::impl {
  impl(asio::any_io_executor e, health_endpoint_options o, responder r)
      : ex(std::move(e)), opts(std::move(o)), answer(std::move(r)), acceptor(ex) {}

  asio::any_io_executor ex;
  health_endpoint_options opts;
  responder answer;
  tcp::acceptor acceptor;
  tcp::endpoint local;
  std::list<beast::tcp_stream*> connections;  // open ones, closed by close()
  std::uint64_t requests = 0;
  bool closed = false;

  http::response<http::string_body> respond(const http::request<http::string_body>& req) {
    ++requests;
    auto target = std::string_view(req.target());
    auto path = target.substr(0, target.find('?'));
    http::response<http::string_body> res;
    res.version(req.version());
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    if (path != opts.path) {
      res.result(http::status::not_found);
      res.body() = "not found\n";
    } else if (req.method() != http::verb::get && req.method() != http::verb::head) {
      res.result(http::status::method_not_allowed);
      res.set(http::field::allow, "GET, HEAD");
      res.body() = "method not allowed\n";
    } else {
      auto a = answer();
      res.result(a.status);
      res.body() = std::move(a.body);
    }
    res.keep_alive(req.keep_alive());
    res.prepare_payload();  // HEAD: Content-Length of the GET body, then no body is written
    if (req.method() == http::verb::head) res.body().clear();
    return res;
  }

  static asio::awaitable<void> serve(std::shared_ptr<impl> self, tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    auto registration = self->connections.insert(self->connections.end(), &stream);
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(header_limit);
      parser.body_limit(body_limit);
      stream.expires_after(idle_timeout);
      auto [rc, n1] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      if (rc || self->closed) break;
      const auto& req = parser.get();
      auto res = self->respond(req);
      stream.expires_never();
      auto [wc, n2] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
      if (wc || self->closed || !res.keep_alive()) break;
    }
    self->connections.erase(registration);
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.socket().close(ignored);
  }
};

health_endpoint::health_endpoint(asio::any_io_executor ex, const health_endpoint_options& opts, responder answer)
    : impl_(std::make_shared<impl>(std::move(ex), opts, std::move(answer))) {}

std::unique_ptr<health_endpoint> health_endpoint::open(asio::any_io_executor ex, const health_endpoint_options& opts,
                                                       responder answer, error_code& ec, diagnostics& diag) {
  std::unique_ptr<health_endpoint> e(new health_endpoint(std::move(ex), opts, std::move(answer)));
  auto addr = asio::ip::make_address(opts.address, ec);
  if (ec) {
    ec = make_error_code(errc::invalid_address);
    diag = diagnostics{0, "health endpoint: address \"" + opts.address + "\" is not an IP address"};
    return nullptr;
  }
  tcp::endpoint ep(addr, opts.port);
  auto& a = e->impl_->acceptor;
  auto fail = [&](const char* what) {
    boost::system::error_code ignored;
    a.close(ignored);
    diag = diagnostics{0, std::string("health endpoint: cannot ") + what + " " + opts.address + ":" +
                              std::to_string(opts.port) + ": " + ec.message()};
    return nullptr;
  };
  a.open(ep.protocol(), ec);
  if (ec) return fail("open a socket for");
  a.set_option(asio::socket_base::reuse_address(true), ec);
  a.bind(ep, ec);
  if (ec) return fail("bind");
  a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen on");
  e->impl_->local = a.local_endpoint(ec);
  ec = {};  // as before: a failed local_endpoint() leaves port 0, not a failed start
  std::shared_ptr<impl> self = e->impl_;
  auto on_socket = [self](tcp::socket socket) {
    asio::co_spawn(self->ex, impl::serve(self, std::move(socket)), asio::detached);
  };
  auto stopped = [self] { return self->closed; };
  asio::co_spawn(self->ex, coconsul::http::detail::accept_loop(self->acceptor, std::move(on_socket), std::move(stopped)),
                 asio::detached);
  return e;
}

health_endpoint::~health_endpoint() { close(); }

std::uint16_t health_endpoint::port() const noexcept { return impl_->local.port(); }

std::string health_endpoint::url() const {
  auto addr = impl_->local.address();
  if (addr.is_unspecified())
    addr = addr.is_v4() ? asio::ip::address(asio::ip::address_v4::loopback())
                        : asio::ip::address(asio::ip::address_v6::loopback());
  std::string host = addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string();
  return "http://" + host + ":" + std::to_string(port()) + impl_->opts.path;
}

std::uint64_t health_endpoint::requests() const noexcept { return impl_->requests; }

void health_endpoint::close() {
  if (impl_->closed) return;
  impl_->closed = true;
  boost::system::error_code ec;
  impl_->acceptor.close(ec);
  for (auto* s : impl_->connections) {
    s->socket().shutdown(tcp::socket::shutdown_both, ec);
    s->socket().close(ec);
  }
}

}  // namespace coconsul::detail
