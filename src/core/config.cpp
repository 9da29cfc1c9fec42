// Configuration from Consul's environment variables, and the parsing of agent addresses.
#include <coconsul/config.hpp>
#include <coconsul/error.hpp>

#include "core/text.hpp"

#include <boost/url/authority_view.hpp>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>

namespace coconsul {
namespace {

[[noreturn]] void fail(errc code, std::string message) {
  throw error(make_error_code(code), diagnostics{0, std::move(message)});
}

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

// Go's strconv.ParseBool, which Consul's client uses for these variables.
bool parse_bool(const char* name, const std::string& v) {
  for (const char* t : {"1", "t", "T", "TRUE", "true", "True"})
    if (v == t) return true;
  for (const char* f : {"0", "f", "F", "FALSE", "false", "False"})
    if (v == f) return false;
  fail(errc::invalid_config, std::string(name) + "=" + core::quoted(v) + " is not a boolean (use true or false)");
}

std::string trim(std::string s) {
  const auto* ws = " \t\r\n";
  s.erase(s.find_last_not_of(ws) + 1);
  s.erase(0, s.find_first_not_of(ws));
  return s;
}

// Why Boost.URL rejected an authority, told the way the user wrote it: which part is wrong.
std::string authority_problem(std::string_view a) {
  if (a.starts_with("[")) {
    const auto close = a.find(']');
    if (close == std::string_view::npos) return "unclosed '[' in IPv6 address";
    if (close == 1) return "empty host";
    const auto rest = a.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return "expected ':' after ']'";
    if (!rest.empty() && rest.find_first_not_of("0123456789", 1) != std::string_view::npos)
      return "port " + core::quoted(rest.substr(1)) + " is not a number";
    return core::quoted(a.substr(1, close - 1)) + " is not an IPv6 address";
  }
  const auto colon = a.rfind(':');
  if (colon != std::string_view::npos && a.find(':') != colon) return "an IPv6 address needs brackets, as in [::1]:8500";
  if (colon != std::string_view::npos && a.find_first_not_of("0123456789", colon + 1) != std::string_view::npos)
    return "port " + core::quoted(a.substr(colon + 1)) + " is not a number";
  return "host " + core::quoted(a.substr(0, colon)) + " is not a valid host name or IP address";
}

// Consul's client splits off the scheme itself and takes it as written (case included); the
// authority, host:port with IPv6 in brackets, is parsed by Boost.URL (RFC 3986).
std::optional<agent_endpoint> try_parse_endpoint(std::string_view address, bool tls_enabled, std::string& why) {
  auto bad = [&](std::string text) {
    why = std::move(text);
    return std::nullopt;
  };
  if (address.empty()) return bad("empty address");
  if (core::has_control(address)) return bad("contains control characters");

  agent_endpoint ep;
  ep.tls = tls_enabled;
  if (address.starts_with("unix://")) {
    ep.type = agent_endpoint::kind::unix_socket;
    ep.socket_path = std::string(address.substr(7));  // a file name, taken as it is
    if (ep.socket_path.empty()) return bad("unix:// needs a socket path");
    return ep;
  }
  if (address.starts_with("https://")) {
    ep.tls = true;
    address.remove_prefix(8);
  } else if (address.starts_with("http://")) {
    address.remove_prefix(7);
  } else if (address.find("://") != std::string_view::npos) {
    return bad("unsupported scheme (use http://, https:// or unix://)");
  }
  // A trailing path is tolerated only as "/", as Consul's client ignores nothing else either.
  if (auto slash = address.find('/'); slash != std::string_view::npos) {
    if (address.substr(slash) != "/") return bad("an agent address has no path");
    address = address.substr(0, slash);
  }

  auto parsed = boost::urls::parse_authority(address);
  if (!parsed) return bad(authority_problem(address));
  const boost::urls::authority_view& a = *parsed;
  if (a.has_userinfo()) return bad("an agent address has no user info");
  if (a.host_type() == boost::urls::host_type::ipvfuture)
    return bad(core::quoted(a.encoded_host_address()) + " is not an IPv6 address");
  ep.host = std::string(a.encoded_host_address());  // without the brackets of an IPv6 address
  if (ep.host.empty()) return bad("empty host");
  if (!a.has_port()) {
    ep.port = ep.tls ? 443 : 80;
    return ep;
  }
  const std::string_view port_text = a.port();  // digits only: Boost.URL checked the grammar
  if (port_text.empty()) return bad("empty port");
  unsigned long p = 0;
  for (char ch : port_text) {
    p = p * 10 + static_cast<unsigned long>(ch - '0');
    if (p > 65535) return bad("port " + std::string(port_text) + " is out of range");
  }
  if (p == 0) return bad("port 0");
  ep.port = static_cast<std::uint16_t>(p);
  return ep;
}

}  // namespace

config config::from_env() {
  config c;
  if (auto v = env("CONSUL_HTTP_ADDR")) c.address = *v;
  if (auto v = env("CONSUL_HTTP_TOKEN")) c.token = *v;
  if (auto path = env("CONSUL_HTTP_TOKEN_FILE")) {
    std::ifstream in(*path, std::ios::binary);
    if (!in) fail(errc::invalid_config, "CONSUL_HTTP_TOKEN_FILE: cannot read " + core::quoted(*path));
    std::ostringstream content;
    content << in.rdbuf();
    if (auto t = trim(content.str()); !t.empty()) c.token = std::move(t);
    c.token_file = *path;
  }
  if (auto v = env("CONSUL_HTTP_SSL")) c.tls.enabled = parse_bool("CONSUL_HTTP_SSL", *v);
  if (auto v = env("CONSUL_HTTP_SSL_VERIFY")) c.tls.verify = parse_bool("CONSUL_HTTP_SSL_VERIFY", *v);
  if (auto v = env("CONSUL_CACERT")) c.tls.ca_file = *v;
  if (auto v = env("CONSUL_CAPATH")) c.tls.ca_path = *v;
  if (auto v = env("CONSUL_CLIENT_CERT")) c.tls.cert_file = *v;
  if (auto v = env("CONSUL_CLIENT_KEY")) c.tls.key_file = *v;
  if (auto v = env("CONSUL_TLS_SERVER_NAME")) c.tls.server_name = *v;
  if (auto v = env("CONSUL_NAMESPACE")) c.namespace_name = *v;
  if (auto v = env("CONSUL_PARTITION")) c.partition = *v;
  if (core::has_control(c.token)) fail(errc::invalid_config, "the Consul token contains control characters");
  if (std::string why; !try_parse_endpoint(c.address, c.tls.enabled, why))
    fail(errc::invalid_config, "CONSUL_HTTP_ADDR: " + core::quoted(c.address) + ": " + why);
  return c;
}

std::string agent_endpoint::authority() const {
  if (type == kind::unix_socket) return "localhost";
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return h + ":" + std::to_string(port);
}

agent_endpoint parse_agent_endpoint(std::string_view address, bool tls_enabled) {
  std::string why;
  auto ep = try_parse_endpoint(address, tls_enabled, why);
  if (!ep) fail(errc::invalid_address, core::quoted(address) + ": " + why);
  return *std::move(ep);
}

}  // namespace coconsul
