// Consul's read parameters, query headers and blocking loop (see blocking.hpp).

#include "dev_agent/endpoints/blocking.hpp"

#include "dev_agent/http/error.hpp"
#include "dev_agent/http/request_values.hpp"

#include <coconsul/duration.hpp>

#include <random>

namespace coconsul::dev {

read_options parse_read_options(const http_request& req) {
  read_options o;
  const auto& q = req.query;
  // As agent/http.go parseWait: empty values are as good as absent.
  if (auto w = q.get("wait"); w && !w->empty()) {
    auto d = try_parse_duration(*w);
    if (!d) throw http_error{400, "Invalid wait time"};
    o.wait = *d;
  }
  if (auto i = q.get("index"); i && !i->empty()) {
    auto v = parse_uint64(*i);
    if (!v) throw http_error{400, "Invalid index"};
    o.min_index = *v;
  }
  bool stale = q.has("stale");
  bool consistent = q.has("consistent");
  if (auto ms = q.get("max_stale")) {
    auto d = try_parse_duration(*ms);
    if (!d) throw http_error{400, "Invalid max_stale value \"" + *ms + "\""};
    if (d->count() > 0) stale = true;
  }
  if (stale && consistent)
    throw http_error{400, "Cannot specify ?stale with ?consistent, conflicting semantics."};
  if (q.has("cached") && consistent)
    throw http_error{400, "Cannot specify ?cached with ?consistent, conflicting semantics."};
  o.consistency = stale ? "stale" : consistent ? "consistent" : "leader";
  return o;
}

void set_query_meta(http_response& resp, std::uint64_t index, const read_options& opts) {
  resp.set_header("X-Consul-Effective-Consistency", opts.consistency);
  resp.set_header("X-Consul-Index", std::to_string(index == 0 ? 1 : index));
  resp.set_header("X-Consul-Knownleader", "true");
  resp.set_header("X-Consul-Lastcontact", "0");
}

namespace {
std::chrono::nanoseconds query_timeout(std::chrono::nanoseconds wait) {
  using namespace std::chrono;
  constexpr nanoseconds max_query_time = minutes(10);
  constexpr nanoseconds default_query_time = minutes(5);
  if (wait > max_query_time) wait = max_query_time;
  if (wait <= nanoseconds::zero()) wait = default_query_time;
  // lib.RandomStagger(wait / JitterFraction): uniform in [0, wait/16).
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  auto span = wait.count() / 16;
  if (span > 0) wait += nanoseconds(std::uniform_int_distribution<std::int64_t>(0, span - 1)(rng));
  return wait;
}
}  // namespace

boost::asio::awaitable<http_response> blocking_query(watch_hub& hub, const http_request& req, unsigned tables,
                                                     const std::function<query_answer()>& query) {
  read_options opts = parse_read_options(req);
  query_answer result = query();
  if (opts.min_index > 0 && result.index <= opts.min_index) {
    auto deadline = std::chrono::steady_clock::now() +
                    std::chrono::duration_cast<std::chrono::steady_clock::duration>(query_timeout(opts.wait));
    for (;;) {
      auto woke = co_await hub.wait(tables, deadline);
      result = query();
      if (woke != watch_hub::wake::changed || hub.closed()) break;
      if (result.index > opts.min_index) break;
    }
  }
  set_query_meta(result.response, result.index, opts);
  // setQueryBackend: a read answered by the servers' RPC says which backend answered (event
  // lists, answered by the agent, do not); this agent has only the blocking query.
  result.response.set_header("X-Consul-Query-Backend", "blocking-query");
  co_return std::move(result.response);
}

}  // namespace coconsul::dev
