#pragma once
// coconsul::client: one Consul agent address, its connection pool, and the endpoint groups.
//
//   boost::asio::io_context ioc;
//   coconsul::client consul(ioc, coconsul::config::from_env());
//   // inside an asio::awaitable<void> coroutine:
//   std::string leader = co_await consul.status().leader();
//
// Every operation is an Asio async operation: with no token, co_await returns the value and
// throws coconsul::error on failure; any Asio completion token works (async.hpp).
// Thread safety: like Asio's I/O objects, use a client from one thread (or strand) at a time.

#include <coconsul/acl.hpp>
#include <coconsul/agent.hpp>
#include <coconsul/catalog.hpp>
#include <coconsul/config.hpp>
#include <coconsul/config_entries.hpp>
#include <coconsul/connect.hpp>
#include <coconsul/event.hpp>
#include <coconsul/health.hpp>
#include <coconsul/kv.hpp>
#include <coconsul/prepared_query.hpp>
#include <coconsul/session.hpp>
#include <coconsul/status.hpp>
#include <coconsul/txn.hpp>
#include <coconsul/watch.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>

#include <memory>

namespace coconsul {

namespace detail {
struct client_state;
struct client_access;
}

// Counters of the client's connection pool.
struct client_stats {
  std::size_t open_connections = 0;    // connecting, busy or idle
  std::size_t idle_connections = 0;
  std::size_t waiting_requests = 0;    // queued for a free connection
  std::uint64_t connections_opened = 0;
  std::uint64_t requests_sent = 0;
  std::uint64_t retries = 0;           // requests retried on a stale keep-alive connection
};

class client {
 public:
  using executor_type = boost::asio::any_io_executor;

  // Throws coconsul::error for an address that does not parse or TLS files that cannot be read.
  client(executor_type ex, coconsul::config cfg);
  client(boost::asio::io_context& ioc, coconsul::config cfg);
  // Fails every pending operation with errc::closed and closes the connections.
  ~client();
  client(client&&) noexcept;
  client& operator=(client&&) noexcept;

  agent_api agent() const;
  catalog_api catalog() const;
  health_api health() const;
  kv_api kv() const;
  session_api session() const;
  status_api status() const;
  event_api event() const;
  txn_api txn() const;
  connect_api connect() const;  // Connect's CA: roots, configuration, leaf certificates
  acl_api acl() const;          // ACLs: tokens, policies, roles, auth methods, login
  config_api config() const;    // config entries (service-defaults, service-resolver, ...)
  prepared_query_api prepared_queries() const;  // /v1/query: stored lookups, also DNS's .query.

  // Switches the token of requests started from now on (watches' next queries included);
  // requests in flight keep the one they were sent with. Stops following config.token_file.
  // Throws coconsul::error (errc::invalid_argument) for a token with control characters.
  void set_token(std::string token);

  // Watches (watch.hpp): async generators over blocking queries. Watches of the same thing
  // with the same options share one query. Throw coconsul::error (errc::invalid_argument) for
  // an empty name or control characters.
  service_watch watch_service(std::string name, service_watch_options opts = service_watch_options()) const;
  kv_key_watch watch_key(std::string key, watch_options opts = watch_options()) const;
  kv_prefix_watch watch_prefix(std::string prefix, watch_options opts = watch_options()) const;
  services_watch watch_services(watch_options opts = watch_options()) const;
  checks_watch watch_checks(std::string service, watch_options opts = watch_options()) const;
  connect_roots_watch watch_connect_roots(watch_options opts = watch_options()) const;
  connect_leaf_watch watch_connect_leaf(std::string service, watch_options opts = watch_options()) const;
  // A config entry (empty while there is none) and every entry of a kind.
  config_entry_watch watch_config_entry(std::string kind, std::string name, watch_options opts = watch_options()) const;
  config_entries_watch watch_config_entries(std::string kind, watch_options opts = watch_options()) const;

  client_stats stats() const noexcept;
  const coconsul::config& get_config() const noexcept;
  executor_type get_executor() const noexcept;

  // Fails every pending operation with errc::closed; later operations fail the same way.
  void close();

 private:
  friend struct detail::client_access;
  std::shared_ptr<detail::client_state> state_;
};

}  // namespace coconsul
