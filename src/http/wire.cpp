// HTTP/1.1 framing: request bytes out, Beast's response parser in. No sockets here.
#include "http/wire.hpp"

#include "core/text.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <algorithm>
#include <limits>
#include <optional>
#include <stdexcept>

namespace coconsul::http::detail {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using boost::beast::iequals;

namespace {

// RFC 9110 token characters, the only ones a header name may use.
bool is_tchar(char c) noexcept {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// A field value may hold visible characters, spaces and tabs, never CR, LF or other controls.
bool valid_value(std::string_view v) noexcept {
  return std::none_of(v.begin(), v.end(), [](char c) { return c != '\t' && core::is_control(static_cast<unsigned char>(c)); });
}

bool valid_target(std::string_view t) noexcept {
  if (t.empty() || t.front() != '/') return false;
  return std::none_of(t.begin(), t.end(), [](char c) { return c == ' ' || core::is_control(static_cast<unsigned char>(c)); });
}

std::string_view method_name(verb v) noexcept {
  switch (v) {
    case verb::get: return "GET";
    case verb::put: return "PUT";
    case verb::post: return "POST";
    case verb::delete_: return "DELETE";
  }
  return "GET";
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

// Printable excerpt of what the server sent, for messages about malformed responses.
std::string excerpt(std::string_view raw) {
  auto eol = raw.find("\r\n");
  if (eol != std::string_view::npos) raw = raw.substr(0, eol);
  const bool cut = raw.size() > 80;
  std::string s = core::quoted(raw.substr(0, 80), core::non_ascii::escape);
  if (cut) s.insert(s.size() - 1, "...");
  return s;
}

}  // namespace

error_code serialize_request(const request& req, const std::string& authority, const std::string& token,
                             std::string& out, std::string& why) {
  auto invalid = [&](std::string text) {
    why = std::move(text);
    return make_error_code(errc::invalid_argument);
  };
  if (!valid_target(req.target))
    return invalid("request target " + excerpt(req.target) + " must start with '/' and contain no spaces or control characters");
  if (!valid_value(token)) return invalid("the token contains control characters");
  bool own_agent = false;
  bool own_token = false;
  for (const auto& h : req.headers) {
    if (h.name.empty() || !std::all_of(h.name.begin(), h.name.end(), is_tchar))
      return invalid("header name " + excerpt(h.name) + " is not a valid HTTP token");
    if (!valid_value(h.value))
      return invalid("the value of header " + h.name + " contains control characters");  // never echo it: may be a secret
    if (iequals(h.name, "Host") || iequals(h.name, "Content-Length") || iequals(h.name, "Transfer-Encoding"))
      return invalid("header " + h.name + " is set by the transport");
    own_agent = own_agent || iequals(h.name, "User-Agent");
    own_token = own_token || iequals(h.name, "X-Consul-Token");
  }

  out.clear();
  out.reserve(128 + req.target.size() + req.body.size() + 64 * req.headers.size());
  out.append(method_name(req.method));
  out += ' ';
  out.append(req.target);
  out.append(" HTTP/1.1\r\n");
  append_field(out, "Host", authority);
  if (!own_agent) append_field(out, "User-Agent", "coconsul/0.1");
  if (!own_token && !token.empty()) append_field(out, "X-Consul-Token", token);
  for (const auto& h : req.headers) append_field(out, h.name, h.value);
  // PUT and POST always say how long their (possibly empty) body is; GET and DELETE only with one.
  if (!req.body.empty() || req.method == verb::put || req.method == verb::post)
    append_field(out, "Content-Length", std::to_string(req.body.size()));
  out.append("\r\n");
  return {};
}

struct response_reader::impl {
  beast::flat_buffer buffer;
  std::optional<bhttp::response_parser<bhttp::string_body>> parser;
  std::size_t max_header;
  std::size_t max_body;

  void reset_parser() {
    parser.emplace();
    parser->eager(true);
    parser->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(max_header, std::numeric_limits<std::uint32_t>::max())));
    if (streaming)
      parser->body_limit(boost::none);
    else
      parser->body_limit(static_cast<std::uint64_t>(max_body));
  }
  bool streaming = false;  // stream_body(): the body is drained as it comes, so unlimited

  std::uint64_t body_bytes() const { return streamed + parser->get().body().size(); }
  std::uint64_t streamed = 0;  // body bytes already taken out (take_body)
};

response_reader::response_reader(std::size_t max_header_bytes, std::size_t max_body_bytes)
    : impl_(std::make_unique<impl>()) {
  impl_->max_header = max_header_bytes;
  impl_->max_body = max_body_bytes;
  impl_->reset_parser();
}

response_reader::~response_reader() = default;

boost::asio::mutable_buffer response_reader::prepare() { return impl_->buffer.prepare(32 * 1024); }

response_reader::state response_reader::commit(std::size_t bytes) {
  impl_->buffer.commit(bytes);
  received_ += bytes;
  return parse();
}

response_reader::state response_reader::fail(errc e, std::string message) {
  error_ = make_error_code(e);
  message_ = std::move(message);
  return state::failed;
}

response_reader::state response_reader::parse() {
  for (;;) {
    if (impl_->buffer.size() == 0) return state::need_more;
    error_code ec;
    auto data = impl_->buffer.data();
    std::size_t used = 0;
    // Boost 1.81's Beast throws std::length_error ("field value too large", "field name too
    // large") for one header field of 65,534 bytes or more, whatever header_limit says (later
    // Beast reports it as an error code). It is a header over what this client can hold: say so
    // as the same errc as the configured limit, never let it escape io_context::run().
    try {
      used = impl_->parser->put(data, ec);
    } catch (const std::length_error&) {
      return fail(errc::header_too_large,
                  "response header has a field of 65,534 bytes or more, larger than Boost.Beast 1.81 can parse (the limit is " +
                      std::to_string(impl_->max_header) + " bytes)");
    }
    if (ec && ec != bhttp::error::need_more)
      return fail_parse(ec, std::string_view(static_cast<const char*>(data.data()), data.size()));
    impl_->buffer.consume(used);
    if (ec) return state::need_more;
    if (impl_->parser->is_done()) {
      unsigned status = impl_->parser->get().result_int();
      // An interim 1xx response (100 Continue, 103 Early Hints) precedes the real one.
      if (status >= 100 && status < 200 && status != 101) {
        impl_->reset_parser();
        continue;
      }
      return state::done;
    }
    if (used == 0) return state::need_more;
  }
}

// Beast's parse errors, told the way a user can act on: which limit, which part of the message.
response_reader::state response_reader::fail_parse(const error_code& ec, std::string_view raw) {
  const auto& p = *impl_->parser;
  if (ec == bhttp::error::header_limit) {
    // Beast also says header_limit for a folded field (obs-fold, a line that starts with a space
    // or tab) whose value passes its fixed 4,096 bytes, with the header well inside our limit:
    // that is a malformed header (RFC 9112 deprecates folding), not a large one.
    if (raw.size() < impl_->max_header)
      return fail(errc::malformed_response,
                  "malformed response header: a folded (obs-fold) field value longer than 4096 bytes, which "
                  "Boost.Beast does not parse");
    return fail(errc::header_too_large, "response header exceeds the limit of " + std::to_string(impl_->max_header) + " bytes");
  }
  if (ec == bhttp::error::body_limit) {
    std::string m = "response body exceeds the limit of " + std::to_string(impl_->max_body) + " bytes";
    if (auto len = p.content_length()) m += " (Content-Length: " + std::to_string(*len) + ")";
    return fail(errc::body_too_large, std::move(m));
  }
  if (ec == bhttp::error::bad_version || ec == bhttp::error::bad_status || ec == bhttp::error::bad_reason)
    return fail(errc::malformed_response, "malformed status line " + excerpt(raw) + " (" + ec.message() + ")");
  if (ec == bhttp::error::bad_chunk || ec == bhttp::error::bad_chunk_extension)
    return fail(errc::malformed_response,
                "bad chunked encoding: invalid chunk header after " + std::to_string(impl_->body_bytes()) + " body bytes");
  if (ec == bhttp::error::bad_content_length || ec == bhttp::error::multiple_content_length)
    return fail(errc::malformed_response, "malformed response header: invalid Content-Length (" + ec.message() + ")");
  if (ec == bhttp::error::bad_transfer_encoding)
    return fail(errc::malformed_response, "malformed response header: unsupported Transfer-Encoding");
  if (!p.is_header_done()) return fail(errc::malformed_response, "malformed response header (" + ec.message() + ")");
  return fail(errc::malformed_response, "malformed response body (" + ec.message() + ")");
}

response_reader::state response_reader::finish_at_eof(bool reset) {
  auto& p = *impl_->parser;
  const std::string closed = reset ? "the server reset the connection" : "the server closed the connection";
  if (received_ == 0) return fail(errc::truncated_response, closed + " before sending a response");
  // Beast may hold a header past the limit unrefused while it waits for the header's end (once it
  // has taken the start line, how far it has looked depends on how the bytes came); at the end of
  // the stream such a header is too large, whatever the split.
  if (!p.is_header_done() && received_ > impl_->max_header)
    return fail(errc::header_too_large, "response header exceeds the limit of " + std::to_string(impl_->max_header) + " bytes");
  if (!p.is_header_done())
    return fail(errc::truncated_response, closed + " in the middle of the response header (" +
                                              std::to_string(received_) + " bytes received)");
  error_code ec;
  if (!reset) {
    p.put_eof(ec);
    if (!ec && p.is_done()) return state::done;  // a body that runs to the end of the stream
  }
  return fail(errc::truncated_response, closed + " " + progress());
}

std::string response_reader::progress() const {
  const auto& p = *impl_->parser;
  if (received_ == 0) return "before any byte of the response";
  if (!p.is_header_done()) return "after " + std::to_string(received_) + " bytes of the response header";
  std::string got = std::to_string(impl_->body_bytes());
  if (p.chunked()) return "after " + got + " body bytes of a chunked response";
  if (auto len = p.content_length()) return "after " + got + " of " + std::to_string(*len) + " body bytes";
  return "after " + got + " body bytes";
}

bool response_reader::reusable() const noexcept {
  return impl_->parser->is_done() && impl_->parser->keep_alive() && impl_->buffer.size() == 0;
}

void response_reader::stream_body() {
  impl_->streaming = true;
  impl_->parser->body_limit(boost::none);
}
// An interim 1xx header is not the response's.
bool response_reader::header_done() const noexcept {
  unsigned status = impl_->parser->get().result_int();
  return impl_->parser->is_header_done() && !(status >= 100 && status < 200 && status != 101);
}
bool response_reader::done() const noexcept { return impl_->parser->is_done(); }

response response_reader::head() const {
  const auto& msg = impl_->parser->get();
  response r;
  r.status = msg.result_int();
  for (const auto& field : msg) r.headers.push_back(header{std::string(field.name_string()), std::string(field.value())});
  return r;
}

std::string response_reader::take_body() {
  std::string out = std::move(impl_->parser->get().body());
  impl_->parser->get().body().clear();
  impl_->streamed += out.size();
  return out;
}

response response_reader::take() {
  auto& msg = impl_->parser->get();
  response r;
  r.status = msg.result_int();
  r.headers.reserve(16);
  for (const auto& field : msg) r.headers.push_back(header{std::string(field.name_string()), std::string(field.value())});
  r.body = std::move(msg.body());
  return r;
}

}  // namespace coconsul::http::detail
