// The agent's leaf certificate cache decisions (see leaf_cache.hpp).

#include "dev_agent/connect/leaf_cache.hpp"

namespace coconsul::dev::connect {

std::chrono::system_clock::time_point renewal_time(const issued_cert& cert, std::chrono::system_clock::time_point now,
                                                   std::mt19937_64& rng) {
  using namespace std::chrono;
  auto after = system_clock::from_time_t(cert.valid_after_epoch);
  auto before = system_clock::from_time_t(cert.valid_before_epoch);
  auto lifetime = duration_cast<milliseconds>(before - after);
  auto soft = after + duration_cast<system_clock::duration>(lifetime * 6 / 10);
  auto hard = after + duration_cast<system_clock::duration>(lifetime * 9 / 10);
  if (now >= hard) return now;
  if (now > soft) soft = now;
  auto span = duration_cast<milliseconds>(hard - soft).count();
  if (span <= 0) return soft;
  // lib.RandomStagger: uniform in [0, span).
  return soft + milliseconds(std::uniform_int_distribution<std::int64_t>(0, span - 1)(rng));
}

const cached_leaf* leaf_cache::find(const std::string& service) const {
  auto it = entries_.find(service);
  return it == entries_.end() ? nullptr : &it->second;
}

const cached_leaf& leaf_cache::store(const std::string& service, issued_cert cert) {
  auto& e = entries_[service];
  e.cert = std::move(cert);
  e.fetched_at = std::chrono::steady_clock::now();
  return e;
}

bool leaf_cache::still_valid(const cached_leaf& leaf, const ca_root* active, std::chrono::system_clock::time_point now,
                             std::chrono::system_clock::time_point renew_at) {
  if (now >= renew_at) return false;
  // activeRootHasKey: the active root's SigningKeyID is the key that signed this leaf.
  return active && active->signing_key_id == leaf.cert.authority_key_id;
}

}  // namespace coconsul::dev::connect
