// config_api::discovery_chain against the in-process dev agent: the default chain decoded, a
// resolver's subsets and failover as typed nodes and targets, a splitter and router walked from
// the start node, the overrides sent as a POST, blocking, Consul's refusals as coconsul::error
// and bad input refused before sending.
#define BOOST_TEST_MODULE client_discovery_chain
#include <boost/test/unit_test.hpp>

#include "agent_fixture.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <string>
#include <vector>

namespace asio = boost::asio;
using coconsul::test::agent_fixture;
using coconsul::test::failure_of;
using namespace std::chrono_literals;

namespace {

coconsul::service_resolver web_resolver() {
  coconsul::service_resolver r;
  r.name = "web";
  r.default_subset = "v1";
  r.subsets["v1"].filter = "Service.Meta.version == v1";
  r.subsets["v2"].filter = "Service.Meta.version == v2";
  r.failover["*"].datacenters = {"dc2"};
  r.connect_timeout = 3s;
  return r;
}

asio::awaitable<void> set_later(coconsul::config_api config, coconsul::config_entry e, std::chrono::milliseconds d) {
  co_await coconsul::test::sleep_for(d);
  co_await config.set(std::move(e));
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_default_chain_and_a_resolvers_chain) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    auto config = f.consul.config();
    auto plain = co_await config.discovery_chain("web");
    const auto& c = plain.value;
    BOOST_TEST(c.service_name == "web");
    BOOST_TEST(c.is_default);
    BOOST_TEST(c.protocol == "tcp");
    BOOST_TEST(c.start_node == "resolver:web.default.default.dc1");
    const auto& start = c.nodes.at(c.start_node);
    BOOST_TEST(start.is_resolver());
    BOOST_TEST_REQUIRE(start.resolver.has_value());
    BOOST_TEST((start.resolver->connect_timeout == 5s));
    const auto& target = c.targets.at(start.resolver->target);
    BOOST_TEST(target.service == "web");
    BOOST_TEST(target.datacenter == "dc1");
    BOOST_TEST(target.sni.starts_with("web.default.dc1.internal."));
    BOOST_TEST(target.sni.ends_with(".consul"));
    BOOST_TEST(plain.meta.last_index > 0u);

    co_await config.set(web_resolver());
    auto resolved = co_await config.discovery_chain("web");
    const auto& r = resolved.value;
    BOOST_TEST(!r.is_default);
    BOOST_TEST(r.start_node == "resolver:v1.web.default.default.dc1");
    const auto& node = r.nodes.at(r.start_node);
    BOOST_TEST_REQUIRE(node.resolver->failover.has_value());
    BOOST_TEST(node.resolver->failover->targets == std::vector<std::string>{"v1.web.default.default.dc2"},
               boost::test_tools::per_element());
    const auto& v1 = r.targets.at("v1.web.default.default.dc1");
    BOOST_TEST(v1.service_subset == "v1");
    BOOST_TEST(v1.subset.filter == "Service.Meta.version == v1");
    BOOST_TEST((v1.connect_timeout == 3s));
  }());
}

BOOST_AUTO_TEST_CASE(a_router_and_a_splitter_walked_from_the_start) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    auto config = f.consul.config();
    coconsul::service_defaults http;
    http.name = "web";
    http.protocol = "http";
    co_await config.set(http);
    co_await config.set(web_resolver());
    coconsul::service_splitter split;
    split.name = "web";
    split.splits.resize(2);
    split.splits[0].weight = 80;
    split.splits[0].service_subset = "v1";
    split.splits[1].weight = 20;
    split.splits[1].service_subset = "v2";
    co_await config.set(split);
    coconsul::service_router router;
    router.name = "web";
    router.routes.resize(1);
    router.routes[0].match.emplace().http.emplace().path_prefix = "/v2";
    router.routes[0].destination.emplace().service_subset = "v2";
    co_await config.set(router);

    auto got = co_await config.discovery_chain("web");
    const auto& c = got.value;
    BOOST_TEST(c.protocol == "http");
    const auto& start = c.nodes.at(c.start_node);
    BOOST_TEST(start.is_router());
    BOOST_TEST_REQUIRE(start.routes.size() == 2u);
    BOOST_TEST(start.routes[0].definition->match->http->path_prefix == "/v2");
    BOOST_TEST(start.routes[0].next_node == "resolver:v2.web.default.default.dc1");
    const auto& splitter = c.nodes.at(start.routes[1].next_node);
    BOOST_TEST(splitter.is_splitter());
    BOOST_TEST_REQUIRE(splitter.splits.size() == 2u);
    BOOST_TEST(splitter.splits[0].weight == 80.0);
    BOOST_TEST(splitter.splits[1].definition->service_subset == "v2");
    BOOST_TEST(c.nodes.at(splitter.splits[0].next_node).resolver->target == "v1.web.default.default.dc1");

    // Overrides go as a POST: tcp drops the router and the splitter.
    coconsul::discovery_chain_options tcp;
    tcp.override_protocol = "tcp";
    tcp.override_connect_timeout = 7s;
    tcp.override_mesh_gateway_mode = "local";
    auto plain = co_await config.discovery_chain("web", tcp);
    BOOST_TEST(plain.value.protocol == "tcp");
    BOOST_TEST(plain.value.customization_hash.size() == 8u);
    BOOST_TEST(plain.value.start_node == "resolver:v1.web.default.default.dc1");
    const auto& t = plain.value.targets.at("v1.web.default.default.dc1");
    BOOST_TEST((t.connect_timeout == 7s));
    BOOST_TEST(t.mesh_gateway.mode == "local");

    coconsul::discovery_chain_options dc2;
    dc2.compile_datacenter = "dc2";
    BOOST_TEST((co_await config.discovery_chain("web", dc2)).value.datacenter == "dc2");
  }());
}

BOOST_AUTO_TEST_CASE(blocking_refusals_and_bad_input) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    auto config = f.consul.config();
    auto first = co_await config.discovery_chain("api");
    coconsul::service_resolver slow;
    slow.name = "api";
    slow.connect_timeout = 11s;
    asio::co_spawn(f.ioc, set_later(config, slow, 100ms), asio::detached);
    coconsul::query_options wait;
    wait.index = first.meta.last_index;
    wait.wait = 10s;
    auto later = co_await config.discovery_chain("api", coconsul::discovery_chain_options(), wait);
    BOOST_TEST(later.meta.last_index > first.meta.last_index);
    BOOST_TEST((later.value.targets.at("api.default.default.dc1").connect_timeout == 11s));

    coconsul::discovery_chain_options bad;
    bad.override_mesh_gateway_mode = "sideways";
    auto refused = co_await failure_of(config.discovery_chain("api", bad));
    BOOST_TEST(refused.message() == "Invalid OverrideMeshGateway.Mode parameter");
    auto empty = co_await failure_of(config.discovery_chain(""));
    BOOST_TEST((empty.code() == coconsul::errc::invalid_argument));
  }());
}
