// The service host's schedule (see schedule.hpp): due times and what each result does to them.

#include "host/schedule.hpp"

#include <algorithm>
#include <utility>

namespace coconsul::detail {

host_schedule::clock::duration host_schedule::heartbeat_interval(std::chrono::nanoseconds ttl) {
  return std::max<clock::duration>(std::chrono::duration_cast<clock::duration>(ttl) / 3, std::chrono::milliseconds(1));
}

host_schedule::host_schedule(const std::vector<std::chrono::nanoseconds>& ttls,
                             std::chrono::milliseconds anti_entropy, std::chrono::milliseconds retry, time_point now)
    : anti_entropy_(anti_entropy), retry_(retry),
      anti_entropy_due_(anti_entropy.count() > 0 ? now + anti_entropy_ : never) {
  for (auto ttl : ttls) {
    intervals_.push_back(heartbeat_interval(ttl));
    heartbeat_due_.push_back(now + intervals_.back());
  }
}

host_schedule::job host_schedule::next_job(time_point now) {
  if (std::exchange(register_now_, false)) register_due_ = now;
  if (std::exchange(heartbeat_now_, false)) std::fill(heartbeat_due_.begin(), heartbeat_due_.end(), now);

  job j;
  if (register_due_ != never) {
    if (register_due_ <= now) j.kind = job_kind::register_service;
    else j.at = register_due_;
    return j;
  }
  for (std::size_t i = 0; i < heartbeat_due_.size(); ++i)
    if (heartbeat_due_[i] <= now) {
      j.kind = job_kind::heartbeat;
      j.check = i;
      return j;
    }
  if (anti_entropy_due_ <= now) {
    j.kind = job_kind::anti_entropy;
    return j;
  }
  j.at = anti_entropy_due_;
  for (auto t : heartbeat_due_) j.at = std::min(j.at, t);
  return j;
}

void host_schedule::on_registered(time_point now) {
  register_due_ = never;
  std::fill(heartbeat_due_.begin(), heartbeat_due_.end(), now);
}

void host_schedule::on_register_failed(time_point now) { register_due_ = now + retry_; }

void host_schedule::on_heartbeat_ok(std::size_t check, time_point now) {
  heartbeat_due_.at(check) = now + intervals_.at(check);
}

void host_schedule::on_heartbeat_not_found(time_point now) { register_due_ = now; }

void host_schedule::on_heartbeat_failed(std::size_t check, time_point now) {
  heartbeat_due_.at(check) = now + std::min(retry_, intervals_.at(check));
}

void host_schedule::on_service_present(time_point now) { anti_entropy_due_ = now + anti_entropy_; }

void host_schedule::on_service_missing(time_point now) {
  register_due_ = now;
  anti_entropy_due_ = now + anti_entropy_;
}

void host_schedule::on_anti_entropy_failed(time_point now) { anti_entropy_due_ = now + retry_; }

}  // namespace coconsul::detail
