#pragma once
// A dev agent on an ephemeral port on the test's io_context, with a raw client to talk to it.

#include "agent_client.hpp"
#include "async_test.hpp"

#include <coconsul/dev_agent.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <memory>

namespace coconsul::test {

// Options that make Consul's slow timers fast enough for tests.
inline dev_agent_options fast_options() {
  dev_agent_options o;
  o.node_name = "test-node";
  o.reap_interval = std::chrono::milliseconds(50);
  o.deregister_minimum = std::chrono::milliseconds(300);
  o.check_min_interval = std::chrono::milliseconds(20);
  o.session_ttl_min = std::chrono::milliseconds(100);
  o.level = dev_agent_options::log_level::off;
  return o;
}

struct agent_fixture {
  explicit agent_fixture(dev_agent_options o = fast_options())
      : agent(std::make_unique<dev_agent>(ioc.get_executor(), std::move(o))) {
    agent->start();
  }
  agent_client client() { return agent_client(ioc.get_executor(), "127.0.0.1", agent->port()); }
  void run(boost::asio::awaitable<void> body, std::chrono::seconds deadline = std::chrono::seconds(20)) {
    run_with_deadline(ioc, std::move(body), deadline);
  }

  boost::asio::io_context ioc;
  std::unique_ptr<dev_agent> agent;
};

inline boost::asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
  boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, d);
  co_await t.async_wait(boost::asio::use_awaitable);
}

}  // namespace coconsul::test
