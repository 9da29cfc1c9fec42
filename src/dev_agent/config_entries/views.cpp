// The typed views of the discovery chain kinds (service_defaults.hpp, service_router.hpp,
// service_splitter.hpp, service_resolver.hpp), read from stored entries.

#include "dev_agent/config_entries/entry_fields.hpp"
#include "dev_agent/config_entries/service_defaults.hpp"
#include "dev_agent/config_entries/service_resolver.hpp"
#include "dev_agent/config_entries/service_router.hpp"
#include "dev_agent/config_entries/service_splitter.hpp"

namespace coconsul::dev::config_entries {

namespace json = boost::json;

namespace {

std::string s(const json::object& o, std::string_view k) { return std::string(str(o, k)); }

std::map<std::string, std::string> string_map(const json::object& o, std::string_view k) {
  std::map<std::string, std::string> out;
  if (const auto* m = obj(o, k))
    for (const auto& [key, v] : *m)
      if (v.is_string()) out.emplace(key, v.get_string());
  return out;
}

std::vector<std::string> strings(const json::object& o, std::string_view k) {
  std::vector<std::string> out;
  if (const auto* a = arr(o, k))
    for (const auto& v : *a)
      if (v.is_string()) out.emplace_back(v.get_string());
  return out;
}

template <class F>
void each_object(const json::object& o, std::string_view k, F f) {
  if (const auto* a = arr(o, k))
    for (const auto& v : *a)
      if (v.is_object()) f(v.get_object());
}

mesh_gateway_config mesh_gateway(const json::object& o) {
  const auto* m = obj(o, "MeshGateway");
  return {m ? s(*m, "Mode") : std::string()};
}

std::optional<header_modifiers> headers(const json::object& o, std::string_view k) {
  const auto* h = obj(o, k);
  if (!h) return std::nullopt;
  return header_modifiers{string_map(*h, "Add"), string_map(*h, "Set"), strings(*h, "Remove")};
}

}  // namespace

service_defaults read_service_defaults(const json::object& e) {
  service_defaults d;
  d.name = s(e, "Name");
  d.protocol = s(e, "Protocol");
  d.mode = s(e, "Mode");
  d.mesh_gateway = mesh_gateway(e);
  if (const auto* t = obj(e, "TransparentProxy")) {
    d.outbound_listener_port = static_cast<int>(integer(*t, "OutboundListenerPort"));
    d.dialed_directly = flag(*t, "DialedDirectly");
  }
  d.external_sni = s(e, "ExternalSNI");
  d.meta = string_map(e, "Meta");
  return d;
}

proxy_defaults read_proxy_defaults(const json::object& e) {
  proxy_defaults d;
  d.name = s(e, "Name");
  if (const auto* c = obj(e, "Config")) {
    d.config = *c;
    if (const auto* p = c->if_contains("protocol"); p && p->is_string()) d.protocol = ascii_lower(p->get_string());
  }
  d.mode = s(e, "Mode");
  d.mesh_gateway = mesh_gateway(e);
  if (const auto* t = obj(e, "TransparentProxy")) d.dialed_directly = flag(*t, "DialedDirectly");
  d.meta = string_map(e, "Meta");
  return d;
}

service_router read_service_router(const json::object& e) {
  service_router r;
  r.name = s(e, "Name");
  each_object(e, "Routes", [&](const json::object& ro) {
    service_route route;
    if (const auto* m = obj(ro, "Match"))
      if (const auto* h = obj(*m, "HTTP")) {
        route_http_match hm;
        hm.path_exact = s(*h, "PathExact");
        hm.path_prefix = s(*h, "PathPrefix");
        hm.path_regex = s(*h, "PathRegex");
        each_object(*h, "Header", [&](const json::object& x) {
          hm.header.push_back({s(x, "Name"), flag(x, "Present"), s(x, "Exact"), s(x, "Prefix"), s(x, "Suffix"),
                               s(x, "Regex"), flag(x, "Invert")});
        });
        each_object(*h, "QueryParam", [&](const json::object& x) {
          hm.query_param.push_back({s(x, "Name"), flag(x, "Present"), s(x, "Exact"), s(x, "Regex")});
        });
        hm.methods = strings(*h, "Methods");
        route.match = std::move(hm);
      }
    if (const auto* d = obj(ro, "Destination")) {
      route_destination rd;
      rd.service = s(*d, "Service");
      rd.service_subset = s(*d, "ServiceSubset");
      rd.namespace_ = s(*d, "Namespace");
      rd.partition = s(*d, "Partition");
      rd.prefix_rewrite = s(*d, "PrefixRewrite");
      rd.request_timeout = duration_of(*d, "RequestTimeout");
      rd.idle_timeout = duration_of(*d, "IdleTimeout");
      rd.num_retries = static_cast<std::uint32_t>(integer(*d, "NumRetries"));
      rd.retry_on_connect_failure = flag(*d, "RetryOnConnectFailure");
      if (const auto* codes = arr(*d, "RetryOnStatusCodes"))
        for (const auto& v : *codes)
          if (v.is_number()) rd.retry_on_status_codes.push_back(v.to_number<std::uint32_t>());
      rd.retry_on = strings(*d, "RetryOn");
      rd.request_headers = headers(*d, "RequestHeaders");
      rd.response_headers = headers(*d, "ResponseHeaders");
      route.destination = std::move(rd);
    }
    r.routes.push_back(std::move(route));
  });
  r.meta = string_map(e, "Meta");
  return r;
}

service_splitter read_service_splitter(const json::object& e) {
  service_splitter sp;
  sp.name = s(e, "Name");
  each_object(e, "Splits", [&](const json::object& o) {
    sp.splits.push_back({number(o, "Weight"), s(o, "Service"), s(o, "ServiceSubset"), s(o, "Namespace"),
                         s(o, "Partition"), headers(o, "RequestHeaders"), headers(o, "ResponseHeaders")});
  });
  sp.meta = string_map(e, "Meta");
  return sp;
}

service_resolver read_service_resolver(const json::object& e) {
  service_resolver r;
  r.name = s(e, "Name");
  r.default_subset = s(e, "DefaultSubset");
  if (const auto* subsets = obj(e, "Subsets"))
    for (const auto& [k, v] : *subsets)
      if (v.is_object()) r.subsets.emplace(k, resolver_subset{s(v.get_object(), "Filter"), flag(v.get_object(), "OnlyPassing")});
  if (const auto* d = obj(e, "Redirect"))
    r.redirect = resolver_redirect{s(*d, "Service"), s(*d, "ServiceSubset"), s(*d, "Namespace"),
                                   s(*d, "Partition"), s(*d, "Datacenter"), s(*d, "Peer")};
  if (const auto* failover = obj(e, "Failover"))
    for (const auto& [k, v] : *failover) {
      if (!v.is_object()) continue;
      const auto& f = v.get_object();
      resolver_failover rf{s(f, "Service"), s(f, "ServiceSubset"), s(f, "Namespace"), strings(f, "Datacenters"), {}};
      each_object(f, "Targets", [&](const json::object& t) {
        rf.targets.push_back({s(t, "Service"), s(t, "ServiceSubset"), s(t, "Partition"), s(t, "Namespace"),
                              s(t, "Datacenter"), s(t, "Peer")});
      });
      r.failover.emplace(k, std::move(rf));
    }
  r.connect_timeout = duration_of(e, "ConnectTimeout");
  if (const auto* lb = obj(e, "LoadBalancer")) {
    load_balancer l;
    l.policy = s(*lb, "Policy");
    if (const auto* rh = obj(*lb, "RingHashConfig")) {
      l.ring_hash_minimum = static_cast<std::uint64_t>(integer(*rh, "MinimumRingSize"));
      l.ring_hash_maximum = static_cast<std::uint64_t>(integer(*rh, "MaximumRingSize"));
    }
    if (const auto* lr = obj(*lb, "LeastRequestConfig"))
      l.least_request_choice_count = static_cast<std::uint32_t>(integer(*lr, "ChoiceCount"));
    each_object(*lb, "HashPolicies", [&](const json::object& h) {
      hash_policy hp{s(h, "Field"), s(h, "FieldValue"), std::nullopt, flag(h, "SourceIP"), flag(h, "Terminal")};
      if (const auto* c = obj(h, "CookieConfig"))
        hp.cookie = cookie_config{flag(*c, "Session"), duration_of(*c, "TTL"), s(*c, "Path")};
      l.hash_policies.push_back(std::move(hp));
    });
    r.lb = std::move(l);
  }
  r.meta = string_map(e, "Meta");
  return r;
}

}  // namespace coconsul::dev::config_entries
