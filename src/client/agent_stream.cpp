// agent_stream: opening an agent's endless answer and reading it as it arrives.
#include "client/agent_stream.hpp"

#include "protocol/response.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace coconsul::detail {
namespace asio = boost::asio;

namespace {

// An error answer's body arrives through the stream too: read it (bounded) for its text.
asio::awaitable<void> read_rest(http::body_stream& stream, std::string& body, std::size_t limit) {
  diagnostics ignored;
  while (body.size() < limit) {
    auto [ec, piece] = co_await stream.async_read(ignored, asio::as_tuple(asio::use_awaitable));
    if (ec) break;
    body += piece;
  }
}

}  // namespace

asio::awaitable<error_code> agent_stream::open(std::function<protocol::request_builder()> make) {
  if (diagnostics why; auto ec = st->refresh_token(why)) co_return end(ec, std::move(why));
  protocol::request_builder b = make();
  if (const auto& refused = b.refused()) co_return end(refused.code(), refused.diag());
  http::request req = std::move(b).finish();
  diagnostics diag;
  auto [ec, head, stream] =
      co_await st->pool.async_open_stream(std::move(req), diag, asio::as_tuple(asio::use_awaitable));
  if (ec) co_return end(ec, std::move(diag));
  if (head.status < 200 || head.status >= 300) {
    co_await read_rest(stream, head.body, st->cfg.limits.max_body_bytes);
    auto refused = protocol::check_status(head, diag);
    co_return end(refused, std::move(diag));
  }
  pending = std::move(head.body);
  body.emplace(std::move(stream));
  co_return error_code();
}

asio::awaitable<error_code> agent_stream::read_more(std::string_view what) {
  if (ended) co_return ended;
  // One piece may not grow past what the client takes as a whole body.
  if (pending.size() > st->cfg.limits.max_body_bytes)
    co_return end(make_error_code(errc::body_too_large),
                  diagnostics{0, std::string(what) + " exceeds the limit of " +
                                     std::to_string(st->cfg.limits.max_body_bytes) + " bytes"});
  diagnostics diag;
  auto [ec, piece] = co_await body->async_read(diag, asio::as_tuple(asio::use_awaitable));
  if (ec == asio::error::eof) co_return ec;
  if (ec) co_return end(ec, std::move(diag));
  pending += piece;
  co_return error_code();
}

error_code agent_stream::end(error_code ec, diagnostics d) {
  ended = ec;
  ended_diag = std::move(d);
  body.reset();  // closes the connection
  return ended;
}

}  // namespace coconsul::detail
