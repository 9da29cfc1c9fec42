// A lease's request deadline: the timer that, when a request outlives it, closes the lease's
// socket and ejects the endpoint (what catches a replica that accepts but never answers).

#include <coconsul/balancer.hpp>

#include "balancer/state.hpp"

namespace coconsul::detail {

namespace {

// The deadline's completion. A named type: see async.hpp. It holds the slot weakly, so an ended
// lease (the slot is gone with its timer) is never touched; the generation tells a wait that
// was re-armed or disarmed after its expiry was already queued.
struct on_request_timeout {
  std::weak_ptr<balancer_slot> slot;
  std::uint64_t generation;

  void operator()(error_code ec) const {
    if (ec) return;
    auto s = slot.lock();
    if (!s || s->deadline_generation != generation || s->timed_out) return;
    s->timed_out = true;
    if (s->socket) {
      // Closing, not only cancelling (Beast's tcp_stream does the same): the pending operation
      // fails at once, later ones cannot block on the hung peer, and a replica that thaws sees
      // the connection closed instead of answering into it.
      error_code ignored;
      s->socket->close(ignored);
    }
    auto owner = s->owner.lock();
    if (owner && !owner->closed) owner->record_timeout(*s->entry);
  }
};

}  // namespace

void arm_deadline(const std::shared_ptr<balancer_slot>& slot, std::chrono::steady_clock::duration d) {
  if (!slot->deadline) slot->deadline = std::make_unique<boost::asio::steady_timer>(slot->executor);
  const auto generation = ++slot->deadline_generation;
  slot->deadline->expires_after(d);  // cancels a wait still pending
  slot->deadline->async_wait(on_request_timeout{slot, generation});
}

}  // namespace coconsul::detail

namespace coconsul {

void lease::expires_after(std::chrono::steady_clock::duration d) {
  if (slot_) detail::arm_deadline(slot_, d);
}

void lease::expires_never() noexcept {
  if (!slot_ || !slot_->deadline) return;
  ++slot_->deadline_generation;
  slot_->deadline->cancel();
}

bool lease::timed_out() const noexcept { return slot_ && slot_->timed_out; }

}  // namespace coconsul
