#pragma once
// coconsul::dev_agent_options: how a dev agent listens, names itself, paces its timers and logs.
// A header of its own, so the agent's inner layers take the options without the agent class.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul {

struct dev_agent_options {
  // How much the agent logs (its own scale, named like Consul's -log-level values).
  enum class log_level { trace, debug, info, warn, error, off };
  // Parses "trace", "debug", "info", "warn" (or "warning"), "error" (or "err"), "off",
  // case-insensitively. Throws coconsul::error (errc::invalid_argument) for anything else.
  static log_level parse_log_level(std::string_view text);

  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 0;        // 0: an ephemeral port (see dev_agent::port())
  bool serve_http = true;        // false: no HTTP listener (Consul's ports.http = -1)
  std::string node_name;         // empty: the host name, as Consul does
  std::string node_id;           // empty: a fresh random UUID, as Consul's dev mode makes one
  std::map<std::string, std::string> node_meta;  // the node's Meta (Consul's node_meta / -node-meta)
  std::string datacenter = "dc1";

  // --- how the agent presents itself (the banner, /v1/agent/self, the consul service) ---
  // Consul starts a server in dev mode; these are reported, the agent behaves the same either way.
  bool server = true;
  bool bootstrap = false;
  bool dev_mode = true;
  // Ports Consul would open that this agent does not (reported only; -1: disabled, as in Consul).
  struct reported_ports {
    int https = -1;
    int grpc = 8502;
    int grpc_tls = -1;
    int serf_lan = 8301;
    int serf_wan = 8302;
    int server = 8300;
    int sidecar_min = 21000;
    int sidecar_max = 21255;
    int expose_min = 21500;
    int expose_max = 21755;
  };
  reported_ports ports;

  // --- DNS (Consul's ports.dns and dns_config) ---
  // nullopt: no DNS listener (the library default, so tests do not take 8600); 0: an ephemeral
  // port (see dev_agent::dns_port()); the CLI's default is 8600.
  std::optional<std::uint16_t> dns_port;
  struct dns_settings {
    std::string domain = "consul.";
    bool only_passing = false;
    bool enable_truncate = false;
    unsigned udp_answer_limit = 3;
    unsigned a_record_limit = 0;  // 0: every record
    std::chrono::seconds node_ttl{0};
    // Service name (or a prefix ending in '*') -> TTL; the longest match wins.
    std::map<std::string, std::chrono::seconds> service_ttl;
    bool enable_additional_node_meta_txt = true;
  };
  dns_settings dns;

  // --- Connect's built-in CA (Consul's connect.*; on in dev mode) ---
  struct connect_settings {
    bool enabled = true;
    std::string cluster_id;  // a UUID; empty: a fresh one. The trust domain is <cluster_id>.consul
    std::chrono::seconds leaf_cert_ttl = std::chrono::hours(72);
    std::chrono::seconds root_cert_ttl = std::chrono::hours(24 * 365 * 10);
    std::string private_key_type = "ec";  // "ec" or "rsa"
    int private_key_bits = 256;
    // How long before its signing a leaf becomes valid (Consul's fixed CertificateTimeDriftBuffer,
    // a minute). Tests that use a leaf_cert_ttl of seconds set 0, or their leaves start expired.
    std::chrono::seconds leaf_cert_backdate = std::chrono::minutes(1);
  };
  connect_settings connect;

  // --- ACLs (Consul's acl block; off in dev mode). With `enabled` the agent keeps tokens,
  // policies, roles, auth methods and binding rules and serves /v1/acl/* (docs/acl.md) ---
  struct acl_settings {
    bool enabled = false;
    std::string default_policy = "allow";       // "allow" or "deny"
    std::string down_policy = "extend-cache";  // reported only: this agent is its own server
    bool enable_key_list_policy = false;
    std::chrono::seconds token_ttl{30};   // reported only (no ACL cache here)
    std::chrono::seconds policy_ttl{30};
    std::chrono::seconds role_ttl{30};
    struct token_settings {
      std::string initial_management;  // acl.tokens.initial_management (or master): created at start
      std::string default_token;       // acl.tokens.default: the token of requests that carry none
      std::string agent;
      std::string agent_recovery;      // (or agent_master)
      std::string replication;
    };
    token_settings tokens;
    // The bounds of a token's ExpirationTTL (Consul's fixed ACLTokenMinExpirationTTL and
    // ACLTokenMaxExpirationTTL; shorter for tests of expiry).
    std::chrono::milliseconds token_min_expiration_ttl = std::chrono::minutes(1);
    std::chrono::milliseconds token_max_expiration_ttl = std::chrono::hours(24);
    // Where `acl-bootstrap-reset` is read from (Consul's data_dir); empty: no reset file.
    std::string data_dir;
  };
  acl_settings acl;

  // --- the agent cache: ?cached reads (Consul's http_config.use_cache; false: ?cached is ignored) ---
  bool use_cache = true;

  // --- the web UI at /ui/ (Consul's ui_config.enabled; on in dev mode) ---
  bool ui_enabled = true;

  // --- service and check definitions from config files (Consul's services / checks keys), as
  // the JSON bodies of /v1/agent/service/register and /v1/agent/check/register: registered at
  // start and again by a reload ---
  std::vector<std::string> service_definitions;
  std::vector<std::string> check_definitions;
  // What a reload (PUT /v1/agent/reload, dev_agent::reload()) applies: its service and check
  // definitions replace these (the CLI re-reads its flags and config files). Throws a
  // std::exception saying why the configuration is refused. Empty: a reload changes nothing.
  std::function<dev_agent_options()> reload_source;

  // Consul's fixed values, configurable here so tests run in milliseconds.
  std::chrono::milliseconds reap_interval = std::chrono::seconds(30);        // check_reap_interval
  std::chrono::milliseconds deregister_minimum = std::chrono::minutes(1);    // check_deregister_interval_min
  std::chrono::milliseconds check_min_interval = std::chrono::seconds(1);    // checks.MinInterval
  std::chrono::milliseconds session_ttl_min = std::chrono::seconds(10);      // session_ttl_min

  // What one request and one client may cost the agent's HTTP server (docs/dev-agent.md, "Limits":
  // each bound's reply and Consul's value). A request over a bound is answered and its
  // connection closed; the agent serves everyone else as before.
  struct http_limits {
    // The request line and header fields together: Go's http.Server MaxHeaderBytes (1 MiB, which
    // Consul keeps) plus the 4096 bytes of slack Go allows. Over it: 431.
    std::size_t max_header_bytes = (std::size_t(1) << 20) + 4096;
    // One request's body. Consul's own endpoint limits (KV and txn: 512 KiB) are far below it
    // and answer with their own 413 texts; this catches everything else. Over it: 413.
    std::size_t max_body_bytes = std::size_t(64) << 20;
    // The bodies of every request in flight together, reserved from the header (Content-Length,
    // or max_body_bytes for a chunked body) until the endpoint has handled it. Over it: 503.
    std::size_t max_body_bytes_in_flight = std::size_t(256) << 20;
    // Open connections from one IP address (Consul's limits.http_max_conns_per_client).
    // 0: no cap. Over it: 429 and close.
    std::size_t max_conns_per_client = 200;
    // From a connection's start (or a new request's first byte) until its header is complete.
    // Consul sets none; 0 disables. Over it: the connection is closed.
    std::chrono::milliseconds header_timeout = std::chrono::seconds(30);
    // A keep-alive connection waiting for its next request. Consul sets none; 0 disables.
    // Over it: the connection is closed. Never applies while a request (a blocking query) runs.
    std::chrono::milliseconds idle_timeout = std::chrono::minutes(2);
  };
  http_limits limits;

  // Consul's telemetry interval: how often /v1/agent/metrics/stream sends a summary (fixed at
  // 10 s in Consul; shorter for tests).
  std::chrono::milliseconds metrics_interval = std::chrono::seconds(10);

  // Requests are logged at debug; registrations, check changes and reaping at info.
  log_level level = log_level::warn;
  // Lines as JSON objects (Consul's -log-json: @timestamp, @level, @module, @message).
  bool log_json = false;
  // Receives each formatted log line (without newline). Empty: lines go to std::clog.
  std::function<void(std::string_view line)> log_sink;
};

}  // namespace coconsul
