// Unix domain socket connections (unix:///path).
#include "http/connection.hpp"

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <utility>

namespace coconsul::http::detail {

namespace asio = boost::asio;
using asio::local::stream_protocol;

namespace {

class unix_connection final : public connection {
 public:
  unix_connection(const asio::any_io_executor& ex, const agent_endpoint& ep)
      : socket_(ex), path_(ep.socket_path) {}

  void async_connect(connect_handler handler) override {
    stream_protocol::endpoint endpoint;
    try {
      endpoint = stream_protocol::endpoint(path_);
    } catch (const boost::system::system_error& e) {
      // The path does not fit in sockaddr_un (108 bytes on Linux).
      detail_ = "socket path is too long (" + std::to_string(path_.size()) + " bytes)";
      asio::post(socket_.get_executor(), [h = std::move(handler), ec = e.code()]() mutable { std::move(h)(ec); });
      return;
    }
    socket_.async_connect(endpoint, std::move(handler));
  }

  void async_write(std::array<asio::const_buffer, 2> buffers, io_handler handler) override {
    asio::async_write(socket_, buffers, std::move(handler));
  }

  void async_read_some(asio::mutable_buffer buffer, io_handler handler) override {
    socket_.async_read_some(buffer, std::move(handler));
  }

  void close() noexcept override {
    error_code ignored;
    socket_.close(ignored);
  }

  std::string failure_detail() const override { return detail_; }

 private:
  stream_protocol::socket socket_;
  std::string path_;
  std::string detail_;
};

}  // namespace

std::unique_ptr<connection> make_unix_connection(const asio::any_io_executor& ex, const agent_endpoint& ep) {
  return std::make_unique<unix_connection>(ex, ep);
}

}  // namespace coconsul::http::detail
