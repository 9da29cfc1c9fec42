#pragma once
// Open connections per client IP address (Consul's limits.http_max_conns_per_client, which
// go-connlimit counts from a connection's accept to its close). Single-threaded; no I/O.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace coconsul::dev {

class conn_limit {
 public:
  explicit conn_limit(std::size_t per_client) : per_client_(per_client) {}

  // Counts one connection of `ip` until destroyed.
  class slot {
   public:
    slot(slot&& o) noexcept : limit_(std::exchange(o.limit_, nullptr)), ip_(std::move(o.ip_)) {}
    slot& operator=(slot&&) = delete;
    ~slot() {
      if (!limit_) return;
      auto it = limit_->open_.find(ip_);
      if (--it->second == 0) limit_->open_.erase(it);
    }

   private:
    friend class conn_limit;
    slot(conn_limit* l, std::string ip) : limit_(l), ip_(std::move(ip)) {}
    conn_limit* limit_;
    std::string ip_;
  };

  // A slot for a new connection from `ip`, or nullopt when `ip` already has the maximum open
  // (a cap of 0 admits everyone).
  std::optional<slot> admit(const std::string& ip) {
    auto& n = open_[ip];
    if (per_client_ != 0 && n >= per_client_) return std::nullopt;  // n >= 1: the entry stays
    ++n;
    return slot(this, ip);
  }

 private:
  std::size_t per_client_;
  std::map<std::string, std::size_t> open_;
};

}  // namespace coconsul::dev
