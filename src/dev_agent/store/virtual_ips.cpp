// Service virtual IPs (see virtual_ips.hpp).

#include "dev_agent/store/virtual_ips.hpp"

namespace coconsul::dev {

namespace {

constexpr std::uint32_t first_address = 240u << 24;  // 240.0.0.0
// Consul's virtualIPMaxOffset (15.255.255.254): the counter stops below it.
constexpr std::uint32_t max_offset = (15u << 24) | (255u << 16) | (255u << 8) | 254u;

std::string dotted(std::uint32_t offset) {
  std::uint32_t a = first_address + offset;
  return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 0xff) + "." + std::to_string((a >> 8) & 0xff) +
         "." + std::to_string(a & 0xff);
}

}  // namespace

std::string virtual_ip_table::assign(const std::string& service) {
  if (auto it = assigned_.find(service); it != assigned_.end()) return dotted(it->second);
  std::uint32_t offset;
  if (!freed_.empty()) {
    offset = *freed_.begin();
    freed_.erase(freed_.begin());
  } else {
    if (counter_ + 1 >= max_offset) return {};
    offset = ++counter_;
  }
  assigned_[service] = offset;
  return dotted(offset);
}

bool virtual_ip_table::free(const std::string& service) {
  auto it = assigned_.find(service);
  if (it == assigned_.end()) return false;
  freed_.insert(it->second);
  assigned_.erase(it);
  return true;
}

std::optional<std::string> virtual_ip_table::find(const std::string& service) const {
  auto it = assigned_.find(service);
  if (it == assigned_.end()) return std::nullopt;
  return dotted(it->second);
}

}  // namespace coconsul::dev
