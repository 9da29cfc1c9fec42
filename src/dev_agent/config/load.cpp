// The config loader (see load.hpp): merging, then Consul's checks, then the options.

#include "dev_agent/config/load.hpp"

#include "core/base64.hpp"
#include "core/json_parse.hpp"
#include "dev_agent/config/acl_section.hpp"
#include "dev_agent/config/config_error.hpp"
#include "dev_agent/config/definitions_json.hpp"
#include "dev_agent/config/normalize.hpp"
#include "dev_agent/config/read.hpp"
#include "dev_agent/config/sections.hpp"
#include "dev_agent/config/validate.hpp"

#include <coconsul/duration.hpp>
#include <coconsul/error.hpp>

#include <boost/json/parse_options.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <set>

namespace coconsul::dev::config {
namespace json = boost::json;

namespace {

// agent/config/default.go's DefaultSource and DevSource, for the keys coconsul uses.
constexpr std::string_view default_source = R"({
  "bind_addr": "0.0.0.0", "client_addr": "127.0.0.1", "datacenter": "dc1", "domain": "consul.",
  "log_level": "INFO", "server": false, "bootstrap": false, "bootstrap_expect": 0, "raft_protocol": 3,
  "ports": {"dns": 8600, "http": 8500, "https": -1, "grpc": -1, "serf_lan": 8301, "serf_wan": 8302,
            "server": 8300, "sidecar_min_port": 21000, "sidecar_max_port": 21255,
            "expose_min_port": 21500, "expose_max_port": 21755},
  "performance": {"raft_multiplier": 5},
  "limits": {"http_max_conns_per_client": 200},
  "dns_config": {"udp_answer_limit": 3, "a_record_limit": 0}
})";
constexpr std::string_view dev_source = R"({
  "bind_addr": "127.0.0.1", "ui_config": {"enabled": true}, "log_level": "DEBUG", "server": true,
  "connect": {"enabled": true}, "performance": {"raft_multiplier": 1}, "ports": {"grpc": 8502}
})";

// Consul's Merge: later scalars win, slices append, structs and maps merge key by key.
void merge(json::object& into, const json::object& from) {
  for (const auto& kv : from) {
    auto* have = into.if_contains(kv.key());
    if (have && have->is_object() && kv.value().is_object()) {
      merge(have->get_object(), kv.value().get_object());
    } else if (have && have->is_array() && kv.value().is_array()) {
      for (const auto& e : kv.value().get_array()) have->get_array().push_back(e);
    } else {
      into[kv.key()] = kv.value();
    }
  }
}

json::object parse_source(const source& s) {
  if (s.format == "hcl")
    throw config_error("failed to parse " + s.name +
                       ": HCL is not supported by coconsul (no maintained HCL parser for C++ is packaged in "
                       "Debian): write this configuration as JSON, with the same keys");
  if (s.format != "json") throw config_error("failed to parse " + s.name + ": invalid format: " + s.format);
  boost::system::error_code ec;
  json::value v = core::parse_json(s.data, ec);
  if (ec) throw config_error("failed to parse " + s.name + ": " + ec.message());
  if (!v.is_object())
    throw config_error("failed to parse " + s.name + ": json: cannot unmarshal " +
                       std::string(v.is_array() ? "array" : v.is_string() ? "string" : v.is_bool() ? "bool" : "number") +
                       " into Go value of type map[string]interface {}");
  return v.get_object();
}

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

}  // namespace

load_result load(const agent_flags& flags, const std::vector<source>& files, std::uint64_t max_fds) {
  if (!flags.config_format.empty() && flags.config_format != "json" && flags.config_format != "hcl")
    throw config_error("config: -config-format must be either 'hcl' or 'json'");
  load_result r;
  std::set<std::string> ignored;

  json::object merged = normalize("default", core::parse_json(default_source).get_object()).config;
  if (flags.dev) merge(merged, normalize("dev", core::parse_json(dev_source).get_object()).config);
  auto add_user = [&](std::string_view name, const json::object& raw) {
    auto n = normalize(name, raw);
    ignored.insert(n.ignored.begin(), n.ignored.end());
    r.warnings.insert(r.warnings.end(), n.warnings.begin(), n.warnings.end());
    merge(merged, n.config);
  };
  add_user("flags.slices", flags.slice_values);
  for (const auto& f : files) {
    if (blank(f.data)) continue;  // Consul skips a source without data
    add_user(f.name, parse_source(f));
  }
  add_user("flags.values", flags.values);
  for (std::size_t i = 0; i < flags.hcl.size(); ++i)
    parse_source(source{"flags-" + std::to_string(i) + ".hcl", "hcl", flags.hcl[i]});

  const json::object& c = merged;
  auto& o = r.options;
  std::vector<std::string> collected;  // Consul's builder collects these and reports them together

  // --- build (agent/config/builder.go build()) ---
  auto port = [&](std::string_view key) -> int {
    long long p = integer(c, key, -1);
    if (p > 65535) collected.push_back(std::string(key) + ": invalid port: " + std::to_string(p));
    return p <= 0 ? -1 : static_cast<int>(p);
  };
  int sidecar_min = port("ports.sidecar_min_port"), sidecar_max = port("ports.sidecar_max_port");
  int expose_min = port("ports.expose_min_port"), expose_max = port("ports.expose_max_port");
  if (sidecar_max < sidecar_min)
    throw config_error("sidecar_min_port must be less than sidecar_max_port. To disable, set both to zero.");
  if (expose_max < expose_min)
    throw config_error("expose_min_port must be less than expose_max_port. To disable, set both to zero.");
  o.ports.https = port("ports.https");
  o.ports.grpc = port("ports.grpc");
  o.ports.grpc_tls = port("ports.grpc_tls");
  o.ports.serf_lan = port("ports.serf_lan");
  o.ports.serf_wan = port("ports.serf_wan");
  o.ports.server = port("ports.server");
  o.ports.sidecar_min = sidecar_min;
  o.ports.sidecar_max = sidecar_max;
  o.ports.expose_min = expose_min;
  o.ports.expose_max = expose_max;

  r.bind_addr = single_address(c, "bind_addr", collected);
  std::string http_addr = str(c, "addresses.http").empty() ? single_address(c, "client_addr", collected)
                                                          : single_address(c, "addresses.http", collected);
  if (!http_addr.empty()) o.bind_address = http_addr;
  else
    r.warnings.push_back("client_addr is empty, client services (DNS, HTTP, HTTPS, GRPC) will not be listening for "
                         "connections");

  // A port below zero turns the listener off, as in Consul; 0 picks a free port here (Consul
  // reads 0 as off too: docs/dev-agent.md says why coconsul keeps 0 for tests).
  long long http_port = integer(c, "ports.http", 8500);
  if (http_port > 65535) collected.push_back("ports.http: invalid port: " + std::to_string(http_port));
  o.serve_http = http_port >= 0 && !http_addr.empty();
  o.port = http_port > 0 && http_port <= 65535 ? static_cast<std::uint16_t>(http_port) : 0;
  long long dns_port = integer(c, "ports.dns", 8600);
  if (dns_port > 65535) collected.push_back("ports.dns: invalid port: " + std::to_string(dns_port));
  if (dns_port >= 0 && dns_port <= 65535 && !http_addr.empty()) o.dns_port = static_cast<std::uint16_t>(dns_port);

  long long multiplier = integer(c, "performance.raft_multiplier", 5);
  if (multiplier < 1 || multiplier > 10)
    throw config_error("performance.raft_multiplier cannot be " + std::to_string(multiplier) +
                       ". Must be between 1 and 10");

  o.datacenter = lower(str(c, "datacenter", "dc1"));
  std::string primary = lower(str(c, "primary_datacenter"));
  o.node_name = str(c, "node_name");  // empty: the host name, as Consul
  while (!o.node_name.empty() && std::isspace(static_cast<unsigned char>(o.node_name.back()))) o.node_name.pop_back();
  while (!o.node_name.empty() && std::isspace(static_cast<unsigned char>(o.node_name.front()))) o.node_name.erase(0, 1);
  o.server = boolean(c, "server", false);
  o.bootstrap = boolean(c, "bootstrap", false);
  long long bootstrap_expect = integer(c, "bootstrap_expect", 0);
  o.dev_mode = flags.dev;

  if (const auto* ui = at(c, "ui"); ui && ui->is_bool()) {
    r.warnings.push_back("The 'ui' field is deprecated. Use the 'ui_config.enabled' field instead.");
    if (!at(c, "ui_config.enabled")) o.ui_enabled = ui->get_bool();
    else o.ui_enabled = boolean(c, "ui_config.enabled", false);
  } else {
    o.ui_enabled = boolean(c, "ui_config.enabled", false);
  }
  o.log_json = boolean(c, "log_json", false);

  apply_connect(c, o.connect, ignored);
  apply_acl(c, o.acl, r.warnings, collected);
  apply_dns(c, o.dns, collected);
  if (auto d = duration_at(c, "session_ttl_min", collected)) o.session_ttl_min = std::chrono::duration_cast<std::chrono::milliseconds>(*d);

  long long max_conns = integer(c, "limits.http_max_conns_per_client", 200);
  o.limits.max_conns_per_client = max_conns > 0 ? static_cast<std::size_t>(max_conns) : 0;
  if (long long h = integer(c, "http_config.max_header_bytes", 0); h > 0)
    o.limits.max_header_bytes = static_cast<std::size_t>(h) + 4096;  // Go's slack over MaxHeaderBytes

  if (bootstrap_expect == 1) {
    o.bootstrap = true;
    bootstrap_expect = 0;
    r.warnings.push_back("BootstrapExpect is set to 1; this is the same as Bootstrap mode.");
  }

  // --- validate (agent/config/builder.go validate()) ---
  if (long long raft = integer(c, "raft_protocol", 3); raft != 3)
    throw config_error("raft_protocol version " + std::to_string(raft) + " is not supported by this version of Consul");
  validate_basic_name("datacenter", o.datacenter, false);
  if (str(c, "data_dir").empty() && !flags.dev) throw config_error("data_dir cannot be empty");
  if (!str(c, "segment").empty() || (at(c, "segments") && at(c, "segments")->is_array() && !at(c, "segments")->get_array().empty()))
    throw config_error("Network segments are not supported in this version of Consul");
  if (o.bootstrap && !o.server) throw config_error("'bootstrap = true' requires 'server = true'");
  if (bootstrap_expect < 0)
    throw config_error("bootstrap_expect cannot be " + std::to_string(bootstrap_expect) +
                       ". Must be greater than or equal to zero");
  if (bootstrap_expect > 0 && !o.server) throw config_error("'bootstrap_expect > 0' requires 'server = true'");
  if (bootstrap_expect > 0 && flags.dev) throw config_error("'bootstrap_expect > 0' not allowed in dev mode");
  if (bootstrap_expect > 0 && o.bootstrap)
    throw config_error("'bootstrap_expect > 0' and 'bootstrap = true' are mutually exclusive");
  validate_basic_name("primary_datacenter", primary, true);
  if (long long u = integer(c, "dns_config.udp_answer_limit", 3); u < 0)
    throw config_error("dns_config.udp_answer_limit cannot be " + std::to_string(u) + ". Must be greater than or equal to zero");
  if (long long a = integer(c, "dns_config.a_record_limit", 0); a < 0)
    throw config_error("dns_config.a_record_limit cannot be " + std::to_string(a) + ". Must be greater than or equal to zero");
  if (const auto* meta = at(c, "node_meta"); meta && meta->is_object()) {
    for (const auto& kv : meta->get_object()) o.node_meta[std::string(kv.key())] = std::string(kv.value().get_string());
    if (auto why = node_meta_problem(o.node_meta); !why.empty()) throw config_error("node_meta invalid: " + why);
  }
  std::string encrypt = str(c, "encrypt");
  if (!encrypt.empty()) {
    std::string key, why;
    if (!core::base64_decode(encrypt, key, core::base64_mode::strict, &why))
      throw config_error("encrypt has invalid key: illegal base64 data at input byte " + base64_error_offset(why, encrypt));
    r.encrypt = true;
  }
  if (!collected.empty()) throw config_error(multierror_text(collected));
  // In unsigned arithmetic: max_conns + 20 must not overflow.
  if (std::uint64_t needed = static_cast<std::uint64_t>(max_conns) + 20; max_fds > 0 && max_conns > 0 && max_fds < needed)
    throw config_error("system allows a max of " + std::to_string(max_fds) +
                       " file descriptors, but limits.http_max_conns_per_client: " + std::to_string(max_conns) +
                       " needs at least " + std::to_string(needed));

  // --- agent start (agent/setup.go, logging.Setup) ---
  std::string node_id = lower(str(c, "node_id"));
  if (!node_id.empty()) {
    if (auto why = uuid_problem(node_id); !why.empty()) throw config_error("failed to setup node ID: " + why);
    o.node_id = node_id;
  }
  o.level = log_level_of(str(c, "log_level", "INFO"));

  // --- definitions, as the HTTP API's bodies ---
  if (const auto* services = at(c, "services"); services && services->is_array())
    for (const auto& s : services->get_array())
      o.service_definitions.push_back(json::serialize(service_definition_body(s.get_object())));
  if (const auto* checks = at(c, "checks"); checks && checks->is_array())
    for (const auto& s : checks->get_array())
      o.check_definitions.push_back(json::serialize(check_definition_body(s.get_object())));

  r.ignored.assign(ignored.begin(), ignored.end());
  return r;
}

}  // namespace coconsul::dev::config
