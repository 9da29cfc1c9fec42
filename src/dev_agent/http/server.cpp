// The agent's HTTP server on Beast (plain TCP only: one stream type in this file). Requests are
// parsed by request_reader (sans I/O); this file does the socket side and applies the limits.

#include "dev_agent/http/server.hpp"

#include "dev_agent/http/body_budget.hpp"
#include "dev_agent/http/conn_limit.hpp"
#include "dev_agent/http/rejection.hpp"
#include "dev_agent/http/request_reader.hpp"
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
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/http/chunk_encode.hpp>

#include <algorithm>
#include <exception>
#include <list>
#include <optional>
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
  impl(asio::any_io_executor e, request_handler h, std::function<bool()> cut, const dev_agent_options::http_limits& l)
      : ex(std::move(e)),
        handler(std::move(h)),
        cut_off_next(std::move(cut)),
        limits(l),
        budget(l.max_body_bytes_in_flight),
        per_client(l.max_conns_per_client),
        acceptor(ex) {}

  asio::any_io_executor ex;
  request_handler handler;  // dropped by stop(): each connection holds its own copy
  std::function<bool()> cut_off_next;
  dev_agent_options::http_limits limits;
  body_budget budget;
  conn_limit per_client;
  tcp::acceptor acceptor;
  tcp::endpoint local;
  std::list<tcp::socket*> connections;
  bool stopping = false;

  // `self` keeps the server alive while the coroutine runs.
  static asio::awaitable<void> serve(std::shared_ptr<impl> self, request_handler handler,
                                     std::shared_ptr<connection_cancel> cancel, tcp::socket socket,
                                     conn_limit::slot slot);
};

namespace {

// The status line and headers of `r`, as Go writes them.
template <class Body>
void set_head(http::response<Body>& m, http_response& r) {
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
}

http::response<http::string_body> to_message(http_response&& r, unsigned version, bool keep_alive) {
  http::response<http::string_body> m{static_cast<http::status>(r.status), version};
  set_head(m, r);
  m.body() = std::move(r.body);
  m.keep_alive(keep_alive);
  m.prepare_payload();
  return m;
}

// Sets the stream's deadline `d` from now, or none for 0.
void expire_after(beast::tcp_stream& stream, std::chrono::milliseconds d) {
  if (d.count() > 0)
    stream.expires_after(d);
  else
    stream.expires_never();
}

// One read into `buffer` of what its free space holds (at least 512 bytes, as Beast's own reads),
// or of `at_least` bytes (at most 64 KiB) when more are known to be coming: a body.
asio::awaitable<boost::system::error_code> read_some(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                                     std::uint64_t at_least = 0) {
  constexpr std::size_t most = 64 * 1024;
  const auto wanted = static_cast<std::size_t>(std::min<std::uint64_t>(at_least, most));
  const std::size_t size = std::max(beast::read_size(buffer, most), wanted);
  auto [ec, n] = co_await stream.async_read_some(buffer.prepare(size), asio::as_tuple(asio::use_awaitable));
  buffer.commit(n);
  co_return ec;
}

// Writes a refusal and closes as Go does after one: the write side first, then the rest of what
// the client is still sending is read and dropped for up to half a second (Go's RST-avoidance
// delay), so closing with unread bytes does not reset the connection before the client has read
// the reply.
asio::awaitable<void> refuse(beast::tcp_stream& stream, beast::flat_buffer& buffer, const std::string& reply) {
  stream.expires_after(std::chrono::seconds(5));
  auto [we, wn] = co_await asio::async_write(stream, asio::buffer(reply), asio::as_tuple(asio::use_awaitable));
  if (we) co_return;
  boost::system::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.expires_after(std::chrono::milliseconds(500));
  buffer.clear();
  for (;;) {
    boost::system::error_code re = co_await read_some(stream, buffer, 64 * 1024);
    if (re) co_return;
    buffer.clear();
  }
}

// Feeds `reader` what `buffer` holds, reading more from `stream` when it needs it, until
// `enough()` holds or the reader refuses. False when the stream failed, timed out or closed.
// `expected` is how many bytes are known to be coming (read_some).
template <class Enough>
asio::awaitable<bool> read_until(beast::tcp_stream& stream, beast::flat_buffer& buffer, request_reader& reader,
                                 Enough enough, std::uint64_t expected) {
  for (;;) {
    if (buffer.size() > 0) {
      auto data = buffer.data();
      std::size_t n = reader.feed(std::string_view(static_cast<const char*>(data.data()), data.size()));
      buffer.consume(n);
      if (reader.refused() != refusal::none || enough()) co_return true;
      if (n > 0 && buffer.size() > 0) continue;  // the parser stops after each header and chunk
    } else if (enough()) {
      co_return true;
    }
    boost::system::error_code ec = co_await read_some(stream, buffer, expected);
    if (ec) co_return false;
  }
}

// A streamed response (http_response::stream): the head with chunked framing at once, then one
// chunk per piece, each written before the next piece is asked for, so a reader that does not
// read holds up the producer and nothing piles up here. Ends at an empty piece (then the last
// chunk), a failed write or the agent stopping.
asio::awaitable<void> write_stream(beast::tcp_stream& stream, http_response r, unsigned version, const bool& stopping) {
  auto produce = std::move(r.stream);
  http::response<http::empty_body> head{static_cast<http::status>(r.status), version};
  set_head(head, r);
  head.chunked(true);
  http::response_serializer<http::empty_body> sr{head};
  auto [he, hn] = co_await http::async_write_header(stream, sr, asio::as_tuple(asio::use_awaitable));
  if (he) co_return;
  for (;;) {
    std::string piece = co_await produce();
    if (stopping) co_return;
    asio::cancellation_state state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none) co_return;  // the client hung up
    if (piece.empty()) break;
    // Named first: gcc 12 destroys temporaries inside a co_await expression twice.
    auto chunk = http::make_chunk(asio::buffer(piece));
    auto [we, wn] = co_await asio::async_write(stream, chunk, asio::as_tuple(asio::use_awaitable));
    if (we) co_return;
  }
  auto last = http::make_chunk_last();
  co_await asio::async_write(stream, last, asio::as_tuple(asio::use_awaitable));
}

// Runs http_response::after_write when the server is done with the response, however it ends.
struct after_response {
  std::function<void()> call;
  ~after_response() {
    if (call) call();
  }
};

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

// A connection over the per-client cap: go-connlimit's reply with a 10 ms write deadline (as
// Consul configures it), then close.
asio::awaitable<void> refuse_connection(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  stream.expires_after(std::chrono::milliseconds(10));
  std::string reply = too_many_connections_reply();
  co_await asio::async_write(stream, asio::buffer(reply), asio::as_tuple(asio::use_awaitable));
  boost::system::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream.socket().close(ec);
}

// Spawns the coroutine serving `socket`, bound to the connection's cancellation signal, or
// refuses it when its address has the maximum of connections open. The signal must outlive the
// coroutine's thread, which refers to it until its completion handler has returned: the handler
// releases it through a post.
void spawn_connection(const std::shared_ptr<server::impl>& self, tcp::socket socket) {
  boost::system::error_code ec;
  auto peer = socket.remote_endpoint(ec);
  std::optional<conn_limit::slot> slot = self->per_client.admit(ec ? std::string() : peer.address().to_string());
  if (!slot) {
    asio::co_spawn(self->ex, refuse_connection(std::move(socket)), asio::detached);
    return;
  }
  auto cancel = std::make_shared<connection_cancel>();
  auto ex = self->ex;
  auto done = [cancel, ex](std::exception_ptr) mutable { asio::post(ex, [c = std::move(cancel)] {}); };
  asio::co_spawn(ex, server::impl::serve(self, self->handler, cancel, std::move(socket), std::move(*slot)),
                 asio::bind_cancellation_slot(cancel->signal.slot(), std::move(done)));
}

}  // namespace

asio::awaitable<void> server::impl::serve(std::shared_ptr<impl> self, request_handler handler,
                                          std::shared_ptr<connection_cancel> cancel, tcp::socket socket,
                                          conn_limit::slot slot) {
  // A cancelled request's coroutine goes on to close the connection: its operations must
  // complete with errors, not throw.
  co_await asio::this_coro::throw_if_cancelled(false);
  // Counted until the close. A local, so it goes before the parameters: `self` may hold the last
  // reference to the server (and its count).
  [[maybe_unused]] conn_limit::slot counted = std::move(slot);
  auto& connections = self->connections;
  const bool& stopping = self->stopping;
  const auto& limits = self->limits;
  boost::system::error_code ec;
  auto peer = socket.remote_endpoint(ec);
  std::string remote = ec ? std::string("unknown") : peer.address().to_string() + ":" + std::to_string(peer.port());
  beast::tcp_stream stream(std::move(socket));
  auto registration = connections.insert(connections.end(), &stream.socket());
  beast::flat_buffer buffer;
  std::uint64_t requests = 0;
  for (;;) {
    // Go's timing: a kept-alive connection may wait idle_timeout for its next request's first
    // byte; the header must then be complete within header_timeout (from the accept for the
    // first request).
    if (requests > 0 && buffer.size() == 0) {
      expire_after(stream, limits.idle_timeout);
      boost::system::error_code ie = co_await read_some(stream, buffer);
      if (ie || stopping) break;
    }
    expire_after(stream, limits.header_timeout);
    request_reader reader(limits.max_header_bytes, limits.max_body_bytes);
    auto header_done = [&reader] { return reader.header_done(); };
    bool read = co_await read_until(stream, buffer, reader, header_done, 0);
    if (!read || stopping) break;
    stream.expires_never();  // Consul sets no body or write timeout
    if (reader.refused() != refusal::none) {
      // Named first: gcc 12 destroys temporaries inside a co_await expression twice.
      std::string reply = refusal_reply(reader.refused(), reader.content_length(), limits.max_body_bytes);
      co_await refuse(stream, buffer, reply);
      break;
    }
    // The body's bytes are reserved before any is read: its length, or the most a chunked body
    // may grow to.
    std::uint64_t body_bytes = reader.chunked() ? limits.max_body_bytes : reader.content_length().value_or(0);
    std::optional<body_budget::ticket> ticket = self->budget.reserve(body_bytes);
    if (!ticket) {
      std::string reply = body_budget_reply(body_bytes, self->budget.in_use(), self->budget.capacity());
      co_await refuse(stream, buffer, reply);
      break;
    }
    if (reader.expects_continue() && !reader.done()) {
      http::response<http::empty_body> cont{http::status::continue_, reader.version()};
      auto [wc, n2] = co_await http::async_write(stream, cont, asio::as_tuple(asio::use_awaitable));
      if (wc) break;
    }
    auto done = [&reader] { return reader.done(); };
    read = co_await read_until(stream, buffer, reader, done, body_bytes);
    if (!read || stopping) break;
    if (reader.refused() != refusal::none) {
      // Named first: gcc 12 destroys temporaries inside a co_await expression twice.
      std::string reply = refusal_reply(reader.refused(), reader.content_length(), limits.max_body_bytes);
      co_await refuse(stream, buffer, reply);
      break;
    }
    bool keep_alive = reader.keep_alive();
    unsigned version = reader.version();
    http_request req = reader.take(remote);
    cancel->serving = ++requests;
    watch_for_hangup(stream.socket(), cancel, requests);
    http_response resp = co_await handler(req);
    after_response after{std::move(resp.after_write)};
    if (resp.stream) {
      // The hang-up watch goes on while the body streams: the client closing ends the stream.
      req = http_request();
      ticket.reset();
      asio::cancellation_state state = co_await asio::this_coro::cancellation_state;
      if (!stopping && state.cancelled() == asio::cancellation_type::none)
        co_await write_stream(stream, std::move(resp), version, stopping);
      cancel->serving = 0;
      break;
    }
    cancel->serving = 0;
    req = http_request();  // the body is handled: its bytes go back to the budget
    ticket.reset();
    boost::system::error_code ignored;
    stream.socket().cancel(ignored);  // ends the hang-up watch; nothing else is pending now
    // The watcher only emits while a request is served and the loop ends once it has, so the
    // state never needs resetting between requests.
    asio::cancellation_state state = co_await asio::this_coro::cancellation_state;
    if (stopping || state.cancelled() != asio::cancellation_type::none) break;
    auto out = to_message(std::move(resp), version, keep_alive);
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
    if (buffer.size() == 0) buffer.shrink_to_fit();  // a body's reads grew it: idle, it holds nothing
  }
  connections.erase(registration);
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream.socket().close(ec);
}

server::server(asio::any_io_executor ex, request_handler handler, std::function<bool()> cut_off_next,
               const dev_agent_options::http_limits& limits)
    : impl_(std::make_shared<impl>(std::move(ex), std::move(handler), std::move(cut_off_next), limits)) {}

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
