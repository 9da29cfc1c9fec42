// service-defaults (Consul's ServiceConfigEntry Normalize and Validate) and proxy-defaults
// (ProxyConfigEntry), the two kinds a service's protocol and proxy settings come from.

#include "core/json_parse.hpp"
#include "dev_agent/config_entries/common_rules.hpp"
#include "dev_agent/config_entries/entry_fields.hpp"
#include "dev_agent/config_entries/hooks.hpp"

#include <boost/asio/ip/address.hpp>

#include <set>

namespace coconsul::dev::config_entries {

namespace json = boost::json;

namespace {

// UpstreamConfig.Normalize: the protocol lower-cased, ConnectTimeoutMs 5000 unless set.
void normalize_upstream(json::object& u) {
  if (has(u, "Protocol")) u["Protocol"] = ascii_lower(str(u, "Protocol"));
  if (integer(u, "ConnectTimeoutMs") < 1) u["ConnectTimeoutMs"] = 5000;
}

// UpstreamConfig.validate: named for overrides, unnamed for the defaults.
void check_upstream(const json::object& u, bool named, multi_error& out) {
  if (named) {
    if (str(u, "Name").empty()) {
      out.add("Name is required");
      return;
    }
    if (str(u, "Name") == "*") {
      out.add("Wildcard name is not supported");
      return;
    }
  } else if (!str(u, "Name").empty()) {
    out.add("Name must be empty");
    return;
  }
  if (integer(u, "ConnectTimeoutMs") < 0) out.add("ConnectTimeoutMs must be >= 0");
  if (const auto* l = obj(u, "Limits")) {
    for (std::string_view k : {"MaxConnections", "MaxPendingRequests", "MaxConcurrentRequests"})
      if (has(*l, k) && integer(*l, k) < 0) out.add(std::string(k) + " must be >= 0");
  }
  if (const auto* p = obj(u, "PassiveHealthCheck"))
    if (duration_of(*p, "Interval").count() < 0) out.add("passive health check interval cannot be negative");
  if (!valid_connection_balance(str(u, "BalanceOutboundConnections")))
    out.add("invalid value for balance_outbound_connections: " + std::string(str(u, "BalanceOutboundConnections")));
}

std::string joined(const multi_error& e) {
  // An inner multierror nested in an outer one prints its own list.
  return e.text();
}

// validateEndpointAddress: an IP address, or a DNS name (miekg/dns IsDomainName: labels of 1 to
// 63 bytes, 255 in all) without '*'.
bool valid_endpoint_address(std::string_view a) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(std::string(a), ec);
  if (!ec) return true;
  if (a.empty() || a.size() > 255 || a.find('*') != std::string_view::npos) return false;
  if (a.ends_with('.')) a.remove_suffix(1);
  std::size_t start = 0;
  while (true) {
    auto dot = a.find('.', start);
    auto label = a.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

}  // namespace

std::optional<std::string> normalize_validate_service_defaults(json::object& e, const kind_context&) {
  e["Kind"] = "service-defaults";
  e["Protocol"] = ascii_lower(str(e, "Protocol"));
  if (auto* up = obj(e, "UpstreamConfig")) {
    if (auto* overrides = arr(*up, "Overrides"))
      for (auto& o : *overrides)
        if (o.is_object()) normalize_upstream(o.get_object());
    if (auto* d = obj(*up, "Defaults")) normalize_upstream(*d);
  }

  const std::string name(str(e, "Name"));
  if (name.empty()) return "Name is required";
  if (name == "*") return "service-defaults name must be the name of a service, and not a wildcard";
  multi_error errors;
  check_meta(e, errors);
  if (!valid_connection_balance(str(e, "BalanceInboundConnections")))
    errors.add("invalid value for balance_inbound_connections: " + std::string(str(e, "BalanceInboundConnections")));
  const auto* up = obj(e, "UpstreamConfig");
  const auto* dest = obj(e, "Destination");
  if (up && dest) {
    errors.add("UpstreamConfig and Destination are mutually exclusive for service defaults");
    return errors.text();
  }
  if (up) {
    if (const auto* overrides = arr(*up, "Overrides"))
      for (const auto& o : *overrides) {
        if (!o.is_object()) continue;
        multi_error inner;
        check_upstream(o.get_object(), true, inner);
        if (!inner.empty())
          errors.add("error in upstream override for " + std::string(str(o.get_object(), "Name")) + ": " + joined(inner));
      }
    if (const auto* d = obj(*up, "Defaults")) {
      multi_error inner;
      check_upstream(*d, false, inner);
      if (!inner.empty()) errors.add("error in upstream defaults: " + joined(inner));
    }
  }
  if (dest) {
    const auto* addresses = arr(*dest, "Addresses");
    if (!addresses || addresses->empty()) errors.add("Destination must contain at least one valid address");
    std::set<std::string> seen;
    if (addresses)
      for (const auto& a : *addresses) {
        std::string s = a.is_string() ? std::string(a.get_string()) : std::string();
        if (!seen.insert(s).second) {
          errors.add("Duplicate address '" + s + "' is not allowed");
          continue;
        }
        if (!valid_endpoint_address(s))
          errors.add("Destination address '" + s + "' is invalid Could not validate address " + s +
                     " as an IP or Hostname");
      }
    auto port = integer(*dest, "Port");
    if (port < 1 || port > 65535) errors.add("Invalid Port number " + std::to_string(port));
  }
  if (!errors.empty()) return errors.text();
  return std::nullopt;  // the chain checks run after the ACL check (kinds.hpp check_write)
}

// --- proxy-defaults ---

namespace {
std::optional<std::string> access_logs_error(const json::object* a) {
  if (!a) return std::nullopt;
  auto type = str(*a, "Type");
  if (!(type.empty() || type == "file" || type == "stderr" || type == "stdout"))
    return "invalid access log type: " + std::string(type);
  if (!str(*a, "JSONFormat").empty() && !str(*a, "TextFormat").empty())
    return "cannot specify both access log JSONFormat and TextFormat";
  if (type != "file" && !str(*a, "Path").empty()) return "path is only valid for file type access logs";
  if (type == "file" && str(*a, "Path").empty()) return "path must be specified when using file type access logs";
  if (auto f = str(*a, "JSONFormat"); !f.empty()) {
    boost::system::error_code ec;
    core::parse_json(f, ec);
    if (ec) return "invalid access log json for JSON format: " + ec.message();
  }
  return std::nullopt;
}
}  // namespace

std::optional<std::string> normalize_validate_proxy_defaults(json::object& e, const kind_context&) {
  e["Kind"] = "proxy-defaults";
  // Normalize and Validate both refuse another name (delete does not call Validate).
  auto name = str(e, "Name");
  if (!name.empty() && name != "global")
    return "invalid name (" + go_quote(name) + "), only \"global\" is supported";
  e["Name"] = "global";
  if (auto a = access_logs_error(obj(e, "AccessLogs"))) return a;
  if (auto m = meta_error(e)) return m;
  return std::nullopt;  // the chain checks run after the ACL check (kinds.hpp check_write)
}

}  // namespace coconsul::dev::config_entries
