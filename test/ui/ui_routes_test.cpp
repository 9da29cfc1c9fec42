// The web UI's routes over real sockets: `/` and /ui/ as Consul answers them (with the UI on and
// off), the compiled-in files, and the summaries the page reads (/v1/internal/ui/*), blocking.
#define BOOST_TEST_MODULE ui_routes
#include <boost/test/unit_test.hpp>

#include "agent_client.hpp"
#include "agent_fixture.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json.hpp>

using namespace coconsul;
using namespace coconsul::test;
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// Registers `id` of service `name` on `node` (created at `address`) with a check in `status`.
// `tags` is comma-separated: gcc 12 miscompiles brace-initialised temporaries in co_await
// expressions (BUILD-NOTES.md), so the calls pass only plain values.
asio::awaitable<void> register_instance(agent_client& c, std::string node, std::string id, std::string name,
                                        std::string tags, std::string status) {
  json::object body{{"Node", node}, {"Address", "10.0.0." + std::to_string(node.size())}};
  json::array tag_array;
  for (std::size_t start = 0; start < tags.size();) {
    auto comma = std::min(tags.find(',', start), tags.size());
    tag_array.emplace_back(tags.substr(start, comma - start));
    start = comma + 1;
  }
  body["Service"] = json::object{{"ID", id}, {"Service", name}, {"Tags", tag_array}, {"Port", 80}};
  body["Check"] = json::object{{"CheckID", "check:" + id}, {"Name", "probe"}, {"Status", status}, {"ServiceID", id}};
  auto r = co_await c.put("/v1/catalog/register", json::serialize(body));
  BOOST_TEST_REQUIRE(r.status == 200u);
}

const json::object* summary_of(const json::array& summaries, std::string_view name) {
  for (const auto& s : summaries)
    if (s.as_object().at("Name").as_string() == name) return &s.as_object();
  return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_CASE(root_redirects_to_the_ui_and_the_ui_serves_its_files) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/");
    BOOST_TEST(r.status == 301u);
    BOOST_TEST(r.header("Location") == "/ui/");
    r = co_await c.get("/ui");
    BOOST_TEST(r.status == 301u);
    BOOST_TEST(r.header("Location") == "/ui/");

    r = co_await c.get("/ui/");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.header("Content-Type") == "text/html; charset=utf-8");
    BOOST_TEST(r.body.find("coconsul dev agent") != std::string::npos);
    // Every view's path is the page itself, so a reload or a pasted link works.
    auto view = co_await c.get("/ui/dc1/services/web/instances");
    BOOST_TEST(view.status == 200u);
    BOOST_TEST(view.body == r.body);

    r = co_await c.get("/ui/assets/app.js");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.header("Content-Type") == "text/javascript; charset=utf-8");
    BOOST_TEST(r.body.find("/v1/internal/ui/services") != std::string::npos);
    r = co_await c.get("/ui/assets/style.css");
    BOOST_TEST(r.header("Content-Type") == "text/css; charset=utf-8");
    r = co_await c.get("/ui/assets/missing.js");
    BOOST_TEST(r.status == 404u);
    BOOST_TEST(r.body == "404 page not found\n");
    // The unknown paths outside /ui/ keep Consul's texts.
    r = co_await c.get("/uix");
    BOOST_TEST(r.status == 404u);
    BOOST_TEST(r.body == "Invalid URL path: if attempting to use the HTTP API, ensure the path starts with '/v1/'\n");
  }());
}

BOOST_AUTO_TEST_CASE(without_the_ui_root_says_so_and_ui_paths_are_unknown) {
  auto options = agent_test_options();
  options.ui_enabled = false;
  agent_fixture f(options);
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.body ==
               "Consul Agent: UI disabled. To enable, set ui_config.enabled=true in the agent configuration and restart.");
    r = co_await c.get("/ui/");
    BOOST_TEST(r.status == 404u);
    BOOST_TEST(r.body == "Invalid URL path: if attempting to use the HTTP API, ensure the path starts with '/v1/'\n");
    // The API the UI reads stays: other tools use it too.
    r = co_await c.get("/v1/internal/ui/services");
    BOOST_TEST(r.status == 200u);
  }());
}

BOOST_AUTO_TEST_CASE(service_summaries_count_instances_and_checks_as_consul_does) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await register_instance(c, "n1", "web-1", "web", "v2,blue", "passing");
    co_await register_instance(c, "n2", "web-2", "web", "v2", "critical");
    co_await register_instance(c, "n2", "web-3", "web", "", "warning");

    auto r = co_await c.get("/v1/internal/ui/services");
    BOOST_TEST_REQUIRE(r.status == 200u);
    auto summaries = r.json().as_array();
    const auto* web = summary_of(summaries, "web");
    BOOST_TEST_REQUIRE(web != nullptr);
    BOOST_TEST(web->at("InstanceCount").as_int64() == 3);
    BOOST_TEST(json::serialize(web->at("Nodes")) == R"(["n1","n2"])");
    BOOST_TEST(json::serialize(web->at("Tags")) == R"(["blue","v2"])");  // each once, sorted
    BOOST_TEST(web->at("ChecksPassing").as_int64() == 1);
    BOOST_TEST(web->at("ChecksWarning").as_int64() == 1);
    BOOST_TEST(web->at("ChecksCritical").as_int64() == 1);
    BOOST_TEST(web->at("ExternalSources").is_null());
    BOOST_TEST(!web->contains("Kind"));
    // Sorted by name, the agent's own consul service among them.
    BOOST_TEST(summaries.size() == 2u);
    BOOST_TEST(summaries[0].as_object().at("Name").as_string() == "consul");

    // A blocking read wakes when a check changes.
    auto index = r.index();
    std::optional<reply> answer;
    auto park = [&]() -> asio::awaitable<void> {
      answer = co_await c.get("/v1/internal/ui/services?index=" + std::to_string(index) + "&wait=10s");
    };
    asio::co_spawn(f.ioc, park(), asio::detached);
    co_await until([&] { return f.agent.waiting_queries() == 1; });  // parked before the write
    auto writer = agent_client(f.agent, f.ioc.get_executor());
    co_await register_instance(writer, "n2", "web-2", "web", "v2", "passing");
    co_await until([&] { return answer.has_value(); });
    const reply& woken = *answer;
    BOOST_TEST(woken.index() > index);
    auto after = woken.json().as_array();
    web = summary_of(after, "web");
    BOOST_TEST_REQUIRE(web != nullptr);
    BOOST_TEST(web->at("ChecksPassing").as_int64() == 2);
    BOOST_TEST(web->at("ChecksCritical").as_int64() == 0);
  }());
}

BOOST_AUTO_TEST_CASE(node_summaries_carry_services_and_checks) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await register_instance(c, "n1", "web-1", "web", "", "passing");
    auto r = co_await c.get("/v1/internal/ui/nodes");
    BOOST_TEST_REQUIRE(r.status == 200u);
    auto nodes = r.json().as_array();
    BOOST_TEST_REQUIRE(nodes.size() == 2u);  // n1 and the agent's own node, by name
    const auto& n1 = nodes[0].as_object();
    BOOST_TEST(n1.at("Node").as_string() == "n1");
    BOOST_TEST(n1.at("Services").as_array().size() == 1u);
    BOOST_TEST(n1.at("Services").as_array()[0].as_object().at("ID").as_string() == "web-1");
    BOOST_TEST(n1.at("Checks").as_array().size() == 1u);

    r = co_await c.get("/v1/internal/ui/node/n1");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.json().as_object().at("Node").as_string() == "n1");
    r = co_await c.get("/v1/internal/ui/node/missing");
    BOOST_TEST(r.status == 404u);
    r = co_await c.get("/v1/internal/ui/node/");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == "Missing node name");
  }());
}
