// The agent cache (see agent_cache.hpp): which endpoints Consul caches, Cache-Control, and the
// HIT/MISS/Age decisions of agent/cache/cache.go (getWithIndex, getEntryLocked).

#include "dev_agent/endpoints/agent_cache.hpp"

#include "dev_agent/http/request_values.hpp"
#include "dev_agent/http/responders.hpp"

#include <boost/algorithm/string/predicate.hpp>
#include <boost/algorithm/string/trim.hpp>

#include <charconv>
#include <cmath>

namespace coconsul::dev {
namespace asio = boost::asio;

namespace {

struct cached_route {
  std::string_view pattern;  // exact, or a prefix when it ends in '/'
  cache_kind kind;
  bool always;
};

// Consul's cache types (agent/cache-types/) for the endpoints this agent serves.
constexpr cached_route cached_routes[] = {
    {"/v1/catalog/services", cache_kind::background_refresh, false},      // catalog-list-services
    {"/v1/catalog/service/", cache_kind::background_refresh, false},      // catalog-services
    {"/v1/health/service/", cache_kind::background_refresh, false},       // health-services
    {"/v1/agent/connect/ca/roots", cache_kind::background_refresh, true},  // connect-ca-root
    {"/v1/catalog/datacenters", cache_kind::simple, false},               // catalog-datacenters
};

// Consul's time.ParseDuration(v + "s") for max-age and stale-if-error: a non-negative decimal
// count of seconds (Go would take a fraction too; no client sends one).
std::optional<std::chrono::seconds> parse_seconds(std::string_view v) {
  std::uint64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc{} || p != v.data() + v.size() || v.empty() || n > 315'360'000'000ull) return std::nullopt;
  return std::chrono::seconds(static_cast<std::chrono::seconds::rep>(n));
}

// The key Consul's makeEntryKey builds from the type, datacenter, token and request fields: the
// path and every query parameter that selects data, without those that only say how to wait or
// format, plus the token.
std::string entry_key(const http_request& req) {
  std::string token(req.header("X-Consul-Token"));
  if (auto t = req.query.get("token")) token = *t;
  if (token.empty()) {
    auto auth = req.header("Authorization");
    if (boost::istarts_with(auth, "Bearer ")) token = std::string(auth.substr(7));
  }
  std::string key = req.path;
  key += '?';
  key += req.query.without({"index", "wait", "cached", "pretty", "token", "stale", "consistent", "leader", "max_stale"})
             .encode();
  key += '\x1f';  // no path or encoded query holds a control character
  key += token;
  return key;
}

std::uint64_t response_index(const http_response& r) {
  std::uint64_t index = 0;
  auto v = r.header("X-Consul-Index");
  std::from_chars(v.data(), v.data() + v.size(), index);
  return index;
}

// The cached answer with Consul's cache headers (agent/http.go setCacheMeta): Age only on a hit,
// in whole seconds, rounded.
http_response with_cache_meta(http_response r, bool hit, std::chrono::steady_clock::duration age) {
  r.set_header("X-Cache", hit ? "HIT" : "MISS");
  if (hit) {
    double seconds = std::chrono::duration<double>(age).count();
    r.set_header("Age", std::to_string(static_cast<long long>(std::llround(std::max(seconds, 0.0)))));
  }
  return r;
}

}  // namespace

std::optional<cache_kind> cache_kind_for(std::string_view path, bool* always) {
  for (const auto& r : cached_routes) {
    bool prefix = r.pattern.back() == '/';
    if (prefix ? path.substr(0, r.pattern.size()) == r.pattern : path == r.pattern) {
      if (always) *always = r.always;
      return r.kind;
    }
  }
  return std::nullopt;
}

std::optional<cache_control> parse_cache_control(std::string_view header) {
  cache_control cc;
  std::string raw(header);
  std::size_t start = 0;
  while (start <= raw.size() && !raw.empty()) {
    auto comma = std::min(raw.find(',', start), raw.size());
    std::string d = raw.substr(start, comma - start);
    boost::algorithm::trim(d);
    for (auto& ch : d) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (d == "must-revalidate") {
      cc.must_revalidate = true;
    } else if (d.rfind("max-age=", 0) == 0) {
      cc.max_age = parse_seconds(std::string_view(d).substr(8));
      if (!cc.max_age) return std::nullopt;
      if (cc.max_age->count() == 0) cc.must_revalidate = true;
    } else if (d.rfind("stale-if-error=", 0) == 0) {
      cc.stale_if_error = parse_seconds(std::string_view(d).substr(15));
      if (!cc.stale_if_error) return std::nullopt;
    }
    // Other directives are ignored, as Consul ignores them.
    start = comma + 1;
  }
  return cc;
}

agent_cache::entry* agent_cache::find(const std::string& key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return &it->second;
}

http_response agent_cache::store(const std::string& key, http_response resp, clock::time_point now) {
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    lru_.push_front(key);
    it = entries_.emplace(key, entry{}).first;
    it->second.lru = lru_.begin();
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    bytes_ -= it->second.bytes;
  }
  entry& e = it->second;
  e.index = response_index(resp);
  e.fetched_at = now;
  e.bytes = key.size() + resp.body.size() + 256;  // the body, the key and the bookkeeping
  e.response = resp;
  bytes_ += e.bytes;
  evict_to_bounds();
  return resp;
}

void agent_cache::evict_to_bounds() {
  while (!lru_.empty() && (entries_.size() > bounds_.max_entries || bytes_ > bounds_.max_bytes)) {
    auto it = entries_.find(lru_.back());
    bytes_ -= it->second.bytes;
    entries_.erase(it);
    lru_.pop_back();
  }
}

asio::awaitable<http_response> agent_cache::serve(http_request& req, cache_kind kind, const fetch_fn& fetch,
                                                  std::optional<clock::time_point> contact_lost_since) {
  auto cc = parse_cache_control(req.header("Cache-Control"));
  if (!cc) co_return text_response(400, "Invalid Cache-Control header.");
  const std::string key = entry_key(req);
  std::uint64_t min_index = 0;
  if (auto i = req.query.get("index")) min_index = parse_uint64(*i).value_or(0);  // a bad one: the fetch's 400
  const auto now = clock::now();

  if (kind == cache_kind::background_refresh) {
    if (contact_lost_since) {
      // The last answer, as old as the loss of contact (Consul's RefreshLostContact); a query
      // that must wait past it fails as its fetch does.
      if (const entry* e = find(key); e && (min_index == 0 || e->index > min_index))
        co_return with_cache_meta(e->response, true, now - *contact_lost_since);
      co_return co_await fetch(req);
    }
    // In contact: the entry is what a background refresh would hold, the store as it is now.
    const bool existed = find(key) != nullptr;
    http_request current = req;
    current.query = req.query.without({"index", "wait"});
    http_response fresh = co_await fetch(current);
    if (fresh.status != 200) co_return fresh;  // errors are never cached
    fresh = store(key, std::move(fresh), now);
    if (min_index == 0 || response_index(fresh) > min_index) co_return with_cache_meta(std::move(fresh), existed, {});
    // Past the current index: wait for the next change, as the refresh loop would; a miss.
    http_response waited = co_await fetch(req);
    if (waited.status != 200) co_return waited;
    co_return with_cache_meta(store(key, std::move(waited), clock::now()), false, {});
  }

  // Simple: reuse the answer while it is young enough for the client.
  if (const entry* e = find(key)) {
    auto age = now - e->fetched_at;
    bool too_old = cc->max_age && age > *cc->max_age;
    if (!cc->must_revalidate && !too_old) co_return with_cache_meta(e->response, true, age);
  }
  http_response fresh = co_await fetch(req);
  if (fresh.status == 200) co_return with_cache_meta(store(key, std::move(fresh), clock::now()), false, {});
  // The fetch failed: stale-if-error serves the old answer if it is not older than allowed.
  const auto failed_at = clock::now();
  if (const entry* e = find(key); e && fresh.status >= 500 && cc->stale_if_error &&
                                  failed_at - e->fetched_at <= *cc->stale_if_error)
    co_return with_cache_meta(e->response, true, failed_at - e->fetched_at);
  co_return fresh;
}

}  // namespace coconsul::dev
