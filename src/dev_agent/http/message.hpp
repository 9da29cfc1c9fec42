#pragma once
// The dev agent's view of one HTTP exchange, free of Beast and of Consul: the server converts
// to and from these, and every endpoint handler sees only them.

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <initializer_list>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coconsul::dev {

// Query parameters as Go's url.Values: a key may repeat; presence alone counts for flags
// such as ?recurse or ?passing.
class query_params {
 public:
  // Parses a raw query string ("a=1&b&c=x%20y"), percent-decoding keys and values ('+' is a space).
  static query_params parse(std::string_view raw);

  bool has(std::string_view key) const;
  // The first value of `key`, or nullopt when absent (an empty value is "").
  std::optional<std::string> get(std::string_view key) const;
  std::string get_or(std::string_view key, std::string_view fallback) const;
  std::vector<std::string> all(std::string_view key) const;
  // Go's Values.Encode(): keys sorted, values in order, form-encoded.
  std::string encode() const;
  // A copy without any value of `keys`.
  query_params without(std::initializer_list<std::string_view> keys) const;

  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

struct http_request {
  std::string method;      // "GET", "PUT", ...
  std::string target;      // as sent: path and query
  std::string path;        // percent-decoded path
  std::string raw_query;   // after '?', undecoded
  query_params query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote;      // "ip:port" of the client

  // The first header named `name` (case-insensitively), or "" when absent.
  std::string_view header(std::string_view name) const;
};

struct http_response {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Fault injection: the server writes the status line and half the headers, then closes.
  bool cut_off = false;
  // A body produced over time (GET /v1/agent/monitor): the server writes the status and headers
  // at once, then each piece `stream` returns as one chunk, written before the next is asked
  // for, until a piece is empty (the stream ended), the client hangs up (the wait for a piece
  // is cancelled) or the agent stops; then the connection closes. A slow reader holds up only
  // `stream`, which bounds what it keeps waiting.
  std::function<boost::asio::awaitable<std::string>()> stream;
  // Called once the server is done with the response: written, failed or abandoned (leave: the
  // agent stops after its 200 is out).
  std::function<void()> after_write;

  // Sets (replacing) a header.
  void set_header(std::string name, std::string value);
  std::string_view header(std::string_view name) const;
};

// Percent-decodes a URL component; `plus_is_space` for query strings. Invalid escapes are kept
// verbatim.
std::string percent_decode(std::string_view in, bool plus_is_space);

}  // namespace coconsul::dev
