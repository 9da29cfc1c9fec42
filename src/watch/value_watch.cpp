// The other watches: a KV key, a KV prefix, the services list, the checks of a service, a
// config entry and the config entries of a kind.
// Same hub, same rules as watch_service; the value is the endpoint's own answer.

#include <coconsul/client.hpp>
#include <coconsul/model/config_entry.hpp>
#include <coconsul/watch.hpp>

#include "client/client_state.hpp"
#include "client/no_throw.hpp"
#include "protocol/request.hpp"
#include "watch/registry.hpp"

namespace coconsul {
namespace detail {
namespace asio = boost::asio;

namespace {

query_options base_options(const watch_options& o) {
  query_options q;
  q.datacenter = o.datacenter;
  q.token = o.token;
  if (o.stale) q.max_stale = o.max_stale;
  return q;
}

std::string key_of(std::string_view kind, const std::string& name, const watch_options& o) {
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
asio::awaitable<std::shared_ptr<const T>> next_value(std::shared_ptr<value_subscriber<T>> s) {
  co_await accept_all_cancellation();
  co_return co_await s->position.next();
}

}  // namespace

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

template void value_watch_next(value_subscriber<std::optional<kv_pair>>&,
                               completion_handler<std::shared_ptr<const std::optional<kv_pair>>>);
template void value_watch_next(value_subscriber<std::vector<kv_pair>>&,
                               completion_handler<std::shared_ptr<const std::vector<kv_pair>>>);
template void value_watch_next(value_subscriber<std::map<std::string, std::vector<std::string>>>&,
                               completion_handler<std::shared_ptr<const std::map<std::string, std::vector<std::string>>>>);
template void value_watch_next(value_subscriber<std::vector<health_check>>&,
                               completion_handler<std::shared_ptr<const std::vector<health_check>>>);
template void value_watch_next(value_subscriber<std::optional<config_entry>>&,
                               completion_handler<std::shared_ptr<const std::optional<config_entry>>>);
template void value_watch_next(value_subscriber<std::vector<config_entry>>&,
                               completion_handler<std::shared_ptr<const std::vector<config_entry>>>);

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
template class value_watch<std::optional<kv_pair>>;
template class value_watch<std::vector<kv_pair>>;
template class value_watch<std::map<std::string, std::vector<std::string>>>;
template class value_watch<std::vector<health_check>>;
template class value_watch<std::optional<config_entry>>;
template class value_watch<std::vector<config_entry>>;

kv_key_watch client::watch_key(std::string key, watch_options opts) const {
  if (auto refused = protocol::require_name("key", key)) throw error(refused.code(), refused.diag());
  auto fetch = [st = state_, key](query_options q) -> boost::asio::awaitable<detail::coded<query_result<std::optional<kv_pair>>>> {
    auto answer = co_await kv_api(st).get(key, q, detail::no_throw);
    co_return detail::to_coded(std::move(answer));
  };
  return kv_key_watch(detail::subscribe<std::optional<kv_pair>>(*state_, detail::key_of("kv\x1f", key, opts), opts,
                                                                std::move(fetch)));
}

kv_prefix_watch client::watch_prefix(std::string prefix, watch_options opts) const {
  if (auto refused = protocol::require_printable("key prefix", prefix)) throw error(refused.code(), refused.diag());
  auto fetch = [st = state_, prefix](query_options q) -> boost::asio::awaitable<detail::coded<query_result<std::vector<kv_pair>>>> {
    auto answer = co_await kv_api(st).list(prefix, q, detail::no_throw);
    co_return detail::to_coded(std::move(answer));
  };
  return kv_prefix_watch(detail::subscribe<std::vector<kv_pair>>(*state_, detail::key_of("prefix\x1f", prefix, opts),
                                                                 opts, std::move(fetch)));
}

services_watch client::watch_services(watch_options opts) const {
  using value = std::map<std::string, std::vector<std::string>>;
  auto fetch = [st = state_](query_options q) -> boost::asio::awaitable<detail::coded<query_result<value>>> {
    auto answer = co_await catalog_api(st).services(q, detail::no_throw);
    co_return detail::to_coded(std::move(answer));
  };
  return services_watch(detail::subscribe<value>(*state_, detail::key_of("services\x1f", "", opts), opts,
                                                 std::move(fetch)));
}

checks_watch client::watch_checks(std::string service, watch_options opts) const {
  if (auto refused = protocol::require_name("service name", service)) throw error(refused.code(), refused.diag());
  auto fetch = [st = state_, service](query_options q) -> boost::asio::awaitable<detail::coded<query_result<std::vector<health_check>>>> {
    auto answer = co_await health_api(st).checks(service, q, detail::no_throw);
    co_return detail::to_coded(std::move(answer));
  };
  return checks_watch(detail::subscribe<std::vector<health_check>>(*state_, detail::key_of("checks\x1f", service, opts),
                                                                   opts, std::move(fetch)));
}

config_entry_watch client::watch_config_entry(std::string kind, std::string name, watch_options opts) const {
  if (auto refused = protocol::require_name("config entry kind", kind)) throw error(refused.code(), refused.diag());
  if (auto refused = protocol::require_name("config entry name", name)) throw error(refused.code(), refused.diag());
  using value = std::optional<config_entry>;
  auto fetch = [st = state_, kind, name](query_options q) -> boost::asio::awaitable<detail::coded<query_result<value>>> {
    // The lookup where a missing entry is an empty value (its index still blocks), not an error.
    auto answer = co_await detail::launch<query_result<value>>(detail::no_throw, &detail::config_find, st, kind, name,
                                                               std::move(q));
    co_return detail::to_coded(std::move(answer));
  };
  return config_entry_watch(detail::subscribe<value>(
      *state_, detail::key_of("config\x1f", kind + '\x1f' + name, opts), opts, std::move(fetch)));
}

config_entries_watch client::watch_config_entries(std::string kind, watch_options opts) const {
  if (auto refused = protocol::require_name("config entry kind", kind)) throw error(refused.code(), refused.diag());
  using value = std::vector<config_entry>;
  auto fetch = [st = state_, kind](query_options q) -> boost::asio::awaitable<detail::coded<query_result<value>>> {
    auto answer = co_await config_api(st).list(kind, q, detail::no_throw);
    co_return detail::to_coded(std::move(answer));
  };
  return config_entries_watch(detail::subscribe<value>(*state_, detail::key_of("configs\x1f", kind, opts), opts,
                                                       std::move(fetch)));
}

}  // namespace coconsul
