// The client's watch registry and its health index watch.

#include "watch/registry.hpp"

#include <coconsul/catalog.hpp>
#include <coconsul/health.hpp>

#include "client/client_state.hpp"

#include <set>

namespace coconsul::detail {
namespace asio = boost::asio;

// Two blocking queries that together move whenever any service's health or registration
// changes: /v1/health/state/any (every check, with its ModifyIndex) and /v1/catalog/services.
// From the checks it tells which services (or, for node checks, which nodes) changed and marks
// only their hubs dirty; a catalog change marks every multiplexed hub dirty (Consul has no
// per-service index to tell which registration moved).
struct health_index_watch : std::enable_shared_from_this<health_index_watch> {
  explicit health_index_watch(watch_registry& r) : registry(r) {}

  watch_registry& registry;
  asio::cancellation_signal stop_checks, stop_catalog;
  bool stopping = false;

  struct check_brief {
    std::string service;
    std::string node;
    std::uint64_t modify_index = 0;
    std::string status;
  };
  std::map<std::string, check_brief> checks;  // by node + '/' + CheckID

  void start() {
    auto self = shared_from_this();
    asio::co_spawn(registry.client.pool.get_executor(), watch_checks(),
                   asio::bind_cancellation_slot(stop_checks.slot(), [self](std::exception_ptr) {}));
    asio::co_spawn(registry.client.pool.get_executor(), watch_catalog(),
                   asio::bind_cancellation_slot(stop_catalog.slot(), [self](std::exception_ptr) {}));
  }

  void stop() {
    stopping = true;
    stop_checks.emit(asio::cancellation_type::terminal);
    stop_catalog.emit(asio::cancellation_type::terminal);
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

  // One blocking loop over `fetch`, with the same rules as every watch. `on_answer` returns
  // whether the answer changed anything.
  template <class Fetch, class OnAnswer>
  asio::awaitable<void> run(Fetch fetch, OnAnswer on_answer) {
    co_await accept_all_cancellation();
    blocking_policy rules(policy_options(watch_pacing{}, false, std::chrono::milliseconds(0)));
    asio::steady_timer pause(co_await asio::this_coro::executor);
    while (!stopping) {
      auto plan = rules.plan(blocking_policy::clock::now());
      if (plan.not_before > blocking_policy::clock::now()) {
        pause.expires_at(plan.not_before);
        (void)co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
        if (stopping) co_return;
      }
      rules.sent(blocking_policy::clock::now());
      query_options o;
      o.index = plan.index;
      o.wait = plan.wait;
      error_code ec;
      diagnostics diag;
      bool changed = false;
      query_meta meta;
      try {
        changed = co_await fetch(o, meta) && on_answer();
      } catch (...) {
        describe_exception(std::current_exception(), ec, diag);
      }
      if (stopping || ec == errc::closed) co_return;
      if (ec) {
        (void)rules.on_error(blocking_policy::clock::now(), ec);
        continue;
      }
      rules.on_answer(blocking_policy::clock::now(), meta, changed);
    }
  }

  asio::awaitable<void> watch_checks() {
    auto st = registry.client.shared_from_this();
    std::vector<health_check> answer;
    bool first = true;
    auto fetch = [&](query_options o, query_meta& meta) -> asio::awaitable<bool> {
      auto r = co_await health_api(st).state("any", o);
      meta = r.meta;
      answer = std::move(r.value);
      co_return true;
    };
    auto on_answer = [&] {
      std::set<std::string> services, nodes;
      std::map<std::string, check_brief> now;
      for (auto& c : answer) {
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
      const bool changed = !services.empty() || !nodes.empty();
      if (!first && changed) mark(services, nodes, false);
      first = false;
      return changed;
    };
    co_await run(fetch, on_answer);
  }

  asio::awaitable<void> watch_catalog() {
    auto st = registry.client.shared_from_this();
    std::uint64_t last_index = 0;
    std::uint64_t answer_index = 0;
    auto fetch = [&](query_options o, query_meta& meta) -> asio::awaitable<bool> {
      auto r = co_await catalog_api(st).services(o);
      meta = r.meta;
      answer_index = r.meta.last_index;
      co_return true;
    };
    auto on_answer = [&] {
      // Any registration change moves this index; which service moved is not told.
      const bool moved = last_index != 0 && answer_index != last_index;
      last_index = answer_index;
      if (moved) mark({}, {}, true);
      return moved;
    };
    co_await run(fetch, on_answer);
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
