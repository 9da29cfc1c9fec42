#pragma once
// BLAKE2b (RFC 7693) with a chosen digest length and no key: the hash Consul puts in a legacy
// intention's Hash field (golang.org/x/crypto/blake2b.New256). OpenSSL 3.0 offers BLAKE2b only
// with a 64-byte digest, whose first bytes differ, so it lives here. Pure.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace coconsul::dev::config_entries {

class blake2b {
 public:
  explicit blake2b(std::size_t digest_size);  // 1..64 bytes
  void update(std::string_view data);
  // The digest as raw bytes; the object is spent afterwards.
  std::string finish();

 private:
  void compress(bool last);

  std::array<std::uint64_t, 8> h_{};
  std::array<unsigned char, 128> block_{};
  std::size_t filled_ = 0;
  std::uint64_t t0_ = 0, t1_ = 0;
  std::size_t digest_size_;
};

}  // namespace coconsul::dev::config_entries
