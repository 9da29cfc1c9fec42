#pragma once
// Options every read takes, and what every read returns beside its value.
//
// Operations default these as `query_options()`, never `{}`: g++ 12 destroys a
// brace-initialised aggregate temporary twice inside a co_await expression (docs/client.md).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace coconsul {

enum class consistency_mode {
  default_mode,  // Consul's default: leader-served, strongly consistent but for a short window
  stale,         // any server answers (?stale); pair with max_stale for a bound
  consistent,    // the leader confirms leadership with a quorum first (?consistent)
};

struct query_options {
  // Blocking query: wait until the data's index passes `index`, for at most `wait` (Consul's
  // default is 5 minutes, its maximum 10; it adds up to wait/16 of jitter). 0: no blocking.
  std::uint64_t index = 0;
  std::chrono::milliseconds wait{0};

  consistency_mode consistency = consistency_mode::default_mode;
  // With a value > 0, a stale read older than this is retried against the leader (?max_stale).
  std::chrono::milliseconds max_stale{0};
  bool cached = false;  // served from the agent's cache (?cached); cannot be combined with consistent
  // With cached, Consul's Cache-Control directives (docs/client.md "Agent cache"): how old a
  // simply-cached answer may be, refetch always, and how old an answer may still be served when
  // the fetch from the servers fails. Background-refresh endpoints ignore them, as Consul does.
  std::optional<std::chrono::seconds> max_age;
  bool must_revalidate = false;
  std::optional<std::chrono::seconds> stale_if_error;
  // Hash-based blocking (GET /v1/agent/service/:id): wait until the ContentHash differs from
  // this one (query_meta::content_hash of the last answer), for at most `wait`.
  std::string hash;

  std::string datacenter;      // ?dc; empty: the client's, else the agent's
  std::string namespace_name;  // ?ns (Enterprise); empty: the client's
  std::string partition;       // ?partition (Enterprise); empty: the client's
  std::string filter;          // ?filter, Consul's filter expression language
  std::string near;            // ?near: sort by round-trip time from this node ("_agent": the agent's)
  // Service reads (health().service, catalog().service) only:
  bool passing = false;                 // ?passing: only instances whose every check passes
  std::vector<std::string> tags;        // ?tag, repeated: instances with all of these tags
  std::vector<std::pair<std::string, std::string>> node_meta;  // ?node-meta=key:value, repeated
  std::string token;           // overrides the client's token for this request
};

// For writes: where and as whom.
struct write_options {
  std::string datacenter;
  std::string namespace_name;
  std::string partition;
  std::string token;
};

// Read from the X-Consul-* and cache headers of the response (names matched case-insensitively).
struct query_meta {
  std::uint64_t last_index = 0;                 // X-Consul-Index: pass back as index to block
  bool known_leader = false;                    // X-Consul-KnownLeader
  std::chrono::milliseconds last_contact{0};    // X-Consul-LastContact: staleness of the answer
  std::string effective_consistency;            // X-Consul-Effective-Consistency: leader, stale, consistent
  bool cache_hit = false;                       // X-Cache: HIT (only with cached)
  std::optional<std::chrono::seconds> cache_age;// Age (only on a cache hit)
  std::string content_hash;                     // X-Consul-ContentHash (hash-based blocking endpoints)
  std::string query_backend;                    // X-Consul-Query-Backend: blocking-query or streaming
  std::string default_acl_policy;               // X-Consul-Default-ACL-Policy: allow or deny
  bool results_filtered_by_acls = false;        // X-Consul-Results-Filtered-By-ACLs (only with a token)
  std::chrono::microseconds request_time{0};    // how long the request took, measured here
};

// A read's value with its metadata.
template <class T>
struct query_result {
  T value{};
  query_meta meta;
};

}  // namespace coconsul
