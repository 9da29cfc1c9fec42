#pragma once
// Test helpers for the balancer: echo replicas on loopback (an acceptor and one echo coroutine
// per connection) that can be killed and restarted on the same port, and their registration.

#include <coconsul/balancer.hpp>
#include <coconsul/client.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <list>
#include <memory>
#include <optional>
#include <string>

namespace coconsul::test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// A port nothing listens on (bound once, then closed).
inline int dead_port(asio::any_io_executor ex) {
  tcp::acceptor a(ex, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  return a.local_endpoint().port();
}

// Serves lines back as they come ("ping\n" -> "ping\n"); kill() closes the acceptor and every
// connection, restart() listens again on the same port.
class echo_replica {
 public:
  explicit echo_replica(asio::any_io_executor ex) : ex_(ex) { listen(0); }
  ~echo_replica() { kill(); }

  int port() const { return port_; }
  std::size_t served() const { return served_; }  // lines answered since the last (re)start
  std::size_t accepted() const { return accepted_; }

  void kill() {
    if (!state_) return;
    state_->dead = true;
    error_code ignored;
    state_->acceptor.close(ignored);
    for (auto& s : state_->connections) s.close(ignored);
    state_.reset();
  }

  void restart() {
    kill();
    listen(port_);
  }

 private:
  struct live {
    explicit live(asio::any_io_executor ex) : acceptor(ex) {}
    tcp::acceptor acceptor;
    std::list<tcp::socket> connections;
    bool dead = false;
  };

  void listen(int port) {
    state_ = std::make_shared<live>(ex_);
    tcp::endpoint at(asio::ip::address_v4::loopback(), static_cast<unsigned short>(port));
    state_->acceptor.open(at.protocol());
    state_->acceptor.set_option(tcp::acceptor::reuse_address(true));
    state_->acceptor.bind(at);
    state_->acceptor.listen();
    port_ = state_->acceptor.local_endpoint().port();
    served_ = 0;
    asio::co_spawn(ex_, accept_loop(state_), asio::detached);
  }

  asio::awaitable<void> accept_loop(std::shared_ptr<live> st) {
    for (;;) {
      auto [ec, socket] = co_await st->acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec || st->dead) co_return;
      ++accepted_;
      st->connections.push_back(std::move(socket));
      asio::co_spawn(ex_, echo(st, std::prev(st->connections.end())), asio::detached);
    }
  }

  asio::awaitable<void> echo(std::shared_ptr<live> st, std::list<tcp::socket>::iterator it) {
    asio::streambuf buf;
    for (;;) {
      auto [ec, n] = co_await asio::async_read_until(*it, buf, '\n', asio::as_tuple(asio::use_awaitable));
      if (ec || st->dead) break;
      std::string line(asio::buffers_begin(buf.data()), asio::buffers_begin(buf.data()) + static_cast<std::ptrdiff_t>(n));
      buf.consume(n);
      auto [wec, w] = co_await asio::async_write(*it, asio::buffer(line), asio::as_tuple(asio::use_awaitable));
      if (wec || st->dead) break;
      ++served_;
    }
    if (!st->dead) st->connections.erase(it);  // after kill() the list is gone with the state
  }

  asio::any_io_executor ex_;
  std::shared_ptr<live> state_;
  int port_ = 0;
  std::size_t served_ = 0;
  std::size_t accepted_ = 0;
};

// A registration of service `name` on 127.0.0.1:port, with an optional TCP check every
// `check_every` (passing from the start, so the instance is in the first snapshot).
inline service_registration instance(std::string name, std::string id, int port, int weight = 1,
                                     std::chrono::milliseconds check_every = std::chrono::milliseconds(0)) {
  service_registration reg{.id = std::move(id), .name = std::move(name), .port = port};
  reg.address = "127.0.0.1";
  coconsul::weights w;
  w.passing = weight;
  w.warning = weight;
  reg.weights = w;
  if (check_every.count() > 0) {
    service_check tcp_check;
    tcp_check.tcp = "127.0.0.1:" + std::to_string(port);
    tcp_check.interval = check_every;
    tcp_check.timeout = std::chrono::milliseconds(500);
    tcp_check.status = "passing";
    reg.check = tcp_check;
  }
  return reg;
}

// Balancer options for tests: fast watch pacing and a fixed seed.
inline balancer_options fast_balancer(balance_policy policy = balance_policy::power_of_two) {
  balancer_options o;
  o.policy = policy;
  o.seed = 42;
  o.watch.pacing.refill = std::chrono::milliseconds(50);
  o.watch.pacing.backoff_base = std::chrono::milliseconds(10);
  o.watch.pacing.backoff_cap = std::chrono::milliseconds(200);
  return o;
}

// The stats entry of `service_id`, if the table lists it.
inline std::optional<balancer_endpoint> entry_of(const balancer& lb, const std::string& service_id) {
  for (auto& e : lb.stats().endpoints)
    if (e.endpoint.service_id == service_id) return e;
  return std::nullopt;
}

}  // namespace coconsul::test
