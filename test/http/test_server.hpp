#pragma once
// A small scriptable HTTP/1.1 server for the transport tests: plain TCP on 127.0.0.1 (ephemeral
// port), a unix socket, or TLS. Requests are parsed with Beast; replies are raw bytes, so a test
// can send anything, malformed or truncated, then keep the connection, close it or hang.
// It counts connections (accepted, open, peak) and who closed them, and lets a coroutine
// await any condition on those counts without sleeping.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coconsul::test {

struct received_request {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::size_t connection = 0;  // which accepted connection (1 for the first)

  // The first header with this name (case-insensitive), or nullptr.
  const std::string* header(std::string_view name) const;
};

struct reply {
  enum class then { keep_open, close, hang };

  std::string bytes;                  // written as they are
  then after = then::keep_open;       // hang: wait, reading, until the client closes
  std::chrono::milliseconds delay{0}; // before writing

  // 200 with a Content-Length body, keep-alive.
  static reply ok(std::string body = "ok", std::string extra_headers = "");
  // Bytes as they are, then `after`.
  static reply raw(std::string bytes, then after = then::close);
  // Never answers.
  static reply hang();
  // Closes the connection without answering.
  static reply close();
};

struct server_options {
  enum class kind { tcp, unix_socket, tls };
  kind transport = kind::tcp;
  std::string cert_file;        // tls: the server's certificate chain and key (PEM)
  std::string key_file;
  std::string client_ca_file;   // tls: when set, a client certificate signed by it is required
};

class test_server {
 public:
  using handler = std::function<reply(const received_request&)>;

  test_server(boost::asio::io_context& ioc, handler h, server_options options = {});
  ~test_server();
  test_server(const test_server&) = delete;
  test_server& operator=(const test_server&) = delete;

  // For config.address: "http://127.0.0.1:PORT", "https://127.0.0.1:PORT", "unix:///tmp/...".
  std::string address() const;
  std::uint16_t port() const;

  std::size_t accepted() const;        // connections accepted
  std::size_t open() const;            // connections open now
  std::size_t peak_open() const;       // most connections open at once
  std::size_t closed_by_client() const;// connections the client closed (EOF or reset seen)
  std::size_t closed_by_server() const;// connections the server closed (reply::then::close)
  std::size_t failed_handshakes() const;
  const std::vector<received_request>& requests() const;

  // Completes once pred() is true; pred is checked after every server event.
  boost::asio::awaitable<void> wait_until(std::function<bool()> pred);

  struct state;

 private:
  std::shared_ptr<state> state_;
};

// The canned response bytes of reply::ok(), for tests that build variants.
std::string ok_response(std::string_view body, std::string_view extra_headers = "");

}  // namespace coconsul::test
