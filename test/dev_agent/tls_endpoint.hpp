#pragma once
// An https:// health endpoint for the HTTP check tests, with a self-signed certificate for
// "localhost" and 127.0.0.1 (generated once for these tests; it secures nothing).

#include <boost/asio/io_context.hpp>

#include <memory>
#include <string>

namespace coconsul::test {

class tls_health_endpoint {
 public:
  explicit tls_health_endpoint(boost::asio::io_context& ioc);
  ~tls_health_endpoint();
  std::string url(const std::string& host = "127.0.0.1") const;
  int hits() const;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace coconsul::test
