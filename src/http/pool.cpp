// The connection pool and one request's life in it: wait for a connection (FIFO, bounded by
// limits.max_connections), connect, write, read, retry once on a stale keep-alive connection,
// return the connection or close it. A streamed request (async_open_stream) is the same life
// up to its header; then its body is read piece by piece on request (body_stream).
// Over 500 lines: one concern, a request's life in the pool, whose steps share the pool's
// state (the waiting queue, idle connections, limits) and one operation type (op).
// Over 500 lines for that reason: a streamed request is this same op (waiting, connecting,
// retrying, timeouts, cancellation) until its header arrives, so it lives beside it rather than
// in a copy of it. Stream types live in *_connection.cpp, HTTP framing in
// wire.cpp; this file has neither Beast nor OpenSSL.
#include "http/transport.hpp"

#include "http/connection.hpp"
#include "http/wire.hpp"

#include <boost/asio/append.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <deque>
#include <list>
#include <optional>

namespace coconsul::http {

namespace asio = boost::asio;
using clock = std::chrono::steady_clock;

namespace {

struct pooled_connection {
  std::unique_ptr<detail::connection> stream;
  clock::time_point idle_since{};
};
using connection_ptr = std::shared_ptr<pooled_connection>;

// The handler out of its optional, by move construction (see op::opened).
template <class H>
H take(std::optional<H>& h) {
  H out(std::move(*h));
  h.reset();
  return out;
}

std::string ms(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

// A huge timeout ("never", as milliseconds::max()) must not overflow now() + timeout.
std::chrono::milliseconds bounded(std::chrono::milliseconds d) {
  constexpr std::chrono::milliseconds longest = std::chrono::hours(24 * 365);
  return std::clamp(d, std::chrono::milliseconds(0), longest);
}

// The peer went away: what a stale keep-alive connection looks like from our side.
bool peer_closed(const error_code& ec) {
  return ec == asio::error::eof || ec == asio::error::connection_reset || ec == asio::error::connection_aborted ||
         ec == asio::error::broken_pipe;
}

}  // namespace

struct pool::impl : std::enable_shared_from_this<pool::impl> {
  struct op;

  impl(asio::any_io_executor e, const config& cfg)
      : ex(std::move(e)), endpoint(parse_agent_endpoint(cfg.address, cfg.tls.enabled)), token(cfg.token),
        timeouts(cfg.timeouts), limits(cfg.limits), sweeper(ex) {
    timeouts.connect = bounded(timeouts.connect);
    timeouts.idle = bounded(timeouts.idle);
    if (limits.max_connections == 0)
      throw error(make_error_code(errc::invalid_config), diagnostics{0, "limits.max_connections must be at least 1"});
    authority = endpoint.authority();
    if (endpoint.type == agent_endpoint::kind::unix_socket) {
      where = "unix socket " + endpoint.socket_path;
    } else {
      where = authority;
      if (endpoint.tls) {
        tls = detail::make_tls_context(cfg.tls);
        server_name = cfg.tls.server_name.empty() ? endpoint.host : cfg.tls.server_name;
      }
    }
  }

  std::unique_ptr<detail::connection> new_stream() const {
    if (endpoint.type == agent_endpoint::kind::unix_socket) return detail::make_unix_connection(ex, endpoint);
    if (tls) return detail::make_tls_connection(ex, endpoint, tls, server_name);
    return detail::make_tcp_connection(ex, endpoint);
  }

  void acquire(const std::shared_ptr<op>& o);
  void release(connection_ptr c, bool reusable);
  void discard(connection_ptr c);
  void arm_sweeper();
  void sweep();
  void close_all();

  asio::any_io_executor ex;
  agent_endpoint endpoint;
  std::string authority;
  std::string where;  // for messages: "127.0.0.1:8500", "unix socket /run/consul.sock"
  std::string token;
  std::string server_name;
  std::shared_ptr<detail::tls_context> tls;
  timeout_config timeouts;
  limit_config limits;

  bool closed = false;
  std::size_t open = 0;                  // connecting, busy or idle: what counts against the cap
  std::deque<connection_ptr> idle;       // oldest first; reuse takes the newest
  std::list<std::shared_ptr<op>> waiters;
  std::list<op*> active;                 // requests holding a connection
  asio::steady_timer sweeper;            // closes idle connections past timeouts.idle
  bool sweeping = false;
  pool_stats counters;
};

// One request. It completes from exactly one place: the waiting queue (timeout, cancellation,
// close) or the callback of the I/O it has pending. Timers and cancellation close the stream and
// let that pending I/O report, so a stream is never destroyed under its own operation.
struct pool::impl::op : std::enable_shared_from_this<op> {
  enum class phase { waiting, connecting, exchanging, done };
  enum class abort_reason { none, cancelled, timed_out, connect_timed_out, closed };

  op(std::shared_ptr<impl> p, request r, diagnostics& d, handler_type h)
      : pool(std::move(p)), req(std::move(r)), diag(&d), handler(std::move(h)), deadline(pool->ex) {
    work = asio::prefer(asio::get_associated_executor(handler, pool->ex), asio::execution::outstanding_work.tracked);
    timeout = bounded(req.timeout.count() > 0 ? req.timeout : pool->timeouts.request);
  }

  struct cancel_handler {
    op* self;
    void operator()(asio::cancellation_type_t type) const {
      if (type != asio::cancellation_type::none) self->on_cancel();
    }
  };

  // A streamed request: `opened` instead of `handler`.
  op(std::shared_ptr<impl> p, request r, diagnostics& d, pool::stream_handler_type h)
      : pool(std::move(p)), req(std::move(r)), diag(&d), deadline(pool->ex) {
    streaming = true;
    opened.emplace(std::move(h));
    work = asio::prefer(asio::get_associated_executor(*opened, pool->ex), asio::execution::outstanding_work.tracked);
    timeout = bounded(req.timeout.count() > 0 ? req.timeout : pool->timeouts.request);
  }

  // Refused at once when the pool is closed or the request cannot be written; else started.
  void launch() {
    if (pool->closed) {
      ph = phase::done;
      diag->message = "the connection pool is closed";
      return complete(make_error_code(errc::closed), {}, true);
    }
    std::string why;
    if (auto ec = detail::serialize_request(req, pool->authority, pool->token, wire, why)) {
      ph = phase::done;
      diag->message = std::move(why);
      return complete(ec, {}, true);
    }
    start();
  }

  void start() {
    slot = streaming ? asio::get_associated_cancellation_slot(*opened) : asio::get_associated_cancellation_slot(handler);
    if (slot.is_connected()) slot.template emplace<cancel_handler>(cancel_handler{this});
    deadline.expires_after(timeout);
    deadline.async_wait([self = shared_from_this()](error_code ec) {
      if (!ec) self->on_deadline();
    });
    pool->acquire(shared_from_this());
  }

  void wait_in_queue() {
    ph = phase::waiting;
    pool->waiters.push_back(shared_from_this());
    waiter_pos = std::prev(pool->waiters.end());
  }

  void activate() {
    if (is_active) return;
    is_active = true;
    pool->active.push_back(this);
    active_pos = std::prev(pool->active.end());
  }

  void start_connect() {
    activate();
    ph = phase::connecting;
    conn = std::make_shared<pooled_connection>();
    conn->stream = pool->new_stream();
    reused = false;
    ++pool->counters.connections_opened;
    if (!connect_timer) connect_timer.emplace(pool->ex);
    connect_timer->expires_after(pool->timeouts.connect);
    connect_timer->async_wait([self = shared_from_this(), c = conn.get()](error_code ec) {
      if (ec || self->ph != phase::connecting || self->conn.get() != c) return;
      self->abort(abort_reason::connect_timed_out);
    });
    conn->stream->async_connect([self = shared_from_this()](error_code ec) { self->on_connected(ec); });
  }

  void on_connected(error_code ec) {
    connect_timer->cancel();
    if (why_aborted != abort_reason::none) return fail_aborted();
    if (ec) {
      auto detail = conn->stream->failure_detail();
      return fail(make_error_code(errc::connection_failed),
                  "connecting to " + pool->where + " failed: " + (detail.empty() ? ec.message() : detail));
    }
    start_exchange(std::move(conn), false);
  }

  void start_exchange(connection_ptr c, bool from_pool) {
    activate();
    ph = phase::exchanging;
    conn = std::move(c);
    reused = from_pool;
    ++pool->counters.requests_sent;
    reader.emplace(pool->limits.max_header_bytes, pool->limits.max_body_bytes);
    if (streaming) reader->stream_body();
    std::array<asio::const_buffer, 2> buffers{asio::buffer(wire), asio::buffer(req.body)};
    conn->stream->async_write(buffers, [self = shared_from_this()](error_code ec, std::size_t) { self->on_written(ec); });
  }

  // A stale keep-alive connection: the server closed it while it sat in the pool, and nothing of
  // a response came back. The server may still have acted on the request, so only an
  // idempotent one is sent again, once, on a fresh connection.
  bool may_retry() const { return reused && req.idempotent && !retried && !pool->closed; }

  void retry() {
    retried = true;
    ++pool->counters.retries;
    auto old = std::move(conn);
    old->stream->close();
    asio::post(pool->ex, [old = std::move(old)] {});  // destroyed after its pending handlers ran
    start_connect();  // keeps this request's place under the cap
  }

  std::string not_retried_note() const {
    if (reused && !req.idempotent) return " (on a kept-alive connection; a non-idempotent request is not retried)";
    if (retried) return " (already retried once on a fresh connection)";
    return {};
  }

  void on_written(error_code ec) {
    if (why_aborted != abort_reason::none) return fail_aborted();
    if (ec) {
      if (peer_closed(ec) && may_retry()) return retry();
      if (peer_closed(ec))
        return fail(make_error_code(errc::truncated_response),
                    "the server closed the connection while the request was being sent (" + ec.message() + ")" +
                        not_retried_note());
      return fail(make_error_code(errc::connection_failed), "sending the request to " + pool->where + " failed: " + ec.message());
    }
    read_more();
  }

  void read_more() {
    conn->stream->async_read_some(reader->prepare(),
                                  [self = shared_from_this()](error_code ec, std::size_t n) { self->on_read(ec, n); });
  }

  void on_read(error_code ec, std::size_t n) {
    if (why_aborted != abort_reason::none) return fail_aborted();
    using state = detail::response_reader::state;
    if (n > 0) {
      auto st = reader->commit(n);
      if (st == state::failed) return fail(reader->error(), reader->message());
      if (streaming) {
        if (stream_progress()) return;
      } else if (st == state::done) {
        return succeed();
      }
    }
    if (stream_open) return on_stream_idle(ec);
    if (!ec) return read_more();
    if (peer_closed(ec)) {
      if (reader->bytes_received() == 0 && may_retry()) return retry();
      auto st = reader->finish_at_eof(ec != asio::error::eof);
      if (st == state::done) return succeed();
      std::string message = reader->message();
      if (reader->bytes_received() == 0) message += not_retried_note();
      return fail(reader->error(), message);
    }
    return fail(make_error_code(errc::truncated_response),
                "reading the response from " + pool->where + " failed " + reader->progress() + ": " + ec.message());
  }

  void on_deadline() {
    if (ph == phase::done) return;
    if (ph == phase::waiting) {
      return finish_waiting(make_error_code(errc::connection_wait_timeout),
                            "no connection became free within " + ms(timeout) + " (all " +
                                std::to_string(pool->limits.max_connections) + " connections to " + pool->where +
                                " were busy)");
    }
    abort(abort_reason::timed_out);
  }

  void on_cancel() {
    if (ph == phase::done) return;
    if (ph == phase::waiting)
      return finish_waiting(asio::error::operation_aborted, "the request was cancelled while waiting for a connection");
    abort(abort_reason::cancelled);
  }

  // Closes the stream in use; its pending operation then completes and reports `reason`.
  void abort(abort_reason reason) {
    if (why_aborted == abort_reason::none) why_aborted = reason;
    if (conn) conn->stream->close();
  }

  void fail_aborted() {
    switch (why_aborted) {
      case abort_reason::cancelled:
        return fail(asio::error::operation_aborted, "the request was cancelled");
      case abort_reason::timed_out:
        return fail(make_error_code(errc::request_timeout),
                    "no complete response from " + pool->where + " within " + ms(timeout) + " (" +
                        (ph == phase::connecting ? std::string("still connecting") : "timed out " + reader->progress()) +
                        ")");
      case abort_reason::connect_timed_out:
        return fail(make_error_code(errc::connect_timeout),
                    "connecting to " + pool->where + " took longer than " + ms(pool->timeouts.connect));
      case abort_reason::closed:
      case abort_reason::none:
        return fail(make_error_code(errc::closed), "the connection pool was closed");
    }
  }

  // An op is destroyed without completing only when its io_context is destroyed with its I/O
  // pending (the handlers holding it are dropped unrun): the pool must not reach it afterwards.
  ~op() {
    if (is_active) pool->active.erase(active_pos);
  }

  void leave_phase() {
    ph = phase::done;
    deadline.cancel();
    if (connect_timer) connect_timer->cancel();
    if (slot.is_connected()) slot.clear();
    if (is_active) {
      pool->active.erase(active_pos);
      is_active = false;
    }
  }

  void succeed() {
    bool reusable = reader->reusable();
    response r = reader->take();
    leave_phase();
    pool->release(std::move(conn), reusable);
    complete({}, std::move(r), false);
  }

  void fail(error_code ec, std::string message) {
    if (stream_open) {
      stream_failure = ec;
      stream_failure_message = message;
      leave_phase();
      if (conn) pool->discard(std::move(conn));
      return complete_piece(ec, std::move(message), {}, false);
    }
    diag->message = std::move(message);
    leave_phase();
    if (conn) pool->discard(std::move(conn));
    complete(ec, {}, false);
  }

  // Fails a queued request. Called from a timer or a cancellation handler, so the completion
  // is posted, never run inside cancellation_signal::emit().
  void finish_waiting(error_code ec, std::string message) {
    auto keep = shared_from_this();  // the queue may hold the last reference
    if (ph == phase::waiting) pool->waiters.erase(waiter_pos);
    diag->message = std::move(message);
    leave_phase();
    complete(ec, {}, true);
  }

  void complete(error_code ec, response r, bool defer) {
    if (streaming) {  // failed before the header: no stream
      auto ex = asio::get_associated_executor(*opened, pool->ex);
      auto call = asio::bind_executor(ex, [h = take(opened), ec, r = std::move(r), w = std::move(work)]() mutable {
        std::move(h)(ec, std::move(r), body_stream());
      });
      if (defer)
        asio::post(pool->ex, std::move(call));
      else
        asio::dispatch(std::move(call));
      return;
    }
    auto ex = asio::get_associated_executor(handler, pool->ex);
    auto call = asio::bind_executor(ex, [h = std::move(handler), ec, r = std::move(r), w = std::move(work)]() mutable {
      std::move(h)(ec, std::move(r));
    });
    if (defer)
      asio::post(pool->ex, std::move(call));  // never inside the initiating function
    else
      asio::dispatch(std::move(call));
  }

  // --- streaming: the header delivered to `opened`, then body pieces to `piece` on request ---

  // After bytes arrived: true when something was delivered (the header, or body for a read).
  bool stream_progress() {
    if (!stream_open) {
      if (!reader->header_done()) return false;
      deliver_header();
      return true;
    }
    std::string body = reader->take_body();
    if (!body.empty()) {
      complete_piece({}, {}, std::move(body), false);
      return true;
    }
    if (reader->done()) {
      end_stream(false);
      return true;
    }
    return false;
  }

  // A read in flight that got no body bytes: go on reading, or end at the stream's end.
  void on_stream_idle(error_code ec) {
    using state = detail::response_reader::state;
    if (!ec) return read_more();
    if (peer_closed(ec)) {
      if (reader->finish_at_eof(ec != asio::error::eof) == state::done) return end_stream(false);
      return fail(reader->error(), reader->message());
    }
    fail(make_error_code(errc::truncated_response),
         "reading the response from " + pool->where + " failed " + reader->progress() + ": " + ec.message());
  }

  void deliver_header() {
    stream_open = true;
    deadline.cancel();  // the timeout covers the wait for the header only
    if (slot.is_connected()) slot.clear();
    response head = reader->head();
    head.body = reader->take_body();
    body_stream stream = pool::make_body_stream(shared_from_this());
    auto ex = asio::get_associated_executor(*opened, pool->ex);
    auto call = asio::bind_executor(ex, [h = take(opened), head = std::move(head), s = std::move(stream),
                                         w = std::move(work)]() mutable {
      std::move(h)(error_code(), std::move(head), std::move(s));
    });
    asio::dispatch(std::move(call));
  }

  void read_piece(diagnostics& d, body_stream::read_handler h) {
    piece_diag = &d;
    piece.emplace(std::move(h));
    work = asio::prefer(asio::get_associated_executor(*piece, pool->ex), asio::execution::outstanding_work.tracked);
    if (ph == phase::done) return complete_piece(stream_failure, stream_failure_message, {}, true);
    std::string body = reader->take_body();
    if (!body.empty()) return complete_piece({}, {}, std::move(body), true);
    if (reader->done()) return end_stream(true);
    slot = asio::get_associated_cancellation_slot(*piece);
    if (slot.is_connected()) slot.template emplace<cancel_handler>(cancel_handler{this});
    reading = true;
    read_more();
  }

  // The body has ended: the connection is closed (a streamed connection is never reused).
  void end_stream(bool defer) {
    stream_failure = asio::error::eof;
    stream_failure_message.clear();
    leave_phase();
    if (conn) pool->discard(std::move(conn));
    complete_piece(asio::error::eof, {}, {}, defer);
  }

  void complete_piece(error_code ec, std::string message, std::string body, bool defer) {
    reading = false;
    if (slot.is_connected()) slot.clear();
    if (ec && piece_diag) piece_diag->message = std::move(message);
    auto ex = asio::get_associated_executor(*piece, pool->ex);
    auto call = asio::bind_executor(ex, [h = take(piece), ec, body = std::move(body), w = std::move(work)]() mutable {
      std::move(h)(ec, std::move(body));
    });
    if (defer)
      asio::post(pool->ex, std::move(call));
    else
      asio::dispatch(std::move(call));
  }

  // The body_stream is gone: a read in flight reports the abort; otherwise the connection goes now.
  void close_stream() {
    if (ph == phase::done) return;
    if (reading) return abort(abort_reason::cancelled);
    leave_phase();
    if (conn) pool->discard(std::move(conn));
  }

  std::shared_ptr<impl> pool;
  request req;
  diagnostics* diag;
  handler_type handler;
  asio::any_completion_executor work;  // keeps the handler's executor busy until completion
  asio::cancellation_slot slot;
  std::chrono::milliseconds timeout;
  asio::steady_timer deadline;
  std::optional<asio::steady_timer> connect_timer;
  std::string wire;  // the request line and headers
  connection_ptr conn;
  std::optional<detail::response_reader> reader;
  phase ph = phase::waiting;
  abort_reason why_aborted = abort_reason::none;
  bool reused = false;
  bool retried = false;
  bool is_active = false;
  bool streaming = false;
  bool stream_open = false;  // the header went to `opened`; failures now go to `piece`
  bool reading = false;      // a body read is in flight
  // Optional, and moved out with take(): Asio 1.81's any_completion_handler move assignment
  // wraps the handler in itself (it calls the unconstrained converting constructor) and
  // recurses without end, so these are only ever move-constructed.
  std::optional<pool::stream_handler_type> opened;
  std::optional<body_stream::read_handler> piece;
  diagnostics* piece_diag = nullptr;
  error_code stream_failure;  // what reads report once the stream has ended or failed
  std::string stream_failure_message;
  std::list<std::shared_ptr<op>>::iterator waiter_pos;
  std::list<op*>::iterator active_pos;
};

void pool::impl::acquire(const std::shared_ptr<op>& o) {
  if (!idle.empty()) {
    auto c = std::move(idle.back());
    idle.pop_back();
    o->start_exchange(std::move(c), true);
  } else if (open < limits.max_connections) {
    ++open;
    o->start_connect();
  } else {
    o->wait_in_queue();
  }
}

void pool::impl::release(connection_ptr c, bool reusable) {
  if (!reusable || closed) return discard(std::move(c));
  if (!waiters.empty()) {
    auto next = std::move(waiters.front());
    waiters.pop_front();
    next->start_exchange(std::move(c), true);
    return;
  }
  c->idle_since = clock::now();
  idle.push_back(std::move(c));
  arm_sweeper();
}

void pool::impl::discard(connection_ptr c) {
  c->stream->close();
  asio::post(ex, [c = std::move(c)] {});  // destroyed after any handler still queued for it
  --open;
  if (!closed && !waiters.empty()) {
    auto next = std::move(waiters.front());
    waiters.pop_front();
    ++open;
    next->start_connect();
  }
}

void pool::impl::arm_sweeper() {
  if (sweeping || idle.empty() || closed) return;
  sweeping = true;
  sweeper.expires_at(idle.front()->idle_since + timeouts.idle);
  sweeper.async_wait([weak = weak_from_this()](error_code ec) {
    if (auto self = weak.lock(); self && !ec) self->sweep();
  });
}

void pool::impl::sweep() {
  sweeping = false;
  auto now = clock::now();
  while (!idle.empty() && idle.front()->idle_since + timeouts.idle <= now) {
    auto c = std::move(idle.front());
    idle.pop_front();
    discard(std::move(c));
  }
  arm_sweeper();
}

void pool::impl::close_all() {
  if (closed) return;
  closed = true;
  sweeper.cancel();
  auto queued = std::move(waiters);
  waiters.clear();
  for (auto& w : queued) {
    w->ph = op::phase::done;  // already out of the queue
    w->diag->message = "the connection pool was closed";
    w->leave_phase();
    w->complete(make_error_code(errc::closed), {}, true);
  }
  for (auto& c : idle) c->stream->close();
  open -= idle.size();
  // Destroyed later: close() may run inside the completion of a read on one of them.
  asio::post(ex, [connections = std::move(idle)] {});
  idle.clear();
  for (op* o : active) o->abort(op::abort_reason::closed);
}

pool::pool(asio::any_io_executor ex, const config& cfg) : impl_(std::make_shared<impl>(std::move(ex), cfg)) {}

pool::~pool() {
  if (impl_) impl_->close_all();
}

asio::any_io_executor pool::get_executor() const noexcept { return impl_->ex; }

void pool::close() { impl_->close_all(); }

pool_stats pool::stats() const noexcept {
  pool_stats s = impl_->counters;
  s.open_connections = impl_->open;
  s.idle_connections = impl_->idle.size();
  s.waiting_requests = impl_->waiters.size();
  return s;
}

body_stream pool::make_body_stream(std::shared_ptr<void> op) {
  body_stream s;
  s.op_ = std::move(op);
  return s;
}

body_stream& body_stream::operator=(body_stream&& other) noexcept {
  if (this != &other) {
    reset();
    op_ = std::move(other.op_);
  }
  return *this;
}

body_stream::~body_stream() { reset(); }

void body_stream::reset() noexcept {
  if (!op_) return;
  auto o = std::static_pointer_cast<pool::impl::op>(std::move(op_));
  op_.reset();
  o->close_stream();
}

void body_stream::read(diagnostics& diag, read_handler handler) {
  diag.clear();
  if (!op_) {
    diag.message = "the body stream is not open";
    asio::dispatch(asio::append(std::move(handler), make_error_code(errc::closed), std::string()));  // misuse: at once
    return;
  }
  std::static_pointer_cast<pool::impl::op>(op_)->read_piece(diag, std::move(handler));
}

void pool::open_stream(request req, diagnostics& diag, stream_handler_type handler) {
  diag.clear();
  std::make_shared<impl::op>(impl_, std::move(req), diag, std::move(handler))->launch();
}

void pool::execute(request req, diagnostics& diag, handler_type handler) {
  diag.clear();
  std::make_shared<impl::op>(impl_, std::move(req), diag, std::move(handler))->launch();
}

}  // namespace coconsul::http
