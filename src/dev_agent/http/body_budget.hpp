#pragma once
// The bytes of request bodies the agent's HTTP server holds at once, across all connections: a
// request reserves its body's size before any of it is read and returns it when its response is
// written. Single-threaded (the agent's strand); no I/O.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

namespace coconsul::dev {

class body_budget {
 public:
  explicit body_budget(std::size_t capacity) : capacity_(capacity) {}

  // Holds `bytes` of the budget until destroyed (or reset).
  class ticket {
   public:
    ticket(ticket&& o) noexcept : budget_(std::exchange(o.budget_, nullptr)), bytes_(o.bytes_) {}
    ticket& operator=(ticket&& o) noexcept {
      if (this != &o) {
        release();
        budget_ = std::exchange(o.budget_, nullptr);
        bytes_ = o.bytes_;
      }
      return *this;
    }
    ~ticket() { release(); }

   private:
    friend class body_budget;
    ticket(body_budget* b, std::size_t n) : budget_(b), bytes_(n) {}
    void release() {
      if (budget_) budget_->in_use_ -= bytes_;
      budget_ = nullptr;
    }
    body_budget* budget_;
    std::size_t bytes_;
  };

  // A ticket for `bytes`, or nullopt when they do not fit beside what is held.
  std::optional<ticket> reserve(std::uint64_t bytes) {
    if (bytes > capacity_ - in_use_) return std::nullopt;
    in_use_ += static_cast<std::size_t>(bytes);
    if (in_use_ > peak_) peak_ = in_use_;
    return ticket(this, static_cast<std::size_t>(bytes));
  }

  std::size_t capacity() const { return capacity_; }
  std::size_t in_use() const { return in_use_; }
  std::size_t peak() const { return peak_; }

 private:
  std::size_t capacity_;
  std::size_t in_use_ = 0;
  std::size_t peak_ = 0;
};

}  // namespace coconsul::dev
