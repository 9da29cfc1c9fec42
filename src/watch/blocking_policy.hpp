#pragma once
// Layer 5's rules for a blocking-query loop, without I/O: which index to send, when to send
// it, what to do with an answer or an error. The watch loop asks and obeys; tests step it with
// a fake clock. The rules (Consul's documentation of blocking queries, blocking.mdx):
// - the first query has no index (a plain read of the current state);
// - after an answer, the next index is the answer's X-Consul-Index, never below 1 (index 0
//   does not block and would turn the loop into a busy loop);
// - an index that goes backwards (snapshot restore, a KV list losing its newest key) resets the
//   loop: the next query is a plain read again;
// - a wakeup whose content did not change delivers nothing (Consul wakes blocking queries
//   without real change);
// - queries are rate limited by a token bucket (burst, refill), with jitter on the waits it
//   imposes so that many clients woken by one change do not query in lockstep;
// - errors back off exponentially with full jitter, up to a cap, forever unless a limit is set;
//   a 400 (the query itself is wrong) is never retried; the query after a failure is a plain
//   read, because the agent may have restarted with a fresh, lower index that a blocking
//   query with the old one would wait on for the whole wait;
// - stale reads fall back to one leader read when the answer is older than max_stale or the
//   server knows no leader.

#include <coconsul/error.hpp>
#include <coconsul/query.hpp>

#include <chrono>
#include <cstdint>
#include <random>

namespace coconsul {
struct watch_pacing;
}

namespace coconsul::detail {

struct blocking_policy_options {
  std::chrono::milliseconds wait{std::chrono::minutes(5)};  // each query's ?wait
  // Token bucket: up to `burst` queries at once, then one per `refill`.
  unsigned burst = 2;
  std::chrono::milliseconds refill{std::chrono::milliseconds(500)};
  // Waits imposed by the bucket get a random extra in [0, refill * rate_jitter).
  double rate_jitter = 0.25;
  // Backoff after the n-th consecutive error: uniform in [0, min(cap, base * 2^(n-1))].
  std::chrono::milliseconds backoff_base{std::chrono::milliseconds(200)};
  std::chrono::milliseconds backoff_cap{std::chrono::seconds(30)};
  unsigned max_consecutive_errors = 0;  // 0: never give up
  // Stale reads (any server answers) with a fallback to the leader when too old.
  bool stale = false;
  std::chrono::milliseconds max_stale{std::chrono::seconds(5)};
};

// The rules a watch with these public options follows: its pacing, and stale reads with
// their max_stale.
blocking_policy_options policy_options(const watch_pacing& p, bool stale, std::chrono::milliseconds max_stale);

class blocking_policy {
 public:
  using clock = std::chrono::steady_clock;
  using time_point = clock::time_point;

  struct query_plan {
    time_point not_before;          // do not send before this
    std::uint64_t index = 0;        // 0: a plain (non-blocking) read
    std::chrono::milliseconds wait{0};
    consistency_mode consistency = consistency_mode::default_mode;
  };

  enum class outcome {
    deliver,   // the content changed (or this is the first answer): hand it to the consumer
    suppress,  // nothing new
  };

  enum class error_action { retry, give_up };

  explicit blocking_policy(blocking_policy_options o, std::uint64_t seed = std::random_device{}());

  // The next query and the earliest time to send it.
  query_plan plan(time_point now);
  // The planned query is being sent now (it takes a token from the bucket).
  void sent(time_point now);
  // An answer arrived. `content_changed` compares its content with the last delivered one.
  outcome on_answer(time_point now, const query_meta& meta, bool content_changed);
  // The query failed (transport error or error status).
  error_action on_error(time_point now, error_code ec);

  std::uint64_t index() const noexcept { return index_; }
  unsigned consecutive_errors() const noexcept { return errors_; }
  std::uint64_t resets() const noexcept { return resets_; }
  const blocking_policy_options& options() const noexcept { return opts_; }

 private:
  void refill(time_point now);

  blocking_policy_options opts_;
  std::mt19937_64 rng_;
  bool answered_ = false;
  std::uint64_t index_ = 0;        // to send next
  std::uint64_t known_index_ = 0;  // of the last answer
  double tokens_;
  time_point last_refill_{};
  bool bucket_started_ = false;
  time_point backoff_until_{};
  unsigned errors_ = 0;
  std::uint64_t resets_ = 0;
  bool leader_fallback_ = false;
  consistency_mode last_consistency_ = consistency_mode::default_mode;
};

}  // namespace coconsul::detail
