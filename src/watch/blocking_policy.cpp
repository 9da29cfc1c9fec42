// The blocking-query rules (see blocking_policy.hpp), and how a watch's public pacing options
// become them.

#include "watch/blocking_policy.hpp"

#include <coconsul/watch.hpp>

#include <algorithm>
#include <cmath>

namespace coconsul::detail {

blocking_policy_options policy_options(const watch_pacing& p, bool stale, std::chrono::milliseconds max_stale) {
  blocking_policy_options o;
  o.wait = p.wait;
  o.burst = p.burst;
  o.refill = p.refill;
  o.backoff_base = p.backoff_base;
  o.backoff_cap = p.backoff_cap;
  o.max_consecutive_errors = p.max_consecutive_errors;
  o.stale = stale;
  o.max_stale = max_stale;
  return o;
}

blocking_policy::blocking_policy(blocking_policy_options o, std::uint64_t seed)
    : opts_(o), rng_(seed), tokens_(static_cast<double>(std::max(1u, o.burst))) {
  opts_.burst = std::max(1u, opts_.burst);
}

void blocking_policy::refill(time_point now) {
  if (!bucket_started_) {
    bucket_started_ = true;
    last_refill_ = now;
    return;
  }
  if (now <= last_refill_ || opts_.refill.count() <= 0) {
    if (opts_.refill.count() <= 0) tokens_ = opts_.burst;
    return;
  }
  const double gained = std::chrono::duration<double>(now - last_refill_) / std::chrono::duration<double>(opts_.refill);
  tokens_ = std::min<double>(opts_.burst, tokens_ + gained);
  last_refill_ = now;
}

blocking_policy::query_plan blocking_policy::plan(time_point now) {
  refill(now);
  query_plan p;
  p.index = index_;
  p.wait = index_ > 0 ? opts_.wait : std::chrono::milliseconds(0);
  if (opts_.stale && !leader_fallback_) p.consistency = consistency_mode::stale;

  time_point earliest = std::max(now, backoff_until_);
  if (tokens_ < 1.0) {
    const double missing = 1.0 - tokens_;
    auto until_token = std::chrono::duration_cast<clock::duration>(missing * std::chrono::duration<double>(opts_.refill));
    std::uniform_real_distribution<double> jitter(0.0, std::max(0.0, opts_.rate_jitter));
    auto extra = std::chrono::duration_cast<clock::duration>(jitter(rng_) * std::chrono::duration<double>(opts_.refill));
    earliest = std::max(earliest, now + until_token + extra);
  }
  p.not_before = earliest;
  return p;
}

void blocking_policy::sent(time_point now) {
  refill(now);
  tokens_ = std::max(0.0, tokens_ - 1.0);
  last_consistency_ = (opts_.stale && !leader_fallback_) ? consistency_mode::stale : consistency_mode::default_mode;
}

blocking_policy::outcome blocking_policy::on_answer(time_point, const query_meta& meta, bool content_changed) {
  errors_ = 0;
  backoff_until_ = {};

  // A stale answer that is too old, or from a server that knows no leader: ask the leader once.
  if (last_consistency_ == consistency_mode::stale &&
      (!meta.known_leader || (opts_.max_stale.count() > 0 && meta.last_contact > opts_.max_stale))) {
    leader_fallback_ = true;
    return outcome::suppress;
  }
  leader_fallback_ = false;

  const bool first = !answered_;
  answered_ = true;
  if (!first && meta.last_index < known_index_) {
    // The index went backwards: start over with a plain read (Consul's rule).
    ++resets_;
    index_ = 0;
    known_index_ = meta.last_index;
    return content_changed ? outcome::deliver : outcome::suppress;
  }
  index_ = std::max<std::uint64_t>(meta.last_index, 1);
  known_index_ = index_;
  return first || content_changed ? outcome::deliver : outcome::suppress;
}

blocking_policy::error_action blocking_policy::on_error(time_point now, error_code ec) {
  ++errors_;
  index_ = 0;  // re-sync with a plain read: the agent may have restarted with a lower index
  if (ec == errc::bad_request || ec == errc::invalid_argument) return error_action::give_up;
  if (opts_.max_consecutive_errors > 0 && errors_ >= opts_.max_consecutive_errors) return error_action::give_up;
  // Full jitter: uniform in [0, min(cap, base * 2^(n-1))].
  const double base_ms = static_cast<double>(opts_.backoff_base.count());
  const double cap_ms = static_cast<double>(opts_.backoff_cap.count());
  const double ceiling = std::min(cap_ms, base_ms * std::ldexp(1.0, static_cast<int>(std::min(errors_ - 1, 62u))));
  std::uniform_real_distribution<double> pick(0.0, std::max(0.0, ceiling));
  backoff_until_ = now + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double, std::milli>(pick(rng_)));
  return error_action::retry;
}

}  // namespace coconsul::detail
