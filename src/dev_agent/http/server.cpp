// The agent's HTTP server on Beast (plain TCP only: one stream type in this file).

#include "dev_agent/http/server.hpp"

#include "http/accept_loop.hpp"

#include <coconsul/error.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <exception>
#include <list>
#include <sstream>

namespace coconsul::dev {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// One connection's cancellation: the coroutine serving the connection is spawned bound to
// `signal`, and the hang-up watcher emits on it while request number `serving` is handled.
struct connection_cancel {
  asio::cancellation_signal signal;
  std::uint64_t serving = 0;  // the request being handled; 0 between requests
  char peeked = 0;            // the watcher's peek buffer (nothing is consumed)
};

struct server::impl {
  impl(asio::any_io_executor e, request_handler h, std::function<bool()> cut)
      : ex(std::move(e)), handler(std::move(h)), cut_off_next(std::move(cut)), acceptor(ex) {}

  asio::any_io_executor ex;
  request_handler handler;  // dropped by stop(): each connection holds its own copy
  std::function<bool()> cut_off_next;
  tcp::acceptor acceptor;
  tcp::endpoint local;
  std::list<tcp::socket*> connections;
  bool stopping = false;

  // `self` keeps the server alive while the coroutine runs.
  static asio::awaitable<void> serve(std::shared_ptr<impl> self, request_handler handler,
                                     std::shared_ptr<connection_cancel> cancel, tcp::socket socket);
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

// While request `number` is being handled (a blocking query may take minutes), notice the client
// closing its connection and cancel the request. A peek that sees EOF or an error means the
// client is gone; a peek that sees bytes is a pipelined request, left for the next read.
void watch_for_hangup(tcp::socket& socket, const std::shared_ptr<connection_cancel>& cancel, std::uint64_t number) {
  socket.async_receive(asio::buffer(&cancel->peeked, 1), tcp::socket::message_peek,
                       [cancel, number](const boost::system::error_code& ec, std::size_t n) {
                         if (ec == asio::error::operation_aborted || cancel->serving != number) return;
                         if (ec || n == 0) cancel->signal.emit(asio::cancellation_type::terminal);
                       });
}

// Spawns the coroutine serving `socket`, bound to the connection's cancellation signal. The
// signal must outlive the coroutine's thread, which refers to it until its completion handler
// has returned: the handler releases it through a post.
void spawn_connection(const std::shared_ptr<server::impl>& self, tcp::socket socket) {
  auto cancel = std::make_shared<connection_cancel>();
  auto ex = self->ex;
  auto done = [cancel, ex](std::exception_ptr) mutable { asio::post(ex, [c = std::move(cancel)] {}); };
  asio::co_spawn(ex, server::impl::serve(self, self->handler, cancel, std::move(socket)),
                 asio::bind_cancellation_slot(cancel->signal.slot(), std::move(done)));
}

}  // namespace

asio::awaitable<void> server::impl::serve(std::shared_ptr<impl> self, request_handler handler,
                                          std::shared_ptr<connection_cancel> cancel, tcp::socket socket) {
  // A cancelled request's coroutine goes on to close the connection: its operations must
  // complete with errors, not throw.
  co_await asio::this_coro::throw_if_cancelled(false);
  auto& connections = self->connections;
  const bool& stopping = self->stopping;
  boost::system::error_code ec;
  auto peer = socket.remote_endpoint(ec);
  std::string remote = ec ? std::string("unknown") : peer.address().to_string() + ":" + std::to_string(peer.port());
  beast::tcp_stream stream(std::move(socket));
  auto registration = connections.insert(connections.end(), &stream.socket());
  beast::flat_buffer buffer;
  std::uint64_t requests = 0;
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
    cancel->serving = ++requests;
    watch_for_hangup(stream.socket(), cancel, requests);
    http_response resp = co_await handler(req);
    cancel->serving = 0;
    boost::system::error_code ignored;
    stream.socket().cancel(ignored);  // ends the hang-up watch; nothing else is pending now
    // The watcher only emits while a request is served and the loop ends once it has, so the
    // state never needs resetting between requests.
    asio::cancellation_state state = co_await asio::this_coro::cancellation_state;
    if (stopping || state.cancelled() != asio::cancellation_type::none) break;
    auto out = to_message(std::move(resp), msg.version(), keep_alive);
    if (self->cut_off_next && self->cut_off_next()) {
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

server::server(asio::any_io_executor ex, request_handler handler, std::function<bool()> cut_off_next)
    : impl_(std::make_shared<impl>(std::move(ex), std::move(handler), std::move(cut_off_next))) {}

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
  std::shared_ptr<impl> self = impl_;
  auto on_socket = [self](tcp::socket socket) { spawn_connection(self, std::move(socket)); };
  auto stopped = [self] { return self->stopping; };
  asio::co_spawn(self->ex, coconsul::http::detail::accept_loop(self->acceptor, std::move(on_socket), std::move(stopped)),
                 asio::detached);
}

void server::stop() {
  impl_->stopping = true;
  impl_->handler = nullptr;  // what it holds lives on only while a connection still runs
  boost::system::error_code ec;
  impl_->acceptor.close(ec);
  for (auto* s : impl_->connections) {
    s->shutdown(tcp::socket::shutdown_both, ec);
    s->close(ec);
  }
}

std::string server::address() const {
  const auto& a = impl_->local.address();
  // Appended piecewise: gcc 12 warns falsely (-Wrestrict) on "lit" + string&&.
  std::string out;
  if (a.is_v6()) out += '[';
  out += a.to_string();
  if (a.is_v6()) out += ']';
  out += ':';
  out += std::to_string(impl_->local.port());
  return out;
}

std::uint16_t server::port() const { return impl_->local.port(); }

std::size_t server::open_connections() const { return impl_->connections.size(); }

}  // namespace coconsul::dev
