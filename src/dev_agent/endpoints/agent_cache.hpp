#pragma once
// The agent cache (Consul's agent/cache): `?cached` reads of the endpoints Consul caches, served
// with X-Cache, Age and Consul's Cache-Control rules, and what they answer when the agent has
// lost contact with its servers (dev_agent::lose_server_contact). Consul's two kinds:
// - background refresh (catalog services, a service's nodes, health, CA roots): Consul keeps a
//   blocking query open per entry, so the entry is always current while the servers answer. Here
//   the store is in the same process, so each read re-reads it, which is the same answer without
//   a background task; when contact is lost the last answer is served, its Age counted from the
//   loss. Cache-Control is ignored, as Consul ignores it for these.
// - simple (catalog datacenters): an answer is kept until `max-age` or `must-revalidate` asks for
//   a new one; `stale-if-error` serves it anyway when the new fetch fails.
// Entries are bounded (count and bytes, least recently read first out) where Consul's expire
// only 72 h after their last read: a client cannot grow the agent by varying query strings.

#include "dev_agent/http/message.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace coconsul::dev {

enum class cache_kind { background_refresh, simple };

// How Consul caches `path` (a GET): nullopt when it does not. `always` is set for the endpoints
// Consul serves from its cache with or without ?cached (the agent's CA roots).
std::optional<cache_kind> cache_kind_for(std::string_view path, bool* always = nullptr);

// Consul's Cache-Control directives (agent/http.go parseCacheControl: split on commas only).
struct cache_control {
  std::optional<std::chrono::seconds> max_age;
  bool must_revalidate = false;  // also implied by max-age=0
  std::optional<std::chrono::seconds> stale_if_error;
};
// Nullopt for a value Consul refuses (400 "Invalid Cache-Control header.").
std::optional<cache_control> parse_cache_control(std::string_view header);

class agent_cache {
 public:
  using clock = std::chrono::steady_clock;
  // Runs the request against the store, as if the cache were not there.
  using fetch_fn = std::function<boost::asio::awaitable<http_response>(http_request&)>;

  struct bounds {
    std::size_t max_entries = 10'000;
    std::size_t max_bytes = std::size_t(256) << 20;
  };
  agent_cache() = default;
  explicit agent_cache(bounds b) : bounds_(b) {}

  // Serves a ?cached GET of a path of kind `kind` through the cache. `contact_lost_since` is
  // set while the agent has no contact with its servers (fetches then fail).
  boost::asio::awaitable<http_response> serve(http_request& req, cache_kind kind, const fetch_fn& fetch,
                                              std::optional<clock::time_point> contact_lost_since);

  std::size_t entries() const { return entries_.size(); }
  std::size_t bytes() const { return bytes_; }

 private:
  struct entry {
    http_response response;
    std::uint64_t index = 0;
    clock::time_point fetched_at;
    std::size_t bytes = 0;
    std::list<std::string>::iterator lru;  // position in lru_ (front: most recently read)
  };
  // The entry, marked as just read; null when absent.
  entry* find(const std::string& key);
  // Keeps `resp` as the entry (evicting the least recently read over the bounds); returns it.
  http_response store(const std::string& key, http_response resp, clock::time_point now);
  void evict_to_bounds();

  bounds bounds_;
  std::unordered_map<std::string, entry> entries_;
  std::list<std::string> lru_;
  std::size_t bytes_ = 0;
};

}  // namespace coconsul::dev
