// service-router: Consul's ServiceRouterConfigEntry Normalize (methods upper-cased) and
// Validate. The chains it changes are compiled after the ACL check (kinds.hpp check_write).

#include "dev_agent/config_entries/common_rules.hpp"
#include "dev_agent/config_entries/entry_fields.hpp"
#include "dev_agent/config_entries/hooks.hpp"

#include <set>

namespace coconsul::dev::config_entries {

namespace json = boost::json;

namespace {

bool valid_method(std::string_view m) {
  for (std::string_view v : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE"})
    if (m == v) return true;
  return false;
}

bool valid_retry_condition(std::string_view r) {
  for (std::string_view v : {"5xx", "gateway-error", "reset", "connect-failure", "envoy-ratelimited", "retriable-4xx",
                             "refused-stream", "cancelled", "deadline-exceeded", "internal", "resource-exhausted",
                             "unavailable"})
    if (r == v) return true;
  return false;
}

std::optional<std::string> check_match(const json::object& m, const std::string& route, bool& rewritable) {
  int parts = 0;
  if (auto p = str(m, "PathExact"); !p.empty()) {
    rewritable = true;
    ++parts;
    if (!p.starts_with('/')) return route + " PathExact doesn't start with '/': " + go_quote(p);
  }
  if (auto p = str(m, "PathPrefix"); !p.empty()) {
    rewritable = true;
    ++parts;
    if (!p.starts_with('/')) return route + " PathPrefix doesn't start with '/': " + go_quote(p);
  }
  if (!str(m, "PathRegex").empty()) ++parts;
  if (parts > 1) return route + " should only contain at most one of PathExact, PathPrefix, or PathRegex";
  if (const auto* headers = arr(m, "Header"))
    for (std::size_t j = 0; j < headers->size(); ++j) {
      const auto& h = (*headers)[j].as_object();
      std::string at = route + " Header[" + std::to_string(j) + "]";
      if (str(h, "Name").empty()) return at + " missing required Name field";
      int n = flag(h, "Present") + !str(h, "Exact").empty() + !str(h, "Regex").empty() + !str(h, "Prefix").empty() +
              !str(h, "Suffix").empty();
      if (n != 1) return at + " should only contain one of Present, Exact, Prefix, Suffix, or Regex";
    }
  if (const auto* params = arr(m, "QueryParam"))
    for (std::size_t j = 0; j < params->size(); ++j) {
      const auto& q = (*params)[j].as_object();
      std::string at = route + " QueryParam[" + std::to_string(j) + "]";
      if (str(q, "Name").empty()) return at + " missing required Name field";
      int n = flag(q, "Present") + !str(q, "Exact").empty() + !str(q, "Regex").empty();
      if (n != 1) return at + " should only contain one of Present, Exact, or Regex";
    }
  if (const auto* methods = arr(m, "Methods")) {
    std::set<std::string_view> seen;
    for (const auto& v : *methods) {
      std::string_view method = v.as_string();
      if (!valid_method(method)) return route + " Methods contains an invalid method " + go_quote(method);
      if (!seen.insert(method).second) return route + " Methods contains " + go_quote(method) + " more than once";
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> normalize_validate_service_router(json::object& e, const kind_context&) {
  e["Kind"] = "service-router";
  if (auto* routes = arr(e, "Routes"))
    for (auto& r : *routes)
      if (auto* m = obj(r.as_object(), "Match"))
        if (auto* http = obj(*m, "HTTP"))
          if (auto* methods = arr(*http, "Methods"))
            for (auto& v : *methods) v = json::string(ascii_upper(v.as_string()));

  if (str(e, "Name").empty()) return "Name is required";
  if (auto m = meta_error(e)) return m;
  if (const auto* routes = arr(e, "Routes"))
    for (std::size_t i = 0; i < routes->size(); ++i) {
      const auto& r = (*routes)[i].as_object();
      std::string route = "Route[" + std::to_string(i) + "]";
      bool rewritable = false;
      if (const auto* m = obj(r, "Match"))
        if (const auto* http = obj(*m, "HTTP"))
          if (auto err = check_match(*http, route, rewritable)) return err;
      if (const auto* d = obj(r, "Destination")) {
        if (!str(*d, "PrefixRewrite").empty() && !rewritable)
          return route + " cannot make use of PrefixRewrite without configuring either PathExact or PathPrefix";
        if (const auto* retry = arr(*d, "RetryOn"))
          for (const auto& c : *retry)
            if (!valid_retry_condition(c.as_string()))
              return route + " contains an invalid retry condition: " + go_quote(c.as_string());
      }
    }
  return std::nullopt;  // the chain checks run after the ACL check (kinds.hpp check_write)
}

}  // namespace coconsul::dev::config_entries
