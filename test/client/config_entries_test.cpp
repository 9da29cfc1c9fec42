// config_api: the exact requests against a scripted server (test/http/test_server.hpp) and
// Consul's answers read back (true/false of a cas, a 404's text as not_found, a 500's text),
// bad input refused before sending; then against the in-process dev agent: an entry of every
// kind written and read back as written, lists, check-and-set, deletes, a blocking read woken
// by a write, Consul's validation texts, and an ACL denial beside an allowed read.
#define BOOST_TEST_MODULE client_config_entries
#include <boost/test/unit_test.hpp>

#include "test_server.hpp"

#include <agent_fixture.hpp>
#include <async_test.hpp>
#include <coconsul/client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <string>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using coconsul::config_entry;
using coconsul::errc;
using coconsul::test::agent_fixture;
using coconsul::test::failure_of;
using coconsul::test::until;
using coconsul::test::received_request;
using coconsul::test::reply;
using coconsul::test::run_with_deadline;
using coconsul::test::test_server;

namespace {

coconsul::config config_for(const test_server& server) {
  coconsul::config c;
  c.address = server.address();
  c.timeouts.request = std::chrono::seconds(5);
  return c;
}

std::string line(const received_request& r) { return r.method + " " + r.target; }

reply answer(unsigned status, std::string_view reason, std::string body, std::string headers = "") {
  return reply::raw("HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
                        "\r\nContent-Type: text/plain; charset=utf-8\r\n" + headers +
                        "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body,
                    reply::then::keep_open);
}

// A Consul-shaped scripted agent: web's service-defaults exists at index 12, db does not.
reply consul_like(const received_request& r) {
  const std::string path = r.target.substr(0, r.target.find('?'));
  const bool cas = r.target.find("cas=") != std::string::npos;
  if (r.method == "PUT") return reply::ok(cas && r.target.find("cas=12") == std::string::npos ? "false" : "true");
  if (r.method == "DELETE") return reply::ok(cas ? (r.target.find("cas=12") != std::string::npos ? "true" : "false") : "{}");
  if (path == "/v1/config/service-defaults")
    return reply::ok(R"([{"Kind":"service-defaults","Name":"web","Protocol":"http","CreateIndex":12,"ModifyIndex":12},
                         {"Kind":"service-defaults","Name":"api","CreateIndex":3,"ModifyIndex":3}])",
                     "X-Consul-Index: 12\r\n");
  if (path == "/v1/config/service-defaults/web")
    return reply::ok(R"({"Kind":"service-defaults","Name":"web","Protocol":"http","MeshGateway":{},"Expose":{},
                         "CreateIndex":12,"ModifyIndex":12})",
                     "X-Consul-Index: 12\r\n");
  if (path == "/v1/config/proxy-defaults/other")
    return answer(500, "Internal Server Error", R"(invalid name ("other"), only "global" is supported)");
  return answer(404, "Not Found", R"(Config entry not found for "service-defaults" / "db")", "X-Consul-Index: 12\r\n");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(config_entry_requests)

BOOST_AUTO_TEST_CASE(every_operation_sends_consuls_method_path_and_body) {
  asio::io_context ioc;
  test_server server(ioc, consul_like);
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    coconsul::client consul(ioc, config_for(server));
    auto config = consul.config();
    config_entry web = coconsul::service_defaults{.name = "web", .protocol = "http"};
    BOOST_TEST(co_await config.set(web));
    BOOST_TEST(co_await config.cas(web, 12));
    BOOST_TEST(!co_await config.cas(web, 0));  // Consul's false: it exists
    auto got = co_await config.get("service-defaults", "web");
    BOOST_TEST(got.meta.last_index == 12u);
    BOOST_TEST(got.value.name() == "web");
    BOOST_TEST(std::get<coconsul::service_defaults>(got.value).protocol == "http");
    coconsul::query_options blocking;
    blocking.index = 12;
    blocking.wait = 2s;
    co_await config.get("service-defaults", "web", blocking);
    coconsul::query_options filtered;
    filtered.filter = "Protocol == \"http\"";
    auto all = co_await config.list("service-defaults", filtered);
    BOOST_TEST_REQUIRE(all.value.size() == 2u);
    BOOST_TEST(all.value[1].name() == "api");
    co_await config.erase("service-defaults", "web");
    BOOST_TEST(co_await config.erase_cas("service-defaults", "web", 12));
    BOOST_TEST(!co_await config.erase_cas("service-defaults", "web", 11));
    config_entry odd = coconsul::service_router{.name = "a b/c"};
    coconsul::write_options in_dc2;
    in_dc2.datacenter = "dc2";
    co_await config.set(odd, in_dc2);
    co_await config.erase("service-router", "a b/c");
  }());

  const std::vector<std::string> expected = {
      "PUT /v1/config",
      "PUT /v1/config?cas=12",
      "PUT /v1/config?cas=0",
      "GET /v1/config/service-defaults/web",
      "GET /v1/config/service-defaults/web?index=12&wait=2000ms",
      "GET /v1/config/service-defaults?filter=Protocol%20%3D%3D%20%22http%22",
      "DELETE /v1/config/service-defaults/web",
      "DELETE /v1/config/service-defaults/web?cas=12",
      "DELETE /v1/config/service-defaults/web?cas=11",
      "PUT /v1/config?dc=dc2",
      "DELETE /v1/config/service-router/a%20b%2Fc",
  };
  std::vector<std::string> sent;
  for (const auto& r : server.requests()) sent.push_back(line(r));
  BOOST_TEST(sent == expected, boost::test_tools::per_element());
  BOOST_TEST_REQUIRE(server.requests().size() >= 10u);
  BOOST_TEST(server.requests()[0].body == R"({"Kind":"service-defaults","Name":"web","Protocol":"http"})");
  BOOST_TEST(server.requests()[9].body == R"({"Kind":"service-router","Name":"a b/c"})");
}

BOOST_AUTO_TEST_CASE(consuls_refusals_come_back_with_its_text) {
  asio::io_context ioc;
  test_server server(ioc, consul_like);
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    coconsul::client consul(ioc, config_for(server));
    auto missing = co_await failure_of(consul.config().get("service-defaults", "db"));
    BOOST_TEST((missing.code() == errc::not_found));
    BOOST_TEST(missing.http_status() == 404u);
    BOOST_TEST(missing.message() == R"(Config entry not found for "service-defaults" / "db")");
    auto invalid = co_await failure_of(consul.config().get("proxy-defaults", "other"));
    BOOST_TEST((invalid.code() == errc::server_error));
    BOOST_TEST(invalid.message() == R"(invalid name ("other"), only "global" is supported)");
  }());
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused_before_anything_is_sent) {
  asio::io_context ioc;
  test_server server(ioc, consul_like);
  run_with_deadline(ioc, [&]() -> asio::awaitable<void> {
    coconsul::client consul(ioc, config_for(server));
    auto config = consul.config();
    auto no_kind = co_await failure_of(config.get("", "web"));
    BOOST_TEST((no_kind.code() == errc::invalid_argument));
    BOOST_TEST(no_kind.message().find("config entry kind") != std::string::npos, no_kind.message());
    auto no_name = co_await failure_of(config.erase("service-defaults", ""));
    BOOST_TEST((no_name.code() == errc::invalid_argument));
    BOOST_TEST(no_name.message().find("config entry name") != std::string::npos, no_name.message());
    auto control = co_await failure_of(config.list("service\ndefaults"));
    BOOST_TEST((control.code() == errc::invalid_argument));
    BOOST_CHECK_THROW(consul.watch_config_entry("service-defaults", ""), coconsul::error);
    BOOST_CHECK_THROW(consul.watch_config_entries(""), coconsul::error);
  }());
  BOOST_TEST(server.requests().empty());
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

// One valid entry of every kind, already as Consul normalizes it (lowercase protocols,
// explicit listener protocol), so that what comes back is what went in.
std::vector<config_entry> one_of_each_kind() {
  std::vector<config_entry> all;
  coconsul::proxy_defaults global;
  global.config["protocol"] = "http";
  global.mesh_gateway.mode = "local";
  all.emplace_back(global);
  all.emplace_back(coconsul::service_defaults{.name = "web", .protocol = "http", .max_inbound_connections = 10,
                                              .meta = {{"owner", "web-team"}}});
  coconsul::service_resolver resolver{.name = "web", .default_subset = "v1", .connect_timeout = 15s};
  resolver.subsets["v1"] = coconsul::service_resolver_subset{.filter = "Service.Meta.version == v1"};
  resolver.subsets["v2"] = coconsul::service_resolver_subset{.filter = "Service.Meta.version == v2", .only_passing = true};
  all.emplace_back(resolver);
  coconsul::service_splitter splitter{.name = "web"};
  splitter.splits.push_back(coconsul::service_split{.weight = 90, .service_subset = "v1"});
  splitter.splits.push_back(coconsul::service_split{.weight = 10, .service_subset = "v2"});
  all.emplace_back(splitter);
  coconsul::service_router router{.name = "web"};
  coconsul::service_route admin;
  admin.match = coconsul::service_route_match{.http = coconsul::service_route_http_match{.path_prefix = "/admin"}};
  admin.destination = coconsul::service_route_destination{.service = "admin", .request_timeout = 5s, .num_retries = 2};
  router.routes.push_back(admin);
  all.emplace_back(router);
  coconsul::ingress_gateway ingress{.name = "ingress"};
  coconsul::ingress_listener listener{.port = 8080, .protocol = "http"};
  listener.services.push_back(coconsul::ingress_service{.name = "web", .hosts = {"web.example.com"}});
  ingress.listeners.push_back(listener);
  all.emplace_back(ingress);
  coconsul::terminating_gateway terminating{.name = "egress"};
  terminating.services.push_back(coconsul::linked_service{.name = "billing", .sni = "billing.example.com"});
  all.emplace_back(terminating);
  coconsul::mesh_config mesh;
  mesh.transparent_proxy.mesh_destinations_only = true;
  all.emplace_back(mesh);
  coconsul::exported_services exported;
  coconsul::exported_service web{.name = "web"};
  web.consumers.push_back(coconsul::service_consumer{.peer_name = "other-cluster"});
  exported.services.push_back(web);
  all.emplace_back(exported);
  return all;
}

// The entry without what Consul adds (indexes, an intention source's precedence and type).
config_entry as_written(config_entry e) {
  std::visit(
      [](auto& typed) {
        using T = std::decay_t<decltype(typed)>;
        if constexpr (!std::is_same_v<T, coconsul::unknown_config_entry>) {
          typed.create_index = 0;
          typed.modify_index = 0;
        }
      },
      e.as_variant());
  return e;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(an_entry_of_every_kind_comes_back_as_it_was_written, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto config = consul.config();
    for (const config_entry& e : one_of_each_kind()) {
      BOOST_TEST_CONTEXT(e.kind()) {
        const bool written = co_await config.set(e);
        BOOST_TEST(written);
        auto got = co_await config.get(std::string(e.kind()), std::string(e.name()));
        BOOST_TEST(got.value.kind() == e.kind());
        BOOST_TEST(got.value.modify_index() > 0u);
        BOOST_TEST(got.value.modify_index() == got.value.create_index());
        BOOST_TEST(got.meta.last_index >= got.value.modify_index());
        BOOST_TEST((as_written(got.value) == e), encode_json(got.value));
        auto listed = co_await config.list(std::string(e.kind()));
        BOOST_TEST_REQUIRE(listed.value.size() == 1u);
        BOOST_TEST((as_written(listed.value[0]) == e));
      }
    }
  }());
}

BOOST_FIXTURE_TEST_CASE(lists_cas_and_deletes_as_consul, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto config = consul.config();
    BOOST_TEST((co_await config.list("service-defaults")).value.empty());
    config_entry web = coconsul::service_defaults{.name = "web", .protocol = "http"};
    config_entry api = coconsul::service_defaults{.name = "api", .protocol = "grpc"};
    BOOST_TEST(co_await config.cas(web, 0));  // 0: create only
    config_entry web_grpc = coconsul::service_defaults{.name = "web", .protocol = "grpc"};
    BOOST_TEST(!co_await config.cas(web_grpc, 0));  // it exists now
    co_await config.set(api);
    auto all = co_await config.list("service-defaults");
    BOOST_TEST_REQUIRE(all.value.size() == 2u);
    BOOST_TEST(all.value[0].name() == "api");  // by name
    BOOST_TEST(all.value[1].name() == "web");

    auto got = co_await config.get("service-defaults", "web");
    const auto index = got.value.modify_index();
    config_entry changed = coconsul::service_defaults{.name = "web", .protocol = "http2"};
    BOOST_TEST(!co_await config.cas(changed, index - 1));
    BOOST_TEST(co_await config.cas(changed, index));
    BOOST_TEST(std::get<coconsul::service_defaults>((co_await config.get("service-defaults", "web")).value).protocol ==
               "http2");
    BOOST_TEST(!co_await config.erase_cas("service-defaults", "web", index));  // stale now
    const auto now = (co_await config.get("service-defaults", "web")).value.modify_index();
    BOOST_TEST(co_await config.erase_cas("service-defaults", "web", now));
    auto gone = co_await failure_of(config.get("service-defaults", "web"));
    BOOST_TEST((gone.code() == errc::not_found));
    BOOST_TEST(gone.message() == R"(Config entry not found for "service-defaults" / "web")");
    co_await config.erase("service-defaults", "web");  // absent: still fine, as Consul
    co_await config.erase("service-defaults", "api");
    BOOST_TEST((co_await config.list("service-defaults")).value.empty());
  }());
}

BOOST_FIXTURE_TEST_CASE(a_blocking_get_wakes_on_a_write, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    auto config = consul.config();
    config_entry web = coconsul::service_defaults{.name = "web", .protocol = "http"};
    co_await config.set(web);
    auto first = co_await config.get("service-defaults", "web");
    bool woke = false;
    std::string protocol;
    auto waiter = [&]() -> asio::awaitable<void> {
      coconsul::query_options o;
      o.index = first.meta.last_index;
      o.wait = 10s;
      auto next = co_await consul.config().get("service-defaults", "web", o);
      protocol = std::get<coconsul::service_defaults>(next.value).protocol;
      woke = true;
    };
    asio::co_spawn(ioc, waiter(), asio::detached);
    co_await until([&] { return agent.waiting_queries() == 1; });
    BOOST_TEST(!woke);
    config_entry grpc = coconsul::service_defaults{.name = "web", .protocol = "grpc"};
    co_await config.set(grpc);
    co_await until([&] { return woke; });
    BOOST_TEST(protocol == "grpc");
  }());
}

BOOST_FIXTURE_TEST_CASE(consuls_validation_comes_back_with_its_text, agent_fixture) {
  run([&]() -> asio::awaitable<void> {
    config_entry other = coconsul::proxy_defaults{.name = "other"};
    auto refused = co_await failure_of(consul.config().set(other));
    BOOST_TEST((refused.code() == errc::server_error));
    BOOST_TEST(refused.message() == R"(invalid name ("other"), only "global" is supported)");
    coconsul::service_splitter uneven{.name = "web"};
    uneven.splits.push_back(coconsul::service_split{.weight = 99, .service = "web"});
    config_entry splitter = uneven;
    auto bad = co_await failure_of(consul.config().set(splitter));
    BOOST_TEST((bad.code() == errc::server_error));
    BOOST_TEST(bad.message().find("split weights must be 100") != std::string::npos, bad.message());
    auto unknown = co_await failure_of(consul.config().list("bogus"));
    BOOST_TEST(unknown.http_status() >= 400u);
    BOOST_TEST(unknown.message().find("bogus") != std::string::npos, unknown.message());
  }());
}

namespace {
constexpr const char* root_token = "9b5c3c8e-0a1f-4b4e-8d2a-3e6f7a8b9c0d";
}

BOOST_AUTO_TEST_CASE(with_acls_a_read_token_reads_and_is_denied_the_write) {
  agent_fixture f(coconsul::test::deny_by_default_options(root_token));
  f.run([&]() -> asio::awaitable<void> {
    f.consul.set_token(root_token);
    config_entry web = coconsul::service_defaults{.name = "web", .protocol = "http"};
    co_await f.consul.config().set(web);
    coconsul::acl_policy policy;
    policy.name = "web-read";
    policy.rules = R"(service "web" { policy = "read" })";
    co_await f.consul.acl().policy_create(policy);
    coconsul::acl_token t;
    t.policies.push_back(coconsul::acl_link{.id = "", .name = "web-read"});
    coconsul::acl_token reader = co_await f.consul.acl().token_create(t);

    coconsul::client as_reader(f.ioc, f.consul.get_config());
    as_reader.set_token(reader.secret_id);
    auto got = co_await as_reader.config().get("service-defaults", "web");  // service:read on web
    BOOST_TEST(got.value.name() == "web");
    config_entry grpc = coconsul::service_defaults{.name = "web", .protocol = "grpc"};
    auto denied = co_await failure_of(as_reader.config().set(grpc));
    BOOST_TEST((denied.code() == errc::forbidden));
    BOOST_TEST(denied.message().find("service:write") != std::string::npos, denied.message());
    // What it may not read is left out of a list, as Consul filters it.
    config_entry api = coconsul::service_defaults{.name = "api", .protocol = "http"};
    co_await f.consul.config().set(api);
    auto listed = co_await as_reader.config().list("service-defaults");
    BOOST_TEST_REQUIRE(listed.value.size() == 1u);
    BOOST_TEST(listed.value[0].name() == "web");
    BOOST_TEST(listed.meta.results_filtered_by_acls);
  }());
}
