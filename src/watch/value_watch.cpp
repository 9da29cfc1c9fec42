// The other watches: a KV key, a KV prefix, the services list, the checks of a service, a
// config entry and the config entries of a kind.
// Same hub, same rules as watch_service; the value is the endpoint's own answer.

#include <coconsul/client.hpp>
#include <coconsul/model/config_entry.hpp>
#include <coconsul/watch.hpp>

#include "client/no_throw.hpp"
#include "protocol/request.hpp"
#include "watch/value_watch.hpp"

namespace coconsul {
namespace detail {

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
