// Consul's command line and config files: the loader without I/O (merge order, every refusal
// with Consul's text, the keys listed as ignored, definitions as API bodies, the JSON log
// line), and definitions from config registered and re-applied by PUT /v1/agent/reload
// through a live agent.
// Over 500 lines: one case per config rule and refusal text, sharing the loader helpers.
#define BOOST_TEST_MODULE dev_agent_config
#include <boost/test/unit_test.hpp>

#include "agent_client.hpp"
#include "agent_fixture.hpp"

#include "dev_agent/common/log.hpp"
#include "dev_agent/config/config_error.hpp"
#include "dev_agent/config/flags.hpp"
#include "dev_agent/config/keys.hpp"
#include "dev_agent/config/load.hpp"
#include "dev_agent/endpoints/definitions.hpp"
#include "dev_agent/http/json_in.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>

using namespace coconsul;
using namespace coconsul::dev::config;
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

agent_flags flags_of(std::vector<std::string> args) { return parse_agent_flags(args); }

source json_file(std::string name, std::string text) { return source{std::move(name), "json", std::move(text)}; }

load_result load_of(std::vector<std::string> args, std::vector<source> files = {}, std::uint64_t max_fds = 0) {
  return load(flags_of(std::move(args)), files, max_fds);
}

// The text of the config_error that loading throws ("" when it does not throw).
std::string refusal(std::vector<std::string> args, std::vector<source> files = {}, std::uint64_t max_fds = 0) {
  try {
    load_of(std::move(args), std::move(files), max_fds);
  } catch (const config_error& e) {
    return e.what();
  }
  return "";
}

std::string flag_refusal(std::vector<std::string> args) {
  try {
    parse_agent_flags(args);
  } catch (const config_error& e) {
    return e.what();
  }
  return "";
}

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

BOOST_AUTO_TEST_SUITE(flags)

BOOST_AUTO_TEST_CASE(go_flag_forms) {
  auto f = flags_of({"-dev", "--node=n1", "-datacenter", "DC2", "-server=false", "-http-port", "-1",
                     "-node-meta", "a:1", "-node-meta=b:x:y", "-retry-join", "h1", "--retry-join=h2",
                     "-config-file", "a.json", "-config-dir", "d", "-config-file=b.json", "-check-reap-interval", "50ms"});
  BOOST_TEST(f.dev);
  BOOST_TEST(f.values.at("node_name").as_string() == "n1");
  BOOST_TEST(f.values.at("datacenter").as_string() == "DC2");
  BOOST_TEST(f.values.at("server").as_bool() == false);
  BOOST_TEST(f.values.at("ports").at("http").as_int64() == -1);
  BOOST_TEST(json::serialize(f.values.at("node_meta")) == R"({"a":"1","b":"x:y"})");
  BOOST_TEST(json::serialize(f.slice_values.at("retry_join")) == R"(["h1","h2"])");
  BOOST_TEST((f.config_paths == std::vector<std::string>{"a.json", "d", "b.json"}));
  BOOST_REQUIRE(f.reap_interval.has_value());
  BOOST_TEST(f.reap_interval->count() == 50);
}

BOOST_AUTO_TEST_CASE(refusals_have_gos_flag_texts) {
  BOOST_TEST(flag_refusal({"-bogus"}) == "error parsing flags: flag provided but not defined: -bogus");
  BOOST_TEST(flag_refusal({"-node"}) == "error parsing flags: flag needs an argument: -node");
  BOOST_TEST(flag_refusal({"-http-port", "x"}) ==
             "error parsing flags: invalid value \"x\" for flag -http-port: strconv.Atoi: parsing \"x\": invalid syntax");
  BOOST_TEST(flag_refusal({"-server=maybe"}) ==
             "error parsing flags: invalid boolean value \"maybe\" for -server: strconv.ParseBool: parsing \"maybe\": "
             "invalid syntax");
  // "-server false": Go's flag package stops at "false", which is not a flag.
  BOOST_TEST(flag_refusal({"-server", "false"}) == "error parsing flags: unexpected argument \"false\"");
  BOOST_TEST(flag_refusal({"-fault-error", "oops"}).find("not STATUS:FRACTION") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(help) { BOOST_TEST(flags_of({"-dev", "-h"}).help); }

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(loading)

BOOST_AUTO_TEST_CASE(defaults_with_and_without_dev) {
  auto dev = load_of({"-dev"});
  BOOST_TEST(dev.options.dev_mode);
  BOOST_TEST(dev.options.server);
  BOOST_TEST(dev.options.ui_enabled);
  BOOST_TEST(dev.options.connect.enabled);
  BOOST_TEST(dev.options.port == 8500);
  BOOST_TEST(dev.options.serve_http);
  BOOST_REQUIRE(dev.options.dns_port.has_value());
  BOOST_TEST(*dev.options.dns_port == 8600);
  BOOST_TEST(dev.options.ports.grpc == 8502);
  BOOST_TEST(dev.options.bind_address == "127.0.0.1");
  BOOST_TEST(dev.bind_addr == "127.0.0.1");
  BOOST_TEST((dev.options.level == dev_agent_options::log_level::debug));
  BOOST_TEST(dev.ignored.empty());

  auto plain = load_of({"-data-dir", "/tmp/d"});
  BOOST_TEST(!plain.options.dev_mode);
  BOOST_TEST(!plain.options.server);
  BOOST_TEST(!plain.options.ui_enabled);
  BOOST_TEST(!plain.options.connect.enabled);
  BOOST_TEST(plain.options.ports.grpc == -1);
  BOOST_TEST(plain.bind_addr == "0.0.0.0");
  BOOST_TEST((plain.options.level == dev_agent_options::log_level::info));
  BOOST_TEST(plain.ignored.empty());  // data_dir is used: the ACL bootstrap reset file is read there
}

BOOST_AUTO_TEST_CASE(later_scalars_win_lists_append_maps_merge) {
  auto r = load_of({"-dev", "-node", "from-flag", "-retry-join", "flag-host", "-node-meta", "k3:flag"},
                   {json_file("a.json", R"({"node_name":"a","datacenter":"DCA","node_meta":{"k1":"a","k2":"a"},
                                           "retry_join":["a-host"],"ports":{"http":1111,"dns":2222},
                                           "service":{"name":"one"},"services":[{"name":"two"}]})"),
                    json_file("b.json", R"({"node_name":"b","node_meta":{"k2":"b"},"ports":{"http":3333},
                                           "services":[{"name":"three"}],"service":{"name":"four"}})")});
  BOOST_TEST(r.options.node_name == "from-flag");  // flags' values come after the files
  BOOST_TEST(r.options.datacenter == "dca");       // lower-cased, as Consul does
  BOOST_TEST(r.options.port == 3333);
  BOOST_TEST(*r.options.dns_port == 2222);
  BOOST_TEST((r.options.node_meta == std::map<std::string, std::string>{{"k1", "a"}, {"k2", "b"}, {"k3", "flag"}}));
  BOOST_REQUIRE(r.options.service_definitions.size() == 4u);
  // Each source's single `service` joins its `services`; sources append in order.
  std::vector<std::string> names;
  for (const auto& s : r.options.service_definitions) names.emplace_back(json::parse(s).at("name").as_string());
  BOOST_TEST((names == std::vector<std::string>{"two", "one", "three", "four"}));
  BOOST_TEST(has(r.ignored, "retry_join"));
}

BOOST_AUTO_TEST_CASE(keys_match_case_insensitively) {
  auto r = load_of({"-dev"}, {json_file("a.json", R"({"NODE_NAME":"x","Ports":{"HTTP":-1}})")});
  BOOST_TEST(r.options.node_name == "x");
  BOOST_TEST(!r.options.serve_http);
}

BOOST_AUTO_TEST_CASE(ports_below_zero_disable_zero_picks_a_free_port) {
  auto off = load_of({"-dev", "-http-port", "-1", "-dns-port", "-1", "-grpc-port", "0"});
  BOOST_TEST(!off.options.serve_http);
  BOOST_TEST(!off.options.dns_port.has_value());
  BOOST_TEST(off.options.ports.grpc == -1);  // reported ports <= 0 are -1, as in Consul
  auto any = load_of({"-dev", "-http-port", "0", "-dns-port", "0"});
  BOOST_TEST(any.options.serve_http);
  BOOST_TEST(any.options.port == 0);
  BOOST_TEST(*any.options.dns_port == 0);
}

// What HashiCorp's sdk/testutil server writes (sdk/testutil/server.go).
BOOST_AUTO_TEST_CASE(the_go_test_servers_config_is_accepted) {
  auto r = load_of({}, {json_file("config.json", R"({
    "node_name": "node-7b0b2b7a-5f34-4c4f-bd8b-2ab6f1a0c5d3", "node_id": "7B0B2B7A-5F34-4C4F-BD8B-2AB6F1A0C5D3",
    "performance": {"raft_multiplier": 1}, "bootstrap": true, "server": true, "log_level": "debug",
    "bind_addr": "127.0.0.1", "addresses": {},
    "ports": {"dns": 20001, "http": 20002, "https": 20003, "serf_lan": 20004, "serf_wan": 20005,
              "server": 20006, "grpc": 20007, "grpc_tls": 20008},
    "data_dir": "/tmp/consul-test/data", "segments": null, "disable_update_check": true,
    "skip_leave_on_interrupt": true, "acl": {"tokens": {"master": "root", "agent_master": "towel"}},
    "connect": {"enabled": true, "ca_config": {"cluster_id": "11111111-2222-3333-4444-555555555555"}},
    "peering": {"enabled": true}})")});
  const auto& o = r.options;
  BOOST_TEST(o.node_name == "node-7b0b2b7a-5f34-4c4f-bd8b-2ab6f1a0c5d3");
  BOOST_TEST(o.node_id == "7b0b2b7a-5f34-4c4f-bd8b-2ab6f1a0c5d3");  // lower-cased, as Consul
  BOOST_TEST(o.port == 20002);
  BOOST_TEST(*o.dns_port == 20001);
  BOOST_TEST(o.ports.https == 20003);
  BOOST_TEST(o.ports.grpc_tls == 20008);
  BOOST_TEST(o.server);
  BOOST_TEST(o.bootstrap);
  BOOST_TEST(!o.dev_mode);
  BOOST_TEST(o.connect.enabled);
  BOOST_TEST(o.connect.cluster_id == "11111111-2222-3333-4444-555555555555");
  BOOST_TEST((o.level == dev_agent_options::log_level::debug));
  BOOST_TEST((r.ignored == std::vector<std::string>{"disable_update_check", "peering", "skip_leave_on_interrupt"}));
  // The test server's older ACL spellings mean what the new ones do, with Consul's warnings.
  BOOST_TEST(o.acl.tokens.initial_management == "root");
  BOOST_TEST(o.acl.tokens.agent_recovery == "towel");
  BOOST_TEST(!o.acl.enabled);
  BOOST_TEST(o.acl.data_dir == "/tmp/consul-test/data");
  BOOST_TEST(has(r.warnings, "The 'acl.tokens.master' field is deprecated. Use the 'acl.tokens.initial_management' field instead."));
  BOOST_TEST(has(r.warnings, "The 'acl.tokens.agent_master' field is deprecated. Use the 'acl.tokens.agent_recovery' field instead."));
}

BOOST_AUTO_TEST_CASE(the_acl_block_and_its_older_top_level_keys) {
  auto r = load_of({"-dev"}, {json_file("a.json", R"({
    "acl": {"enabled": true, "default_policy": "deny", "down_policy": "async-cache", "enable_key_list_policy": true,
            "token_ttl": "45s", "tokens": {"initial_management": "new", "default": "d", "agent": "a",
            "agent_recovery": "r", "replication": "p"}},
    "acl_master_token": "old", "acl_token": "old-default"})")});
  const auto& a = r.options.acl;
  BOOST_TEST(a.enabled);
  BOOST_TEST(a.default_policy == "deny");
  BOOST_TEST(a.down_policy == "async-cache");
  BOOST_TEST(a.enable_key_list_policy);
  BOOST_TEST(a.token_ttl.count() == 45);
  BOOST_TEST(a.tokens.initial_management == "new");  // the new key wins
  BOOST_TEST(a.tokens.default_token == "d");
  BOOST_TEST(a.tokens.agent == "a");
  BOOST_TEST(a.tokens.agent_recovery == "r");
  BOOST_TEST(a.tokens.replication == "p");
  BOOST_TEST(has(r.warnings, "The 'acl_master_token' field is deprecated. Use the 'acl.tokens.initial_management' field instead."));
  BOOST_TEST(has(r.warnings, "The 'acl_token' field is deprecated. Use the 'acl.tokens.default' field instead."));

  auto old = load_of({"-dev"}, {json_file("b.json", R"({"acl_datacenter": "dc1", "acl_default_policy": "deny",
    "acl_master_token": "m", "acl_agent_master_token": "am", "acl_agent_token": "at", "acl_ttl": "10s"})")});
  const auto& o = old.options.acl;
  BOOST_TEST(o.enabled);  // acl_datacenter turned ACLs on
  BOOST_TEST(o.default_policy == "deny");
  BOOST_TEST(o.tokens.initial_management == "m");
  BOOST_TEST(o.tokens.agent_recovery == "am");
  BOOST_TEST(o.tokens.agent == "at");
  BOOST_TEST(o.token_ttl.count() == 10);
  BOOST_TEST(has(old.warnings, "The 'acl_datacenter' field is deprecated. Use the 'primary_datacenter' field instead."));
  BOOST_TEST(has(old.warnings, "The 'acl_default_policy' field is deprecated. Use the 'acl.default_policy' field instead."));

  BOOST_TEST(refusal({"-dev"}, {json_file("c.json", R"({"acl": {"down_policy": "maybe"}})")}) ==
             "invalid ACL down policy \"maybe\"");
  BOOST_TEST(refusal({"-dev"}, {json_file("d.json", R"({"acl": {"default_policy": "perhaps"}})")}) ==
             "invalid ACL default policy \"perhaps\"");
}

BOOST_AUTO_TEST_CASE(the_blocks_that_fill_options) {
  auto r = load_of({"-dev"}, {json_file("a.json", R"({
    "limits": {"http_max_conns_per_client": 7}, "http_config": {"max_header_bytes": 1000},
    "dns_config": {"only_passing": true, "udp_answer_limit": 5, "node_ttl": "10s", "service_ttl": {"web*": "1m"}},
    "domain": "example", "session_ttl_min": "1s", "ui_config": {"enabled": false}, "log_json": true,
    "connect": {"ca_config": {"LeafCertTTL": "1h", "private_key_type": "rsa", "private_key_bits": 2048,
                              "csr_max_per_second": 5}}})")});
  const auto& o = r.options;
  BOOST_TEST(o.limits.max_conns_per_client == 7u);
  BOOST_TEST(o.limits.max_header_bytes == 1000u + 4096u);
  BOOST_TEST(o.dns.only_passing);
  BOOST_TEST(o.dns.udp_answer_limit == 5u);
  BOOST_TEST(o.dns.node_ttl.count() == 10);
  BOOST_TEST(o.dns.service_ttl.at("web*").count() == 60);
  BOOST_TEST(o.dns.domain == "example.");
  BOOST_TEST(o.session_ttl_min.count() == 1000);
  BOOST_TEST(!o.ui_enabled);
  BOOST_TEST(o.log_json);
  BOOST_TEST(o.connect.leaf_cert_ttl.count() == 3600);
  BOOST_TEST(o.connect.private_key_type == "rsa");
  BOOST_TEST(o.connect.private_key_bits == 2048);
  BOOST_TEST(has(r.ignored, "connect.ca_config.csr_max_per_second"));
}

BOOST_AUTO_TEST_CASE(refusals_have_consuls_texts) {
  BOOST_TEST(refusal({"-dev"}, {json_file("a.json", R"({"bogus":1})")}) ==
             "failed to parse a.json: 1 error occurred:\n\t* invalid config key bogus\n\n");
  BOOST_TEST(refusal({"-dev"}, {json_file("a.json", R"({"ports":{"htp":1},"zz":1})")}) ==
             "failed to parse a.json: 2 errors occurred:\n\t* invalid config key ports.htp\n\t* invalid config key zz\n\n");
  BOOST_TEST(refusal({"-dev"}, {json_file("a.json", R"({"ports":{"http":"80"}})")}) ==
             "failed to parse a.json: 1 error(s) decoding:\n\n* 'ports.http' expected type 'int', got unconvertible "
             "type 'string', value: '80'");
  BOOST_TEST(refusal({"-dev"}, {json_file("a.json", "[1]")}) ==
             "failed to parse a.json: json: cannot unmarshal array into Go value of type map[string]interface {}");
  BOOST_TEST(refusal({"-dev"}, {source{"a.hcl", "hcl", "node_name = \"x\""}}).find(
                 "failed to parse a.hcl: HCL is not supported by coconsul") == 0u);
  BOOST_TEST(refusal({"-dev", "-hcl", "node_name = \"x\""}).find("failed to parse flags-0.hcl: HCL is not supported") == 0u);
  BOOST_TEST(refusal({"-dev", "-config-format", "yaml"}) == "config: -config-format must be either 'hcl' or 'json'");
  BOOST_TEST(refusal({}) == "data_dir cannot be empty");
  BOOST_TEST(refusal({"-dev", "-bootstrap-expect", "3"}) == "'bootstrap_expect > 0' not allowed in dev mode");
  BOOST_TEST(refusal({"-data-dir", "d", "-bootstrap"}) == "'bootstrap = true' requires 'server = true'");
  BOOST_TEST(refusal({"-data-dir", "d", "-bootstrap-expect", "3"}) == "'bootstrap_expect > 0' requires 'server = true'");
  BOOST_TEST(refusal({"-data-dir", "d", "-server", "-bootstrap-expect", "-1"}) ==
             "bootstrap_expect cannot be -1. Must be greater than or equal to zero");
  BOOST_TEST(refusal({"-data-dir", "d", "-server", "-bootstrap", "-bootstrap-expect", "3"}) ==
             "'bootstrap_expect > 0' and 'bootstrap = true' are mutually exclusive");
  BOOST_TEST(refusal({"-dev"}, {json_file("a.json", R"({"performance":{"raft_multiplier":11}})")}) ==
             "performance.raft_multiplier cannot be 11. Must be between 1 and 10");
  BOOST_TEST(refusal({"-dev", "-http-port", "70000"}) == "1 error occurred:\n\t* ports.http: invalid port: 70000\n\n");
  BOOST_TEST(refusal({"-dev", "-datacenter", "dc 1"}) ==
             "datacenter can only contain lowercase alphanumeric, - or _ characters. received: \"dc 1\"");
  BOOST_TEST(refusal({"-dev", "-node-id", "abc"}) == "failed to setup node ID: uuid string is wrong length");
  BOOST_TEST(refusal({"-dev", "-node-id", "11111111x2222-3333-4444-555555555555"}) ==
             "failed to setup node ID: uuid is improperly formatted");
  BOOST_TEST(refusal({"-dev", "-node-id", "g1111111-2222-3333-4444-555555555555"}) ==
             "failed to setup node ID: encoding/hex: invalid byte: U+0067 'g'");
  BOOST_TEST(refusal({"-dev", "-node-meta", "consul-x:1"}) ==
             "node_meta invalid: Couldn't load metadata pair ('consul-x', '1'): Key prefix 'consul-' is reserved for "
             "internal use");
  BOOST_TEST(refusal({"-dev", "-log-level", "loud"}) ==
             "Invalid log level: loud. Valid log levels are: [TRACE DEBUG INFO WARN ERR ERROR]");
  BOOST_TEST(refusal({"-dev", "-encrypt", "not base64!"}) == "encrypt has invalid key: illegal base64 data at input byte 3");
  BOOST_TEST(refusal({"-dev", "-segment", "alpha"}) == "Network segments are not supported in this version of Consul");
  BOOST_TEST(refusal({"-dev"}, {}, 100) ==
             "system allows a max of 100 file descriptors, but limits.http_max_conns_per_client: 200 needs at least 220");
  BOOST_TEST(refusal({"-dev"}, {json_file("a.json", R"({"connect":{"ca_provider":"vault"}})")}).find(
                 "coconsul has only Consul's built-in CA") != std::string::npos);
  BOOST_TEST(refusal({"-dev"}, {json_file("a.json", R"({"connect":{"ca_config":{"cluster_id":"x"}}})")}).find(
                 "connect.ca_config.cluster_id: \"x\" is not a UUID") == 0u);
  BOOST_TEST(refusal({"-dev", "-client", "nowhere"}) == "1 error occurred:\n\t* client_addr: invalid ip address: nowhere\n\n");
  BOOST_TEST(refusal({"-dev", "-client", "{{ GetPrivateIP }}"}).find("go-sockaddr templates are not supported") !=
             std::string::npos);
}

// Numbers past int64 convert as Go's int64(float64) does on amd64 (the "integer indefinite"
// value), without undefined behaviour here. Found by the agent_config fuzzer's seed "numbers"
// under UBSan.
BOOST_AUTO_TEST_CASE(huge_numbers_convert_as_go_does) {
  BOOST_TEST(refusal({"-data-dir", "d", "-server"}, {json_file("a.json", R"({"bootstrap_expect":-1e30})")}) ==
             "bootstrap_expect cannot be -9223372036854775808. Must be greater than or equal to zero");
  BOOST_TEST(refusal({"-data-dir", "d", "-server"}, {json_file("a.json", R"({"bootstrap_expect":1e30})")}) ==
             "bootstrap_expect cannot be -9223372036854775808. Must be greater than or equal to zero");
  auto r = load_of({"-dev"}, {json_file("a.json", R"({"limits":{"http_max_conns_per_client":1e19},
                                                     "connect":{"ca_config":{"private_key_bits":1e300}}})")}, 1024);
  BOOST_TEST(r.options.limits.max_conns_per_client == 0u);  // negative: no cap
  BOOST_TEST(r.options.connect.private_key_bits == std::numeric_limits<int>::min());
  BOOST_TEST(refusal({"-dev"}, {json_file("a.json", R"({"limits":{"http_max_conns_per_client":9000000000000000000}})")},
                     1024) == "system allows a max of 1024 file descriptors, but limits.http_max_conns_per_client: "
                              "9000000000000000000 needs at least 9000000000000000020");
}

BOOST_AUTO_TEST_CASE(log_levels_in_any_case) {
  BOOST_TEST((load_of({"-dev", "-log-level", "ERR"}).options.level == dev_agent_options::log_level::error));
  BOOST_TEST((load_of({"-dev", "-log-level", "Warn"}).options.level == dev_agent_options::log_level::warn));
  BOOST_TEST((load_of({"-dev", "-log-level", "trace"}).options.level == dev_agent_options::log_level::trace));
}

BOOST_AUTO_TEST_CASE(warnings_in_consuls_words) {
  auto r = load_of({"-dev"}, {json_file("a.json", R"({"acl_enforce_version_8":true,"ui":true})")});
  BOOST_TEST(has(r.warnings, "config key \"acl_enforce_version_8\" is deprecated and should be removed"));
  BOOST_TEST(has(r.warnings, "The 'ui' field is deprecated. Use the 'ui_config.enabled' field instead."));
  auto one = load_of({"-data-dir", "d", "-server", "-bootstrap-expect", "1"});
  BOOST_TEST(one.options.bootstrap);
  BOOST_TEST(has(one.warnings, "BootstrapExpect is set to 1; this is the same as Bootstrap mode."));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(definitions)

// Config files spell keys in snake_case or CamelCase; both reach the HTTP API's decoder.
BOOST_AUTO_TEST_CASE(snake_and_camel_case_definitions_decode_as_the_api_does) {
  auto r = load_of({"-dev"}, {json_file("a.json", R"({
    "services": [
      {"name": "web", "id": "web-1", "port": 8080, "enable_tag_override": true, "tagged_addresses": {"lan_ipv4": {"address": "10.0.0.1", "port": 1}},
       "meta": {"my_key": "v"},
       "checks": [{"id": "web-ttl", "ttl": "30s", "deregister_critical_service_after": "1m"}]},
      {"Name": "api", "Port": 9090, "EnableTagOverride": true, "Check": {"CheckID": "api-ttl", "TTL": "10s"}}],
    "check": {"id": "disk", "name": "Disk", "args": ["/bin/true"], "interval": "10s", "service_id": "web-1"}})")});
  BOOST_REQUIRE(r.options.service_definitions.size() == 2u);
  auto web = dev::prepare_service_registration(dev::parse_body(r.options.service_definitions[0]));
  BOOST_TEST(web.service.id == "web-1");
  BOOST_TEST(web.service.enable_tag_override);
  BOOST_TEST(web.service.meta.at("my_key") == "v");
  BOOST_TEST(web.service.tagged_addresses.at("lan_ipv4").address == "10.0.0.1");
  BOOST_REQUIRE(web.checks.size() == 1u);
  BOOST_TEST(web.checks[0].check_id == "web-ttl");
  BOOST_TEST(web.checks[0].definition.ttl.count() == 30'000'000'000);
  auto api = dev::prepare_service_registration(dev::parse_body(r.options.service_definitions[1]));
  BOOST_TEST(api.service.enable_tag_override);
  BOOST_REQUIRE(api.checks.size() == 1u);
  BOOST_TEST(api.checks[0].check_id == "api-ttl");
  BOOST_REQUIRE(r.options.check_definitions.size() == 1u);
  auto disk = dev::prepare_check_registration(dev::parse_body(r.options.check_definitions[0]));
  BOOST_TEST(disk.check_id == "disk");
  BOOST_TEST(disk.service_id == "web-1");
  BOOST_TEST(disk.definition.script_args.size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(docs)

// docs/dev-agent.md's tables list every flag and every key the loader knows, so they cannot
// drift from the code.
BOOST_AUTO_TEST_CASE(the_docs_list_every_flag_and_key) {
  std::ifstream in(COCONSUL_DEV_AGENT_DOCS);
  BOOST_REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  std::string docs = text.str();
  for (const auto& name : agent_flag_names())
    BOOST_TEST(docs.find("| `-" + name + "` |") != std::string::npos, "flag -" << name << " missing from the docs");
  for (const auto& rule : all_keys()) {
    std::string row = "| `" + std::string(rule.path) + "` | ";
    auto at = docs.find(row);
    BOOST_TEST(at != std::string::npos, "key " << rule.path << " missing from the docs");
    if (at == std::string::npos) continue;
    bool says_used = docs.compare(at + row.size(), 5, "used:") == 0;
    BOOST_TEST(says_used == (rule.use == key_use::used), "key " << rule.path << ": the docs say otherwise");
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(logging)

BOOST_AUTO_TEST_CASE(json_lines_are_hclogs) {
  BOOST_TEST(dev::json_log_line("2024-05-01T10:00:00.000001Z", dev_agent_options::log_level::warn, "agent.http",
                                "a \"b\" <c>\n") ==
             R"({"@level":"warn","@message":"a \"b\" \u003cc\u003e\n","@module":"agent.http","@timestamp":"2024-05-01T10:00:00.000001Z"})");
  std::vector<std::string> lines;
  dev_agent_options o;
  o.level = dev_agent_options::log_level::info;
  o.log_json = true;
  o.log_sink = [&](std::string_view l) { lines.emplace_back(l); };
  dev::logger log(o);
  log.log(dev_agent_options::log_level::info, "agent", "hello");
  BOOST_REQUIRE(lines.size() == 1u);
  auto v = json::parse(lines[0]).as_object();
  BOOST_TEST(v.at("@level").as_string() == "info");
  BOOST_TEST(v.at("@message").as_string() == "hello");
  BOOST_TEST(v.at("@module").as_string() == "agent");
  BOOST_TEST(v.at("@timestamp").as_string().size() == std::string("2024-05-01T10:00:00.000000Z").size());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(live_agent)

std::vector<std::string> service_ids(const json::value& services) {
  std::vector<std::string> ids;
  for (const auto& kv : services.as_object()) ids.emplace_back(kv.key());
  return ids;
}

// The options a reload would read, changed by the test as a user edits the file.
struct editable_config {
  std::vector<std::string> services, checks;
  bool refuse = false;
};

BOOST_AUTO_TEST_CASE(definitions_registered_at_start_and_reapplied_by_reload) {
  auto file = std::make_shared<editable_config>();
  file->services = {R"({"Name":"web","Port":80,"Check":{"CheckID":"web-ttl","TTL":"30s"}})", R"({"Name":"db","Port":5432})"};
  file->checks = {R"({"id":"mem","name":"Memory","ttl":"30s"})"};
  dev_agent_options o = test::agent_test_options();
  o.service_definitions = file->services;
  o.check_definitions = file->checks;
  o.reload_source = [file] {
    if (file->refuse) throw config_error("failed to parse a.json: 1 error occurred:\n\t* invalid config key bogus\n\n");
    dev_agent_options fresh;
    fresh.service_definitions = file->services;
    fresh.check_definitions = file->checks;
    return fresh;
  };
  test::agent_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    auto c = test::agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/v1/agent/services");
    BOOST_TEST((service_ids(r.json()) == std::vector<std::string>{"db", "web"}));
    r = co_await c.get("/v1/agent/checks");
    BOOST_TEST(r.json().as_object().contains("mem"));
    BOOST_TEST(r.json().as_object().contains("web-ttl"));
    // A service registered through the API is not the config's: a reload keeps it.
    r = co_await c.put("/v1/agent/service/register", R"({"Name":"api"})");
    BOOST_TEST(r.status == 200u);
    r = co_await c.put("/v1/agent/check/pass/web-ttl");
    BOOST_TEST(r.status == 200u);

    // The user edits the file: db removed, web's port changed, mem unchanged, cache added.
    file->services = {R"({"Name":"web","Port":81,"Check":{"CheckID":"web-ttl","TTL":"30s"}})", R"({"Name":"cache"})"};
    r = co_await c.put("/v1/agent/reload");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.body == "");
    r = co_await c.get("/v1/agent/services");
    BOOST_TEST((service_ids(r.json()) == std::vector<std::string>{"api", "cache", "web"}));
    BOOST_TEST(r.json().at("web").at("Port").as_int64() == 81);

    // An unchanged check keeps its status; a definition re-registered starts again.
    auto before = co_await c.get("/v1/agent/checks");
    BOOST_TEST(before.json().at("mem").at("Status").as_string() == "critical");
    r = co_await c.put("/v1/agent/check/pass/mem");
    r = co_await c.put("/v1/agent/reload");
    BOOST_TEST(r.status == 200u);
    r = co_await c.get("/v1/agent/checks");
    BOOST_TEST(r.json().at("mem").at("Status").as_string() == "passing");

    // A configuration Consul would refuse: 500 with the reason, nothing changes.
    file->refuse = true;
    r = co_await c.put("/v1/agent/reload");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body.find("invalid config key bogus") != std::string::npos);
    file->refuse = false;
    file->services = {R"({"Name":"web","Port":"eighty"})"};
    r = co_await c.put("/v1/agent/reload");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body.find("failed to register service \"web\": json: cannot unmarshal string") == 0u);
    r = co_await c.get("/v1/agent/services");
    BOOST_TEST((service_ids(r.json()) == std::vector<std::string>{"api", "cache", "web"}));
    r = co_await c.get("/v1/agent/reload");
    BOOST_TEST(r.status == 405u);
  }());
}

BOOST_AUTO_TEST_CASE(a_bad_definition_stops_the_start) {
  dev_agent_options o = test::agent_test_options();
  o.service_definitions = {R"({"name":"web","meta":{"consul-x":"1"}})"};
  asio::io_context ioc;
  dev_agent agent(ioc.get_executor(), o);
  try {
    agent.start();
    BOOST_FAIL("started");
  } catch (const coconsul::error& e) {
    BOOST_TEST(e.message() ==
               "failed to register service \"web\": Invalid Service Meta: Key prefix 'consul-' is reserved for internal use");
  }
}

BOOST_AUTO_TEST_CASE(no_http_listener_with_port_minus_one) {
  dev_agent_options o = test::agent_test_options();
  o.serve_http = false;
  asio::io_context ioc;
  dev_agent agent(ioc.get_executor(), o);
  agent.start();
  BOOST_TEST(agent.port() == 0u);
  BOOST_TEST(agent.address() == "");
}

BOOST_AUTO_TEST_SUITE_END()
