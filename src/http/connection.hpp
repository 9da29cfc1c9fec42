#pragma once
// One byte stream to the agent, behind a small non-template interface, so that each stream type
// (plain TCP, TLS, unix socket) is compiled in its own file and the pool is written once.
// Internal to the transport: no Beast here, and nothing above src/http/ includes it.

#include <coconsul/config.hpp>
#include <coconsul/error.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/buffer.hpp>

#include <array>
#include <cstddef>
#include <memory>
#include <string>

namespace coconsul::http::detail {

class connection {
 public:
  using connect_handler = boost::asio::any_completion_handler<void(error_code)>;
  using io_handler = boost::asio::any_completion_handler<void(error_code, std::size_t)>;

  virtual ~connection() = default;

  // Resolves, connects and, for TLS, handshakes. After a failure, failure_detail() may say more
  // than the code (which certificate check failed, for instance).
  virtual void async_connect(connect_handler handler) = 0;

  // Writes all of both buffers (the second may be empty).
  virtual void async_write(std::array<boost::asio::const_buffer, 2> buffers, io_handler handler) = 0;

  // Reads what is available. The server closing the stream, also a TLS stream without
  // close_notify, is reported as boost::asio::error::eof.
  virtual void async_read_some(boost::asio::mutable_buffer buffer, io_handler handler) = 0;

  // Closes the socket at once: pending operations complete with operation_aborted. The object
  // must stay alive until they have completed. Idempotent.
  virtual void close() noexcept = 0;

  // Explanation of the last connect failure beyond error_code::message(); empty when none.
  virtual std::string failure_detail() const { return {}; }
};

// TLS settings loaded once per pool and shared by its connections.
struct tls_context;

// Loads the CA, client certificate and key of `cfg`; throws coconsul::error
// (errc::invalid_config) naming the file that cannot be used.
std::shared_ptr<tls_context> make_tls_context(const tls_config& cfg);

std::unique_ptr<connection> make_tcp_connection(const boost::asio::any_io_executor& ex,
                                                const agent_endpoint& ep);
// `server_name` is sent as SNI (unless it is an IP address) and verified against the
// certificate when the context verifies.
std::unique_ptr<connection> make_tls_connection(const boost::asio::any_io_executor& ex,
                                                const agent_endpoint& ep,
                                                std::shared_ptr<tls_context> ctx,
                                                const std::string& server_name);
std::unique_ptr<connection> make_unix_connection(const boost::asio::any_io_executor& ex,
                                                 const agent_endpoint& ep);

}  // namespace coconsul::http::detail
