// Fault injection for tests (see faults.hpp).

#include "dev_agent/endpoints/faults.hpp"

namespace coconsul::dev {

unsigned fault_state::take_failure() {
  if (fail_status == 0) return 0;
  if (fail_remaining > 0) {
    --fail_remaining;
    return fail_status;
  }
  if (fail_fraction > 0 && std::uniform_real_distribution<double>(0, 1)(rng) < fail_fraction) return fail_status;
  return 0;
}

bool fault_state::take_drop() {
  if (drop_remaining == 0) return false;
  --drop_remaining;
  return true;
}

void fault_state::clear() {
  latency = std::chrono::milliseconds(0);
  fail_status = 0;
  fail_remaining = 0;
  fail_fraction = 0;
  drop_remaining = 0;
  server_contact_lost_since.reset();
}

}  // namespace coconsul::dev
