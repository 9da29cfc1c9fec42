#pragma once
// The agent's cache of leaf certificates (agent/cache-types/connect_ca_leaf.go), as decisions
// without I/O: one certificate per service, kept until it must be renewed, and when that is.
// The HTTP side (endpoints/connect_ca.cpp) waits and signs; this says what to do.

#include "dev_agent/connect/ca_state.hpp"

#include <chrono>
#include <map>
#include <random>
#include <string>

namespace coconsul::dev::connect {

// calculateSoftExpiry, then the random pick Fetch makes in it: a point between 60 % and 90 %
// of the certificate's lifetime (ValidAfter to ValidBefore), not before `now`; `now` itself once
// past 90 %. Unlike Consul, a lifetime under ten minutes gets the same window (Consul renews
// those at once; its LeafCertTTL cannot be below an hour, the dev agent's test option can).
std::chrono::system_clock::time_point renewal_time(const issued_cert& cert, std::chrono::system_clock::time_point now,
                                                   std::mt19937_64& rng);

struct cached_leaf {
  issued_cert cert;
  std::chrono::steady_clock::time_point fetched_at;  // for the Age header of a hit
};

// What a leaf request gets, Consul's way (ConnectCALeaf.Fetch and the cache in front of it).
class leaf_cache {
 public:
  // The cached certificate for `service`, or null.
  const cached_leaf* find(const std::string& service) const;
  // Stores a newly signed certificate, replacing the old one.
  const cached_leaf& store(const std::string& service, issued_cert cert);

  // Whether the cached certificate may still be served: false once it reached `renew_at` or
  // when the active root's signing key did not sign it (a rotation).
  static bool still_valid(const cached_leaf& leaf, const ca_root* active, std::chrono::system_clock::time_point now,
                          std::chrono::system_clock::time_point renew_at);

  std::mt19937_64& rng() { return rng_; }

 private:
  std::map<std::string, cached_leaf> entries_;
  std::mt19937_64 rng_{std::random_device{}()};
};

}  // namespace coconsul::dev::connect
