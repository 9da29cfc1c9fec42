#pragma once
// The one accept loop of the library's HTTP listeners (the dev agent's server, the health
// endpoint): accept, hand each socket on, and after a failed accept pause instead of spinning.
// Not a server: what happens to a socket is the caller's.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <utility>

namespace coconsul::http::detail {

// Accepts on `acceptor` until it is closed, calling `on_socket(tcp::socket&&)` for each
// connection. `stopped()` is asked after every accept: true ends the loop (the listener is
// shutting down and the socket is dropped). A failed accept (e.g. EMFILE: out of file
// descriptors) keeps the connections already open and retries 50 ms later. The caller keeps
// `acceptor` alive until the coroutine ends (it ends soon after the acceptor closes).
template <class OnSocket, class Stopped>
boost::asio::awaitable<void> accept_loop(boost::asio::ip::tcp::acceptor& acceptor, OnSocket on_socket,
                                         Stopped stopped) {
  namespace asio = boost::asio;
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (stopped()) co_return;
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    on_socket(std::move(socket));
  }
}

}  // namespace coconsul::http::detail
