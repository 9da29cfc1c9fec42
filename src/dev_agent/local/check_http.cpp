// HTTP checks (Consul's CheckHTTP) over a Beast client: plain http:// only.

#include "dev_agent/local/http_check_detail.hpp"
#include "dev_agent/local/probes.hpp"
#include "dev_agent/common/deadline.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <cctype>

namespace coconsul::dev {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr int max_redirects = 10;

using http_check::fetch_result;
using http_check::go_op;

asio::awaitable<fetch_result> fetch(asio::any_io_executor ex, const boost::urls::url_view& u, const check_definition& def,
                                    const std::string& method, std::chrono::steady_clock::time_point deadline) {
  fetch_result out;
  std::string url(u.buffer());
  std::string prefix = go_op(method) + " \"" + url + "\": ";
  if (u.scheme() == "https") co_return co_await http_check::fetch_https(ex, u, def, method, deadline);
  if (u.scheme() != "http") {
    out.error = prefix + "unsupported protocol scheme \"" + std::string(u.scheme()) + "\"";
    co_return out;
  }
  std::string host(u.host_address());
  std::string port = u.has_port() ? std::string(u.port()) : "80";
  std::string hostport = host + ":" + port;
  tcp::resolver resolver(ex);
  auto [rec, results] = co_await resolver.async_resolve(host, port, asio::as_tuple(asio::use_awaitable));
  if (rec) {
    out.error = prefix + go_dial_error(hostport, rec, false);
    co_return out;
  }
  beast::tcp_stream stream(ex);
  stream.expires_at(deadline);
  auto [cec, ep] = co_await stream.async_connect(results, asio::as_tuple(asio::use_awaitable));
  if (cec) {
    out.error = prefix + (cec == beast::error::timeout
                              ? std::string("context deadline exceeded (Client.Timeout exceeded while awaiting headers)")
                              : go_dial_error(hostport, cec, false));
    co_return out;
  }
  auto req = http_check::build_request(u, def, method);
  auto [wec, wn] = co_await http::async_write(stream, req, asio::as_tuple(asio::use_awaitable));
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  boost::system::error_code rec2;
  if (!wec) {
    auto [r, rn] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    rec2 = r;
  }
  boost::system::error_code ignored;
  stream.socket().close(ignored);
  auto ec = wec ? wec : rec2;
  if (ec) {
    out.error = prefix + (ec == beast::error::timeout
                              ? std::string("context deadline exceeded (Client.Timeout exceeded while awaiting headers)")
                              : ec == asio::error::operation_aborted ? std::string("context canceled") : "EOF");
    co_return out;
  }
  out = http_check::from_response(parser.get());
  co_return out;
}

}  // namespace

namespace http_check {

std::string go_op(const std::string& method) {
  std::string op;
  for (std::size_t i = 0; i < method.size(); ++i)
    op += static_cast<char>(i == 0 ? std::toupper(static_cast<unsigned char>(method[i]))
                                   : std::tolower(static_cast<unsigned char>(method[i])));
  return op;
}

http::request<http::string_body> build_request(const boost::urls::url_view& u, const check_definition& def,
                                               const std::string& method) {
  std::string target(u.encoded_target());
  http::request<http::string_body> req{http::string_to_verb(method), target.empty() ? "/" : target, 11};
  if (req.method() == http::verb::unknown) req.method_string(method);
  std::string host(u.host_address());
  req.set(http::field::host, u.has_port() ? host + ":" + std::string(u.port()) : host);
  bool has_ua = false, has_accept = false;
  for (const auto& [name, values] : def.header) {
    for (const auto& v : values) {
      if (beast::iequals(name, "Host")) {
        req.set(http::field::host, v);
        continue;
      }
      req.insert(name, v);
    }
    has_ua |= beast::iequals(name, "User-Agent");
    has_accept |= beast::iequals(name, "Accept");
  }
  if (!has_ua) req.set(http::field::user_agent, "Consul Health Check");
  if (!has_accept) req.set(http::field::accept, "text/plain, text/*, */*");
  req.set(http::field::connection, "close");  // Consul disables keep-alives for checks
  req.body() = def.body;
  if (!def.body.empty() || req.method() == http::verb::post || req.method() == http::verb::put) req.prepare_payload();
  return req;
}

fetch_result from_response(http::response<http::string_body>& res) {
  fetch_result out;
  out.ok = true;
  out.status = res.result_int();
  out.status_line = std::to_string(out.status) + " " + std::string(res.reason());
  out.location = std::string(res[http::field::location]);
  out.body = std::move(res.body());
  return out;
}

}  // namespace http_check

asio::awaitable<probe_result> probe_http(asio::any_io_executor ex, check_definition def) {
  auto timeout = def.timeout.count() > 0 ? def.timeout : std::chrono::seconds(10);
  auto deadline = deadline_after(timeout);
  std::string method = def.method.empty() ? "GET" : def.method;
  auto parsed = boost::urls::parse_uri(def.http);
  if (!parsed) co_return probe_result{"critical", "parse \"" + def.http + "\": invalid URL"};
  boost::urls::url url = *parsed;
  // A stopped runner (terminal cancellation) aborts the hop in flight and follows no redirect.
  asio::cancellation_state cancel = co_await asio::this_coro::cancellation_state;
  fetch_result r;
  check_definition request = def;  // what the next hop sends
  for (int hop = 0;; ++hop) {
    r = co_await fetch(ex, url, request, method, deadline);
    if (!r.ok || cancel.cancelled() != asio::cancellation_type::none) break;
    bool redirect = r.status == 301 || r.status == 302 || r.status == 303 || r.status == 307 || r.status == 308;
    if (!redirect || def.disable_redirects || r.location.empty()) break;
    if (hop + 1 >= max_redirects) {
      r.ok = false;
      r.error = go_op(method) + " \"" + std::string(url.buffer()) + "\": stopped after 10 redirects";
      break;
    }
    auto next = boost::urls::parse_uri_reference(r.location);
    if (!next) break;
    boost::urls::url resolved;
    boost::urls::resolve(url, *next, resolved);
    url = resolved;
    if (r.status == 303 || ((r.status == 301 || r.status == 302) && method == "POST")) {
      method = "GET";  // as Go's client: the redirected request has no body
      request.body.clear();
    }
  }
  if (!r.ok) co_return probe_result{"critical", r.error};
  // The body passes through a circular buffer of OutputMaxSize bytes: the last 4 KB remain.
  std::size_t cap = def.output_max_size > 0 ? static_cast<std::size_t>(def.output_max_size) : 4096;
  if (r.body.size() > cap) r.body.erase(0, r.body.size() - cap);
  // Consul reports the configured method, even when a redirect turned it into a GET.
  std::string output = "HTTP " + (def.method.empty() ? std::string("GET") : def.method) + " " + def.http + ": " +
                       r.status_line + " Output: " + r.body;
  std::string status = r.status >= 200 && r.status <= 299 ? "passing" : r.status == 429 ? "warning" : "critical";
  co_return probe_result{status, output};
}

}  // namespace coconsul::dev
