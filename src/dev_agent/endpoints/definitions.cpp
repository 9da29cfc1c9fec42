// Service and check registrations, from the HTTP API and from config files (see definitions.hpp).

#include "dev_agent/endpoints/definitions.hpp"

#include "dev_agent/config/config_error.hpp"
#include "dev_agent/endpoints/decode.hpp"
#include "dev_agent/local/proxy_rules.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/json_in.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <set>

namespace coconsul::dev {
namespace json = boost::json;

namespace {

// structs.ValidateServiceMetadata: "" or why the metadata is refused.
std::string validate_meta(const std::map<std::string, std::string>& meta) {
  constexpr std::size_t max_pairs = 64, max_key = 128, max_value = 512;
  if (meta.size() > max_pairs)
    return "Service metadata cannot contain more than " + std::to_string(max_pairs) + " key/value pairs";
  for (const auto& [k, v] : meta) {
    if (k.empty()) return "Key cannot be blank";
    bool ok = std::all_of(k.begin(), k.end(), [](char ch) {
      return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-';
    });
    if (!ok) return "Key contains invalid characters";
    if (k.size() > max_key) return "Key is too long (limit: " + std::to_string(max_key) + " characters)";
    if (k.rfind("consul-", 0) == 0) return "Key prefix 'consul-' is reserved for internal use";
    if (v.size() > max_value) return "Value is too long (limit: " + std::to_string(max_value) + " characters)";
  }
  return {};
}

bool known_status(const std::string& s) { return s.empty() || s == "passing" || s == "warning" || s == "critical"; }

// ServiceDefinition.NodeService(): an upstream's type defaults to "service".
void default_upstream_types(service_record& s) {
  for (auto& u : s.proxy.upstreams)
    if (u.destination_type.empty()) u.destination_type = "service";
}

}  // namespace

service_registration prepare_service_registration(const json::value& body) {
  service_definition def = decode_service_definition(body);
  auto& s = def.service;
  if (s.name.empty()) throw_bad_request("Missing service name");
  if (s.id.empty()) s.id = s.name;
  if (def.weights_given) {
    if (s.weight_passing < 1) throw_bad_request("Invalid Weights: Passing must be greater than 0");
    if (s.weight_warning < 0) throw_bad_request("Invalid Weights: Warning must be greater or equal than 0");
  }
  if (auto why = validate_meta(s.meta); !why.empty()) throw_bad_request("Invalid Service Meta: " + why);
  if (!s.address.empty()) {
    boost::system::error_code ec;
    auto ip = boost::asio::ip::make_address(s.address, ec);
    if (!ec && ip.is_unspecified()) throw_bad_request("Invalid service address");
  }
  if (s.port < 0 || s.port > 65535) throw_bad_request("Validation failed: invalid port " + std::to_string(s.port));
  default_upstream_types(s);
  nested_sidecar nested;
  if (def.sidecar) nested = {true, !def.sidecar->service.id.empty(), def.sidecar->sidecar != nullptr};
  if (auto errors = connect_rule_errors(s, nested); !errors.empty())
    throw_bad_request("Validation failed: " + config::multierror_text(errors));
  service_registration r;
  r.service = std::move(s);
  if (def.check) r.checks.push_back(*def.check);
  for (auto& chk : def.checks) r.checks.push_back(chk);
  for (const auto& chk : r.checks) {
    if (auto why = chk.validate(); !why.empty()) throw_bad_request("Invalid check: " + why);
  }
  for (const auto& chk : r.checks) {
    if (!known_status(chk.status)) throw_bad_request("Status for checks must 'passing', 'warning', 'critical'");
  }
  for (const auto& chk : r.checks)
    if (!chk.has_type()) throw http_error{500, "Check type is not valid"};
  if (def.sidecar) {
    // The sidecar's own checks are checked as the service's are, before anything is registered.
    service_definition& sd = *def.sidecar;
    sidecar_registration sc;
    if (sd.check) sc.checks.push_back(*sd.check);
    for (auto& chk : sd.checks) sc.checks.push_back(chk);
    for (const auto& chk : sc.checks) {
      if (auto why = chk.validate(); !why.empty()) throw_bad_request("Invalid check in sidecar_service: " + why);
      if (!known_status(chk.status)) throw_bad_request("Status for checks must 'passing', 'warning', 'critical'");
    }
    // sidecarServiceFromNodeService checks the sidecar's own Meta before it inherits any.
    if (auto why = validate_meta(sd.service.meta); !why.empty()) throw_bad_request("Invalid SidecarService: " + why);
    default_upstream_types(sd.service);
    sc.service = sidecar_from_parent(r.service, std::move(sd.service));
    sc.token = std::move(sd.token);
    r.sidecar = std::move(sc);
  }
  return r;
}

void complete_sidecar(const local_agent& local, const state_store& state, service_registration& r) {
  if (!r.sidecar) return;
  const dev_agent_options& o = local.options();
  std::vector<const service_record*> mine;
  for (const auto& id : local.services())
    if (const service_record* s = state.service(o.node_name, id)) mine.push_back(s);
  assign_sidecar_port(*r.sidecar, mine, o.ports.sidecar_min, o.ports.sidecar_max);
  if (auto errors = connect_rule_errors(r.sidecar->service); !errors.empty())
    throw_bad_request("Failed Validation: " + config::multierror_text(errors));
  for (const auto& chk : r.sidecar->checks)
    if (!chk.has_type()) throw http_error{500, "Check type is not valid"};
}

check_spec prepare_check_registration(const json::value& body) {
  check_spec spec = decode_check_definition(body);
  if (spec.name.empty()) throw_bad_request("Missing check name");
  if (!known_status(spec.status)) throw_bad_request("Bad check status");
  if (auto why = spec.validate(); !why.empty()) throw_bad_request("Invalid check: " + why);
  if (!spec.has_type()) throw http_error{500, "Check type is not valid"};
  return spec;
}

void register_service(local_agent& local, service_registration r, bool replace_existing_checks) {
  local.add_service(std::move(r.service), std::move(r.checks), replace_existing_checks);
  if (r.sidecar) local.add_service(std::move(r.sidecar->service), std::move(r.sidecar->checks), replace_existing_checks);
}

void register_check(local_agent& local, const state_store& state, const std::string& node, check_spec spec) {
  if (!spec.service_id.empty() && !(state.service(node, spec.service_id) && local.services().count(spec.service_id)))
    throw http_error{404, "ServiceID \"" + spec.service_id + "\" does not exist"};
  local.add_check(std::move(spec));
}

void config_definitions::apply(local_agent& local, const state_store& state, const std::string& node,
                               const std::vector<std::string>& services, const std::vector<std::string>& checks) {
  // Everything is decoded and checked before anything changes.
  struct pending_service {
    std::string body;
    service_registration reg;
  };
  struct pending_check {
    std::string body;
    check_spec spec;
  };
  std::map<std::string, pending_service> new_services;
  std::map<std::string, pending_check> new_checks;
  auto refuse = [](const std::string& what, const std::string& why) {
    throw definition_error("failed to register " + what + ": " + why);
  };
  // Errors name the definition by its "Name" when it has one (Go's decoder matches the key
  // case-insensitively).
  auto named = [](const std::string& kind, const json::value& body, std::string fallback) {
    if (body.is_object())
      for (const auto& kv : body.get_object())
        if (boost::beast::iequals(kv.key(), "Name") && kv.value().is_string() && !kv.value().get_string().empty())
          return kind + " \"" + std::string(kv.value().get_string()) + "\"";
    return fallback;
  };
  for (std::size_t i = 0; i < services.size(); ++i) {
    std::string what = "services[" + std::to_string(i) + "]";
    try {
      json::value body = parse_body(services[i]);
      what = named("service", body, what);
      auto reg = prepare_service_registration(body);
      complete_sidecar(local, state, reg);
      std::string id = reg.service.id;
      new_services[id] = pending_service{services[i], std::move(reg)};
    } catch (const body_decode_error& e) {
      refuse(what, e.what());
    } catch (const http_error& e) {
      refuse(what, e.reason);
    }
  }
  for (std::size_t i = 0; i < checks.size(); ++i) {
    std::string what = "checks[" + std::to_string(i) + "]";
    try {
      json::value body = parse_body(checks[i]);
      what = named("check", body, what);
      auto spec = prepare_check_registration(body);
      bool service_known = spec.service_id.empty() || new_services.count(spec.service_id) ||
                           (state.service(node, spec.service_id) && local.services().count(spec.service_id));
      if (!service_known) refuse(what, "ServiceID \"" + spec.service_id + "\" does not exist");
      std::string id = spec.check_id.empty() ? spec.name : spec.check_id;  // Consul's default ID
      new_checks[id] = pending_check{checks[i], std::move(spec)};
    } catch (const body_decode_error& e) {
      refuse(what, e.what());
    } catch (const http_error& e) {
      refuse(what, e.reason);
    }
  }

  for (const auto& [id, body] : checks_)
    if (!new_checks.count(id)) local.remove_check(id);
  for (const auto& [id, body] : services_)
    if (!new_services.count(id)) local.remove_service(id);
  std::map<std::string, std::string> registered_services, registered_checks;
  for (auto& [id, p] : new_services) {
    auto old = services_.find(id);
    bool unchanged = old != services_.end() && old->second == p.body && local.services().count(id);
    if (!unchanged) {
      // Consul's reload unloads the config's services and loads them again: a sidecar the
      // definition no longer asks for is gone (a registration over HTTP keeps it).
      if (!p.reg.sidecar) local.remove_sidecar_of(id);
      register_service(local, std::move(p.reg), true);
    }
    registered_services[id] = p.body;
  }
  for (auto& [id, p] : new_checks) {
    auto old = checks_.find(id);
    bool unchanged = old != checks_.end() && old->second == p.body && local.checks().count(id);
    if (!unchanged) register_check(local, state, node, std::move(p.spec));
    registered_checks[id] = p.body;
  }
  services_ = std::move(registered_services);
  checks_ = std::move(registered_checks);
}

}  // namespace coconsul::dev

namespace coconsul::dev {

void config_definitions::reload(local_agent& local, const state_store& state, const std::string& node) {
  if (!source_) return;
  dev_agent_options fresh = source_();
  apply(local, state, node, fresh.service_definitions, fresh.check_definitions);
}

}  // namespace coconsul::dev
