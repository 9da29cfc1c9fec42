// The scriptable test server: coroutines on the test's io_context, one per connection. Its
// state is shared with those coroutines, so it outlives the test_server object if they do.
#include "test_server.hpp"

// g++ 12 (with the sanitizers) pairs the coroutine frame's operator new (Asio's recycling
// allocator) with a plain free() in an inlined destroy path and warns falsely (GCC bug 109224).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <list>

#include <unistd.h>

namespace coconsul::test {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
using asio::local::stream_protocol;
using boost::system::error_code;

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string temp_socket_path() {
  static std::atomic<int> counter{0};
  return "/tmp/coconsul-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".sock";
}

void close_stream(tcp::socket& s) {
  error_code ignored;
  s.shutdown(tcp::socket::shutdown_both, ignored);
  s.close(ignored);
}
void close_stream(stream_protocol::socket& s) {
  error_code ignored;
  s.shutdown(stream_protocol::socket::shutdown_both, ignored);
  s.close(ignored);
}
void close_stream(ssl::stream<tcp::socket>& s) { close_stream(s.next_layer()); }

}  // namespace

const std::string* received_request::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (iequals(n, name)) return &v;
  return nullptr;
}

std::string ok_response(std::string_view body, std::string_view extra_headers) {
  std::string r = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  r += extra_headers;
  r += "\r\n";
  r += body;
  return r;
}

reply reply::ok(std::string body, std::string extra_headers) {
  return reply{ok_response(body, extra_headers), then::keep_open, {}};
}
reply reply::raw(std::string bytes, then after) { return reply{std::move(bytes), after, {}}; }
reply reply::hang() { return reply{{}, then::hang, {}}; }
reply reply::close() { return reply{{}, then::close, {}}; }

struct test_server::state : std::enable_shared_from_this<state> {
  state(asio::io_context& ioc, handler h, server_options o)
      : ex(ioc.get_executor()), on_request(std::move(h)), options(std::move(o)), tcp_acceptor(ioc), unix_acceptor(ioc),
        tls(ssl::context::tls_server) {}

  void notify() {
    for (auto* t : waiters) t->cancel();
  }

  void opened() {
    ++accepted;
    ++open;
    peak = std::max(peak, open);
    notify();
  }

  void ended(bool by_client) {
    --open;
    ++(by_client ? closed_by_client : closed_by_server);
    notify();
  }

  asio::any_io_executor ex;
  handler on_request;
  server_options options;
  tcp::acceptor tcp_acceptor;
  stream_protocol::acceptor unix_acceptor;
  ssl::context tls;
  std::string socket_path;
  std::uint16_t port = 0;

  std::size_t accepted = 0, open = 0, peak = 0, closed_by_client = 0, closed_by_server = 0, failed_handshakes = 0;
  std::vector<received_request> requests;
  std::list<asio::steady_timer*> waiters;
};

namespace {

using state_ptr = std::shared_ptr<test_server::state>;

// Serves one connection until one side closes it.
template <class Stream>
asio::awaitable<void> serve(state_ptr s, Stream stream, std::size_t id) {
  boost::beast::flat_buffer buffer;
  bool by_client = false;
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.eager(true);
    parser.body_limit(boost::none);
    error_code ec;
    bool read_failed = false;
    for (;;) {
      if (buffer.size() > 0) {
        std::size_t used = parser.put(buffer.data(), ec);
        buffer.consume(used);
        if (ec == bhttp::error::need_more) ec = {};
        if (ec || parser.is_done()) break;
        if (used > 0) continue;
      }
      std::size_t n = co_await stream.async_read_some(buffer.prepare(4096), asio::redirect_error(asio::use_awaitable, ec));
      buffer.commit(n);
      if (ec) {
        read_failed = true;
        break;
      }
    }
    if (ec) {  // the client closed, or sent something that is not HTTP (then we close)
      by_client = read_failed;
      break;
    }

    received_request req;
    auto& msg = parser.get();
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    for (const auto& f : msg) req.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    req.body = msg.body();
    req.connection = id;
    s->requests.push_back(req);
    s->notify();

    reply r = s->on_request(req);
    if (r.delay.count() > 0) {
      asio::steady_timer t(s->ex, r.delay);
      co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    if (!r.bytes.empty()) {
      co_await asio::async_write(stream, asio::buffer(r.bytes), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        by_client = true;
        break;
      }
    }
    if (r.after == reply::then::close) break;
    if (r.after == reply::then::hang) {
      char sink[1024];
      for (;;) {
        co_await stream.async_read_some(asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
      }
      by_client = true;
      break;
    }
  }
  close_stream(stream);
  s->ended(by_client);
}

asio::awaitable<void> serve_tls(state_ptr s, tcp::socket socket, std::size_t id) {
  ssl::stream<tcp::socket> stream(std::move(socket), s->tls);
  error_code ec;
  co_await stream.async_handshake(ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    ++s->failed_handshakes;
    close_stream(stream);
    s->ended(true);
    co_return;
  }
  co_await serve(std::move(s), std::move(stream), id);
}

asio::awaitable<void> accept_tcp(state_ptr s) {
  for (;;) {
    error_code ec;
    tcp::socket socket = co_await s->tcp_acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;  // closed
    s->opened();
    if (s->options.transport == server_options::kind::tls)
      asio::co_spawn(s->ex, serve_tls(s, std::move(socket), s->accepted), asio::detached);
    else
      asio::co_spawn(s->ex, serve(s, std::move(socket), s->accepted), asio::detached);
  }
}

asio::awaitable<void> accept_unix(state_ptr s) {
  for (;;) {
    error_code ec;
    stream_protocol::socket socket = co_await s->unix_acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    s->opened();
    asio::co_spawn(s->ex, serve(s, std::move(socket), s->accepted), asio::detached);
  }
}

}  // namespace

test_server::test_server(asio::io_context& ioc, handler h, server_options options)
    : state_(std::make_shared<state>(ioc, std::move(h), std::move(options))) {
  auto& s = *state_;
  if (s.options.transport == server_options::kind::unix_socket) {
    s.socket_path = temp_socket_path();
    ::unlink(s.socket_path.c_str());
    stream_protocol::endpoint ep(s.socket_path);
    s.unix_acceptor.open(ep.protocol());
    s.unix_acceptor.bind(ep);
    s.unix_acceptor.listen();
    asio::co_spawn(ioc, accept_unix(state_), asio::detached);
    return;
  }
  if (s.options.transport == server_options::kind::tls) {
    s.tls.use_certificate_chain_file(s.options.cert_file);
    s.tls.use_private_key_file(s.options.key_file, ssl::context::pem);
    if (!s.options.client_ca_file.empty()) {
      s.tls.load_verify_file(s.options.client_ca_file);
      s.tls.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    }
  }
  tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
  s.tcp_acceptor.open(ep.protocol());
  s.tcp_acceptor.set_option(tcp::acceptor::reuse_address(true));
  s.tcp_acceptor.bind(ep);
  s.tcp_acceptor.listen();
  s.port = s.tcp_acceptor.local_endpoint().port();
  asio::co_spawn(ioc, accept_tcp(state_), asio::detached);
}

test_server::~test_server() {
  error_code ignored;
  state_->tcp_acceptor.close(ignored);
  state_->unix_acceptor.close(ignored);
  if (!state_->socket_path.empty()) ::unlink(state_->socket_path.c_str());
}

std::string test_server::address() const {
  switch (state_->options.transport) {
    case server_options::kind::unix_socket: return "unix://" + state_->socket_path;
    case server_options::kind::tls: return "https://127.0.0.1:" + std::to_string(state_->port);
    case server_options::kind::tcp: break;
  }
  return "http://127.0.0.1:" + std::to_string(state_->port);
}

std::uint16_t test_server::port() const { return state_->port; }
std::size_t test_server::accepted() const { return state_->accepted; }
std::size_t test_server::open() const { return state_->open; }
std::size_t test_server::peak_open() const { return state_->peak; }
std::size_t test_server::closed_by_client() const { return state_->closed_by_client; }
std::size_t test_server::closed_by_server() const { return state_->closed_by_server; }
std::size_t test_server::failed_handshakes() const { return state_->failed_handshakes; }
const std::vector<received_request>& test_server::requests() const { return state_->requests; }

asio::awaitable<void> test_server::wait_until(std::function<bool()> pred) {
  // Registered for notify() for as long as this frame lives, even if it is destroyed unresumed.
  struct registration {
    state_ptr s;
    std::list<asio::steady_timer*>::iterator pos;
    ~registration() { s->waiters.erase(pos); }
  };
  asio::steady_timer timer(state_->ex, asio::steady_timer::time_point::max());
  state_->waiters.push_back(&timer);
  registration reg{state_, std::prev(state_->waiters.end())};
  while (!pred()) {
    error_code ec;
    timer.expires_at(asio::steady_timer::time_point::max());
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

}  // namespace coconsul::test
