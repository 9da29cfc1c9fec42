#pragma once
// The value watches' shared machinery, for the files that define value watches of their own
// (value_watch.cpp: KV, services, checks; connect_watch.cpp: Connect's roots and leaf): the
// hub key, subscribing to a shared hub, next(), and value_watch<T>'s members. Each file
// instantiates them for its own value types; nothing here is a second loop.

#include <coconsul/watch.hpp>

#include "client/client_state.hpp"
#include "client/spawn.hpp"
#include "watch/registry.hpp"

#include <string>
#include <string_view>

namespace coconsul {
namespace detail {

inline query_options base_options(const watch_options& o) {
  query_options q;
  q.datacenter = o.datacenter;
  q.token = o.token;
  if (o.stale) q.max_stale = o.max_stale;
  return q;
}

// The registry key of a watch: what it watches and every option that changes its query.
inline std::string key_of(std::string_view kind, const std::string& name, const watch_options& o) {
  const auto& p = o.pacing;
  std::string k(kind);
  for (const std::string& part :
       {name, o.datacenter, o.token, o.stale ? "stale=" + std::to_string(o.max_stale.count()) : std::string("leader"),
        std::to_string(p.wait.count()) + "/" + std::to_string(p.burst) + "/" + std::to_string(p.refill.count()) + "/" +
            std::to_string(p.backoff_base.count()) + "/" + std::to_string(p.backoff_cap.count()) + "/" +
            std::to_string(p.max_consecutive_errors)}) {
    k += '\x1f';
    k += part;
  }
  return k;
}

// Finds or makes the shared hub for `key`, fetching with `fetch`.
template <class T, class Fetch>
std::shared_ptr<value_subscriber<T>> subscribe(client_state& st, const std::string& key, const watch_options& o,
                                               Fetch fetch) {
  auto& reg = registry_of(st);
  auto h = reg.find<T>(key);
  if (!h) {
    h = std::make_shared<hub<T>>(st.pool.get_executor(), std::move(fetch), base_options(o),
                                 policy_options(o.pacing, o.stale, o.max_stale));
    reg.hubs[key] = h;
    h->start();
  }
  return std::make_shared<value_subscriber<T>>(std::move(h));
}

// The next value, null when there is none (the subscriber's failure() says why). Not a coded
// result: this frame waits in every pending next(), and the failure is made only when one is
// delivered (value_watch_next).
template <class T>
boost::asio::awaitable<std::shared_ptr<const T>> next_value(std::shared_ptr<value_subscriber<T>> s) {
  co_await accept_all_cancellation();
  co_return co_await s->position.next();
}

template <class T>
void value_watch_next(value_subscriber<T>& s, completion_handler<std::shared_ptr<const T>> h) {
  auto self = s.shared_from_this();
  auto finish = [self](std::shared_ptr<const T> value) {
    if (!value) return self->position.template failure<std::shared_ptr<const T>>();
    coded<std::shared_ptr<const T>> r;
    r.value = std::move(value);
    return r;
  };
  spawn_coded<std::shared_ptr<const T>>(s.position.source->executor, next_value<T>(self), std::move(finish),
                                        std::move(h));
}

}  // namespace detail

template <class T>
watch_status value_watch<T>::status() const {
  return sub_->position.source->status;
}

template <class T>
value_watch<T>& value_watch<T>::operator=(value_watch&& other) noexcept {
  if (this != &other) {
    if (sub_) sub_->position.close();
    sub_ = std::move(other.sub_);
  }
  return *this;
}

template <class T>
value_watch<T>::~value_watch() {
  if (sub_) sub_->position.close();
}

}  // namespace coconsul
