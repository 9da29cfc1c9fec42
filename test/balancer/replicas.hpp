#pragma once
// Test helpers for the balancer: echo replicas on loopback (an acceptor and one echo coroutine
// per connection) that can be killed and restarted on the same port, frozen and thawed (as
// SIGSTOP and SIGCONT would), with an optional HTTP health endpoint, and their registration.

#include <coconsul/balancer.hpp>
#include <coconsul/client.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
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
// connection, restart() listens again on the same port. freeze() is what SIGSTOP does to a
// process, seen from the network: the sockets stay open, connects still complete (accepted and
// parked here, in the kernel's backlog there), and nothing is answered, echo nor health, until
// thaw(). With `with_health`, an HTTP endpoint on health_port() answers any request with 200.
class echo_replica {
 public:
  // Listens on `at` (loopback by default; e.g. an address inside a network namespace).
  explicit echo_replica(asio::any_io_executor ex, bool with_health = false,
                        asio::ip::address at = asio::ip::address_v4::loopback())
      : ex_(ex), with_health_(with_health), at_(at) {
    listen(0, 0);
  }
  ~echo_replica() { kill(); }

  int port() const { return port_; }
  int health_port() const { return health_port_; }
  std::size_t served() const { return served_; }  // lines answered since the last (re)start
  std::size_t accepted() const { return accepted_; }
  std::size_t health_answered() const { return health_answered_; }

  void kill() {
    if (!state_) return;
    state_->dead = true;
    error_code ignored;
    state_->acceptor.close(ignored);
    state_->health.close(ignored);
    for (auto& s : state_->connections) s.close(ignored);
    state_->thawed.cancel();
    state_.reset();
  }

  void freeze() {
    if (state_) state_->frozen = true;
  }
  void thaw() {
    if (!state_) return;
    state_->frozen = false;
    state_->thawed.cancel();  // wakes everything parked in wait_thawed()
  }

  void restart() {
    kill();
    listen(port_, health_port_);
  }

 private:
  struct live {
    explicit live(asio::any_io_executor ex) : acceptor(ex), health(ex), thawed(ex, asio::steady_timer::time_point::max()) {}
    tcp::acceptor acceptor;
    tcp::acceptor health;
    std::list<tcp::socket> connections;
    asio::steady_timer thawed;  // never expires: cancel() is the "thawed" event
    bool dead = false;
    bool frozen = false;
  };

  void open(tcp::acceptor& a, int port) {
    tcp::endpoint at(at_, static_cast<unsigned short>(port));
    a.open(at.protocol());
    a.set_option(tcp::acceptor::reuse_address(true));
    a.bind(at);
    a.listen();
  }

  void listen(int port, int health_port) {
    state_ = std::make_shared<live>(ex_);
    open(state_->acceptor, port);
    port_ = state_->acceptor.local_endpoint().port();
    served_ = 0;
    asio::co_spawn(ex_, accept_loop(state_), asio::detached);
    if (with_health_) {
      open(state_->health, health_port);
      health_port_ = state_->health.local_endpoint().port();
      asio::co_spawn(ex_, health_loop(state_), asio::detached);
    }
  }

  // Returns once the replica is not frozen (at once if it is not); false when it was killed.
  static asio::awaitable<bool> wait_thawed(std::shared_ptr<live> st) {
    while (st->frozen && !st->dead) {
      st->thawed.expires_at(asio::steady_timer::time_point::max());
      (void)co_await st->thawed.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    co_return !st->dead;
  }

  asio::awaitable<void> health_loop(std::shared_ptr<live> st) {
    for (;;) {
      auto [ec, socket] = co_await st->health.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec || st->dead) co_return;
      asio::co_spawn(ex_, answer_health(st, std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> answer_health(std::shared_ptr<live> st, tcp::socket socket) {
    std::string request;
    auto [ec, n] = co_await asio::async_read_until(socket, asio::dynamic_buffer(request), "\r\n\r\n",
                                                   asio::as_tuple(asio::use_awaitable));
    if (ec || !co_await wait_thawed(st)) co_return;
    static const std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
    auto [wec, w] = co_await asio::async_write(socket, asio::buffer(ok), asio::as_tuple(asio::use_awaitable));
    if (!wec) ++health_answered_;
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
      if (!co_await wait_thawed(st)) co_return;  // after kill() the list is gone with the state
      auto [wec, w] = co_await asio::async_write(*it, asio::buffer(line), asio::as_tuple(asio::use_awaitable));
      if (wec || st->dead) break;
      ++served_;
    }
    if (!st->dead) st->connections.erase(it);  // after kill() the list is gone with the state
  }

  asio::any_io_executor ex_;
  bool with_health_ = false;
  asio::ip::address at_;
  std::shared_ptr<live> state_;
  int port_ = 0;
  int health_port_ = 0;
  std::size_t health_answered_ = 0;
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

// A registration of service `name` on `address`:port with an HTTP check of `health_port` (as
// the service host registers one): every `interval`, Consul's Timeout `timeout`, passing from
// the start.
inline service_registration http_instance(std::string name, std::string id, std::string address, int port,
                                          int health_port, std::chrono::milliseconds interval,
                                          std::chrono::milliseconds timeout) {
  service_registration reg{.id = std::move(id), .name = std::move(name), .port = port};
  reg.address = address;
  service_check check;
  check.http = "http://" + address + ":" + std::to_string(health_port) + "/health";
  check.interval = interval;
  check.timeout = timeout;
  check.status = "passing";
  reg.check = check;
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
