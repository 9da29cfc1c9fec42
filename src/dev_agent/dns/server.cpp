// The DNS listeners on Asio: a UDP receive loop, and the library's accept loop for TCP with one
// coroutine per connection. A hostile client is bounded: a datagram is one fixed buffer, a TCP
// connection reads one message (at most 64 KiB) at a time under a deadline, serves at most
// max_tcp_queries, and one address holds at most max_tcp_conns_per_client connections.

#include "dev_agent/dns/server.hpp"

#include "dev_agent/dns/limits.hpp"
#include "dev_agent/http/conn_limit.hpp"
#include "http/accept_loop.hpp"

#include <coconsul/error.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <list>

namespace coconsul::dev::dns {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using udp = asio::ip::udp;

struct server::impl {
  impl(asio::any_io_executor e, message_handler h)
      : ex(std::move(e)), handler(std::move(h)), socket(ex), acceptor(ex), per_client(max_tcp_conns_per_client) {}

  asio::any_io_executor ex;
  message_handler handler;  // dropped by stop()
  udp::socket socket;
  tcp::acceptor acceptor;
  conn_limit per_client;
  std::list<tcp::socket*> connections;
  std::uint16_t port = 0;
  bool stopping = false;

  static asio::awaitable<void> serve_udp(std::shared_ptr<impl> self);
  static asio::awaitable<void> serve_tcp(std::shared_ptr<impl> self, std::shared_ptr<tcp::socket> socket,
                                         conn_limit::slot slot);
};

namespace {

// Closes a connection that misses its deadline. A generation number tells a wait that fired
// after being re-armed (its handler already queued) that it is stale.
class deadline {
 public:
  deadline(asio::any_io_executor ex, std::weak_ptr<tcp::socket> s) : timer_(std::move(ex)), socket_(std::move(s)) {}
  void arm(std::chrono::milliseconds d) {
    auto generation = ++*generation_;
    timer_.expires_after(d);
    auto on_expiry = [socket = socket_, current = generation_, generation](const boost::system::error_code& ec) {
      if (ec || *current != generation) return;
      if (auto s = socket.lock()) {
        boost::system::error_code ignored;
        s->close(ignored);
      }
    };
    timer_.async_wait(std::move(on_expiry));
  }
  void disarm() {
    ++*generation_;
    timer_.cancel();
  }

 private:
  asio::steady_timer timer_;
  std::weak_ptr<tcp::socket> socket_;
  std::shared_ptr<std::uint64_t> generation_ = std::make_shared<std::uint64_t>(0);
};

}  // namespace

asio::awaitable<void> server::impl::serve_udp(std::shared_ptr<impl> self) {
  // The largest datagram: what a client sends beyond it is cut off by the kernel.
  std::vector<std::uint8_t> buffer(65535);
  for (;;) {
    udp::endpoint from;
    auto [ec, n] = co_await self->socket.async_receive_from(asio::buffer(buffer), from,
                                                            asio::as_tuple(asio::use_awaitable));
    if (self->stopping || !self->socket.is_open()) co_return;
    if (ec) continue;  // e.g. an ICMP error left by an earlier reply: the next datagram is fine
    auto reply = self->handler(std::span<const std::uint8_t>(buffer.data(), n), transport::udp);
    if (!reply) continue;
    co_await self->socket.async_send_to(asio::buffer(*reply), from, asio::as_tuple(asio::use_awaitable));
    if (self->stopping) co_return;
  }
}

asio::awaitable<void> server::impl::serve_tcp(std::shared_ptr<impl> self, std::shared_ptr<tcp::socket> socket,
                                              conn_limit::slot slot) {
  [[maybe_unused]] conn_limit::slot counted = std::move(slot);
  auto registration = self->connections.insert(self->connections.end(), socket.get());
  deadline timer(self->ex, socket);
  std::vector<std::uint8_t> message;
  for (std::size_t served = 0; served < max_tcp_queries && !self->stopping; ++served) {
    // The whole next message (length and body) within the deadline: the first from the accept,
    // each later one from the previous answer.
    timer.arm(served == 0 ? read_timeout : idle_timeout);
    std::array<std::uint8_t, 2> length{};
    auto [le, ln] = co_await asio::async_read(*socket, asio::buffer(length), asio::as_tuple(asio::use_awaitable));
    if (le || self->stopping) break;
    const std::size_t size = (std::size_t(length[0]) << 8) | length[1];
    if (size == 0) break;
    message.resize(size);
    auto [me, mn] = co_await asio::async_read(*socket, asio::buffer(message), asio::as_tuple(asio::use_awaitable));
    if (me || self->stopping) break;
    timer.disarm();
    auto reply = self->handler(std::span<const std::uint8_t>(message.data(), message.size()), transport::tcp);
    if (!reply) continue;
    if (reply->size() > 0xFFFF) break;  // cannot be framed (trim_tcp keeps answers far below)
    std::array<std::uint8_t, 2> prefix{static_cast<std::uint8_t>(reply->size() >> 8),
                                       static_cast<std::uint8_t>(reply->size() & 0xFF)};
    std::array<asio::const_buffer, 2> out{asio::buffer(prefix), asio::buffer(*reply)};
    timer.arm(write_timeout);
    auto [we, wn] = co_await asio::async_write(*socket, out, asio::as_tuple(asio::use_awaitable));
    if (we) break;
  }
  timer.disarm();
  self->connections.erase(registration);
  boost::system::error_code ec;
  socket->shutdown(tcp::socket::shutdown_both, ec);
  socket->close(ec);
}

server::server(asio::any_io_executor ex, message_handler handler)
    : impl_(std::make_shared<impl>(std::move(ex), std::move(handler))) {}

server::~server() = default;

void server::listen(const std::string& address, std::uint16_t port) {
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(address, ec);
  if (ec)
    throw error(make_error_code(errc::invalid_address),
                diagnostics{0, "dev agent: DNS bind address \"" + address + "\" is not an IP address"});
  auto& a = *impl_;
  // An ephemeral port is taken by UDP first; TCP then needs the same number, which another
  // program may hold: try a few.
  for (int attempt = 0;; ++attempt) {
    boost::system::error_code ue, te;
    a.socket = udp::socket(a.ex);
    a.socket.open(addr.is_v6() ? udp::v6() : udp::v4(), ue);
    if (!ue) a.socket.bind(udp::endpoint(addr, port), ue);
    if (!ue) {
      const std::uint16_t chosen = a.socket.local_endpoint().port();
      a.acceptor = tcp::acceptor(a.ex);
      tcp::endpoint ep(addr, chosen);
      a.acceptor.open(ep.protocol(), te);
      if (!te) a.acceptor.set_option(asio::socket_base::reuse_address(true), te);
      if (!te) a.acceptor.bind(ep, te);
      if (!te) a.acceptor.listen(asio::socket_base::max_listen_connections, te);
      if (!te) {
        a.port = chosen;
        break;
      }
    }
    if (port == 0 && !ue && attempt < 10) continue;
    boost::system::error_code failed = ue ? ue : te;
    throw error(failed, diagnostics{0, "dev agent: cannot listen for DNS on " + address + ":" +
                                           std::to_string(port) + ": " + failed.message()});
  }
  std::shared_ptr<impl> self = impl_;
  asio::co_spawn(a.ex, impl::serve_udp(self), asio::detached);
  auto on_socket = [self](tcp::socket s) {
    boost::system::error_code pe;
    auto peer = s.remote_endpoint(pe);
    std::optional<conn_limit::slot> slot = self->per_client.admit(pe ? std::string() : peer.address().to_string());
    if (!slot) return;  // over the cap: closed at once
    auto owned = std::make_shared<tcp::socket>(std::move(s));
    asio::co_spawn(self->ex, impl::serve_tcp(self, std::move(owned), std::move(*slot)), asio::detached);
  };
  auto stopped = [self] { return self->stopping; };
  asio::co_spawn(a.ex, coconsul::http::detail::accept_loop(a.acceptor, std::move(on_socket), std::move(stopped)),
                 asio::detached);
}

void server::stop() {
  auto& a = *impl_;
  if (a.stopping) return;
  a.stopping = true;
  a.handler = nullptr;
  boost::system::error_code ec;
  a.socket.close(ec);
  a.acceptor.close(ec);
  for (auto* s : a.connections) {
    s->shutdown(tcp::socket::shutdown_both, ec);
    s->close(ec);
  }
}

std::uint16_t server::port() const { return impl_->port; }

std::size_t server::open_connections() const { return impl_->connections.size(); }

}  // namespace coconsul::dev::dns
