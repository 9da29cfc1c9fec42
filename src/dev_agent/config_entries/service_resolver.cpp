// service-resolver: Consul's ServiceResolverConfigEntry Validate (subsets, redirect, failover,
// timeout, load balancer). The chains it changes are compiled after the ACL check (kinds.hpp
// check_write).

#include "dev_agent/config_entries/common_rules.hpp"
#include "dev_agent/config_entries/entry_fields.hpp"
#include "dev_agent/config_entries/hooks.hpp"

#include <coconsul/duration.hpp>

#include <algorithm>
#include <vector>

namespace coconsul::dev::config_entries {

namespace json = boost::json;

namespace {

// validateServiceSubset: a DNS label of lower-case letters, digits and '-'.
std::optional<std::string> subset_name_error(std::string_view s) {
  if (s.size() > 63) return "must be 63 characters or less";
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  bool ok = !s.empty() && alnum(s.front()) && alnum(s.back()) &&
            std::all_of(s.begin(), s.end(), [&](char c) { return alnum(c) || c == '-'; });
  if (!ok)
    return "must be 63 characters or less and must begin or end with lower case alphanumeric characters, and "
           "contain lower case alphanumeric characters or '-' in between";
  return std::nullopt;
}

std::vector<std::string_view> sorted_keys(const json::object* o) {
  std::vector<std::string_view> keys;
  if (o)
    for (const auto& [k, v] : *o) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::optional<std::string> redirect_error(const json::object& r, std::string_view name, bool has_failover,
                                          const auto& is_subset) {
  auto peer = str(r, "Peer");
  auto dc = str(r, "Datacenter");
  auto service = str(r, "Service");
  auto subset = str(r, "ServiceSubset");
  if (has_failover) return "Redirect and Failover cannot both be set";
  if (service.empty() && subset.empty() && str(r, "Namespace").empty() && str(r, "Partition").empty() &&
      dc.empty() && peer.empty())
    return "Redirect is empty";
  if (!peer.empty() && !subset.empty()) return "Redirect.Peer cannot be set with Redirect.ServiceSubset";
  if (!peer.empty() && !str(r, "Partition").empty()) return "Redirect.Partition cannot be set with Redirect.Peer";
  if (!peer.empty() && !dc.empty()) return "Redirect.Peer cannot be set with Redirect.Datacenter";
  if (service.empty()) {
    if (!subset.empty()) return "Redirect.ServiceSubset defined without Redirect.Service";
    if (!str(r, "Namespace").empty()) return "Redirect.Namespace defined without Redirect.Service";
    if (!str(r, "Partition").empty()) return "Redirect.Partition defined without Redirect.Service";
    if (!peer.empty()) return "Redirect.Peer defined without Redirect.Service";
  } else if (!subset.empty() && service == name && !is_subset(subset)) {
    return "Redirect.ServiceSubset " + go_quote(subset) + " is not a valid subset of " + go_quote(name);
  }
  return std::nullopt;
}

std::optional<std::string> failover_error(std::string_view subset, const json::object& f, std::string_view name,
                                          const auto& is_subset) {
  std::string at = "Bad Failover[" + go_quote(subset) + "]";
  if (subset != "*" && !is_subset(subset)) return at + ": not a valid subset subset";  // sic, Consul's text
  auto service = str(f, "Service");
  auto service_subset = str(f, "ServiceSubset");
  std::size_t targets = count(f, "Targets");
  std::size_t dcs = count(f, "Datacenters");
  if (service.empty() && service_subset.empty() && str(f, "Namespace").empty() && targets == 0 && dcs == 0)
    return at + ": one of Service, ServiceSubset, Namespace, Targets, or Datacenters is required";
  // Consul names the failover's Service here, "" when it is the resolver's own.
  if (!service_subset.empty() && (service.empty() || service == name) && !is_subset(service_subset))
    return at + ": ServiceSubset " + go_quote(service_subset) + " is not a valid subset of " + go_quote(service);
  if (dcs && targets) return at + ": Targets cannot be set with Datacenters";
  if (!service_subset.empty() && targets) return at + ": Targets cannot be set with ServiceSubset";
  if (!service.empty() && targets) return at + ": Targets cannot be set with Service";
  if (const auto* ts = arr(f, "Targets"))
    for (std::size_t i = 0; i < ts->size(); ++i) {
      const auto& t = (*ts)[i].as_object();
      std::string prefix = at + ".Targets[" + std::to_string(i) + "]: ";
      auto peer = str(t, "Peer");
      auto part = str(t, "Partition");
      auto dc = str(t, "Datacenter");
      auto ts_subset = str(t, "ServiceSubset");
      auto ts_service = str(t, "Service");
      if (!peer.empty() && !ts_subset.empty()) return prefix + "Peer cannot be set with ServiceSubset";
      if (!peer.empty() && !part.empty()) return prefix + "Partition cannot be set with Peer";
      if (!peer.empty() && !dc.empty()) return prefix + "Peer cannot be set with Datacenter";
      if (!part.empty() && !dc.empty()) return prefix + "Partition cannot be set with Datacenter";
      if (!ts_subset.empty() && (ts_service.empty() || ts_service == name) && !is_subset(ts_subset))
        return prefix + "ServiceSubset " + go_quote(ts_subset) + " is not a valid subset of " + go_quote(name);
    }
  if (const auto* list = arr(f, "Datacenters"))
    for (const auto& dc : *list)
      if (dc.as_string().empty()) return at + ".Datacenters: found empty datacenter";
  return std::nullopt;
}

std::optional<std::string> load_balancer_error(const json::object& lb) {
  auto policy = str(lb, "Policy");
  bool known = false;
  for (std::string_view p : {"", "random", "round_robin", "least_request", "ring_hash", "maglev"})
    known = known || policy == p;
  if (!known) return "Bad LoadBalancer policy: " + go_quote(policy) + " is not supported";
  if (policy != "ring_hash" && has(lb, "RingHashConfig"))
    return "Bad LoadBalancer configuration. RingHashConfig specified for incompatible load balancing policy " +
           go_quote(policy);
  if (policy != "least_request" && has(lb, "LeastRequestConfig"))
    return "Bad LoadBalancer configuration. LeastRequestConfig specified for incompatible load balancing policy " +
           go_quote(policy);
  bool hash_based = policy == "ring_hash" || policy == "maglev";
  if (!hash_based && count(lb, "HashPolicies"))
    return "Bad LoadBalancer configuration: HashPolicies specified for non-hash-based Policy: " + go_quote(policy);
  if (const auto* policies = arr(lb, "HashPolicies"))
    for (std::size_t i = 0; i < policies->size(); ++i) {
      const auto& hp = (*policies)[i].as_object();
      auto field = str(hp, "Field");
      auto value = str(hp, "FieldValue");
      std::string at = "Bad LoadBalancer HashPolicy[" + std::to_string(i) + "]: ";
      if (!(field.empty() || field == "header" || field == "cookie" || field == "query_parameter"))
        return at + go_quote(field) + " is not a supported field";
      if (flag(hp, "SourceIP") && !field.empty())
        return at + "A single hash policy cannot hash both a source address and a " + go_quote(field);
      if (flag(hp, "SourceIP") && !value.empty()) return at + "A FieldValue cannot be specified when hashing SourceIP";
      if (!field.empty() && value.empty()) return at + "Field " + go_quote(field) + " was specified without a FieldValue";
      if (!value.empty() && field.empty()) return at + "FieldValue requires a Field to apply to";
      if (const auto* cookie = obj(hp, "CookieConfig")) {
        if (field != "cookie") return at + "cookie_config provided for " + go_quote(field);
        if (flag(*cookie, "Session") && duration_of(*cookie, "TTL").count() != 0)
          return at + "a session cookie cannot have an associated TTL";
      }
    }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> normalize_validate_service_resolver(json::object& e, const kind_context&) {
  e["Kind"] = "service-resolver";
  std::string name(str(e, "Name"));
  if (name.empty()) return "Name is required";
  if (auto m = meta_error(e)) return m;
  const auto* subsets = obj(e, "Subsets");
  for (auto s : sorted_keys(subsets)) {
    if (s.empty()) return "Subset defined with empty name";
    if (auto err = subset_name_error(s)) return "Subset " + go_quote(s) + " is invalid: " + *err;
  }
  auto is_subset = [&](std::string_view s) { return subsets && subsets->contains(s); };
  if (auto d = str(e, "DefaultSubset"); !d.empty() && !is_subset(d))
    return "DefaultSubset " + go_quote(d) + " is not a valid subset";
  const auto* failover = obj(e, "Failover");
  if (const auto* r = obj(e, "Redirect"))
    if (auto err = redirect_error(*r, name, failover && !failover->empty(), is_subset)) return err;
  for (auto s : sorted_keys(failover))
    if (auto err = failover_error(s, failover->at(s).as_object(), name, is_subset)) return err;
  if (auto t = duration_of(e, "ConnectTimeout"); t.count() < 0)
    return "Bad ConnectTimeout '" + format_duration(t) + "', must be >= 0";
  if (const auto* lb = obj(e, "LoadBalancer"))
    if (auto err = load_balancer_error(*lb)) return err;
  return std::nullopt;  // the chain checks run after the ACL check (kinds.hpp check_write)
}

}  // namespace coconsul::dev::config_entries
