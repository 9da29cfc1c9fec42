#pragma once
// What every docs snippet may use (see cmake/extract_snippets.cmake).
#include <coconsul/balancer.hpp>
#include <coconsul/client.hpp>
#include <coconsul/lock.hpp>
#include <coconsul/service_host.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>
#include <string>

namespace asio = boost::asio;
using namespace std::chrono_literals;
