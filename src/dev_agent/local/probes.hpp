#pragma once
// One run of an HTTP or TCP check, with Consul's result mapping and output texts. Cancellation:
// the awaiting coroutine's (a stopped runner) aborts the probe.

#include "dev_agent/store/records.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <string>

namespace coconsul::dev {

struct probe_result {
  std::string status;  // passing, warning, critical
  std::string output;
};

// CheckHTTP: 2xx passing, 429 warning, anything else critical; "HTTP GET <url>: 200 OK Output:
// <body>" with the last OutputMaxSize (4 KB) bytes of the body.
boost::asio::awaitable<probe_result> probe_http(boost::asio::any_io_executor ex, check_definition def);

// CheckTCP: passing when the connection is accepted.
boost::asio::awaitable<probe_result> probe_tcp(boost::asio::any_io_executor ex, check_definition def);

// Go's net error text for a failed dial ("dial tcp 127.0.0.1:1: connect: connection refused").
std::string go_dial_error(const std::string& address, const boost::system::error_code& ec, bool timed_out);

}  // namespace coconsul::dev
