// The request parser on Beast's basic_parser. Beast's own request_parser stores fields in
// beast::http::fields, which Boost 1.81 cannot hold past 65,533 bytes a field (it throws
// std::length_error from inside the parse); this parser keeps fields in the agent's own
// http_request, so only the header's total size is bounded, as in Go.

#include "dev_agent/http/request_reader.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>

namespace coconsul::dev {
namespace beast = boost::beast;
namespace http = beast::http;

struct request_reader::parser final : http::basic_parser<true> {
  http_request request;
  unsigned http_version = 11;
  bool expects_continue = false;
  std::size_t transfer_encodings = 0;  // Transfer-Encoding fields seen
  bool only_chunked = true;            // each of them is exactly "chunked"

  void on_request_impl(http::verb, beast::string_view method, beast::string_view target, int v,
                       beast::error_code&) override {
    request.method = std::string(method);
    request.target = std::string(target);
    http_version = static_cast<unsigned>(v);
  }
  void on_response_impl(int, beast::string_view, int, beast::error_code& ec) override {
    ec = http::error::bad_method;  // never called for a request parser
  }
  void on_field_impl(http::field f, beast::string_view name, beast::string_view value, beast::error_code&) override {
    if (f == http::field::transfer_encoding) {
      ++transfer_encodings;
      only_chunked = only_chunked && beast::iequals(value, "chunked");
    }
    if (f == http::field::expect && beast::iequals(value, "100-continue")) expects_continue = true;
    request.headers.emplace_back(std::string(name), std::string(value));
  }
  void on_header_impl(beast::error_code& ec) override {
    // Go's net/http takes one Transfer-Encoding, "chunked", from HTTP/1.1 on; anything else is
    // 501 there (Beast would read "gzip" alone as a request without a body).
    if (http_version >= 11 && transfer_encodings > 0 && (transfer_encodings > 1 || !only_chunked))
      ec = http::error::bad_transfer_encoding;
  }
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, beast::error_code&) override {
    // Within the body limit (checked by Beast before this), so reserving it is bounded.
    if (length) request.body.reserve(static_cast<std::size_t>(*length));
  }
  std::size_t on_body_impl(beast::string_view body, beast::error_code&) override {
    request.body.append(body.data(), body.size());
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, beast::string_view, beast::error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, beast::string_view body, beast::error_code&) override {
    request.body.append(body.data(), body.size());
    return body.size();
  }
  void on_finish_impl(beast::error_code&) override {}
};

request_reader::request_reader(std::size_t max_header_bytes, std::size_t max_body_bytes)
    : parser_(std::make_unique<parser>()) {
  // Beast counts the header in 32 bits; a bound past that is no bound a socket reaches.
  parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(max_header_bytes, UINT32_MAX)));
  parser_->body_limit(static_cast<std::uint64_t>(max_body_bytes));
}

request_reader::~request_reader() = default;

std::size_t request_reader::feed(std::string_view bytes) {
  if (refused_ != refusal::none || parser_->is_done() || bytes.empty()) return 0;
  beast::error_code ec;
  std::size_t n = parser_->put(boost::asio::const_buffer(bytes.data(), bytes.size()), ec);
  if (!ec || ec == http::error::need_more) return n;
  if (ec == http::error::header_limit)
    refused_ = refusal::header_too_large;
  else if (ec == http::error::body_limit)
    refused_ = refusal::body_too_large;
  else if (ec == http::error::bad_transfer_encoding)
    refused_ = refusal::unsupported_transfer_encoding;
  else
    refused_ = refusal::bad_request;
  return n;
}

bool request_reader::header_done() const { return parser_->is_header_done(); }
bool request_reader::done() const { return parser_->is_done(); }

std::optional<std::uint64_t> request_reader::content_length() const {
  auto n = parser_->content_length();
  return n ? std::optional<std::uint64_t>(*n) : std::nullopt;
}
bool request_reader::chunked() const { return parser_->chunked(); }
bool request_reader::keep_alive() const { return parser_->keep_alive(); }
unsigned request_reader::version() const { return parser_->http_version; }
bool request_reader::expects_continue() const { return parser_->expects_continue; }

http_request request_reader::take(std::string remote) {
  http_request r = std::move(parser_->request);
  auto q = r.target.find('?');
  std::string_view raw_path = std::string_view(r.target).substr(0, q);
  r.raw_query = q == std::string::npos ? std::string() : r.target.substr(q + 1);
  r.path = percent_decode(raw_path, false);
  r.query = query_params::parse(r.raw_query);
  r.remote = std::move(remote);
  return r;
}

}  // namespace coconsul::dev
