#pragma once
// Building responses the way Consul's HTTP layer does: pretty JSON in dev mode, plain-text
// errors, the X-Consul-* query headers, and the blocking-query loop.

#include "dev_agent/core.hpp"
#include "dev_agent/http_types.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace coconsul::dev {

// 200 with `v` as JSON (dev mode always pretty-prints, like Consul's -dev).
http_response json_response(const boost::json::value& v, unsigned status = 200);
// `status` with a plain-text body.
http_response text_response(unsigned status, std::string body);
// 200 with an empty body: Consul's "nil, nil" handlers.
http_response empty_response(unsigned status = 200);

// Throws http_error{400, ...} unless the body decodes; wraps Go's error as Consul does.
[[noreturn]] void throw_bad_request(std::string reason);

// The read parameters every blocking endpoint parses (agent/http.go parseWait,
// parseConsistency).
struct read_options {
  std::uint64_t min_index = 0;
  std::chrono::nanoseconds wait{0};  // 0: the default
  std::string consistency = "leader";
};
// Throws http_error 400 with Consul's texts for bad index, wait, max_stale or conflicting modes.
read_options parse_read_options(const http_request& req);

// Sets X-Consul-Index (never 0), X-Consul-Knownleader, X-Consul-Lastcontact and
// X-Consul-Effective-Consistency.
void set_query_meta(http_response& resp, std::uint64_t index, const read_options& opts);

struct query_result {
  std::uint64_t index = 0;
  http_response response;
};

// Consul's blocking query: runs `query`; with ?index=N (N > 0) it re-runs it after every write
// to `tables` until the result's index is strictly greater than N, the wait (default 5 min,
// max 10 min, plus up to wait/16 of jitter) passes, or the store is abandoned.
// `cacheable` endpoints (Consul's background-refresh ones) answer ?cached with "X-Cache: MISS":
// the dev agent has no agent cache, every read comes from the store.
boost::asio::awaitable<http_response> blocking_query(core& c, const http_request& req, unsigned tables,
                                                     const std::function<query_result()>& query,
                                                     bool cacheable = false);

// Go's strconv.ParseBool.
std::optional<bool> parse_go_bool(std::string_view s);

// Go's strconv.ParseUint(s, 10, 64).
std::optional<std::uint64_t> parse_uint64(std::string_view s);

// The path after `prefix` (already percent-decoded).
std::string path_suffix(const http_request& req, std::string_view prefix);

}  // namespace coconsul::dev
