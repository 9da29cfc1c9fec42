#include <coconsul/config.hpp>
#include <coconsul/error.hpp>

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
  fail(errc::invalid_config, std::string(name) + "=\"" + v + "\" is not a boolean (use true or false)");
}

std::string trim(std::string s) {
  const auto* ws = " \t\r\n";
  s.erase(s.find_last_not_of(ws) + 1);
  s.erase(0, s.find_first_not_of(ws));
  return s;
}

bool has_control(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

}  // namespace

config config::from_env() {
  config c;
  if (auto v = env("CONSUL_HTTP_ADDR")) c.address = *v;
  if (auto v = env("CONSUL_HTTP_TOKEN")) c.token = *v;
  if (auto path = env("CONSUL_HTTP_TOKEN_FILE")) {
    std::ifstream in(*path, std::ios::binary);
    if (!in) fail(errc::invalid_config, "CONSUL_HTTP_TOKEN_FILE: cannot read \"" + *path + "\"");
    std::ostringstream content;
    content << in.rdbuf();
    if (auto t = trim(content.str()); !t.empty()) c.token = std::move(t);
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
  if (has_control(c.token)) fail(errc::invalid_config, "the Consul token contains control characters");
  try {
    (void)parse_agent_endpoint(c.address, c.tls.enabled);
  } catch (const error& e) {
    fail(errc::invalid_config, "CONSUL_HTTP_ADDR: " + e.message());
  }
  return c;
}

std::string agent_endpoint::authority() const {
  if (type == kind::unix_socket) return "localhost";
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return h + ":" + std::to_string(port);
}

agent_endpoint parse_agent_endpoint(std::string_view address, bool tls_enabled) {
  const std::string original(address);
  auto bad = [&](const std::string& why) { fail(errc::invalid_address, "\"" + original + "\": " + why); };
  if (address.empty()) bad("empty address");
  if (has_control(address)) bad("contains control characters");

  agent_endpoint ep;
  ep.tls = tls_enabled;
  if (address.starts_with("unix://")) {
    ep.type = agent_endpoint::kind::unix_socket;
    ep.socket_path = std::string(address.substr(7));
    if (ep.socket_path.empty()) bad("unix:// needs a socket path");
    return ep;
  }
  if (address.starts_with("https://")) {
    ep.tls = true;
    address.remove_prefix(8);
  } else if (address.starts_with("http://")) {
    address.remove_prefix(7);
  } else if (address.find("://") != std::string_view::npos) {
    bad("unsupported scheme (use http://, https:// or unix://)");
  }
  // A trailing path is tolerated only as "/", as Consul's client ignores nothing else either.
  if (auto slash = address.find('/'); slash != std::string_view::npos) {
    if (address.substr(slash) != "/") bad("an agent address has no path");
    address = address.substr(0, slash);
  }
  std::string_view port_text;
  if (address.starts_with("[")) {
    auto close = address.find(']');
    if (close == std::string_view::npos) bad("unclosed '[' in IPv6 address");
    ep.host = std::string(address.substr(1, close - 1));
    auto rest = address.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') bad("expected ':' after ']'");
      port_text = rest.substr(1);
      if (port_text.empty()) bad("empty port");
    }
  } else {
    auto colon = address.rfind(':');
    if (colon != std::string_view::npos) {
      if (address.find(':') != colon) bad("an IPv6 address needs brackets, as in [::1]:8500");
      ep.host = std::string(address.substr(0, colon));
      port_text = address.substr(colon + 1);
      if (port_text.empty()) bad("empty port");
    } else {
      ep.host = std::string(address);
    }
  }
  if (ep.host.empty()) bad("empty host");
  if (port_text.empty()) {
    ep.port = ep.tls ? 443 : 80;
  } else {
    unsigned long p = 0;
    for (char ch : port_text) {
      if (ch < '0' || ch > '9') bad("port \"" + std::string(port_text) + "\" is not a number");
      p = p * 10 + static_cast<unsigned long>(ch - '0');
      if (p > 65535) bad("port " + std::string(port_text) + " is out of range");
    }
    if (p == 0) bad("port 0");
    ep.port = static_cast<std::uint16_t>(p);
  }
  return ep;
}

}  // namespace coconsul
