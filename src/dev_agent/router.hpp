#pragma once
// Routes like Consul's HTTP mux: exact paths, and prefixes ending in '/' (the longest wins);
// each route lists its methods, so anything else is a 405 with an Allow header.

#include "dev_agent/http_types.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace coconsul::dev {

class core;

using handler_fn = boost::asio::awaitable<http_response> (*)(core&, http_request&);

struct route {
  std::string pattern;  // "/v1/kv/" (prefix) or "/v1/agent/services" (exact)
  std::vector<std::string> methods;
  handler_fn handler;
  bool is_prefix() const { return !pattern.empty() && pattern.back() == '/'; }
};

class router {
 public:
  void add(std::string pattern, std::vector<std::string> methods, handler_fn handler);
  const route* find(std::string_view path) const;

 private:
  std::vector<route> routes_;
};

// Adapts a handler that never blocks into a handler_fn.
template <http_response (*F)(core&, http_request&)>
boost::asio::awaitable<http_response> immediate(core& c, http_request& r) {
  co_return F(c, r);
}

}  // namespace coconsul::dev
