// Plain TCP connections (http://).
#include "http/connection.hpp"
#include "http/tcp_connect.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/write.hpp>

#include <utility>

namespace coconsul::http::detail {

namespace asio = boost::asio;
using asio::ip::tcp;

void async_connect_tcp(tcp::socket& socket, tcp::resolver& resolver, const std::string& host,
                       std::uint16_t port, asio::any_completion_handler<void(error_code)> handler) {
  auto on_connected = [&socket](auto&& h) {
    return [&socket, h = std::move(h)](error_code ec, auto&&...) mutable {
      if (!ec) {
        error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
      }
      std::move(h)(ec);
    };
  };
  error_code not_ip;
  auto address = asio::ip::make_address(host, not_ip);
  if (!not_ip) {
    socket.async_connect(tcp::endpoint(address, port), on_connected(std::move(handler)));
    return;
  }
  resolver.async_resolve(
      host, std::to_string(port),
      [&socket, on_connected, h = std::move(handler)](error_code ec, tcp::resolver::results_type results) mutable {
        if (ec) {
          std::move(h)(ec);
          return;
        }
        asio::async_connect(socket, results, on_connected(std::move(h)));
      });
}

namespace {

class tcp_connection final : public connection {
 public:
  tcp_connection(const asio::any_io_executor& ex, const agent_endpoint& ep)
      : socket_(ex), resolver_(ex), host_(ep.host), port_(ep.port) {}

  void async_connect(connect_handler handler) override {
    async_connect_tcp(socket_, resolver_, host_, port_, std::move(handler));
  }

  void async_write(std::array<asio::const_buffer, 2> buffers, io_handler handler) override {
    asio::async_write(socket_, buffers, std::move(handler));
  }

  void async_read_some(asio::mutable_buffer buffer, io_handler handler) override {
    socket_.async_read_some(buffer, std::move(handler));
  }

  void close() noexcept override {
    resolver_.cancel();
    error_code ignored;
    socket_.close(ignored);
  }

 private:
  tcp::socket socket_;
  tcp::resolver resolver_;
  std::string host_;
  std::uint16_t port_;
};

}  // namespace

std::unique_ptr<connection> make_tcp_connection(const asio::any_io_executor& ex, const agent_endpoint& ep) {
  return std::make_unique<tcp_connection>(ex, ep);
}

}  // namespace coconsul::http::detail
