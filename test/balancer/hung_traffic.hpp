#pragma once
// Test traffic for the hung and partitioned replica tests: workers that send one line per
// connection through balancer::connect() and re-send on another connection what got no answer;
// and what Consul's check of a replica says.

#include "replicas.hpp"

#include <coconsul/health.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <string>

namespace coconsul::test {

struct traffic {
  bool stop = false;
  int workers_done = 0;
  std::size_t answered = 0;
  std::size_t timed_out = 0;         // the lease's request deadline closed the exchange: re-sent
  std::size_t other_errors = 0;      // the exchange broke otherwise: re-sent
  std::size_t connect_errors = 0;    // connect() itself failed: a lost request
  std::size_t leases_on_ejected = 0; // handed out while the balancer had it ejected
};

// Sends requests until told to stop; a request whose exchange fails is re-sent on another
// connection (the failed endpoint is ejected), so every request is answered while a live
// replica exists. No deadline of its own: the lease's request deadline bounds each exchange.
inline boost::asio::awaitable<void> worker(balancer& lb, traffic& t, int id) {
  namespace asio = boost::asio;
  auto ex = co_await asio::this_coro::executor;
  for (int n = 0; !t.stop; ++n) {
    const std::string request = "worker " + std::to_string(id) + " request " + std::to_string(n) + "\n";
    for (;;) {
      asio::ip::tcp::socket s(ex);
      auto [ec, lease] = co_await lb.connect(s, asio::as_tuple(asio::use_awaitable));
      if (ec) {
        ++t.connect_errors;
        BOOST_TEST_MESSAGE("connect failed: " << ec.message());
        break;
      }
      if (auto e = entry_of(lb, lease.endpoint().service_id); e && e->ejected) ++t.leases_on_ejected;
      auto [wec, w] = co_await asio::async_write(s, asio::buffer(request), asio::as_tuple(asio::use_awaitable));
      std::string reply;
      auto [rec, r] = co_await asio::async_read_until(s, asio::dynamic_buffer(reply), '\n',
                                                      asio::as_tuple(asio::use_awaitable));
      if (wec || rec || reply != request) {
        ++(lease.timed_out() ? t.timed_out : t.other_errors);
        lease.fail();
        continue;
      }
      ++t.answered;
      break;
    }
  }
  ++t.workers_done;
}

// "STATUS: OUTPUT" of the check of service instance `id` ("none" if it has no check).
inline boost::asio::awaitable<std::string> check_of(client& consul, const std::string& service, const std::string& id) {
  auto r = co_await consul.health().checks(service);
  for (const auto& c : r.value)
    if (c.service_id == id) co_return c.status + ": " + c.output;
  co_return "none";
}

}  // namespace coconsul::test
