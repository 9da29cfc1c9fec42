// Connect's watches: the CA roots and a service's leaf certificate, as Consul's connect_roots
// and connect_leaf watch types (api/watch/funcs.go) do it: blocking queries on the agent's
// endpoints. The same hub and rules as the other value watches; the renewal itself is the
// agent's (its cache renews a leaf before it expires and after a rotation), not a timer here.

#include <coconsul/client.hpp>
#include <coconsul/connect.hpp>
#include <coconsul/watch.hpp>

#include "client/no_throw.hpp"
#include "protocol/request.hpp"
#include "watch/value_watch.hpp"

namespace coconsul {
namespace detail {

template void value_watch_next(value_subscriber<ca_roots>&, completion_handler<std::shared_ptr<const ca_roots>>);
template void value_watch_next(value_subscriber<issued_cert>&, completion_handler<std::shared_ptr<const issued_cert>>);

}  // namespace detail

template class value_watch<ca_roots>;
template class value_watch<issued_cert>;

connect_roots_watch client::watch_connect_roots(watch_options opts) const {
  auto fetch = [st = state_](query_options q) -> boost::asio::awaitable<detail::coded<query_result<ca_roots>>> {
    auto answer = co_await connect_api(st).agent_ca_roots(q, detail::no_throw);
    co_return detail::to_coded(std::move(answer));
  };
  return connect_roots_watch(
      detail::subscribe<ca_roots>(*state_, detail::key_of("connect-roots\x1f", "", opts), opts, std::move(fetch)));
}

connect_leaf_watch client::watch_connect_leaf(std::string service, watch_options opts) const {
  if (auto refused = protocol::require_name("service name", service)) throw error(refused.code(), refused.diag());
  auto fetch = [st = state_, service](query_options q) -> boost::asio::awaitable<detail::coded<query_result<issued_cert>>> {
    auto answer = co_await connect_api(st).leaf(service, q, detail::no_throw);
    co_return detail::to_coded(std::move(answer));
  };
  return connect_leaf_watch(detail::subscribe<issued_cert>(*state_, detail::key_of("connect-leaf\x1f", service, opts),
                                                           opts, std::move(fetch)));
}

}  // namespace coconsul
