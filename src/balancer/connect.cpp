// balancer::connect: pick, connect with a timeout, eject and try the next one on failure.

#include <coconsul/balancer.hpp>

#include "balancer/state.hpp"
#include "client/spawn.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <exception>

namespace coconsul::detail {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

struct attempt_flags {
  bool done = false;   // the attempt is over: the socket may be gone, leave it alone
  bool timed_out = false;
};

// Cancels the attempt's socket when the connect timeout passes first. A named type: see async.hpp.
struct on_connect_timeout {
  std::shared_ptr<attempt_flags> flags;
  tcp::socket* socket;

  void operator()(error_code ec) const {
    if (ec || flags->done) return;
    flags->timed_out = true;
    error_code ignored;
    socket->cancel(ignored);
  }
};

bool cancelled(const asio::cancellation_state& cs) { return cs.cancelled() != asio::cancellation_type::none; }

std::string where(const endpoint& e) { return e.address + ":" + std::to_string(e.port); }

// One attempt at `target`. Returns the error with what happened in `why`; throws
// operation_aborted when the caller cancelled.
asio::awaitable<error_code> connect_once(tcp::socket& socket, const endpoint& target, std::chrono::milliseconds timeout,
                                         std::string& why) {
  auto ex = co_await asio::this_coro::executor;
  std::vector<tcp::endpoint> addresses;
  error_code ec;
  const auto address = asio::ip::make_address(target.address, ec);
  if (!ec) {
    addresses.emplace_back(address, static_cast<unsigned short>(target.port));
  } else {  // a host name (Consul lets a service register one as its address)
    tcp::resolver resolver(ex);
    auto [rec, results] =
        co_await resolver.async_resolve(target.address, std::to_string(target.port), asio::as_tuple(asio::use_awaitable));
    if (cancelled(co_await asio::this_coro::cancellation_state)) throw error(asio::error::operation_aborted);
    if (rec) {
      why = "resolving " + target.address + ": " + rec.message();
      co_return rec;
    }
    for (const auto& r : results) addresses.push_back(r.endpoint());
  }

  auto flags = std::make_shared<attempt_flags>();
  asio::steady_timer timer(ex, timeout);
  timer.async_wait(on_connect_timeout{flags, &socket});
  auto [cec, ignored_endpoint] = co_await asio::async_connect(socket, addresses, asio::as_tuple(asio::use_awaitable));
  flags->done = true;
  timer.cancel();
  if (!cec) co_return cec;
  if (flags->timed_out) {
    why = "connecting to " + where(target) + " timed out after " + std::to_string(timeout.count()) + " ms";
    co_return make_error_code(errc::connect_timeout);
  }
  if (cancelled(co_await asio::this_coro::cancellation_state)) throw error(asio::error::operation_aborted);
  why = "connecting to " + where(target) + ": " + cec.message();
  co_return cec;
}

}  // namespace

asio::awaitable<lease> balancer_state::connect(tcp::socket& socket) {
  std::vector<const balancer_entry*> tried;
  error_code last;
  diagnostics last_diag;
  for (unsigned attempt = 0; opts.max_attempts == 0 || attempt < opts.max_attempts; ++attempt) {
    lease l;
    if (attempt == 0) {
      l = co_await pick(tried);  // waits as pick() does
    } else {
      throw_if_finished();
      l = try_pick(tried);  // later attempts take what is there now
    }
    if (!l) break;
    const std::shared_ptr<balancer_entry> entry = entry_of(l);
    tried.push_back(entry.get());
    error_code ignored;
    socket.close(ignored);
    std::string why;
    const error_code ec = co_await connect_once(socket, l.endpoint(), opts.connect_timeout, why);
    throw_if_finished();
    if (!ec) co_return l;
    ++counters.connect_failures;
    record_failure(*entry);
    l.release();
    last = ec;
    last_diag.message = "service '" + service + "': " + why;
  }
  if (!last) throw why_none(tried);
  throw error(last, last_diag);
}

namespace {

// Registers the socket so the balancer's destruction can cancel its connect, and closes it on
// any failure.
asio::awaitable<lease> run_connect(std::shared_ptr<balancer_state> s, tcp::socket& socket) {
  co_await accept_all_cancellation();
  s->connecting.push_back(&socket);
  std::exception_ptr failure;
  lease l;
  try {
    l = co_await s->connect(socket);
  } catch (...) {
    failure = std::current_exception();
  }
  std::erase(s->connecting, &socket);
  if (failure) {
    error_code ignored;
    socket.close(ignored);
    std::rethrow_exception(failure);
  }
  co_return l;
}

}  // namespace

void balancer_connect(balancer_state& s, tcp::socket& socket, completion_handler<lease> h) {
  spawn_operation<lease>(s.client->pool.get_executor(), run_connect(s.shared_from_this(), socket), std::move(h));
}

}  // namespace coconsul::detail
