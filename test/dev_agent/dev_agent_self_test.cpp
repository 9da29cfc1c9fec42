// What the agent says about itself (/v1/agent/self, members, host, metrics), Consul CE's answers
// to namespaces and partitions, the obsolete fields catalog/deregister still takes, and the
// query-meta headers: through raw HTTP and through the client.
#define BOOST_TEST_MODULE dev_agent_self
#include <boost/test/unit_test.hpp>

#include "agent_client.hpp"
#include "agent_fixture.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json.hpp>

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;
using coconsul::test::agent_client;
using coconsul::test::agent_fixture;

namespace {

coconsul::dev_agent_options self_options() {
  auto o = coconsul::test::agent_test_options();
  o.node_id = "5f1b2a3c-0d4e-4f60-8a7b-9c0d1e2f3a4b";
  o.node_meta = {{"zone", "a"}};
  o.ports.grpc = 18502;
  o.ports.serf_lan = 18301;
  return o;
}

}  // namespace

BOOST_AUTO_TEST_CASE(self_has_consuls_shape) {
  agent_fixture f(self_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/v1/agent/self");
    BOOST_TEST(r.status == 200u);
    auto self = r.json().as_object();
    for (const char* key : {"Config", "DebugConfig", "Coord", "Member", "Stats", "Meta", "xDS"})
      BOOST_TEST(self.contains(key), key);
    const auto& config = self.at("Config").as_object();
    BOOST_TEST(config.at("Version").as_string() == "1.14.0");
    BOOST_TEST(config.at("NodeID").as_string() == "5f1b2a3c-0d4e-4f60-8a7b-9c0d1e2f3a4b");
    BOOST_TEST(config.at("Server").as_bool());
    BOOST_TEST(!config.contains("Partition"));  // CE leaves it out
    const auto& debug = self.at("DebugConfig").as_object();
    BOOST_TEST(debug.at("DevMode").as_bool());
    BOOST_TEST(debug.at("ServerMode").as_bool());
    BOOST_TEST(debug.at("HTTPPort").as_int64() == f.agent.port());
    BOOST_TEST(debug.at("HTTPAddrs").at(0).as_string() == "tcp://127.0.0.1:" + std::to_string(f.agent.port()));
    BOOST_TEST(debug.at("GRPCPort").as_int64() == 18502);
    BOOST_TEST(debug.at("HTTPSPort").as_int64() == -1);
    BOOST_TEST(debug.at("DNSPort").as_int64() == -1);  // no DNS listener in these options
    BOOST_TEST(debug.at("EncryptKey").as_string() == "hidden");
    BOOST_TEST(debug.at("CheckReapInterval").as_string() == "50ms");
    BOOST_TEST(debug.at("SessionTTLMin").as_string() == "100ms");
    BOOST_TEST(debug.at("AutopilotServerStabilizationTime").as_string() == "10s");
    BOOST_TEST(self.at("Coord").at("Vec").as_array().size() == 8u);
    const auto& member = self.at("Member").as_object();
    BOOST_TEST(member.at("Port").as_int64() == 18301);
    const auto& tags = member.at("Tags").as_object();
    BOOST_TEST(tags.at("role").as_string() == "consul");
    BOOST_TEST(tags.at("id").as_string() == "5f1b2a3c-0d4e-4f60-8a7b-9c0d1e2f3a4b");
    BOOST_TEST(tags.at("grpc_port").as_string() == "18502");
    BOOST_TEST(tags.at("build").as_string().starts_with("1.14.0:"));
    BOOST_TEST(tags.at("vsn").as_string() == "2");
    BOOST_TEST(tags.at("ft_fs").as_string() == "1");
    BOOST_TEST(!tags.contains("bootstrap"));  // dev mode does not bootstrap
    BOOST_TEST(self.at("Stats").at("build").at("version").as_string() == "1.14.0");
    BOOST_TEST(self.at("Stats").at("consul").at("leader").as_string() == "true");
    BOOST_TEST(self.at("Meta") == json::parse(R"({"consul-network-segment":"","zone":"a"})"));
    BOOST_TEST(self.at("xDS").at("Ports").at("Plaintext").as_int64() == 18502);
    BOOST_TEST(self.at("xDS").at("Port").as_int64() == 18502);
  }());
}

BOOST_AUTO_TEST_CASE(self_has_no_xds_without_grpc) {
  auto o = self_options();
  o.ports.grpc = -1;
  agent_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto self = (co_await c.get("/v1/agent/self")).json().as_object();
    BOOST_TEST(!self.contains("xDS"));
    BOOST_TEST(!self.at("Member").at("Tags").as_object().contains("grpc_port"));
  }());
}

BOOST_AUTO_TEST_CASE(the_client_reads_all_of_self) {
  agent_fixture f(self_options());
  f.run([&]() -> asio::awaitable<void> {
    auto self = co_await f.consul.agent().self();
    const auto& v = self.value;
    BOOST_TEST(v.config.version == "1.14.0");
    BOOST_TEST(!v.config.build_date.empty());
    BOOST_TEST(v.debug_config.dev_mode);
    BOOST_TEST(v.debug_config.http_port == f.agent.port());
    BOOST_TEST(v.debug_config.node_id == "5f1b2a3c-0d4e-4f60-8a7b-9c0d1e2f3a4b");
    BOOST_TEST(v.debug_config.node_meta.at("zone") == "a");
    BOOST_TEST(v.debug_config.logging.log_level == "OFF");
    BOOST_TEST(v.debug_config.ui_config.content_path == "/ui/");
    BOOST_TEST(v.coord.vec.size() == 8u);
    BOOST_TEST(v.coord.error == 1.5);
    BOOST_TEST(v.member.tags.at("role") == "consul");
    BOOST_TEST(v.stats.at("raft").at("state") == "Leader");
    BOOST_TEST(v.meta.at("consul-network-segment") == "");
    BOOST_TEST_REQUIRE(v.xds.has_value());
    BOOST_TEST(v.xds->ports.plaintext == 18502);
    BOOST_TEST(v.xds->supported_proxies.at("envoy").size() >= 1u);
  }());
}

BOOST_AUTO_TEST_CASE(members_carry_the_server_tags) {
  agent_fixture f(self_options());
  f.run([&]() -> asio::awaitable<void> {
    auto members = co_await f.consul.agent().members();
    BOOST_TEST_REQUIRE(members.value.size() == 1u);
    const auto& m = members.value[0];
    BOOST_TEST(m.port == 18301);
    BOOST_TEST(m.tags.at("port") == "8300");
    BOOST_TEST(m.tags.at("wan_join_port") == "8302");
    BOOST_TEST(m.tags.at("acls") == "0");
    agent_client c(f.agent, f.ioc.get_executor());
    auto bad = co_await c.get("/v1/agent/members?wan=1&segment=x");
    BOOST_TEST(bad.status == 400u);
    BOOST_TEST(bad.body == "Cannot provide a segment with wan=true");
  }());
}

BOOST_AUTO_TEST_CASE(host_describes_the_machine) {
  agent_fixture f(self_options());
  f.run([&]() -> asio::awaitable<void> {
    auto host = co_await f.consul.agent().host();
    BOOST_TEST(host.value.memory.total > 0u);
    BOOST_TEST(host.value.memory.used <= host.value.memory.total);
    BOOST_TEST(!host.value.cpu.empty());
    BOOST_TEST(!host.value.host.hostname.empty());
    BOOST_TEST(host.value.host.os == "linux");
    BOOST_TEST(host.value.disk.total > 0u);
    BOOST_TEST(host.value.collection_time > 0);
  }());
}

BOOST_AUTO_TEST_CASE(metrics_count_requests_and_waiting_queries) {
  agent_fixture f(self_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    for (int i = 0; i < 3; ++i) co_await c.get("/v1/kv/k" + std::to_string(i));
    auto first = co_await c.get("/v1/catalog/nodes");
    // One query parked on another connection while the metrics are read.
    agent_client waiter(f.agent, f.ioc.get_executor());
    std::string target = "/v1/catalog/nodes?index=" + std::to_string(first.index()) + "&wait=2s";
    bool parked_done = false;
    auto park = [&]() -> asio::awaitable<void> {
      co_await waiter.get(target);
      parked_done = true;
    };
    asio::co_spawn(f.ioc, park(), asio::detached);
    co_await coconsul::test::until([&] { return f.agent.waiting_queries() == 1; });
    auto metrics = co_await f.consul.agent().metrics();
    const auto& m = metrics.value;
    BOOST_TEST(m.timestamp.ends_with(" +0000 UTC"));
    double blocking = -1;
    for (const auto& g : m.gauges)
      if (g.name == "consul.rpc.queries_blocking") blocking = g.value;
    BOOST_TEST(blocking == 1.0);
    std::int64_t requests = 0;
    for (const auto& ctr : m.counters)
      if (ctr.name == "consul.http.requests") requests = ctr.count;
    BOOST_TEST(requests >= 4);  // three KV reads and a catalog read at least, before this one
    std::int64_t kv_reads = 0;
    for (const auto& s : m.samples)
      if (s.name == "consul.api.http" && s.labels.count("path") && s.labels.at("path") == "v1_kv_" &&
          s.labels.at("method") == "GET")
        kv_reads = s.count;
    BOOST_TEST(kv_reads == 3);
    co_await coconsul::test::until([&] { return parked_done; });
  }());
}

BOOST_AUTO_TEST_CASE(prometheus_format_says_it_is_not_enabled) {
  agent_fixture f(self_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/v1/agent/metrics?format=prometheus");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.body.empty());
    BOOST_TEST(r.header("X-Consul-Reason") == "Prometheus is not enabled since its retention time is not positive");
  }());
}

BOOST_AUTO_TEST_CASE(namespaces_and_partitions_get_consul_ces_answers) {
  agent_fixture f(self_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    auto ns = co_await c.get("/v1/kv/x?ns=default");
    BOOST_TEST(ns.status == 400u);
    BOOST_TEST(ns.body == R"(Invalid query parameter: "ns" - Namespaces are a Consul Enterprise feature)");
    std::vector<std::pair<std::string, std::string>> ns_header{{"X-Consul-Namespace", "team"}};
    auto header = co_await c.request("GET", "/v1/catalog/services", "", ns_header);
    BOOST_TEST(header.status == 400u);
    BOOST_TEST(header.body == R"(Invalid header: "X-Consul-Namespace" - Namespaces are a Consul Enterprise feature)");
    auto part = co_await c.put("/v1/agent/service/register?partition=p1", R"({"Name":"x"})");
    BOOST_TEST(part.status == 400u);
    BOOST_TEST(part.body == R"(Invalid query parameter: "partition" - Partitions are a Consul Enterprise feature)");
    BOOST_TEST((co_await c.get("/v1/agent/services")).json().as_object().empty());  // nothing registered
    // Empty values are as good as absent.
    BOOST_TEST((co_await c.get("/v1/kv/x?ns=&partition=")).status == 404u);
    // Endpoints that never parse them ignore them; members parses only the partition.
    BOOST_TEST((co_await c.get("/v1/status/leader?ns=a&partition=b")).status == 200u);
    BOOST_TEST((co_await c.get("/v1/agent/self?ns=a")).status == 200u);
    BOOST_TEST((co_await c.get("/v1/agent/members?ns=a")).status == 200u);
    BOOST_TEST((co_await c.get("/v1/agent/members?partition=a")).status == 400u);
  }());
}

BOOST_AUTO_TEST_CASE(catalog_deregister_takes_the_obsolete_address) {
  agent_fixture f(self_options());
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/catalog/register", R"({"Node":"n1","Address":"10.0.0.1"})");
    auto r = co_await c.put("/v1/catalog/deregister", R"({"Node":"n1","Address":"10.0.0.1","Datacenter":"dc1"})");
    BOOST_TEST(r.status == 200u, r.body);
    BOOST_TEST((co_await c.get("/v1/catalog/node/n1")).body.starts_with("null"));
    // Through the client, which sends what Consul's Go client sends.
    coconsul::catalog_registration reg;  // a named local: gcc 12 and temporaries in co_await
    reg.node = "n2";
    reg.address = "10.0.0.2";
    co_await f.consul.catalog().register_entity(reg);
    coconsul::catalog_deregistration d;
    d.node = "n2";
    d.address = "10.0.0.2";
    co_await f.consul.catalog().deregister_entity(d);
    auto nodes = co_await f.consul.catalog().nodes();
    BOOST_TEST(nodes.value.size() == 1u);
  }());
}

BOOST_AUTO_TEST_CASE(reads_carry_the_query_backend_and_acl_policy) {
  agent_fixture f(self_options());
  f.run([&]() -> asio::awaitable<void> {
    auto got = co_await f.consul.kv().get("missing");
    BOOST_TEST(got.meta.query_backend == "blocking-query");
    BOOST_TEST(got.meta.default_acl_policy == "allow");
    BOOST_TEST(!got.meta.results_filtered_by_acls);
    auto self = co_await f.consul.agent().self();  // answered by the agent: no backend
    BOOST_TEST(self.meta.query_backend.empty());
    BOOST_TEST(self.meta.default_acl_policy == "allow");
  }());
}
