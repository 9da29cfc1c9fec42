// `coconsul connect ca get-config|set-config`: Consul's `consul connect ca` verbs, with its
// flags, output and messages (command/connect/ca/). The other `connect` verbs (envoy, proxy,
// redirect-traffic) are not here: coconsul runs no proxy.
#include "cli/commands.hpp"

#include "cli/command_support.hpp"
#include "core/json_parse.hpp"
#include "dev_agent/http/json_in.hpp"
#include "dev_agent/http/json_out.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/string.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>

namespace coconsul::cli {
namespace {
namespace json = boost::json;

constexpr std::string_view connect_usage = R"(Usage: coconsul connect <subcommand> [options]

Interacts with Consul's service mesh, as `consul connect` does.

Subcommands:
  ca get-config      display the Connect CA configuration
  ca set-config      modify the Connect CA configuration (-config-file FILE)
)";

constexpr std::string_view ca_usage = R"(Usage: coconsul connect ca <subcommand> [options] [args]

  This command has subcommands for interacting with Consul Connect's
  Certificate Authority (CA).

  Get the configuration:

      $ coconsul connect ca get-config

  Update the configuration:

      $ coconsul connect ca set-config -config-file ca.json
)";

constexpr std::string_view get_usage = R"(Usage: coconsul connect ca get-config [options]

  Displays the current Connect Certificate Authority (CA) configuration.

Options:
  -stale              let any server answer (accepted as Consul's; one agent is its own server)
)";

constexpr std::string_view set_usage = R"(Usage: coconsul connect ca set-config [options]

  Modifies the current Connect Certificate Authority (CA) configuration.

Options:
  -config-file FILE              the path to the config file to use (JSON, Consul's CAConfig)
  -force-without-cross-signing   go ahead even if the current CA cannot cross-sign the new root
)";

// What Consul's Go API client says of a failed request: an HTTP status with Consul's text
// (api.StatusError), else the transport's own words.
std::string api_error(const error_code& ec, const diagnostics& diag) {
  if (diag.http_status != 0)
    return "Unexpected response code: " + std::to_string(diag.http_status) + " (" + diag.message + ")";
  return diag.message.empty() ? ec.message() : diag.message;
}

// Go marshals a map's keys in sorted order, at every level (the decoded Config is a
// map[string]interface{}).
json::value sorted(const json::value& v) {
  if (const auto* a = v.if_array()) {
    json::array out;
    for (const auto& e : *a) out.push_back(sorted(e));
    return out;
  }
  const auto* o = v.if_object();
  if (!o) return v;
  std::vector<const json::key_value_pair*> members;
  for (const auto& m : *o) members.push_back(&m);
  std::sort(members.begin(), members.end(), [](auto* x, auto* y) { return x->key() < y->key(); });
  json::object out;
  for (const auto* m : members) out[m->key()] = sorted(m->value());
  return out;
}

// api.CAConfig as Go's encoding/json writes it: its fields in declaration order, the maps sorted.
json::object as_api_ca_config(const json::object& in) {
  auto get = [&](std::string_view key) -> const json::value* { return in.if_contains(key); };
  json::object out;
  const json::value* provider = get("Provider");
  out["Provider"] = provider && provider->is_string() ? *provider : json::value("");
  const json::value* config = get("Config");
  out["Config"] = config && config->is_object() ? sorted(*config) : json::value(nullptr);
  const json::value* state = get("State");
  out["State"] = state && state->is_object() ? sorted(*state) : json::value(nullptr);
  const json::value* force = get("ForceWithoutCrossSigning");
  out["ForceWithoutCrossSigning"] = force && force->is_bool() ? force->get_bool() : false;
  for (const char* index : {"CreateIndex", "ModifyIndex"}) {
    const json::value* n = get(index);
    out[index] = n && n->is_number() ? *n : json::value(0);
  }
  return out;
}

boost::asio::awaitable<int> get_config(coconsul::client& c) {
  auto [ec, diag, text] = co_await c.connect().ca_configuration_json(
      query_options(), coconsul::pass_diagnostics(boost::asio::as_tuple(boost::asio::use_awaitable)));
  if (ec) {
    std::cerr << "Error querying CA configuration: " << api_error(ec, diag) << "\n";
    co_return exit_failed;
  }
  boost::system::error_code parse_failed;
  json::value body = core::parse_json(text, parse_failed);
  if (parse_failed || !body.is_object()) {
    std::cerr << "Error querying CA configuration: the agent's answer is not a JSON object\n";
    co_return exit_failed;
  }
  std::cout << dev::render_indented(as_api_ca_config(body.get_object()), "\t") << "\n";
  co_return exit_ok;
}

int run_get_config(int argc, char** argv) {
  bool stale = false;
  command_line cmd("connect ca get-config", get_usage);
  cmd.flags().add_switch("stale", stale);
  if (auto exit = cmd.parse(argc, argv, 0, 0)) return *exit;
  return cmd.run([&](coconsul::client& c) { return get_config(c); });
}

// Go's os.ReadFile error ("open ca.json: no such file or directory"), or the file's bytes.
std::optional<std::string> read_file(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::string why = std::strerror(errno);
    if (!why.empty()) why[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(why[0])));
    error = "open " + path + ": " + why;
    return std::nullopt;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    std::string why = std::strerror(errno);
    if (!why.empty()) why[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(why[0])));
    error = "read " + path + ": " + why;
    return std::nullopt;
  }
  return bytes;
}

// The file as Go's json.Unmarshal reads it into api.CAConfig: keys matched case-insensitively,
// unknown keys and nulls ignored, a wrong type named by its field. Throws
// dev::body_decode_error with Go's text, as the dev agent's own decoding does.
json::object decode_ca_config(const std::string& text) {
  json::value v = dev::parse_body(text);
  json::object out;
  if (v.is_null()) return out;  // null leaves the struct empty
  if (!v.is_object()) dev::throw_type_error(v, dev::json_context{"CAConfig", ""}, "api.CAConfig");
  for (const auto& m : v.get_object()) {
    if (m.value().is_null()) continue;
    auto is = [&](std::string_view name) { return boost::beast::iequals(m.key(), name); };
    auto at = [&](std::string_view name) { return dev::json_context{"CAConfig", std::string(name)}; };
    if (is("Provider")) {
      std::string provider;
      dev::assign(m.value(), provider, at("Provider"));
      out["Provider"] = provider;
    } else if (is("Config")) {
      if (!m.value().is_object()) dev::throw_type_error(m.value(), at("Config"), "map[string]interface {}");
      out["Config"] = m.value();
    } else if (is("State")) {
      std::map<std::string, std::string> state;
      dev::assign(m.value(), state, at("State"));
      json::object o;
      for (const auto& [k, s] : state) o[k] = s;
      out["State"] = std::move(o);
    } else if (is("ForceWithoutCrossSigning")) {
      bool force = false;
      dev::assign(m.value(), force, at("ForceWithoutCrossSigning"));
      out["ForceWithoutCrossSigning"] = force;
    } else if (is("CreateIndex") || is("ModifyIndex")) {
      std::string_view name = is("CreateIndex") ? "CreateIndex" : "ModifyIndex";
      std::uint64_t index = 0;
      dev::assign(m.value(), index, at(name));
      out[name] = index;
    }
  }
  return out;
}

boost::asio::awaitable<int> set_config(coconsul::client& c, std::string body) {
  auto [ec, diag] = co_await c.connect().set_ca_configuration_json(
      std::move(body), write_options(), coconsul::pass_diagnostics(boost::asio::as_tuple(boost::asio::use_awaitable)));
  if (ec) {
    std::cerr << "Error setting CA configuration: " << api_error(ec, diag) << "\n";
    co_return exit_failed;
  }
  std::cout << "Configuration updated!\n";
  co_return exit_ok;
}

int run_set_config(int argc, char** argv) {
  std::string file;
  bool force = false;
  command_line cmd("connect ca set-config", set_usage);
  cmd.flags().add_value("config-file", file);
  cmd.flags().add_switch("force-without-cross-signing", force);
  if (auto exit = cmd.parse(argc, argv, 0, 0)) return *exit;
  // Consul's order and words: the flag, then reading, then parsing; each failure exits 1.
  if (file.empty()) {
    std::cerr << "The -config-file flag is required\n";
    return exit_failed;
  }
  std::string error;
  auto text = read_file(file, error);
  if (!text) {
    std::cerr << "Error reading config file: " << error << "\n";
    return exit_failed;
  }
  json::object config;
  try {
    config = decode_ca_config(*text);
  } catch (const dev::body_decode_error& e) {  // the decoding's one way to say what was wrong
    // parse_body speaks as Go's Decoder of a short input; json.Unmarshal says this instead.
    std::string what = e.what();
    if (what == "EOF" || what == "unexpected EOF") what = "unexpected end of JSON input";
    std::cerr << "Error parsing config file: " << what << "\n";
    return exit_failed;
  }
  // As Consul's: the flag, not the file, decides ForceWithoutCrossSigning; the body is the
  // decoded api.CAConfig written back.
  config["ForceWithoutCrossSigning"] = force;
  std::string body = dev::render_compact(as_api_ca_config(config));
  return cmd.run([body](coconsul::client& c) { return set_config(c, body); });
}

int run_connect_ca_command(int argc, char** argv) {
  const std::string usage = std::string(ca_usage) + std::string(connection_usage);
  return run_subcommand("connect ca", usage, argc, argv,
                        {{"get-config", run_get_config}, {"set-config", run_set_config}});
}

}  // namespace

int run_connect_command(int argc, char** argv) {
  const std::string usage = std::string(connect_usage) + std::string(connection_usage);
  return run_subcommand("connect", usage, argc, argv, {{"ca", run_connect_ca_command}});
}

}  // namespace coconsul::cli
