#pragma once
// Shared by the pool tests: one request as a coroutine that never throws, and a config for a
// test server with short timeouts.

#include "http/transport.hpp"
#include "test_server.hpp"

#include <async_test.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <string>

namespace coconsul::test {

struct outcome {
  error_code ec;
  http::response response;
  diagnostics diag;
};

inline boost::asio::awaitable<outcome> send(http::pool& pool, http::request req) {
  outcome out;
  auto [ec, r] = co_await pool.async_execute(std::move(req), out.diag, boost::asio::as_tuple(boost::asio::use_awaitable));
  out.ec = ec;
  out.response = std::move(r);
  co_return out;
}

inline http::request get(std::string target = "/v1/status/leader") {
  http::request r;
  r.target = std::move(target);
  return r;
}

inline config config_for(const test_server& server) {
  config c;
  c.address = server.address();
  c.timeouts.connect = std::chrono::seconds(5);
  c.timeouts.request = std::chrono::seconds(5);
  return c;
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace coconsul::test
