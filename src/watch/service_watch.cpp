// watch_service: Consul's /v1/health/service/:name as a stream of endpoint states.

#include <coconsul/client.hpp>
#include <coconsul/health.hpp>
#include <coconsul/watch.hpp>

#include "client/client_state.hpp"
#include "client/no_throw.hpp"
#include "protocol/request.hpp"
#include "watch/registry.hpp"

#include <algorithm>

namespace coconsul {

const char* to_string(health_status s) noexcept {
  switch (s) {
    case health_status::passing: return "passing";
    case health_status::warning: return "warning";
    case health_status::critical: return "critical";
    case health_status::maintenance: return "maintenance";
  }
  return "unknown";
}

const std::vector<endpoint>& service_snapshot::endpoints() const noexcept {
  static const std::vector<endpoint> none;
  return state ? state->endpoints : none;
}

// Merges two sorted endpoint lists into what was added, changed and removed.
service_snapshot make_snapshot(std::shared_ptr<const service_state> previous, std::shared_ptr<const service_state> next) {
  service_snapshot s;
  s.state = std::move(next);
  s.previous = std::move(previous);
  const auto& now = s.state->endpoints;
  if (!s.previous) {
    for (const auto& e : now) s.added.push_back(&e);
    return s;
  }
  const auto& before = s.previous->endpoints;
  auto key = [](const endpoint& e) { return std::tie(e.node, e.service_id); };
  std::size_t i = 0, j = 0;
  while (i < before.size() || j < now.size()) {
    if (j == now.size() || (i < before.size() && key(before[i]) < key(now[j]))) {
      s.removed.push_back(&before[i++]);
    } else if (i == before.size() || key(now[j]) < key(before[i])) {
      s.added.push_back(&now[j++]);
    } else {
      if (!(before[i] == now[j])) s.changed.push_back(&now[j]);
      ++i;
      ++j;
    }
  }
  return s;
}

namespace detail {
namespace asio = boost::asio;

bool same_content(const service_state& a, const service_state& b) {
  return a.service == b.service && a.endpoints == b.endpoints;
}

namespace {

// Consul's aggregate order: maintenance > critical > warning > passing.
health_status worst_of(const std::vector<health_check>& checks) {
  health_status worst = health_status::passing;
  auto rank = [](health_status s) { return static_cast<int>(s); };
  for (const auto& c : checks) {
    health_status s = health_status::passing;
    if (c.check_id == "_node_maintenance" || c.check_id.starts_with("_service_maintenance:"))
      s = health_status::maintenance;
    else if (c.status == "critical")
      s = health_status::critical;
    else if (c.status == "warning")
      s = health_status::warning;
    if (rank(s) > rank(worst)) worst = s;
  }
  return worst;
}

service_state project(const std::string& name, std::uint64_t index, std::vector<service_entry> entries) {
  service_state st;
  st.service = name;
  st.index = index;
  st.endpoints.reserve(entries.size());
  for (auto& e : entries) {
    endpoint p;
    p.node = std::move(e.node.node);
    p.node_address = std::move(e.node.address);
    p.service_id = std::move(e.service.id);
    p.address = e.service.address.empty() ? p.node_address : std::move(e.service.address);
    p.port = e.service.port;
    p.tags = std::move(e.service.tags);
    p.meta = std::move(e.service.meta);
    p.weights = e.service.weights;
    p.health = worst_of(e.checks);
    st.endpoints.push_back(std::move(p));
  }
  std::sort(st.endpoints.begin(), st.endpoints.end(), [](const endpoint& a, const endpoint& b) {
    return std::tie(a.node, a.service_id) < std::tie(b.node, b.service_id);
  });
  return st;
}

// What a delivered next() gives: the state and what changed since `previous`.
coded<service_snapshot> snapshot_of(std::shared_ptr<const service_state> previous,
                                    std::shared_ptr<const service_state> state) {
  coded<service_snapshot> r;
  r.value = make_snapshot(std::move(previous), std::move(state));
  return r;
}

std::string service_key(const std::string& name, const service_watch_options& o) {
  // Fields joined by a byte that cannot appear in a valid name, tag or option.
  std::string k = "service\x1f" + name;
  auto add = [&](const std::string& v) {
    k += '\x1f';
    k += v;
  };
  add(o.passing_only ? "passing" : "all");
  for (const auto& t : o.tags) add("tag=" + t);
  add(o.filter);
  add(o.datacenter);
  add(o.near);
  add(o.stale ? "stale=" + std::to_string(o.max_stale.count()) : "leader");
  add(o.token);
  const auto& p = o.pacing;
  add(std::to_string(p.wait.count()) + "/" + std::to_string(p.burst) + "/" + std::to_string(p.refill.count()) + "/" +
      std::to_string(p.backoff_base.count()) + "/" + std::to_string(p.backoff_cap.count()) + "/" +
      std::to_string(p.max_consecutive_errors));
  return k;
}

// The next state, null when there is none (the subscriber's failure() says why). Not a coded
// snapshot: this frame waits in every pending next(), and the snapshot or the failure is made
// only when one is delivered (service_watch_next).
asio::awaitable<std::shared_ptr<const service_state>> next_state(std::shared_ptr<service_subscriber> s) {
  co_await accept_all_cancellation();
  co_return co_await s->position.next();
}

}  // namespace

void service_watch_next(service_subscriber& s, completion_handler<service_snapshot> h) {
  auto self = s.shared_from_this();
  // The state the last snapshot showed: what the next one is compared with.
  auto finish = [self, previous = s.position.last](std::shared_ptr<const service_state> state) {
    if (!state) return self->position.failure<service_snapshot>();
    return snapshot_of(previous, std::move(state));
  };
  spawn_coded<service_snapshot>(s.position.source->executor, next_state(self), std::move(finish), std::move(h));
}

std::shared_ptr<hub<service_state>> make_service_hub(client_state& st, const std::string& name,
                                                      const service_watch_options& o) {
  query_options base;
  base.passing = o.passing_only;
  base.tags = o.tags;
  base.filter = o.filter;
  base.datacenter = o.datacenter;
  base.near = o.near;
  base.token = o.token;
  if (o.stale) base.max_stale = o.max_stale;
  auto fetch = [st = st.shared_from_this(), name](query_options q) -> asio::awaitable<coded<query_result<service_state>>> {
    auto [ec, diag, answer] = co_await health_api(st).service(name, q, no_throw);
    coded<query_result<service_state>> out;
    out.ec = ec;
    out.diag = std::move(diag);
    if (ec) co_return out;
    out.value.meta = answer.meta;
    out.value.value = project(name, answer.meta.last_index, std::move(answer.value));
    co_return out;
  };
  return std::make_shared<hub<service_state>>(st.pool.get_executor(), std::move(fetch), std::move(base),
                                              policy_options(o.pacing, o.stale, o.max_stale));
}

}  // namespace detail

service_watch client::watch_service(std::string name, service_watch_options opts) const {
  if (auto refused = protocol::require_name("service name", name)) throw error(refused.code(), refused.diag());
  auto& reg = detail::registry_of(*state_);
  const auto key = detail::service_key(name, opts);
  auto h = reg.find<service_state>(key);
  if (!h) {
    h = detail::make_service_hub(*state_, name, opts);
    // More distinct services than blocking queries the connection budget allows: refresh this
    // one through the health index watch instead (docs/watches.md).
    const bool may_multiplex = opts.datacenter.empty() && opts.token.empty();
    if (may_multiplex && reg.blocking_service_hubs() >= detail::max_blocking_watches(state_->cfg)) {
      h->multiplexed = true;
      h->status.multiplexed = true;
      reg.add_multiplexed(name, h);
    } else {
      reg.add_blocking(h);
    }
    reg.hubs[key] = h;
    h->start();
  }
  return service_watch(std::make_shared<detail::service_subscriber>(std::move(h)));
}

service_watch::service_watch(service_watch&&) noexcept = default;

service_watch& service_watch::operator=(service_watch&& other) noexcept {
  if (this != &other) {
    if (sub_) sub_->position.close();
    sub_ = std::move(other.sub_);
  }
  return *this;
}

service_watch::~service_watch() {
  if (sub_) sub_->position.close();
}

watch_status service_watch::status() const { return sub_->position.source->status; }

}  // namespace coconsul
