#pragma once
// Consul's read side: the parameters every blocking endpoint parses, the X-Consul-* query
// headers, and the blocking-query loop over the store's hub.

#include "dev_agent/http/message.hpp"
#include "dev_agent/store/watch_hub.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace coconsul::dev {

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

// One run of a blocking query: the index it read at and the response it built.
struct query_answer {
  std::uint64_t index = 0;
  http_response response;
};

// Consul's blocking query: runs `query`; with ?index=N (N > 0) it re-runs it after every write
// to `tables` until the result's index is strictly greater than N, the wait (default 5 min,
// max 10 min, plus up to wait/16 of jitter) passes, or the store is abandoned.
// Cancellation: the awaiting coroutine's (see watch_hub::wait) ends the wait; the query runs once
// more and its answer is returned.
boost::asio::awaitable<http_response> blocking_query(watch_hub& hub, const http_request& req, unsigned tables,
                                                     const std::function<query_answer()>& query);

}  // namespace coconsul::dev
