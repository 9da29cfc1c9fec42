#pragma once
// Wakes blocking queries. A waiting query costs one timer and a list node: it watches a set of
// tables and sleeps until a write touches one of them (then it re-runs its query and compares
// indexes, as Consul's blocking loop does), its wait time passes, or the store is abandoned
// (index reset, shutdown), which ends every wait at once.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace coconsul::dev {

class watch_hub {
 public:
  enum class wake { changed, timeout, abandoned };

  explicit watch_hub(boost::asio::any_io_executor ex) : ex_(std::move(ex)) {}
  watch_hub(const watch_hub&) = delete;
  watch_hub& operator=(const watch_hub&) = delete;

  // Sleeps until a change to `tables` is published, `deadline` passes, or abandon()/close().
  // Cancellation: the awaiting coroutine's cancellation (the server emits it when the request's
  // client hangs up) ends the wait with wake::abandoned, as does a coroutine already cancelled.
  boost::asio::awaitable<wake> wait(unsigned tables, std::chrono::steady_clock::time_point deadline);

  // Wakes every waiter watching any of `tables`.
  void publish(unsigned tables);
  // Wakes every waiter with wake::abandoned (Consul's AbandonCh after a snapshot restore).
  void abandon();
  // abandon(), and every later wait() returns abandoned at once.
  void close();
  bool closed() const { return closed_; }

  std::size_t waiting() const { return count_; }
  // Bumped by abandon(): a waiter that sees it move knows the store was replaced.
  std::uint64_t generation() const { return generation_; }

  struct waiter;

 private:
  void wake_matching(unsigned tables, bool abandoned);

  boost::asio::any_io_executor ex_;
  waiter* head_ = nullptr;
  std::size_t count_ = 0;
  std::uint64_t generation_ = 0;
  bool closed_ = false;
};

}  // namespace coconsul::dev
