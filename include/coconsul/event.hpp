#pragma once
// /v1/event: user events, gossiped to every agent. Event lists are per agent and their index
// is opaque (it is the newest event's, with no ordering): block on it only against one agent.

#include <coconsul/async.hpp>
#include <coconsul/detail/event.hpp>
#include <coconsul/model/event.hpp>
#include <coconsul/query.hpp>

#include <memory>
#include <string>
#include <vector>

namespace coconsul {

// Who should handle a fired event: regular expressions over node names, service names and
// service tags (empty: no restriction).
struct event_filter {
  std::string node;
  std::string service;
  std::string tag;
};

class event_api {
 public:
  explicit event_api(std::shared_ptr<detail::client_state> st) : state_(std::move(st)) {}

  // Fires event `name` with an opaque payload; returns the event as Consul recorded it.
  // Cancellation: terminal, partial and total (whether it was fired is then unknown).
  template <class Token = use_awaitable_t>
  auto fire(std::string name, std::string payload = {}, event_filter filter = event_filter(), write_options w = write_options(),
            Token&& token = {}) {
    return detail::launch<user_event>(std::forward<Token>(token), &detail::event_fire, state_, std::move(name),
                                      std::move(payload), std::move(filter), std::move(w));
  }

  // The newest events this agent knows (up to 256), optionally only those named `name`.
  template <class Token = use_awaitable_t>
  auto list(std::string name = {}, query_options opts = query_options(), Token&& token = {}) {
    return detail::launch<query_result<std::vector<user_event>>>(std::forward<Token>(token), &detail::event_list,
                                                                 state_, std::move(name), std::move(opts));
  }

 private:
  std::shared_ptr<detail::client_state> state_;
};

}  // namespace coconsul
