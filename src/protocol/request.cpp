// Request building: the checks on every value, percent-encoding (Boost.URL), the query options.
#include "protocol/request.hpp"

#include <coconsul/duration.hpp>
#include <coconsul/error.hpp>

#include "core/text.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace coconsul::protocol {
namespace {

// RFC 3986 unreserved characters, and those plus '/' for KV keys and prefixes.
constexpr auto unreserved = boost::urls::unreserved_chars;
constexpr auto unreserved_and_slash = boost::urls::unreserved_chars + '/';

// Consul's Go client sends durations to the agent as whole milliseconds ("1500ms").
std::string milliseconds_param(std::chrono::milliseconds d) { return std::to_string(d.count()) + "ms"; }

}  // namespace

refusal require_printable(std::string_view what, std::string_view value) {
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (core::is_control(c))
      return {std::string(what) + " contains the control character " + core::byte_name(c) + " at offset " +
              std::to_string(i)};
  }
  return {};
}

refusal require_name(std::string_view what, std::string_view value) {
  if (value.empty()) return {std::string(what) + " is empty"};
  return require_printable(what, value);
}

std::string percent_encode(std::string_view s, bool keep_slash) {
  // Default options: upper-case hex, a space as %20 (never '+', which Consul reads as a plus).
  return keep_slash ? boost::urls::encode(s, unreserved_and_slash) : boost::urls::encode(s, unreserved);
}

request_builder::request_builder(verb method, std::string path) {
  req_.method = method;
  req_.target = std::move(path);
  // Reads are idempotent; so are Consul's PUT writes of a whole value, but not all writes
  // (a KV cas, a session create): those say idempotent(false).
  req_.idempotent = true;
}

request_builder& request_builder::flag(std::string_view name) {
  req_.target += has_query_ ? '&' : '?';
  has_query_ = true;
  req_.target += name;
  return *this;
}

request_builder& request_builder::param(std::string_view name, std::string_view value) {
  flag(name);
  req_.target += '=';
  req_.target += percent_encode(value);
  return *this;
}

request_builder& request_builder::refuse(refusal r) {
  if (!refused_) refused_ = std::move(r);
  return *this;
}

request_builder& request_builder::require_name(std::string_view what, std::string_view value) {
  if (!refused_) refused_ = protocol::require_name(what, value);
  return *this;
}

request_builder& request_builder::require_printable(std::string_view what, std::string_view value) {
  if (!refused_) refused_ = protocol::require_printable(what, value);
  return *this;
}

request_builder& request_builder::param_if(std::string_view name, std::string_view value) {
  if (!value.empty()) param(name, value);
  return *this;
}

void request_builder::scope(std::string_view dc, std::string_view ns, std::string_view partition,
                            std::string_view token, const config& cfg) {
  const std::string_view d = dc.empty() ? std::string_view(cfg.datacenter) : dc;
  const std::string_view n = ns.empty() ? std::string_view(cfg.namespace_name) : ns;
  const std::string_view p = partition.empty() ? std::string_view(cfg.partition) : partition;
  require_printable("datacenter", d).require_printable("namespace", n).require_printable("partition", p);
  param_if("dc", d);
  param_if("ns", n);
  param_if("partition", p);
  const std::string_view t = token.empty() ? std::string_view(cfg.token) : token;
  if (!t.empty()) {
    // Never echo the token itself in an error.
    if (core::has_control(t)) refuse({"the token contains control characters"});
    req_.headers.push_back({"X-Consul-Token", std::string(t)});
  }
}

request_builder& request_builder::read(const query_options& o, const config& cfg) {
  if (o.wait.count() < 0) refuse({"wait is negative"});
  if (o.max_stale.count() < 0) refuse({"max_stale is negative"});
  if (o.cached && o.consistency == consistency_mode::consistent)
    refuse({"cached and consistent cannot be combined (Consul refuses it)"});
  if (o.max_stale.count() > 0 && o.consistency == consistency_mode::consistent)
    refuse({"max_stale and consistent cannot be combined (max_stale implies stale)"});
  scope(o.datacenter, o.namespace_name, o.partition, o.token, cfg);
  if (o.index > 0) param("index", std::to_string(o.index));
  if (o.wait.count() > 0) param("wait", milliseconds_param(o.wait));
  switch (o.consistency) {
    case consistency_mode::default_mode: break;
    case consistency_mode::stale: flag("stale"); break;
    case consistency_mode::consistent: flag("consistent"); break;
  }
  if (o.max_stale.count() > 0) param("max_stale", milliseconds_param(o.max_stale));
  if (o.cached) flag("cached");
  if ((o.max_age || o.must_revalidate || o.stale_if_error) && !o.cached)
    refuse({"max_age, must_revalidate and stale_if_error need cached"});
  if ((o.max_age && o.max_age->count() < 0) || (o.stale_if_error && o.stale_if_error->count() < 0))
    refuse({"max_age and stale_if_error cannot be negative"});
  std::string cache_control;
  auto directive = [&](std::string d) { cache_control += (cache_control.empty() ? "" : ", ") + d; };
  if (o.max_age) directive("max-age=" + std::to_string(o.max_age->count()));
  if (o.must_revalidate) directive("must-revalidate");
  if (o.stale_if_error) directive("stale-if-error=" + std::to_string(o.stale_if_error->count()));
  if (!cache_control.empty()) req_.headers.push_back({"Cache-Control", std::move(cache_control)});
  require_printable("hash", o.hash);
  param_if("hash", o.hash);
  param_if("filter", o.filter);
  require_printable("near", o.near);
  param_if("near", o.near);
  if (o.passing) flag("passing");
  for (const auto& tag : o.tags) {
    require_name("tag", tag);
    param("tag", tag);
  }
  for (const auto& [k, v] : o.node_meta) {
    require_name("node-meta key", k);
    require_printable("node-meta value", v);
    if (k.find(':') != std::string::npos) refuse({"node-meta key " + core::quoted(k) + " contains ':'"});
    param("node-meta", k + ":" + v);
  }
  if (o.index > 0 || !o.hash.empty()) req_.timeout = blocking_timeout(o, cfg);
  return *this;
}

request_builder& request_builder::write(const write_options& o, const config& cfg) {
  scope(o.datacenter, o.namespace_name, o.partition, o.token, cfg);
  return *this;
}

request_builder& request_builder::body(std::string content, std::string_view content_type) {
  req_.body = std::move(content);
  if (!content_type.empty()) req_.headers.push_back({"Content-Type", std::string(content_type)});
  return *this;
}

request_builder& request_builder::idempotent(bool yes) {
  req_.idempotent = yes;
  return *this;
}

request request_builder::finish() && { return std::move(req_); }

std::chrono::milliseconds blocking_timeout(const query_options& o, const config& cfg) {
  using namespace std::chrono_literals;
  constexpr std::chrono::milliseconds consul_default_wait = 5min, consul_max_wait = 10min;
  std::chrono::milliseconds wait = o.wait.count() > 0 ? o.wait : consul_default_wait;
  if (wait > consul_max_wait) wait = consul_max_wait;  // the agent clamps it the same way
  return wait + wait / 16 + cfg.timeouts.blocking_margin;
}

}  // namespace coconsul::protocol
