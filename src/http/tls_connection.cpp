// TLS connections (https://): OpenSSL through asio::ssl. The only file with an ssl::stream.
#include "http/connection.hpp"
#include "http/tcp_connect.hpp"

#include "core/text.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <utility>

namespace coconsul::http::detail {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;

struct tls_context {
  ssl::context ctx{ssl::context::tls_client};
  bool verify = true;
};

std::shared_ptr<tls_context> make_tls_context(const tls_config& cfg) {
  auto fail = [](const std::string& what, const std::string& file, const error_code& ec) {
    throw error(make_error_code(errc::invalid_config), diagnostics{0, what + " " + core::quoted(file) + ": " + ec.message()});
  };
  auto t = std::make_shared<tls_context>();
  t->verify = cfg.verify;
  error_code ec;
  t->ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  if (!cfg.ca_file.empty()) {
    if (t->ctx.load_verify_file(cfg.ca_file, ec); ec) fail("cannot load the CA file", cfg.ca_file, ec);
  }
  if (!cfg.ca_path.empty()) {
    if (t->ctx.add_verify_path(cfg.ca_path, ec); ec) fail("cannot use the CA directory", cfg.ca_path, ec);
  }
  if (cfg.ca_file.empty() && cfg.ca_path.empty()) {
    if (t->ctx.set_default_verify_paths(ec); ec)
      throw error(make_error_code(errc::invalid_config),
                  diagnostics{0, "cannot load the system's CA certificates: " + ec.message()});
  }
  if (!cfg.cert_file.empty() || !cfg.key_file.empty()) {
    if (cfg.cert_file.empty() || cfg.key_file.empty()) {
      throw error(make_error_code(errc::invalid_config),
                  diagnostics{0, "a client certificate needs both a certificate file and a key file"});
    }
    if (t->ctx.use_certificate_chain_file(cfg.cert_file, ec); ec)
      fail("cannot load the client certificate", cfg.cert_file, ec);
    if (t->ctx.use_private_key_file(cfg.key_file, ssl::context::pem, ec); ec)
      fail("cannot load the client key", cfg.key_file, ec);
  }
  t->ctx.set_verify_mode(cfg.verify ? ssl::verify_peer : ssl::verify_none);
  return t;
}

namespace {

class tls_connection final : public connection {
 public:
  tls_connection(const asio::any_io_executor& ex, const agent_endpoint& ep, std::shared_ptr<tls_context> ctx,
                 const std::string& server_name)
      : ctx_(std::move(ctx)), stream_(ex, ctx_->ctx), resolver_(ex), host_(ep.host), port_(ep.port),
        server_name_(server_name) {}

  void async_connect(connect_handler handler) override {
    async_connect_tcp(stream_.next_layer(), resolver_, host_, port_,
                      [this, h = std::move(handler)](error_code ec) mutable {
                        if (ec) {
                          std::move(h)(ec);
                          return;
                        }
                        if (auto e = prepare_handshake()) {
                          std::move(h)(e);
                          return;
                        }
                        stream_.async_handshake(ssl::stream_base::client,
                                                [this, h = std::move(h)](error_code ec) mutable {
                                                  if (ec) describe_handshake_failure(ec);
                                                  std::move(h)(ec);
                                                });
                      });
  }

  void async_write(std::array<asio::const_buffer, 2> buffers, io_handler handler) override {
    asio::async_write(stream_, buffers, std::move(handler));
  }

  void async_read_some(asio::mutable_buffer buffer, io_handler handler) override {
    stream_.async_read_some(buffer, [h = std::move(handler)](error_code ec, std::size_t n) mutable {
      // A server that closes without close_notify: the same as a plain EOF for HTTP framing,
      // which the parser checks (a body delimited by EOF is complete, anything else truncated).
      if (ec == ssl::error::stream_truncated) ec = asio::error::eof;
      std::move(h)(ec, n);
    });
  }

  void close() noexcept override {
    resolver_.cancel();
    error_code ignored;
    stream_.next_layer().close(ignored);
  }

  std::string failure_detail() const override { return detail_; }

 private:
  // SNI and the name to verify. OpenSSL's own host check reports a mismatch as a verification
  // error with a clear text ("hostname mismatch"), unlike a verify callback.
  error_code prepare_handshake() {
    SSL* native = stream_.native_handle();
    error_code not_ip;
    auto ip = asio::ip::make_address(server_name_, not_ip);
    if (not_ip && !SSL_set_tlsext_host_name(native, server_name_.c_str())) {
      detail_ = "cannot set the TLS server name " + core::quoted(server_name_);
      return make_error_code(errc::connection_failed);
    }
    if (ctx_->verify) {
      X509_VERIFY_PARAM* param = SSL_get0_param(native);
      X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      int ok = not_ip ? X509_VERIFY_PARAM_set1_host(param, server_name_.c_str(), server_name_.size())
                      : X509_VERIFY_PARAM_set1_ip_asc(param, ip.to_string().c_str());
      if (!ok) {
        detail_ = "cannot verify against the TLS server name " + core::quoted(server_name_);
        return make_error_code(errc::connection_failed);
      }
    }
    return {};
  }

  void describe_handshake_failure(const error_code& ec) {
    long result = SSL_get_verify_result(stream_.native_handle());
    if (ctx_->verify && result != X509_V_OK) {
      detail_ = "TLS certificate verification failed: ";
      detail_ += X509_verify_cert_error_string(result);
      if (result == X509_V_ERR_HOSTNAME_MISMATCH || result == X509_V_ERR_IP_ADDRESS_MISMATCH)
        detail_ += " (the certificate is not valid for " + core::quoted(server_name_) + ")";
    } else {
      detail_ = "TLS handshake failed: " + ec.message();
    }
  }

  std::shared_ptr<tls_context> ctx_;
  ssl::stream<tcp::socket> stream_;
  tcp::resolver resolver_;
  std::string host_;
  std::uint16_t port_;
  std::string server_name_;
  std::string detail_;
};

}  // namespace

std::unique_ptr<connection> make_tls_connection(const asio::any_io_executor& ex, const agent_endpoint& ep,
                                                std::shared_ptr<tls_context> ctx, const std::string& server_name) {
  return std::make_unique<tls_connection>(ex, ep, std::move(ctx), server_name);
}

}  // namespace coconsul::http::detail
