// echo_server: the walkthrough's server. One thread, one io_context, three things on it: the
// Consul registration (coconsul::service_host), the HTTP health endpoint Consul's check calls,
// and a line-based echo server over TCP. SIGINT or SIGTERM deregisters it and exits 0; a kill
// -9 leaves Consul to notice (the health check fails, and the reaper removes it later).
//
//   echo_server --help lists the options (the `usage` text below). The agent comes from
//   CONSUL_HTTP_ADDR (default http://127.0.0.1:8500) and CONSUL_HTTP_TOKEN.

// g++ 12 pairs the coroutine frame's operator new (Asio's recycling allocator) with a plain
// free() in an inlined destroy path and warns falsely (GCC bug 109224).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include "flags.hpp"

#include <coconsul/client.hpp>
#include <coconsul/service_host.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <iostream>
#include <string>
#include <vector>

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

constexpr const char* usage =
    "usage: echo_server [options]       (defaults are the walkthrough's)\n"
    "  --id ID                 service ID (default serverNode_1)\n"
    "  --name NAME             service name (default serverNode)\n"
    "  --tag TAG               a tag, repeatable (default: serverNode)\n"
    "  --address ADDR          address to listen on and to register (default 127.0.0.1)\n"
    "  --port N                echo port (default 9527; 0: any free port)\n"
    "  --check-port N          health endpoint port (default 8080; 0: any free port)\n"
    "  --check-interval D      the HTTP check's interval (default 5s)\n"
    "  --check-timeout D       the HTTP check's timeout (default 3s)\n"
    "  --deregister-after D    DeregisterCriticalServiceAfter (default 30s; Consul raises it to 1m)\n"
    "  --ttl D                 a TTL check instead of the HTTP check: the service host heartbeats\n"
    "                          it every D/3, and the agent marks it critical D after the last one\n"
    "  --weight N              Weights.Passing (default 1)\n"
    "The agent comes from CONSUL_HTTP_ADDR (default http://127.0.0.1:8500) and CONSUL_HTTP_TOKEN.\n";

struct options {
  std::string id = "serverNode_1";
  std::string name = "serverNode";
  std::vector<std::string> tags;
  std::string address = "127.0.0.1";
  std::uint16_t port = 9527;
  std::uint16_t check_port = 8080;
  std::chrono::milliseconds check_interval = 5s;
  std::chrono::milliseconds check_timeout = 3s;
  std::chrono::milliseconds deregister_after = 30s;
  std::chrono::milliseconds ttl = 0ms;  // 0: the HTTP check
  int weight = 1;
};

constexpr std::size_t max_line = 64 * 1024;

// Echoes each line back until the peer closes (or sends a line too long to be a message).
asio::awaitable<void> echo_session(tcp::socket socket) {
  asio::streambuf buffer(max_line);
  for (;;) {
    auto [ec, n] = co_await asio::async_read_until(socket, buffer, '\n', asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;  // closed, reset, or a line over max_line: the session ends either way
    auto [wec, written] = co_await asio::async_write(socket, asio::buffer(buffer.data(), n), asio::as_tuple(asio::use_awaitable));
    if (wec) co_return;
    buffer.consume(n);
  }
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (ec) continue;  // e.g. too many open files: keep serving the connections we have
    asio::co_spawn(acceptor.get_executor(), echo_session(std::move(socket)), asio::detached);
  }
}

coconsul::service_host_options host_options(const options& o, std::uint16_t echo_port) {
  coconsul::service_host_options h;
  h.service.id = o.id;
  h.service.name = o.name;
  h.service.tags = o.tags.empty() ? std::vector<std::string>{o.name} : o.tags;
  h.service.address = o.address;
  h.service.port = echo_port;
  h.service.weights = coconsul::weights{o.weight, 1};
  if (o.ttl.count() > 0) {  // the process itself says it is alive; nothing probes it
    coconsul::service_check ttl_check;
    ttl_check.ttl = o.ttl;
    ttl_check.deregister_critical_service_after = o.deregister_after;
    h.service.checks.push_back(ttl_check);
    return h;
  }
  coconsul::health_endpoint_options endpoint;
  endpoint.address = o.address;
  endpoint.port = o.check_port;
  h.health_endpoint = endpoint;
  coconsul::service_check check;  // HTTP left empty: the host fills in its endpoint's URL
  check.interval = o.check_interval;
  check.timeout = o.check_timeout;
  check.deregister_critical_service_after = o.deregister_after;
  h.http_check = check;
  return h;
}

asio::awaitable<void> serve(coconsul::client& consul, const options& o, int& status) {
  auto ex = co_await asio::this_coro::executor;
  // Bind first, so that the registration carries the real port when --port is 0.
  tcp::acceptor acceptor(ex, tcp::endpoint(asio::ip::make_address(o.address), o.port));
  const auto echo_port = acceptor.local_endpoint().port();

  coconsul::service_host host(consul, host_options(o, echo_port));
  co_await host.start();
  std::cout << o.id << ": registered " << o.name << " at " << o.address << ":" << echo_port;
  if (o.ttl.count() > 0)
    std::cout << ", TTL check of " << o.ttl.count() << " ms heartbeated by the service host" << std::endl;
  else
    std::cout << ", health check " << host.health_url() << " every " << o.check_interval.count() << " ms" << std::endl;

  asio::co_spawn(ex, accept_loop(acceptor), asio::detached);

  asio::signal_set signals(ex, SIGINT, SIGTERM);
  auto [ec, signal] = co_await signals.async_wait(asio::as_tuple(asio::use_awaitable));
  std::cout << o.id << ": " << (signal == SIGINT ? "SIGINT" : "SIGTERM") << ", shutting down" << std::endl;
  acceptor.close();  // no new sessions; Consul stops sending clients here as soon as we deregister
  auto [stop_ec] = co_await host.stop(asio::as_tuple(asio::use_awaitable));
  if (stop_ec) {
    std::cerr << o.id << ": deregistration failed: " << stop_ec.message() << std::endl;
    status = 1;
  } else {
    std::cout << o.id << ": deregistered" << std::endl;
  }
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  example::flags f("echo_server", usage);
  f.text("--id", o.id)
      .text("--name", o.name)
      .list("--tag", o.tags)
      .text("--address", o.address)
      .number("--port", o.port)
      .number("--check-port", o.check_port)
      .duration("--check-interval", o.check_interval)
      .duration("--check-timeout", o.check_timeout)
      .duration("--deregister-after", o.deregister_after)
      .duration("--ttl", o.ttl)
      .number("--weight", o.weight);
  f.parse(argc, argv);

  try {
    asio::io_context ioc(1);  // one thread: registration, health endpoint and echo share it
    coconsul::client consul(ioc, coconsul::config::from_env());
    int status = 0;
    asio::co_spawn(ioc, serve(consul, o, status), [&](std::exception_ptr e) {
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& x) {
          std::cerr << "echo_server: " << x.what() << std::endl;
        }
        status = 1;
      }
      ioc.stop();  // ends the echo sessions still open
    });
    ioc.run();
    return status;
  } catch (const std::exception& e) {
    std::cerr << "echo_server: " << e.what() << std::endl;
    return 1;
  }
}
