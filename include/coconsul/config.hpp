#pragma once
// Client configuration: where the agent is, how to authenticate, TLS, timeouts and limits.
// Lifecycle durations live here with documented defaults, not on every call.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace coconsul {

struct tls_config {
  bool enabled = false;        // https; set by an https:// address or CONSUL_HTTP_SSL=true
  bool verify = true;          // verify the agent's certificate (CONSUL_HTTP_SSL_VERIFY=false turns it off)
  std::string ca_file;         // PEM bundle of trusted CAs (CONSUL_CACERT); empty: the system's
  std::string ca_path;         // directory of trusted CAs (CONSUL_CAPATH)
  std::string cert_file;       // client certificate, PEM (CONSUL_CLIENT_CERT)
  std::string key_file;        // client key, PEM (CONSUL_CLIENT_KEY)
  std::string server_name;     // SNI and the name verified (CONSUL_TLS_SERVER_NAME); default: the host
};

struct timeout_config {
  // Time to establish a connection (TCP, plus the TLS handshake for https).
  std::chrono::milliseconds connect{std::chrono::seconds(5)};
  // Time for a whole non-blocking request, from sending to the last byte of the response.
  std::chrono::milliseconds request{std::chrono::seconds(30)};
  // Added to wait + wait/16 (Consul's jitter) to time out a blocking query.
  std::chrono::milliseconds blocking_margin{std::chrono::seconds(5)};
  // Idle keep-alive connections are closed after this long.
  std::chrono::milliseconds idle{std::chrono::seconds(60)};
};

struct limit_config {
  // A 5,000-instance /v1/health/service response is about 15 MB; leave room above it.
  std::size_t max_body_bytes = 64 * 1024 * 1024;
  std::size_t max_header_bytes = 64 * 1024;
  // Open connections per agent address. Consul agents accept 200 per client address
  // (limits.http_max_conns_per_client) and several processes may share one address.
  std::size_t max_connections = 64;
  // Watches of distinct services that may each hold a blocking query (a connection); beyond
  // this, service watches are refreshed through one health index watch. 0: max_connections / 2.
  std::size_t max_blocking_watches = 0;
};

struct config {
  // host:port, http://host:port, https://host:port or unix:///path/to/socket.
  std::string address = "http://127.0.0.1:8500";
  std::string token;           // sent as X-Consul-Token; never logged or printed
  // A file holding the token (CONSUL_HTTP_TOKEN_FILE). A client reads it when it starts and again
  // whenever it has changed (checked as each request is built), so a rotated token is used without
  // a restart; its non-empty content wins over `token`. An unreadable file fails the client's
  // construction, and later each request, with errc::invalid_config.
  std::string token_file;
  std::string datacenter;      // default dc for requests; empty: the agent's
  std::string namespace_name;  // Enterprise namespace; empty: none sent
  std::string partition;       // Enterprise admin partition; empty: none sent
  tls_config tls;
  timeout_config timeouts;
  limit_config limits;

  // Consul's CLI environment: CONSUL_HTTP_ADDR, CONSUL_HTTP_TOKEN, CONSUL_HTTP_TOKEN_FILE (read
  // now into token, a non-empty file winning over CONSUL_HTTP_TOKEN as in Consul's Go client,
  // and kept in token_file so that a client follows its changes),
  // CONSUL_HTTP_SSL, CONSUL_HTTP_SSL_VERIFY, CONSUL_CACERT, CONSUL_CAPATH, CONSUL_CLIENT_CERT,
  // CONSUL_CLIENT_KEY, CONSUL_TLS_SERVER_NAME, CONSUL_NAMESPACE and CONSUL_PARTITION.
  // Unset variables keep the defaults above. Throws coconsul::error (errc::invalid_config)
  // for a bad boolean, an unreadable token file or an address that does not parse.
  static config from_env();
};

// An agent address, parsed.
struct agent_endpoint {
  enum class kind { tcp, unix_socket };
  kind type = kind::tcp;
  bool tls = false;
  std::string host;        // without brackets for IPv6
  std::uint16_t port = 0;
  std::string socket_path; // for unix://

  // "host:port" as the Host header wants it (brackets around IPv6).
  std::string authority() const;
};

// Parses config.address with config.tls.enabled: "unix://" gives a socket, "https://" or
// tls.enabled gives TLS, a missing port is 80 (http) or 443 (https) as with Consul's Go
// client. After the scheme comes an RFC 3986 authority without user info: a host name, an
// IPv4 address or an IPv6 address in brackets, and an optional port; then at most a "/".
// Throws coconsul::error (errc::invalid_address) saying what is wrong.
agent_endpoint parse_agent_endpoint(std::string_view address, bool tls_enabled = false);

}  // namespace coconsul
