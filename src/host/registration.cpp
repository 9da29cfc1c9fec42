// The service host's registration plan (see registration.hpp): check IDs, names and defaults
// as Consul assigns them, computed without I/O.

#include "host/registration.hpp"

#include <coconsul/error.hpp>

#include <boost/asio/ip/address.hpp>

namespace coconsul::detail {

namespace {

[[noreturn]] void invalid(std::string why) {
  throw error(make_error_code(errc::invalid_argument), diagnostics{0, "service_host: " + std::move(why)});
}

// Consul's own default interval for the HTTP check of the walkthrough this library grew from.
constexpr auto default_http_interval = std::chrono::seconds(10);

}  // namespace

void validate(const service_host_options& opts) {
  if (opts.service.name.empty()) invalid("the service name is empty (service.name is required)");
  if (opts.http_check && opts.http_check->http.empty() && !opts.health_endpoint)
    invalid("http_check has no URL (http) and there is no health_endpoint to fill it with");
  if (opts.http_check && opts.http_check->ttl.count() > 0)
    invalid("http_check has a TTL: an HTTP check runs on an interval, use a separate TTL check");
  if (opts.health_endpoint) {
    const auto& e = *opts.health_endpoint;
    if (e.path.empty() || e.path.front() != '/')
      invalid("health_endpoint.path \"" + e.path + "\" must start with '/'");
    boost::system::error_code ec;
    boost::asio::ip::make_address(e.address, ec);
    if (ec) invalid("health_endpoint.address \"" + e.address + "\" is not an IP address");
  }
  if (opts.retry.count() <= 0) invalid("retry must be positive");
  if (opts.anti_entropy.count() < 0) invalid("anti_entropy must not be negative (zero turns it off)");
  auto check_ttl = [](const service_check& c) {
    if (c.ttl.count() < 0) invalid("a check has a negative TTL");
  };
  if (opts.service.check) check_ttl(*opts.service.check);
  for (const auto& c : opts.service.checks) check_ttl(c);
  if (const auto& sidecar = opts.service.connect.sidecar_service) {
    if (sidecar->check) check_ttl(*sidecar->check);
    for (const auto& c : sidecar->checks) check_ttl(c);
  }
}

std::string service_id_of(const service_registration& s) { return s.id.empty() ? s.name : s.id; }

std::string sidecar_id_of(const service_registration& s) { return service_id_of(s) + "-sidecar-proxy"; }

namespace {

// Consul's numbering (agent.go addServiceInternal): the position in Check + Checks, from 1,
// counting checks that have an ID of their own too.
void number_checks(const std::string& service_id, std::vector<service_check>& checks, std::vector<ttl_check>& ttls) {
  for (std::size_t i = 0; i < checks.size(); ++i) {
    auto& c = checks[i];
    if (c.check_id.empty())
      c.check_id = checks.size() > 1 ? "service:" + service_id + ":" + std::to_string(i + 1) : "service:" + service_id;
    if (c.ttl.count() > 0) ttls.push_back({c.check_id, c.ttl});
  }
}

}  // namespace

host_plan plan_registration(const service_host_options& opts, const std::string& health_url) {
  host_plan plan;
  auto& reg = plan.registration;
  reg = opts.service;
  reg.id = service_id_of(opts.service);

  std::vector<service_check> checks;
  if (reg.check) checks.push_back(std::move(*reg.check));
  reg.check.reset();
  for (auto& c : reg.checks) checks.push_back(std::move(c));
  if (opts.http_check) {
    service_check c = *opts.http_check;
    if (c.http.empty()) c.http = health_url;
    if (c.interval.count() == 0) c.interval = default_http_interval;
    checks.push_back(std::move(c));
  }

  number_checks(reg.id, checks, plan.ttl_checks);
  reg.checks = std::move(checks);

  // A sidecar's own checks are numbered the same way under the ID the agent gives it, so its TTL
  // checks are heartbeated too (its default checks, when it has none, need no heartbeat).
  if (auto& sidecar = reg.connect.sidecar_service) {
    std::vector<service_check> own;
    if (sidecar->check) own.push_back(std::move(*sidecar->check));
    sidecar->check.reset();
    for (auto& c : sidecar->checks) own.push_back(std::move(c));
    number_checks(sidecar_id_of(reg), own, plan.ttl_checks);
    sidecar->checks = std::move(own);
  }
  return plan;
}

}  // namespace coconsul::detail
