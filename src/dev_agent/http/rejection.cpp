// The raw refusal replies (see rejection.hpp).

#include "dev_agent/http/rejection.hpp"

namespace coconsul::dev {

namespace {
// Go's net/http writes these headers on every reply it makes without a handler.
std::string go_reply(std::string_view status, std::string_view body) {
  std::string out = "HTTP/1.1 ";
  out += status;
  out += "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n";
  out += body;
  return out;
}
}  // namespace

std::string refusal_reply(refusal why, std::optional<std::uint64_t> content_length, std::size_t max_body_bytes) {
  switch (why) {
    case refusal::none:
      return {};
    case refusal::bad_request:
      return go_reply("400 Bad Request", "400 Bad Request");
    case refusal::header_too_large:
      return go_reply("431 Request Header Fields Too Large", "431 Request Header Fields Too Large");
    case refusal::unsupported_transfer_encoding:
      // Go does not echo the coding back (it would be attacker-chosen text).
      return go_reply("501 Not Implemented", "Unsupported transfer encoding");
    case refusal::body_too_large: {
      // Consul's words for its KV and txn body limits; a chunked body has no length to quote.
      std::string text = "Request body";
      if (content_length) {  // appended piecewise: gcc 12 warns falsely (-Wrestrict) on "lit" + string&&
        text += '(';
        text += std::to_string(*content_length);
        text += " bytes)";
      }
      text += " too large, max size: " + std::to_string(max_body_bytes) + " bytes.";
      return go_reply("413 Request Entity Too Large", text);
    }
  }
  return {};
}

std::string too_many_connections_reply() {
  static const std::string message = "Your IP is issuing too many concurrent connections, please rate limit your calls\n";
  return "HTTP/1.1 429 Too Many Requests\r\nContent-Type: text/plain\r\nContent-Length: " +
         std::to_string(message.size()) + "\r\nConnection: close\r\n\r\n" + message;
}

std::string body_budget_reply(std::uint64_t wanted, std::size_t in_use, std::size_t capacity) {
  return go_reply("503 Service Unavailable",
                  "Request body(" + std::to_string(wanted) + " bytes) does not fit the agent's body budget now (" +
                      std::to_string(in_use) + " of " + std::to_string(capacity) +
                      " bytes held by requests in flight); retry later");
}

}  // namespace coconsul::dev
