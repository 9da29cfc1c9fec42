// hashstructure v1 for the compiler's customization struct (see chain_hash.hpp). It hashes
// a struct as its type name's hash XOR, per field, FNV-1(field name hash, value hash) with both
// written as little-endian uint64; strings hash their bytes, integers their 8 LE bytes.

#include "dev_agent/config_entries/chain_hash.hpp"

#include <cstdint>
#include <cstdio>

namespace coconsul::dev::config_entries {

namespace {

// Go's hash/fnv New64 (FNV-1, not 1a).
class fnv1_64 {
 public:
  void write(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) {
      h_ *= 1099511628211ull;
      h_ ^= p[i];
    }
  }
  void write_u64(std::uint64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(v >> (8 * i));
    write(b, 8);
  }
  std::uint64_t sum() const { return h_; }

 private:
  std::uint64_t h_ = 14695981039346656037ull;
};

std::uint64_t hash_string(std::string_view s) {
  fnv1_64 h;
  h.write(s.data(), s.size());
  return h.sum();
}

std::uint64_t hash_int64(std::int64_t v) {
  fnv1_64 h;
  h.write_u64(static_cast<std::uint64_t>(v));
  return h.sum();
}

// hashUpdateOrdered(name hash, value hash).
std::uint64_t field_hash(std::string_view name, std::uint64_t value) {
  fnv1_64 h;
  h.write_u64(hash_string(name));
  h.write_u64(value);
  return h.sum();
}

}  // namespace

std::string customization_hash(std::string_view mesh_gateway_mode, std::string_view protocol,
                               std::chrono::nanoseconds connect_timeout) {
  // struct MeshGatewayConfig { Mode MeshGatewayMode }
  std::uint64_t mesh = hash_string("MeshGatewayConfig") ^ field_hash("Mode", hash_string(mesh_gateway_mode));
  // The compiler's anonymous struct: its type name is "".
  std::uint64_t h = hash_string("");
  h ^= field_hash("OverrideMeshGateway", mesh);
  h ^= field_hash("OverrideProtocol", hash_string(protocol));
  h ^= field_hash("OverrideConnectTimeout", hash_int64(connect_timeout.count()));
  char text[17];
  std::snprintf(text, sizeof text, "%llx", static_cast<unsigned long long>(h));
  return std::string(text).substr(0, 8);
}

}  // namespace coconsul::dev::config_entries
