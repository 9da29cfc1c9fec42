#pragma once
// When the service host's keeper does what, without I/O: heartbeats of the TTL checks,
// re-registration when the agent lost the service, anti-entropy reads. The keeper asks
// next_job(now), does that job and reports its result with an on_...() call; tests step it with
// a fake clock (test/host/schedule_test.cpp). It does not know how a job is done.

#include <chrono>
#include <cstddef>
#include <vector>

namespace coconsul::detail {

class host_schedule {
 public:
  using clock = std::chrono::steady_clock;
  using time_point = clock::time_point;

  enum class job_kind {
    register_service,  // register (again): the agent does not have the service
    heartbeat,         // update TTL check `check` with the application's status
    anti_entropy,      // read the agent's copy of the service: is it still there?
    wait,              // nothing due: sleep until `at` (time_point::max(): until a poke)
  };

  struct job {
    job_kind kind = job_kind::wait;
    std::size_t check = 0;  // heartbeat: which TTL check (its index in the registration)
    time_point at{};        // wait: until when
  };

  // `ttls`: each TTL check's TTL, heartbeated at a third of it (1 ms at least); `anti_entropy`
  // zero: no reads; `retry`: after a failed call. The service was just registered and its
  // checks heartbeated at `now`.
  host_schedule(const std::vector<std::chrono::nanoseconds>& ttls, std::chrono::milliseconds anti_entropy,
                std::chrono::milliseconds retry, time_point now);

  // What to do now, or until when to wait. While a registration is pending (being retried) it
  // is the only job. Then heartbeats (in check order), then the anti-entropy read.
  job next_job(time_point now);

  // Results of the jobs.
  void on_registered(time_point now);       // every check is heartbeated at once
  void on_register_failed(time_point now);  // retried after `retry`
  void on_heartbeat_ok(std::size_t check, time_point now);
  void on_heartbeat_not_found(time_point now);  // the agent forgot the check: register again now
  void on_heartbeat_failed(std::size_t check, time_point now);  // retried after min(retry, interval)
  void on_service_present(time_point now);
  void on_service_missing(time_point now);       // register again now
  void on_anti_entropy_failed(time_point now);   // read again after `retry`

  // From outside the keeper, taking effect at the next next_job() (a job in flight when they
  // come does not swallow them): the application changed its health (heartbeat every check),
  // or a maintenance call found the service gone (register again).
  void heartbeat_soon() noexcept { heartbeat_now_ = true; }
  void register_soon() noexcept { register_now_ = true; }

  // A TTL check's heartbeat interval: a third of its TTL, 1 ms at least.
  static clock::duration heartbeat_interval(std::chrono::nanoseconds ttl);

 private:
  static constexpr time_point never = time_point::max();

  std::vector<clock::duration> intervals_;
  std::vector<time_point> heartbeat_due_;
  clock::duration anti_entropy_;  // zero: never
  clock::duration retry_;
  time_point anti_entropy_due_;
  time_point register_due_ = never;
  bool heartbeat_now_ = false;
  bool register_now_ = false;
};

}  // namespace coconsul::detail
