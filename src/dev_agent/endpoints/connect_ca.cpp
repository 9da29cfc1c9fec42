// The Connect CA's endpoints: /v1/connect/ca/roots and /configuration (the server's,
// agent/connect_ca_endpoint.go) and /v1/agent/connect/ca/roots and /leaf/:service (the agent's,
// through its cache: agent/agent_endpoint.go, agent/cache-types/connect_ca_leaf.go). The CA
// itself is dev_agent/connect/.

#include "dev_agent/connect/connect_layer.hpp"
#include "dev_agent/endpoints/blocking.hpp"
#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/json_in.hpp"
#include "dev_agent/http/request_values.hpp"
#include "dev_agent/http/responders.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

namespace coconsul::dev {
namespace json = boost::json;
namespace asio = boost::asio;
using connect::ca_root;
using connect::issued_cert;

namespace {

constexpr const char* connect_disabled = "Connect must be enabled in order to use this endpoint";

json::value render_root(const ca_root& r) {
  json::object o;
  o["ID"] = r.id;
  o["Name"] = r.name;
  o["SerialNumber"] = r.serial_number;
  o["SigningKeyID"] = r.signing_key_id;
  o["ExternalTrustDomain"] = r.external_trust_domain;
  o["NotBefore"] = r.not_before;
  o["NotAfter"] = r.not_after;
  o["RootCert"] = r.root_cert;
  if (r.intermediate_certs.empty()) {
    o["IntermediateCerts"] = nullptr;  // a nil slice
  } else {
    json::array a;
    for (const auto& p : r.intermediate_certs) a.emplace_back(p);
    o["IntermediateCerts"] = std::move(a);
  }
  o["Active"] = r.active;
  o["PrivateKeyType"] = r.private_key_type;
  o["PrivateKeyBits"] = r.private_key_bits;
  o["CreateIndex"] = r.create_index;
  o["ModifyIndex"] = r.modify_index;
  return o;
}

// IndexedCARoots. With Connect disabled Consul has no CA configuration: no trust domain, no roots.
json::value render_roots(const connect::certificate_authority& ca) {
  json::object o;
  const ca_root* active = ca.active_root();
  o["ActiveRootID"] = active ? active->id : std::string();
  o["TrustDomain"] = ca.trust_domain();
  json::array roots;
  for (const auto& r : ca.roots()) roots.emplace_back(render_root(r));
  o["Roots"] = std::move(roots);
  return o;
}

json::value render_issued(const issued_cert& c) {
  json::object o;
  o["SerialNumber"] = c.serial_number;
  o["CertPEM"] = c.cert_pem;
  o["PrivateKeyPEM"] = c.private_key_pem;
  o["Service"] = c.service;
  o["ServiceURI"] = c.service_uri;
  o["ValidAfter"] = c.valid_after;
  o["ValidBefore"] = c.valid_before;
  o["CreateIndex"] = c.create_index;
  o["ModifyIndex"] = c.modify_index;
  return o;
}

std::function<query_answer()> roots_query(endpoint_context& c, bool pem) {
  return [&c, pem] {
    const auto& ca = c.connect.ca;
    if (!pem) return query_answer{ca.roots_index(), json_response(render_roots(ca))};
    // The PEM bundle: each root, then its intermediates (Content-Type from RFC 8555).
    std::string bundle;
    for (const auto& r : ca.roots()) {
      bundle += r.root_cert;
      for (const auto& p : r.intermediate_certs) bundle += p;
    }
    http_response resp;
    resp.set_header("Content-Type", "application/pem-certificate-chain");
    resp.body = std::move(bundle);
    return query_answer{ca.roots_index(), std::move(resp)};
  };
}

asio::awaitable<http_response> roots(endpoint_context& c, http_request& req) {
  bool pem = false;
  if (auto p = req.query.get("pem"); p && !p->empty()) {
    auto v = parse_go_bool(*p);
    if (!v) throw_bad_request("The 'pem' query parameter must be a boolean value");
    pem = *v;
  }
  std::function<query_answer()> run = roots_query(c, pem);
  co_return co_await blocking_query(c.hub, req, tbl_connect_ca, run);
}

// Always through the agent cache, ?cached or not: the first read misses, later ones hit (Age 0:
// a background-refresh type in contact with its servers), a blocking read that had to wait misses.
asio::awaitable<http_response> agent_roots(endpoint_context& c, http_request& req) {
  auto& layer = c.connect;
  read_options opts = parse_read_options(req);
  bool hit = layer.roots_cached && (opts.min_index == 0 || layer.ca.roots_index() > opts.min_index);
  std::function<query_answer()> run = roots_query(c, false);
  http_response resp = co_await blocking_query(c.hub, req, tbl_connect_ca, run);
  layer.roots_cached = true;
  resp.set_header("X-Cache", hit ? "HIT" : "MISS");
  if (hit) resp.set_header("Age", "0");
  co_return resp;
}

// The cache's query timeout for blocking types: the request's wait, at most (and by default)
// ten minutes.
std::chrono::steady_clock::time_point leaf_deadline(const read_options& opts) {
  using namespace std::chrono;
  nanoseconds wait = opts.wait;
  if (wait <= nanoseconds::zero() || wait > minutes(10)) wait = minutes(10);
  return steady_clock::now() + duration_cast<steady_clock::duration>(wait);
}

// ConnectCALeaf.Fetch behind the agent cache. A first request signs. A non-blocking one must
// revalidate: it gets a new certificate once the cached one is past its (random) soft expiry or
// was signed by a root that is no longer active. A blocking one (?index=N) is served from the
// cache while the certificate's ModifyIndex is above N; else it waits for the soft expiry or a
// root rotation (then renews) or its timeout (then gets the same certificate).
asio::awaitable<http_response> leaf(endpoint_context& c, http_request& req) {
  using std::chrono::system_clock;
  std::string service = path_suffix(req, "/v1/agent/connect/ca/leaf/");
  read_options opts = parse_read_options(req);
  auto& layer = c.connect;
  auto& ca = layer.ca;
  if (!ca.enabled() || !ca.initialized()) throw http_error{500, "cluster has no CA bootstrapped yet"};
  if (service.empty()) throw http_error{500, "URI must be either service, agent, server, or kind"};
  // ConnectCA.Sign's check, before any cached leaf: service:write on the service.
  c.caller().require(c.caller().authz().service_write(service));

  auto& cache = layer.leaves;
  const connect::cached_leaf* entry = cache.find(service);
  bool hit = false;
  if (!entry) {
    entry = &cache.store(service, ca.sign(service));
  } else if (opts.min_index == 0) {
    auto now = system_clock::now();
    if (!connect::leaf_cache::still_valid(*entry, ca.active_root(), now,
                                          connect::renewal_time(entry->cert, now, cache.rng())))
      entry = &cache.store(service, ca.sign(service));
  } else if (entry->cert.modify_index > opts.min_index) {
    hit = true;
  } else {
    auto deadline = leaf_deadline(opts);
    std::uint64_t waited_on = entry->cert.modify_index;
    auto renew_at = connect::renewal_time(entry->cert, system_clock::now(), cache.rng());
    for (;;) {
      if (entry->cert.modify_index != waited_on) break;  // another request renewed it
      auto now = system_clock::now();
      if (!connect::leaf_cache::still_valid(*entry, ca.active_root(), now, renew_at)) {
        entry = &cache.store(service, ca.sign(service));
        break;
      }
      auto steady_now = std::chrono::steady_clock::now();
      if (steady_now >= deadline) break;
      auto wake_at = std::min(deadline, steady_now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                         renew_at - now));
      auto woke = co_await c.hub.wait(tbl_connect_ca, wake_at);
      if (woke == watch_hub::wake::abandoned || c.hub.closed()) break;
    }
  }
  http_response resp = json_response(render_issued(entry->cert));
  resp.set_header("X-Consul-Index", std::to_string(entry->cert.modify_index));
  resp.set_header("X-Cache", hit ? "HIT" : "MISS");
  if (hit) {
    auto age = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - entry->fetched_at);
    resp.set_header("Age", std::to_string(age.count()));
  }
  co_return resp;
}

json::value render_configuration(const connect::ca_configuration& cfg) {
  json::object o;
  o["Provider"] = cfg.provider;
  o["Config"] = cfg.config;
  o["State"] = nullptr;  // the built-in provider keeps none
  o["ForceWithoutCrossSigning"] = cfg.force_without_cross_signing;
  o["CreateIndex"] = cfg.create_index;
  o["ModifyIndex"] = cfg.modify_index;
  return o;
}

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// structs.CAConfiguration as Go's encoding/json reads it: keys matched case-insensitively,
// unknown keys ignored, plus the snake_case force_without_cross_signing its UnmarshalJSON takes.
connect::ca_update decode_update(const json::value& body) {
  json_context ctx{"CAConfiguration", ""};
  if (!body.is_object()) throw_type_error(body, ctx, "structs.CAConfiguration");
  connect::ca_update u;
  for (const auto& [k, v] : body.get_object()) {
    std::string_view key = k;
    if (v.is_null()) continue;
    json_context at{"CAConfiguration", std::string(key)};
    if (iequal(key, "Provider")) {
      assign(v, u.provider, at);
    } else if (iequal(key, "Config")) {
      if (!v.is_object()) throw_type_error(v, at, "map[string]interface {}");
      u.config = v.get_object();
    } else if (iequal(key, "State")) {
      assign(v, u.state, at);
    } else if (iequal(key, "ForceWithoutCrossSigning") || key == "force_without_cross_signing") {
      bool b = false;
      assign(v, b, at);
      u.force_without_cross_signing = u.force_without_cross_signing || b;
    } else if (iequal(key, "CreateIndex") || iequal(key, "ModifyIndex")) {
      std::uint64_t ignored = 0;
      assign(v, ignored, at);
    }
  }
  return u;
}

http_response configuration(endpoint_context& c, http_request& req) {
  auto& ca = c.connect.ca;
  if (!ca.enabled()) throw http_error{500, connect_disabled};
  // Consul's ConfigurationGet and ConfigurationSet both ask operator:write (the configuration
  // may hold the CA's private key).
  if (req.method == "GET") {
    c.caller().require(c.caller().authz().operator_write());
    return json_response(render_configuration(ca.configuration()));
  }

  if (auto cas = req.query.get("cas"); cas && !cas->empty() && !parse_uint64(*cas))
    throw_bad_request("Request decode failed: strconv.ParseUint: parsing \"" + *cas + "\": invalid syntax");
  connect::ca_update u = decode_update(parse_body(req.body));
  c.caller().require(c.caller().authz().operator_write());
  if (auto failed = ca.update(u)) throw http_error{failed->status, failed->message};
  if (c.log.enabled(log_level::info)) c.log.log(log_level::info, "connect.ca", "CA provider config updated");
  return empty_response();
}

}  // namespace

void add_connect_ca_routes(route_table& r) {
  r.add("/v1/connect/ca/roots", {"GET"}, &roots);
  r.add("/v1/connect/ca/configuration", {"GET", "PUT"}, &immediate<configuration>);
  r.add("/v1/agent/connect/ca/roots", {"GET"}, &agent_roots);
  r.add("/v1/agent/connect/ca/leaf/", {"GET"}, &leaf);
}

}  // namespace coconsul::dev
