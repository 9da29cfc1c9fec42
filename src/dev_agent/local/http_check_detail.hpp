#pragma once
// Shared by the HTTP check's plain (check_http.cpp) and TLS (check_https.cpp) transports: the
// request Consul's CheckHTTP sends and what comes back. Beast inside: include only from those
// two files.

#include "dev_agent/store/records.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/url/url_view.hpp>

#include <chrono>
#include <string>

namespace coconsul::dev::http_check {

struct fetch_result {
  bool ok = false;
  std::string error;        // Go's error text when !ok
  unsigned status = 0;
  std::string status_line;  // "200 OK"
  std::string location;
  std::string body;
};

// Go's url.Error prefix: "Get", "Post", ...
std::string go_op(const std::string& method);

// The request CheckHTTP sends: method, target, Host (or the Host header's value), the check's
// headers, User-Agent "Consul Health Check" and Accept "text/plain, text/*, */*" unless given,
// the body, and no keep-alive.
boost::beast::http::request<boost::beast::http::string_body> build_request(const boost::urls::url_view& u,
                                                                           const check_definition& def,
                                                                           const std::string& method);

fetch_result from_response(boost::beast::http::response<boost::beast::http::string_body>& res);

// One exchange over https:// (check_https.cpp): TLS with SNI (TLSServerName, else the host),
// certificate and host name verified unless TLSSkipVerify.
boost::asio::awaitable<fetch_result> fetch_https(boost::asio::any_io_executor ex, boost::urls::url_view u,
                                                 const check_definition& def, std::string method,
                                                 std::chrono::steady_clock::time_point deadline);

}  // namespace coconsul::dev::http_check
