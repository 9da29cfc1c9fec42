// The client's watch registry and its health index watch.

#include "watch/registry.hpp"

#include <coconsul/catalog.hpp>
#include <coconsul/health.hpp>

#include "client/client_state.hpp"
#include "client/no_throw.hpp"

#include <boost/asio/detached.hpp>

#include <set>

namespace coconsul::detail {
namespace asio = boost::asio;

// Two blocking queries that together move whenever any service's health or registration
// changes: /v1/health/state/any (every check, with its ModifyIndex) and /v1/catalog/services.
// From the checks it tells which services (or, for node checks, which nodes) changed and marks
// only their hubs dirty; a catalog change marks every multiplexed hub dirty (Consul has no
// per-service index to tell which registration moved). Each query is a hub of its own (the
// one blocking loop, with the default pacing) with this watch as its only subscriber.
struct health_index_watch : std::enable_shared_from_this<health_index_watch> {
  using checks_hub = hub<std::vector<health_check>>;
  using catalog_hub = hub<std::uint64_t>;  // the catalog's index: a registration moved it

  explicit health_index_watch(watch_registry& r) : registry(r) {}

  watch_registry& registry;
  bool stopping = false;
  // Closed, never destroyed, by stop(): a follower may be suspended in their next().
  std::unique_ptr<subscription<std::vector<health_check>>> checks_position;
  std::unique_ptr<subscription<std::uint64_t>> catalog_position;

  struct check_brief {
    std::string service;
    std::string node;
    std::uint64_t modify_index = 0;
    std::string status;
  };
  std::map<std::string, check_brief> checks;  // by node + '/' + CheckID
  std::uint64_t catalog_index = 0;

  static blocking_policy_options rules() {
    return policy_options(watch_pacing{}, false, std::chrono::milliseconds(0));
  }

  void start() {
    auto st = registry.client.shared_from_this();
    auto ex = registry.client.pool.get_executor();
    auto fetch_checks = [st](query_options o) -> asio::awaitable<coded<query_result<std::vector<health_check>>>> {
      auto answer = co_await health_api(st).state("any", o, no_throw);
      co_return to_coded(std::move(answer));
    };
    auto fetch_catalog = [st](query_options o) -> asio::awaitable<coded<query_result<std::uint64_t>>> {
      auto [ec, diag, answer] = co_await catalog_api(st).services(o, no_throw);
      coded<query_result<std::uint64_t>> out;
      out.ec = ec;
      out.diag = std::move(diag);
      out.value.meta = answer.meta;
      out.value.value = answer.meta.last_index;
      co_return out;
    };
    auto checks_source = std::make_shared<checks_hub>(ex, std::move(fetch_checks), query_options(), rules());
    auto catalog_source = std::make_shared<catalog_hub>(ex, std::move(fetch_catalog), query_options(), rules());
    checks_position = std::make_unique<subscription<std::vector<health_check>>>(checks_source);
    catalog_position = std::make_unique<subscription<std::uint64_t>>(catalog_source);
    checks_source->start();
    catalog_source->start();
    asio::co_spawn(ex, follow_checks(shared_from_this()), asio::detached);
    asio::co_spawn(ex, follow_catalog(shared_from_this()), asio::detached);
  }

  // Ends both queries at once; the followers see their subscription closed and end.
  void stop() {
    stopping = true;
    if (checks_position) checks_position->close();
    if (catalog_position) catalog_position->close();
  }

  // Marks the multiplexed hubs whose service is in `services` or which have an endpoint on a
  // node in `nodes`; drops hubs that are gone.
  void mark(const std::set<std::string>& services, const std::set<std::string>& nodes, bool all) {
    // Drop the stopped hubs here, once per change, not once per stop.
    std::erase_if(registry.multiplexed, [](const watch_registry::multiplexed_hub& m) {
      auto h = m.source.lock();
      return !h || h->stopping;
    });
    for (auto& m : registry.multiplexed) {
      auto h = m.source.lock();
      if (!h || h->stopping) continue;
      bool hit = all || services.count(m.service) > 0;
      if (!hit && !nodes.empty() && h->latest)
        for (const auto& e : h->latest->endpoints)
          if (nodes.count(e.node)) {
            hit = true;
            break;
          }
      if (!hit && !nodes.empty() && !h->latest) hit = true;  // not read yet: read it
      if (hit) h->mark_dirty();
    }
  }

  // Every new set of checks: which services and nodes changed since the last one.
  void checks_answered(const std::vector<health_check>& answer, bool first) {
    std::set<std::string> services, nodes;
    std::map<std::string, check_brief> now;
    for (const auto& c : answer) {
      check_brief b{c.service_name, c.node, c.modify_index, c.status};
      const std::string key = c.node + '/' + c.check_id;
      auto it = checks.find(key);
      if (it == checks.end() || it->second.modify_index != b.modify_index || it->second.status != b.status)
        (b.service.empty() ? nodes.insert(b.node) : services.insert(b.service));
      now.emplace(key, std::move(b));
    }
    for (const auto& [key, b] : checks)
      if (!now.count(key)) (b.service.empty() ? nodes.insert(b.node) : services.insert(b.service));
    checks = std::move(now);
    if (!first && (!services.empty() || !nodes.empty())) mark(services, nodes, false);
  }

  // A new catalog index: some registration changed, which one is not told.
  void catalog_answered(std::uint64_t index) {
    const bool moved = catalog_index != 0 && index != catalog_index;
    catalog_index = index;
    if (moved) mark({}, {}, true);
  }

  // The followers end when their hub gives up (the client was closed) or stop() closed them.
  static asio::awaitable<void> follow_checks(std::shared_ptr<health_index_watch> self) {
    for (bool first = true;; first = false) {
      auto answer = co_await self->checks_position->next();
      if (!answer || self->stopping) co_return;
      self->checks_answered(*answer, first);
    }
  }

  static asio::awaitable<void> follow_catalog(std::shared_ptr<health_index_watch> self) {
    for (;;) {
      auto index = co_await self->catalog_position->next();
      if (!index || self->stopping) co_return;
      self->catalog_answered(*index);
    }
  }
};

watch_registry::~watch_registry() {
  if (index_watch) index_watch->stop();
}

void watch_registry::add_blocking(const std::shared_ptr<hub<service_state>>& h) {
  ++live_blocking;
  h->on_stop = [this] { --live_blocking; };
}

void watch_registry::add_multiplexed(const std::string& service, const std::shared_ptr<hub<service_state>>& h) {
  multiplexed.push_back({service, h});
  ++live_multiplexed;
  h->on_stop = [this] { multiplexed_stopped(); };
  if (!index_watch || index_watch->stopping) {
    index_watch = std::make_shared<health_index_watch>(*this);
    index_watch->start();
  }
}

void watch_registry::multiplexed_stopped() {
  if (--live_multiplexed > 0) return;
  multiplexed.clear();
  if (index_watch) {
    index_watch->stop();  // nothing left to refresh: its two blocking queries end now
    index_watch.reset();
  }
}

watch_registry& registry_of(client_state& st) {
  if (!st.watches) st.watches = std::make_shared<watch_registry>(st);
  return *st.watches;
}

std::size_t max_blocking_watches(const config& cfg) {
  if (cfg.limits.max_blocking_watches > 0) return cfg.limits.max_blocking_watches;
  return std::max<std::size_t>(1, cfg.limits.max_connections / 2);
}

}  // namespace coconsul::detail
