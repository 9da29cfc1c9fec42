#pragma once
// The store layer as one object: the state tables and the hub that wakes blocking queries when a
// write touches what they watch. Shared by the endpoints and the agent-local side.

#include "dev_agent/store/state.hpp"
#include "dev_agent/store/watch_hub.hpp"

#include <boost/asio/any_io_executor.hpp>

namespace coconsul::dev {

struct store {
  explicit store(boost::asio::any_io_executor ex) : hub(std::move(ex)), state([this](unsigned t) { hub.publish(t); }) {}
  store(const store&) = delete;
  store& operator=(const store&) = delete;

  watch_hub hub;
  state_store state;
};

}  // namespace coconsul::dev
