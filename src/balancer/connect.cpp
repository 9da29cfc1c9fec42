// balancer::connect: pick, connect with a timeout, eject and try the next one on failure.

#include <coconsul/balancer.hpp>

#include "balancer/state.hpp"
#include "client/spawn.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

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

// What one attempt at an endpoint did.
struct attempt_result {
  error_code ec;
  std::string why;       // what happened, for the error message
  bool aborted = false;  // the caller cancelled: try no other endpoint
};

// One attempt at `target`.
asio::awaitable<attempt_result> connect_once(tcp::socket& socket, const endpoint& target,
                                             std::chrono::milliseconds timeout) {
  attempt_result r;
  auto ex = co_await asio::this_coro::executor;
  std::vector<tcp::endpoint> addresses;
  const auto address = asio::ip::make_address(target.address, r.ec);
  if (!r.ec) {
    addresses.emplace_back(address, static_cast<unsigned short>(target.port));
  } else {  // a host name (Consul lets a service register one as its address)
    tcp::resolver resolver(ex);
    auto [rec, results] =
        co_await resolver.async_resolve(target.address, std::to_string(target.port), asio::as_tuple(asio::use_awaitable));
    r.ec = rec;
    if (cancelled(co_await asio::this_coro::cancellation_state)) {
      r.aborted = true;
      co_return r;
    }
    if (rec) {
      r.why = "resolving " + target.address + ": " + rec.message();
      co_return r;
    }
    for (const auto& e : results) addresses.push_back(e.endpoint());
  }

  auto flags = std::make_shared<attempt_flags>();
  asio::steady_timer timer(ex, timeout);
  timer.async_wait(on_connect_timeout{flags, &socket});
  auto [cec, ignored_endpoint] = co_await asio::async_connect(socket, addresses, asio::as_tuple(asio::use_awaitable));
  flags->done = true;
  timer.cancel();
  r.ec = cec;
  if (!cec) co_return r;
  if (flags->timed_out) {
    r.ec = make_error_code(errc::connect_timeout);
    r.why = "connecting to " + where(target) + " timed out after " + std::to_string(timeout.count()) + " ms";
    co_return r;
  }
  if (cancelled(co_await asio::this_coro::cancellation_state)) {
    r.aborted = true;
    co_return r;
  }
  r.why = "connecting to " + where(target) + ": " + cec.message();
  co_return r;
}

}  // namespace

asio::awaitable<coded<lease>> balancer_state::connect(tcp::socket& socket) {
  std::vector<const balancer_entry*> tried;
  error_code last;
  diagnostics last_diag;
  for (unsigned attempt = 0; opts.max_attempts == 0 || attempt < opts.max_attempts; ++attempt) {
    coded<lease> pick_result;
    if (attempt == 0) {
      pick_result = co_await pick(tried);  // waits as pick() does
      if (pick_result.ec) co_return pick_result;
    } else {
      if (auto f = finished(); f.ec) co_return failed<lease>(f.ec, std::move(f.diag));
      pick_result.value = try_pick(tried);  // later attempts take what is there now
    }
    lease l = std::move(pick_result.value);
    if (!l) break;
    const std::shared_ptr<balancer_entry> entry = entry_of(l);
    tried.push_back(entry.get());
    error_code ignored;
    socket.close(ignored);
    auto tried_one = co_await connect_once(socket, l.endpoint(), opts.connect_timeout);
    if (tried_one.aborted) co_return failed<lease>(make_error_code(asio::error::operation_aborted));
    if (auto f = finished(); f.ec) co_return failed<lease>(f.ec, std::move(f.diag));
    if (!tried_one.ec) {
      // The request deadline starts now: a peer that accepted but never answers is caught by it.
      if (opts.request_timeout.count() > 0) {
        l.slot_->socket = &socket;
        arm_deadline(l.slot_, opts.request_timeout);
      }
      co_return picked(std::move(l));
    }
    ++counters.connect_failures;
    record_failure(*entry);
    l.release();
    last = tried_one.ec;
    last_diag.message = "service '" + service + "': " + tried_one.why;
  }
  if (!last) co_return why_none(tried);
  co_return failed<lease>(last, std::move(last_diag));
}

namespace {

// Registers the socket so the balancer's destruction can cancel its connect, and closes it on
// any failure.
asio::awaitable<coded<lease>> run_connect(std::shared_ptr<balancer_state> s, tcp::socket& socket) {
  co_await accept_all_cancellation();
  s->connecting.push_back(&socket);
  auto result = co_await s->connect(socket);
  std::erase(s->connecting, &socket);
  if (result.ec) {
    error_code ignored;
    socket.close(ignored);
  }
  co_return result;
}

}  // namespace

void balancer_connect(balancer_state& s, tcp::socket& socket, completion_handler<lease> h) {
  spawn_coded<lease>(s.client->pool.get_executor(), run_connect(s.shared_from_this(), socket), std::move(h));
}

}  // namespace coconsul::detail
