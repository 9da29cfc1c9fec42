#pragma once
// An in-process dev agent on an ephemeral port, a client pointed at it, and a deadline runner.

#include <coconsul/client.hpp>
#include <coconsul/dev_agent.hpp>

#include "async_test.hpp"

#include <boost/asio/io_context.hpp>

namespace coconsul::test {

inline dev_agent_options fast_agent_options() {
  dev_agent_options o;
  o.node_name = "test-node";
  o.reap_interval = std::chrono::milliseconds(50);
  o.deregister_minimum = std::chrono::milliseconds(100);
  o.check_min_interval = std::chrono::milliseconds(10);
  o.level = dev_agent_options::log_level::error;  // check transitions are expected here, not news
  return o;
}

struct agent_fixture {
  boost::asio::io_context ioc;
  dev_agent agent{ioc.get_executor(), fast_agent_options()};
  client consul{ioc, started(agent)};

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

}  // namespace coconsul::test
