#pragma once
// A client's watches: the shared hubs by what they watch, and, when there are more distinct
// services than blocking queries the connection budget allows, the health index watch that
// refreshes them instead (docs/watches.md, "Many services, few connections").

#include <coconsul/config.hpp>
#include <coconsul/watch.hpp>

#include "watch/hub.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace coconsul::detail {

struct client_state;
struct health_index_watch;

struct watch_registry {
  explicit watch_registry(client_state& c) : client(c) {}
  ~watch_registry();

  client_state& client;
  std::map<std::string, std::weak_ptr<void>> hubs;  // by key (kind, name and options)

  // Multiplexed service hubs, refreshed by the index watch.
  struct multiplexed_hub {
    std::string service;
    std::weak_ptr<hub<service_state>> source;
  };
  std::vector<multiplexed_hub> multiplexed;  // pruned lazily; live_multiplexed counts the live ones
  std::size_t live_multiplexed = 0;
  std::size_t live_blocking = 0;             // service hubs with blocking queries of their own
  std::shared_ptr<health_index_watch> index_watch;

  // The live hub for `key` or null; drops expired and stopping ones.
  template <class Value>
  std::shared_ptr<hub<Value>> find(const std::string& key) {
    auto it = hubs.find(key);
    if (it == hubs.end()) return nullptr;
    auto h = std::static_pointer_cast<hub<Value>>(it->second.lock());
    if (!h || h->stopping) {
      hubs.erase(it);
      return nullptr;
    }
    return h;
  }

  // How many service hubs hold a blocking query of their own.
  std::size_t blocking_service_hubs() const { return live_blocking; }
  // Counts a service hub with a blocking query of its own until it stops.
  void add_blocking(const std::shared_ptr<hub<service_state>>& h);
  // Adds a multiplexed hub, starting the index watch if need be.
  void add_multiplexed(const std::string& service, const std::shared_ptr<hub<service_state>>& h);
  // A multiplexed hub stopped; the index watch stops with the last of them.
  void multiplexed_stopped();
};

// The subscriber of a service watch: its position and the previous state, for diffs.
struct service_subscriber : std::enable_shared_from_this<service_subscriber> {
  explicit service_subscriber(std::shared_ptr<hub<service_state>> h) : position(std::move(h)) {}
  subscription<service_state> position;
};

template <class T>
struct value_subscriber : std::enable_shared_from_this<value_subscriber<T>> {
  explicit value_subscriber(std::shared_ptr<hub<T>> h) : position(std::move(h)) {}
  subscription<T> position;
};

// The client's registry, made on first use.
watch_registry& registry_of(client_state& st);
// Blocking service queries a client holds at most before it multiplexes the rest.
std::size_t max_blocking_watches(const config& cfg);
std::shared_ptr<hub<service_state>> make_service_hub(client_state& st, const std::string& name,
                                                      const service_watch_options& o);

}  // namespace coconsul::detail
