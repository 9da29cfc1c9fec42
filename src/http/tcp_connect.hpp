#pragma once
// Resolving and connecting a TCP socket, shared by the plain and the TLS connection.

#include <coconsul/error.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <string>

namespace coconsul::http::detail {

// Connects `socket` to host:port, trying each resolved address in turn. An IP literal is used
// as is: only host names go through the resolver (whose lookups run on Asio's internal thread).
// Sets TCP_NODELAY once connected.
void async_connect_tcp(boost::asio::ip::tcp::socket& socket, boost::asio::ip::tcp::resolver& resolver,
                       const std::string& host, std::uint16_t port,
                       boost::asio::any_completion_handler<void(error_code)> handler);

}  // namespace coconsul::http::detail
