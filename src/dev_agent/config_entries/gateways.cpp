// ingress-gateway and terminating-gateway: Consul's Normalize (listener protocols default to
// tcp) and Validate for both, and the state store's rule that one name is not both kinds.

#include "dev_agent/config_entries/common_rules.hpp"
#include "dev_agent/config_entries/entry_fields.hpp"
#include "dev_agent/config_entries/hooks.hpp"

#include <set>

namespace coconsul::dev::config_entries {

namespace json = boost::json;

namespace {

// checkGatewayClash.
std::optional<std::string> clash(const kind_context& ctx, std::string_view name, std::string_view self,
                                 std::string_view other) {
  if (!ctx.entries.find(other, name)) return std::nullopt;
  return "cannot create a " + go_quote(self) + " config entry with name " + go_quote(name) + ", a " + go_quote(other) +
         " config entry with that name already exists";
}

bool valid_tls_version(std::string_view v) {
  for (std::string_view ok : {"", "TLS_AUTO", "TLSv1_0", "TLSv1_1", "TLSv1_2", "TLSv1_3"})
    if (v == ok) return true;
  return false;
}

std::optional<std::string> tls_error(const json::object* tls) {
  if (!tls) return std::nullopt;
  for (std::string_view k : {"TLSMinVersion", "TLSMaxVersion"})
    if (!valid_tls_version(str(*tls, k))) return std::string(k) + ": " + go_quote(str(*tls, k)) + " is not a valid TLS version";
  return std::nullopt;
}

// miekg/dns IsDomainName, near enough: labels of at most 63 bytes, 255 in all, no empty label.
bool domain_name(std::string_view h) {
  if (h.empty() || h.size() > 255) return false;
  if (h.ends_with('.')) h.remove_suffix(1);
  std::size_t start = 0;
  while (start <= h.size()) {
    auto dot = h.find('.', start);
    auto label = h.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63) return false;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

std::optional<std::string> host_error(bool tls, std::string_view host) {
  if (host == "*") {
    if (tls)
      return "Host '*' is not allowed when TLS is enabled, all hosts must be valid DNS records to add as a DNSSAN";
    return std::nullopt;
  }
  if (!domain_name(host)) return "Host " + go_quote(host) + " must be a valid DNS hostname";
  std::string_view rest = host.starts_with("*.") ? host.substr(2) : host;
  if (rest.find('*') != std::string_view::npos)
    return "Host " + go_quote(host) + " is not valid, a wildcard specifier is only allowed as the leftmost label";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> normalize_validate_ingress_gateway(json::object& e, const kind_context& ctx) {
  e["Kind"] = "ingress-gateway";
  if (auto* listeners = arr(e, "Listeners"))
    for (auto& l : *listeners) {
      auto& o = l.as_object();
      std::string p = ascii_lower(str(o, "Protocol"));
      o["Protocol"] = p.empty() ? "tcp" : p;
    }

  auto name = str(e, "Name");
  if (name.empty()) return "Name is required";
  if (auto m = meta_error(e)) return m;
  const auto* tls = obj(e, "TLS");
  if (auto err = tls_error(tls)) return err;
  bool tls_enabled = tls && flag(*tls, "Enabled");
  std::set<std::int64_t> ports;
  if (const auto* listeners = arr(e, "Listeners"))
    for (const auto& l : *listeners) {
      const auto& o = l.as_object();
      auto port = integer(o, "Port");
      std::string on = "(listener on port " + std::to_string(port) + ")";
      if (!ports.insert(port).second) return "port " + std::to_string(port) + " declared on two listeners";
      auto protocol = str(o, "Protocol");
      if (!(protocol == "tcp" || http_like(protocol)))
        return "protocol must be 'tcp', 'http', 'http2', or 'grpc'. '" + std::string(protocol) +
               "' is an unsupported protocol";
      std::size_t n = count(o, "Services");
      if (n == 0) return "No service declared for listener with port " + std::to_string(port);
      if (protocol != "http" && n > 1)
        return "Multiple services per listener are only supported for protocol = 'http' " + on;
      if (auto err = tls_error(obj(o, "TLS"))) return err;
      std::set<std::string_view> names;
      std::set<std::string_view> hosts;
      for (const auto& s : o.at("Services").as_array()) {
        const auto& svc = s.as_object();
        auto sname = str(svc, "Name");
        std::size_t nhosts = count(svc, "Hosts");
        if (!http_like(protocol)) {
          if (sname == "*") return "Wildcard service name is only valid for protocol = 'http' " + on;
          if (nhosts) return "Associating hosts to a service is not supported for the " + std::string(protocol) +
                             " protocol " + on;
        }
        if (sname.empty()) return "Service name cannot be blank " + on;
        if (sname == "*" && nhosts) return "Associating hosts to a wildcard service is not supported " + on;
        if (!names.insert(sname).second) return "Service " + std::string(sname) + " cannot be added multiple times " + on;
        if (const auto* hs = arr(svc, "Hosts"))
          for (const auto& h : *hs) {
            std::string_view host = h.as_string();
            if (!hosts.insert(host).second) return "Hosts must be unique within a specific listener " + on;
            if (auto err = host_error(tls_enabled, host)) return err;
          }
      }
    }
  return clash(ctx, name, "ingress-gateway", "terminating-gateway");
}

std::optional<std::string> normalize_validate_terminating_gateway(json::object& e, const kind_context& ctx) {
  e["Kind"] = "terminating-gateway";
  auto name = str(e, "Name");
  if (name.empty()) return "Name is required";
  if (auto m = meta_error(e)) return m;
  std::set<std::string_view> seen;
  if (const auto* services = arr(e, "Services"))
    for (const auto& s : *services) {
      const auto& svc = s.as_object();
      auto sname = str(svc, "Name");
      if (sname.empty()) return "Service name cannot be blank.";
      if (!seen.insert(sname).second)
        return "Service " + go_quote(sname) + " was specified more than once within a namespace";
      bool ca = !str(svc, "CAFile").empty(), cert = !str(svc, "CertFile").empty(), key = !str(svc, "KeyFile").empty();
      if ((cert || key) && !(ca && cert && key))
        return "Service " + go_quote(sname) + " must have a CertFile, CAFile, and KeyFile specified for TLS origination";
    }
  return clash(ctx, name, "terminating-gateway", "ingress-gateway");
}

}  // namespace coconsul::dev::config_entries
