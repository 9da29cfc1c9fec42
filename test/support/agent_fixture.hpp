#pragma once
// The one fixture for tests that need an in-process agent: a dev agent on an ephemeral port on
// the test's io_context, a client pointed at it, and a deadline runner.

#include <coconsul/client.hpp>
#include <coconsul/dev_agent.hpp>

#include "async_test.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <string>

namespace coconsul::test {

// Consul's slow timers made fast, for tests of what runs on top of the agent.
inline dev_agent_options fast_agent_options() {
  dev_agent_options o;
  o.node_name = "test-node";
  o.reap_interval = std::chrono::milliseconds(50);
  o.deregister_minimum = std::chrono::milliseconds(100);
  o.check_min_interval = std::chrono::milliseconds(10);
  o.level = dev_agent_options::log_level::error;  // check transitions are expected here, not news
  return o;
}

// For the dev agent's own tests: minimums they can observe being applied (a 20 ms interval
// floor, a 300 ms deregister floor, a 100 ms session TTL floor), and no log.
// fast_agent_options with ACLs on as production runs them: default deny, and `management` the
// secret of the initial management token.
inline dev_agent_options deny_by_default_options(std::string management) {
  dev_agent_options o = fast_agent_options();
  o.acl.enabled = true;
  o.acl.default_policy = "deny";
  o.acl.tokens.initial_management = std::move(management);
  return o;
}

inline dev_agent_options agent_test_options() {
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
  // Starts the agent; `consul` is a client configured for it.
  explicit agent_fixture(dev_agent_options options = fast_agent_options())
      : agent(ioc.get_executor(), std::move(options)), consul(ioc, started(agent)) {}

  boost::asio::io_context ioc;
  dev_agent agent;
  client consul;

  static config started(dev_agent& a) {
    a.start();
    config c;
    c.address = a.http_address();
    return c;
  }

  void run(boost::asio::awaitable<void> body, std::chrono::seconds deadline = std::chrono::seconds(20)) {
    run_with_deadline(ioc, std::move(body), deadline);
  }
};

inline boost::asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
  boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, d);
  co_await t.async_wait(boost::asio::use_awaitable);
}

}  // namespace coconsul::test
