// The agent's HTTP server on Beast (plain TCP only: one stream type in this file).

#include "dev_agent/server.hpp"

#include "dev_agent/core.hpp"

#include <coconsul/error.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <list>
#include <sstream>

namespace coconsul::dev {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct server::impl {
  explicit impl(core& c) : agent(&c), acceptor(c.ex) {}

  core* agent;  // owns the server; coroutines keep it alive through shared_from_this()
  tcp::acceptor acceptor;
  tcp::endpoint local;
  std::list<tcp::socket*> connections;
  bool stopping = false;

  // The parameters keep the server and the agent alive while the coroutines run.
  static asio::awaitable<void> accept_loop(std::shared_ptr<impl> self, std::shared_ptr<core> keep);
  static asio::awaitable<void> serve(std::shared_ptr<impl> self, std::shared_ptr<core> keep, tcp::socket socket);
};

namespace {

http_request to_request(const http::request<http::string_body>& m, const std::string& remote) {
  http_request r;
  r.method = std::string(m.method_string());
  r.target = std::string(m.target());
  auto q = r.target.find('?');
  std::string_view raw_path = std::string_view(r.target).substr(0, q);
  r.raw_query = q == std::string::npos ? std::string() : r.target.substr(q + 1);
  r.path = percent_decode(raw_path, false);
  r.query = query_params::parse(r.raw_query);
  for (const auto& f : m) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  r.body = m.body();
  r.remote = remote;
  return r;
}

http::response<http::string_body> to_message(http_response&& r, unsigned version, bool keep_alive) {
  http::response<http::string_body> m{static_cast<http::status>(r.status), version};
  // Go writes headers sorted by name.
  std::sort(r.headers.begin(), r.headers.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [k, v] : r.headers) m.insert(k, v);
  m.set(http::field::date, [] {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return std::string(buf);
  }());
  m.body() = std::move(r.body);
  m.keep_alive(keep_alive);
  m.prepare_payload();
  return m;
}

// What Go's server answers to bytes that are not an HTTP request (then it closes).
asio::awaitable<void> reject_malformed(beast::tcp_stream& stream, const boost::system::error_code& ec) {
  if (ec.category() != make_error_code(http::error::bad_target).category() || ec == http::error::end_of_stream ||
      ec == http::error::partial_message)
    co_return;
  const char* text = ec == http::error::body_limit ? "HTTP/1.1 413 Request Entity Too Large\r\n"
                                                   : "HTTP/1.1 400 Bad Request\r\n";
  std::string reply = text;
  std::string body = ec == http::error::body_limit ? "413 Request Entity Too Large" : "400 Bad Request";
  reply += "Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n" + body;
  co_await asio::async_write(stream, asio::buffer(reply), asio::as_tuple(asio::use_awaitable));
}

// While a request is being handled (a blocking query may take minutes), notice the client
// closing its connection and cancel the request. Readable with nothing to read means EOF;
// readable with data means a pipelined request, left for the next read.
void watch_for_hangup(tcp::socket& socket, std::shared_ptr<request_cancel> cancel) {
  int fd = socket.native_handle();
  socket.async_wait(tcp::socket::wait_read, [fd, cancel = std::move(cancel)](const boost::system::error_code& ec) {
    if (ec || cancel->cancelled) return;  // cancelled: the handler finished first
    char byte;
    ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) cancel->cancel();
  });
}

}  // namespace

asio::awaitable<void> server::impl::accept_loop(std::shared_ptr<impl> self, std::shared_ptr<core> keep) {
  auto& acceptor = self->acceptor;
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (self->stopping || keep->stopped) co_return;
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      // E.g. too many open files: keep serving the connections we have, and retry a little
      // later rather than spinning on the failing accept.
      asio::steady_timer pause(keep->ex, std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    asio::co_spawn(keep->ex, serve(self, keep, std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> server::impl::serve(std::shared_ptr<impl> self, std::shared_ptr<core> keep,
                                          tcp::socket socket) {
  auto& agent = *keep;
  auto& connections = self->connections;
  const bool& stopping = self->stopping;
  boost::system::error_code ec;
  auto peer = socket.remote_endpoint(ec);
  std::string remote = ec ? std::string("unknown") : peer.address().to_string() + ":" + std::to_string(peer.port());
  beast::tcp_stream stream(std::move(socket));
  auto registration = connections.insert(connections.end(), &stream.socket());
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    parser.header_limit(1024 * 1024);
    auto [rh, n1] = co_await http::async_read_header(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    if (rh && !stopping) co_await reject_malformed(stream, rh);
    if (rh || stopping) break;
    if (parser.get()[http::field::expect] == "100-continue") {
      http::response<http::empty_body> cont{http::status::continue_, parser.get().version()};
      auto [wc, n2] = co_await http::async_write(stream, cont, asio::as_tuple(asio::use_awaitable));
      if (wc) break;
    }
    auto [rb, n3] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    if (rb && !stopping) co_await reject_malformed(stream, rb);
    if (rb || stopping) break;
    auto& msg = parser.get();
    http_request req = to_request(msg, remote);
    bool keep_alive = msg.keep_alive();
    watch_for_hangup(stream.socket(), req.cancel);
    http_response resp = co_await dispatch(agent, req);
    req.cancel->on_cancel = nullptr;
    boost::system::error_code ignored;
    stream.socket().cancel(ignored);  // ends the hang-up watch; nothing else is pending now
    if (stopping || req.cancel->cancelled) break;
    auto out = to_message(std::move(resp), msg.version(), keep_alive);
    if (agent.faults.take_drop()) {
      // Cut the response off inside its header, then close.
      std::ostringstream os;
      os << out.base();
      std::string head = os.str();
      head.resize(head.size() / 2);
      co_await asio::async_write(stream, asio::buffer(head), asio::as_tuple(asio::use_awaitable));
      break;
    }
    auto [we, n4] = co_await http::async_write(stream, out, asio::as_tuple(asio::use_awaitable));
    if (we || !keep_alive) break;
  }
  connections.erase(registration);
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream.socket().close(ec);
}

server::server(core& c) : impl_(std::make_shared<impl>(c)) {}

server::~server() = default;

void server::listen(const std::string& address, std::uint16_t port) {
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(address, ec);
  if (ec)
    throw error(make_error_code(errc::invalid_address), diagnostics{0, "dev agent: bind address \"" + address +
                                                                          "\" is not an IP address"});
  tcp::endpoint ep(addr, port);
  auto& a = impl_->acceptor;
  a.open(ep.protocol());
  a.set_option(asio::socket_base::reuse_address(true));
  a.bind(ep, ec);
  if (ec)
    throw error(ec, diagnostics{0, "dev agent: cannot listen on " + address + ":" + std::to_string(port) + ": " +
                                       ec.message()});
  a.listen(asio::socket_base::max_listen_connections);
  impl_->local = a.local_endpoint();
  asio::co_spawn(impl_->agent->ex, impl::accept_loop(impl_, impl_->agent->shared_from_this()), asio::detached);
}

void server::stop() {
  impl_->stopping = true;
  boost::system::error_code ec;
  impl_->acceptor.close(ec);
  for (auto* s : impl_->connections) {
    s->shutdown(tcp::socket::shutdown_both, ec);
    s->close(ec);
  }
}

std::string server::address() const {
  const auto& a = impl_->local.address();
  std::string host = a.is_v6() ? "[" + a.to_string() + "]" : a.to_string();
  return host + ":" + std::to_string(impl_->local.port());
}

std::uint16_t server::port() const { return impl_->local.port(); }

std::size_t server::open_connections() const { return impl_->connections.size(); }

}  // namespace coconsul::dev
