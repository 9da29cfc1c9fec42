// `coconsul agent`'s flags (see flags.hpp).

#include "dev_agent/config/flags.hpp"

#include "dev_agent/config/config_error.hpp"

#include <coconsul/duration.hpp>

#include <boost/json/array.hpp>

#include <charconv>
#include <cerrno>
#include <cstdlib>
#include <limits>

namespace coconsul::dev::config {
namespace json = boost::json;

namespace {

enum class kind { string, integer, boolean, strings, string_map, paths, format, dev, hcl, duration, fault_error };

struct flag_rule {
  std::string_view name;
  kind k;
  std::string_view key;  // the config key it sets; for coconsul's flags, which field
};

// Consul's flags (agent/config/flags.go), then coconsul's own.
const flag_rule flag_table[] = {
    {"advertise", kind::string, "advertise_addr"},
    {"advertise-wan", kind::string, "advertise_addr_wan"},
    {"bind", kind::string, "bind_addr"},
    {"server-port", kind::integer, "ports.server"},
    {"bootstrap", kind::boolean, "bootstrap"},
    {"bootstrap-expect", kind::integer, "bootstrap_expect"},
    {"client", kind::string, "client_addr"},
    {"check_output_max_size", kind::integer, "check_output_max_size"},
    {"config-dir", kind::paths, ""},
    {"config-file", kind::paths, ""},
    {"config-format", kind::format, ""},
    {"data-dir", kind::string, "data_dir"},
    {"datacenter", kind::string, "datacenter"},
    {"default-query-time", kind::string, "default_query_time"},
    {"dev", kind::dev, ""},
    {"disable-host-node-id", kind::boolean, "disable_host_node_id"},
    {"disable-keyring-file", kind::boolean, "disable_keyring_file"},
    {"dns-port", kind::integer, "ports.dns"},
    {"domain", kind::string, "domain"},
    {"alt-domain", kind::string, "alt_domain"},
    {"enable-script-checks", kind::boolean, "enable_script_checks"},
    {"enable-local-script-checks", kind::boolean, "enable_local_script_checks"},
    {"allow-write-http-from", kind::strings, "http_config.allow_write_http_from"},
    {"encrypt", kind::string, "encrypt"},
    {"grpc-port", kind::integer, "ports.grpc"},
    {"grpc-tls-port", kind::integer, "ports.grpc_tls"},
    {"http-port", kind::integer, "ports.http"},
    {"https-port", kind::integer, "ports.https"},
    {"join", kind::strings, "start_join"},
    {"join-wan", kind::strings, "start_join_wan"},
    {"log-level", kind::string, "log_level"},
    {"log-json", kind::boolean, "log_json"},
    {"log-file", kind::string, "log_file"},
    {"log-rotate-bytes", kind::integer, "log_rotate_bytes"},
    {"log-rotate-duration", kind::string, "log_rotate_duration"},
    {"log-rotate-max-files", kind::integer, "log_rotate_max_files"},
    {"max-query-time", kind::string, "max_query_time"},
    {"node", kind::string, "node_name"},
    {"node-id", kind::string, "node_id"},
    {"node-meta", kind::string_map, "node_meta"},
    {"non-voting-server", kind::boolean, "read_replica"},
    {"read-replica", kind::boolean, "read_replica"},
    {"pid-file", kind::string, "pid_file"},
    {"protocol", kind::integer, "protocol"},
    {"raft-protocol", kind::integer, "raft_protocol"},
    {"recursor", kind::strings, "recursors"},
    {"primary-gateway", kind::strings, "primary_gateways"},
    {"rejoin", kind::boolean, "rejoin_after_leave"},
    {"auto-reload-config", kind::boolean, "auto_reload_config"},
    {"retry-interval", kind::string, "retry_interval"},
    {"retry-interval-wan", kind::string, "retry_interval_wan"},
    {"retry-join", kind::strings, "retry_join"},
    {"retry-join-wan", kind::strings, "retry_join_wan"},
    {"retry-max", kind::integer, "retry_max"},
    {"retry-max-wan", kind::integer, "retry_max_wan"},
    {"serf-lan-allowed-cidrs", kind::strings, "serf_lan_allowed_cidrs"},
    {"serf-wan-allowed-cidrs", kind::strings, "serf_wan_allowed_cidrs"},
    {"serf-lan-bind", kind::string, "serf_lan"},
    {"serf-lan-port", kind::integer, "ports.serf_lan"},
    {"segment", kind::string, "segment"},
    {"serf-wan-bind", kind::string, "serf_wan"},
    {"serf-wan-port", kind::integer, "ports.serf_wan"},
    {"server", kind::boolean, "server"},
    {"syslog", kind::boolean, "enable_syslog"},
    {"ui", kind::boolean, "ui_config.enabled"},
    {"ui-content-path", kind::string, "ui_config.content_path"},
    {"ui-dir", kind::string, "ui_config.dir"},
    {"hcl", kind::hcl, ""},
    // coconsul's own: Consul's fixed timers made configurable for tests, and fault injection.
    {"check-reap-interval", kind::duration, "reap_interval"},
    {"check-deregister-min", kind::duration, "deregister_minimum"},
    {"check-min-interval", kind::duration, "check_min_interval"},
    {"session-ttl-min", kind::duration, "session_ttl_min"},
    {"fault-latency", kind::duration, "fault_latency"},
    {"fault-error", kind::fault_error, ""},
};

[[noreturn]] void fail(const std::string& why) { throw config_error("error parsing flags: " + why); }

// strconv.Atoi's outcome and error text.
long long go_atoi(const std::string& flag, const std::string& v) {
  long long n = 0;
  const char* b = v.data();
  const char* e = b + v.size();
  if (!v.empty() && *b == '+') ++b;
  auto [p, ec] = std::from_chars(b, e, n);
  std::string why;
  if (v.empty() || ec == std::errc::invalid_argument || p != e) why = "invalid syntax";
  else if (ec == std::errc::result_out_of_range) why = "value out of range";
  if (!why.empty())
    fail("invalid value \"" + v + "\" for flag -" + flag + ": strconv.Atoi: parsing \"" + v + "\": " + why);
  return n;
}

// strconv.ParseBool.
std::optional<bool> go_bool(const std::string& v) {
  if (v == "1" || v == "t" || v == "T" || v == "true" || v == "TRUE" || v == "True") return true;
  if (v == "0" || v == "f" || v == "F" || v == "false" || v == "FALSE" || v == "False") return false;
  return std::nullopt;
}

// Sets `value` at the dotted `key` inside `root`.
void set_key(json::object& root, std::string_view key, json::value value) {
  json::object* o = &root;
  for (auto dot = key.find('.'); dot != std::string_view::npos; dot = key.find('.')) {
    std::string part(key.substr(0, dot));
    if (!o->contains(part)) (*o)[part] = json::object();
    o = &(*o)[part].get_object();
    key = key.substr(dot + 1);
  }
  (*o)[std::string(key)] = std::move(value);
}

json::value& slot(json::object& root, std::string_view key, json::value init) {
  json::object* o = &root;
  for (auto dot = key.find('.'); dot != std::string_view::npos; dot = key.find('.')) {
    std::string part(key.substr(0, dot));
    if (!o->contains(part)) (*o)[part] = json::object();
    o = &(*o)[part].get_object();
    key = key.substr(dot + 1);
  }
  std::string last(key);
  if (!o->contains(last)) (*o)[last] = std::move(init);
  return (*o)[last];
}

std::chrono::milliseconds duration_value(const std::string& flag, const std::string& v) {
  auto d = try_parse_duration(v);
  if (!d) fail("invalid value \"" + v + "\" for flag -" + flag + ": time: invalid duration \"" + v + "\"");
  return std::chrono::duration_cast<std::chrono::milliseconds>(*d);
}

}  // namespace

agent_flags parse_agent_flags(const std::vector<std::string>& args) {
  agent_flags f;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    // Go's flag package: parsing stops at "--" and at the first argument that is not a flag.
    if (arg == "--") {
      ++i;
      if (i < args.size()) fail("unexpected argument \"" + args[i] + "\"");
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') fail("unexpected argument \"" + arg + "\"");
    std::string name = arg.substr(arg[1] == '-' ? 2 : 1);
    if (name.empty() || name[0] == '-' || name[0] == '=') fail("bad flag syntax: " + arg);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (name == "h" || name == "help") {
      f.help = true;
      return f;
    }
    const flag_rule* rule = nullptr;
    for (const auto& r : flag_table)
      if (r.name == name) rule = &r;
    if (!rule) fail("flag provided but not defined: -" + name);
    bool is_bool = rule->k == kind::boolean || rule->k == kind::dev;
    if (is_bool) {
      bool b = true;
      if (value) {
        auto parsed = go_bool(*value);
        if (!parsed)
          fail("invalid boolean value \"" + *value + "\" for -" + name + ": strconv.ParseBool: parsing \"" + *value +
               "\": invalid syntax");
        b = *parsed;
      }
      if (rule->k == kind::dev) f.dev = b;
      else set_key(f.values, rule->key, b);
      continue;
    }
    if (!value) {
      if (i + 1 >= args.size()) fail("flag needs an argument: -" + name);
      value = args[++i];
    }
    const std::string& v = *value;
    switch (rule->k) {
      case kind::string: set_key(f.values, rule->key, json::string(v)); break;
      case kind::integer: set_key(f.values, rule->key, go_atoi(name, v)); break;
      case kind::strings: slot(f.slice_values, rule->key, json::array()).get_array().emplace_back(v); break;
      case kind::string_map: {
        auto colon = v.find(':');
        std::string k = v.substr(0, colon);
        std::string val = colon == std::string::npos ? "" : v.substr(colon + 1);
        slot(f.values, rule->key, json::object()).get_object()[k] = val;
        break;
      }
      case kind::paths: f.config_paths.push_back(v); break;
      case kind::format: f.config_format = v; break;
      case kind::hcl: f.hcl.push_back(v); break;
      case kind::duration: {
        auto d = duration_value(name, v);
        if (rule->key == "reap_interval") f.reap_interval = d;
        else if (rule->key == "deregister_minimum") f.deregister_minimum = d;
        else if (rule->key == "check_min_interval") f.check_min_interval = d;
        else if (rule->key == "session_ttl_min") f.session_ttl_min = d;
        else f.fault_latency = d;
        break;
      }
      case kind::fault_error: {
        auto colon = v.find(':');
        std::string status = v.substr(0, colon);
        std::string frac = colon == std::string::npos ? "1" : v.substr(colon + 1);
        char* end = nullptr;
        errno = 0;
        unsigned long s = std::strtoul(status.c_str(), &end, 10);
        bool ok = !status.empty() && *end == '\0' && s >= 100 && s <= 599;
        double fr = std::strtod(frac.c_str(), &end);
        ok = ok && !frac.empty() && *end == '\0' && fr >= 0 && fr <= 1;
        if (!ok) fail("invalid value \"" + v + "\" for flag -fault-error: not STATUS:FRACTION (e.g. 500:0.1)");
        f.fault_status = static_cast<unsigned>(s);
        f.fault_fraction = fr;
        break;
      }
      default: break;
    }
  }
  return f;
}

std::vector<std::string> agent_flag_names() {
  std::vector<std::string> names;
  for (const auto& r : flag_table) names.emplace_back(r.name);
  return names;
}

const std::string& agent_flags_usage() {
  static const std::string text = R"(Usage: coconsul agent [options]

Runs a single-node, in-memory, Consul-compatible agent for development and tests, in place of
`consul agent` (with or without -dev). Never use it in production: production is a real Consul
cluster. It takes Consul's flags and JSON config files; docs/dev-agent.md ("Command line and
config files") lists what each one does here: used, accepted and ignored, or refused.

Consul's flags that change what the agent does or reports:
  -dev                       development mode (everything is in memory either way)
  -config-file FILE          a JSON config file (repeatable)
  -config-dir DIR            every .json file of a directory, by name (repeatable)
  -config-format json        read config files as JSON whatever their extension
  -node NAME                 node name (default: the host name)
  -node-id UUID              node ID (default: a fresh one)
  -node-meta KEY:VALUE       node metadata (repeatable)
  -datacenter DC             datacenter (default dc1)
  -client ADDR               the HTTP (and DNS) listener's address (default 127.0.0.1)
  -bind ADDR                 the cluster address the agent reports (default 127.0.0.1 in -dev)
  -http-port PORT            HTTP API port (default 8500; -1 disables; 0 picks a free port)
  -dns-port PORT             DNS port (default 8600; -1 disables; 0 picks a free port)
  -https-port, -grpc-port, -grpc-tls-port, -serf-lan-port, -serf-wan-port, -server-port PORT
                             reported as Consul reports them; nothing listens there
  -server, -bootstrap, -bootstrap-expect N, -data-dir DIR, -encrypt KEY
                             checked as Consul checks them, reported; no cluster, no files
  -ui                        serve the web UI at /ui/ (on in -dev)
  -log-level LEVEL           trace, debug, info, warn, err or error (and off), any case
  -log-json                  log lines as JSON (@level, @message, @module, @timestamp)
  Every other flag of `consul agent` is accepted and listed at start as ignored; -hcl and HCL
  files are refused (write the configuration as JSON).

coconsul's own: Consul's fixed timers, made configurable for tests (Go durations):
  -check-reap-interval DUR   how often critical services are reaped (default 30s)
  -check-deregister-min DUR  minimum DeregisterCriticalServiceAfter (default 1m)
  -check-min-interval DUR    minimum check interval (default 1s)
  -session-ttl-min DUR       minimum session TTL (default 10s)
Fault injection:
  -fault-latency DUR         delay every response
  -fault-error STATUS:FRAC   answer a fraction of requests with STATUS (e.g. 500:0.1)

The agent prints Consul's banner, "HTTP address: IP:PORT" once it listens, then "Consul agent
running!". SIGHUP reloads the config files' service and check definitions (as PUT
/v1/agent/reload does); SIGINT or SIGTERM stops it.
)";
  return text;
}

}  // namespace coconsul::dev::config
