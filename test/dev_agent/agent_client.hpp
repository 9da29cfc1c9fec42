#pragma once
// A raw HTTP client for the dev agent's tests: no coconsul client code, just Beast, so the
// tests see exactly the bytes the agent sends.

#include <coconsul/dev_agent.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace coconsul::test {

struct reply {
  unsigned status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first header named `name` (case-insensitively), or "".
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
  // The body parsed as JSON (throws when it is not).
  boost::json::value json() const;
  // X-Consul-Index as a number (0 when absent).
  std::uint64_t index() const;
};

class agent_client {
 public:
  // Talks to host:port over one keep-alive connection, reconnecting when the agent closed it.
  agent_client(boost::asio::any_io_executor ex, std::string host, std::uint16_t port);
  // Talks to a started in-process agent.
  agent_client(const coconsul::dev_agent& agent, boost::asio::any_io_executor ex)
      : agent_client(std::move(ex), "127.0.0.1", agent.port()) {}
  ~agent_client();

  boost::asio::awaitable<reply> request(std::string method, std::string target, std::string body = {},
                                        std::vector<std::pair<std::string, std::string>> headers = {});
  boost::asio::awaitable<reply> get(std::string target) { return request("GET", std::move(target)); }
  boost::asio::awaitable<reply> put(std::string target, std::string body = {}) {
    return request("PUT", std::move(target), std::move(body));
  }
  boost::asio::awaitable<reply> del(std::string target) { return request("DELETE", std::move(target)); }

  // Closes the connection.
  void close();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace coconsul::test
