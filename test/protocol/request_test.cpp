// Requests as the protocol layer builds them, byte for byte: targets, query strings, headers,
// idempotency and blocking timeouts. No sockets: request_builder is pure.
#define BOOST_TEST_MODULE protocol
#include <boost/test/unit_test.hpp>

#include "protocol/request.hpp"

using namespace std::chrono_literals;
using coconsul::config;
using coconsul::consistency_mode;
using coconsul::query_options;
using coconsul::write_options;
using coconsul::protocol::request;
using coconsul::protocol::request_builder;
using coconsul::protocol::verb;

namespace {

// The builder's chain yields an lvalue; finish() consumes it.
request finish(request_builder& b) { return std::move(b).finish(); }
request finish(request_builder&& b) { return std::move(b).finish(); }

request read(const query_options& o, const config& cfg = config()) {
  return finish(request_builder(verb::get, "/v1/health/service/web").read(o, cfg));
}

std::string target_of(const query_options& o, const config& cfg = config()) { return read(o, cfg).target; }

const std::string* header(const request& r, std::string_view name) {
  for (const auto& h : r.headers)
    if (h.name == name) return &h.value;
  return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(building)

BOOST_AUTO_TEST_CASE(a_plain_request_is_the_path_alone) {
  const request r = finish(request_builder(verb::delete_, "/v1/kv/a%2Fb"));
  BOOST_TEST((r.method == verb::delete_));
  BOOST_TEST(r.target == "/v1/kv/a%2Fb");
  BOOST_TEST(r.headers.empty());
  BOOST_TEST(r.body.empty());
  BOOST_TEST(r.idempotent);
  BOOST_TEST(r.timeout.count() == 0);
}

BOOST_AUTO_TEST_CASE(flags_and_params_join_with_question_mark_then_ampersands) {
  const request r = finish(request_builder(verb::get, "/v1/kv/app/")
                        .flag("recurse")
                        .param("separator", "/")
                        .param_if("empty", "")
                        .param_if("keys", "x y")
                        );
  BOOST_TEST(r.target == "/v1/kv/app/?recurse&separator=%2F&keys=x%20y");
}

BOOST_AUTO_TEST_CASE(a_body_carries_its_content_type) {
  request r = finish(request_builder(verb::put, "/v1/agent/service/register").body("{\"Name\":\"web\"}"));
  BOOST_TEST(r.body == "{\"Name\":\"web\"}");
  BOOST_TEST_REQUIRE(r.headers.size() == 1u);
  BOOST_TEST(r.headers[0].name == "Content-Type");
  BOOST_TEST(r.headers[0].value == "application/json");

  r = finish(request_builder(verb::put, "/v1/kv/k").body("raw bytes", "application/octet-stream"));
  BOOST_TEST(*header(r, "Content-Type") == "application/octet-stream");

  r = finish(request_builder(verb::put, "/v1/kv/k").body("raw bytes", ""));
  BOOST_TEST(r.body == "raw bytes");
  BOOST_TEST(r.headers.empty());
}

BOOST_AUTO_TEST_CASE(idempotency_is_on_unless_said_otherwise) {
  BOOST_TEST(finish(request_builder(verb::put, "/v1/kv/k")).idempotent);
  BOOST_TEST(!finish(request_builder(verb::put, "/v1/kv/k?cas=3").idempotent(false)).idempotent);
  BOOST_TEST(finish(request_builder(verb::put, "/v1/kv/k").idempotent(false).idempotent(true)).idempotent);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(read_options)

BOOST_AUTO_TEST_CASE(defaults_add_nothing) {
  const request r = read(query_options());
  BOOST_TEST(r.target == "/v1/health/service/web");
  BOOST_TEST(r.headers.empty());
  BOOST_TEST(r.timeout.count() == 0);
}

BOOST_AUTO_TEST_CASE(each_option_as_its_query_parameter) {
  struct one_case {
    const char* what;
    query_options o;
    const char* query;
  };
  auto with = [](auto set) {
    query_options o;
    set(o);
    return o;
  };
  const one_case cases[] = {
      {"index", with([](auto& o) { o.index = 42; }), "?index=42"},
      {"wait", with([](auto& o) { o.wait = 1500ms; }), "?wait=1500ms"},
      {"wait in minutes", with([](auto& o) { o.wait = 2min; }), "?wait=120000ms"},
      {"stale", with([](auto& o) { o.consistency = consistency_mode::stale; }), "?stale"},
      {"consistent", with([](auto& o) { o.consistency = consistency_mode::consistent; }), "?consistent"},
      {"max_stale", with([](auto& o) { o.max_stale = 3s; }), "?max_stale=3000ms"},
      {"cached", with([](auto& o) { o.cached = true; }), "?cached"},
      {"dc", with([](auto& o) { o.datacenter = "dc2"; }), "?dc=dc2"},
      {"ns", with([](auto& o) { o.namespace_name = "team-a"; }), "?ns=team-a"},
      {"partition", with([](auto& o) { o.partition = "p1"; }), "?partition=p1"},
      {"filter", with([](auto& o) { o.filter = "Service.Tags contains \"v1\""; }),
       "?filter=Service.Tags%20contains%20%22v1%22"},
      {"near", with([](auto& o) { o.near = "_agent"; }), "?near=_agent"},
      {"passing", with([](auto& o) { o.passing = true; }), "?passing"},
      {"one tag", with([](auto& o) { o.tags = {"primary"}; }), "?tag=primary"},
      {"tags", with([](auto& o) { o.tags = {"a b", "v1"}; }), "?tag=a%20b&tag=v1"},
      {"node-meta", with([](auto& o) { o.node_meta = {{"rack", "r1"}, {"zone", ""}}; }),
       "?node-meta=rack%3Ar1&node-meta=zone%3A"},
      {"stale with max_stale", with([](auto& o) {
         o.consistency = consistency_mode::stale;
         o.max_stale = 250ms;
       }),
       "?stale&max_stale=250ms"},
      {"cached and stale", with([](auto& o) {
         o.cached = true;
         o.consistency = consistency_mode::stale;
       }),
       "?stale&cached"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.what) { BOOST_TEST(target_of(c.o) == std::string("/v1/health/service/web") + c.query); }
  }
}

BOOST_AUTO_TEST_CASE(all_options_in_one_fixed_order) {
  query_options o;
  o.index = 7;
  o.wait = 10s;
  o.consistency = consistency_mode::stale;
  o.max_stale = 1s;
  o.cached = true;
  o.datacenter = "dc1";
  o.namespace_name = "ns1";
  o.partition = "pt1";
  o.filter = "Checks.Status == passing";
  o.near = "node-1";
  o.passing = true;
  o.tags = {"t1", "t2"};
  o.node_meta = {{"k", "v"}};
  BOOST_TEST(target_of(o) ==
             "/v1/health/service/web?dc=dc1&ns=ns1&partition=pt1&index=7&wait=10000ms&stale&max_stale=1000ms"
             "&cached&filter=Checks.Status%20%3D%3D%20passing&near=node-1&passing&tag=t1&tag=t2&node-meta=k%3Av");
}

BOOST_AUTO_TEST_CASE(options_follow_a_path_that_has_a_query_already) {
  query_options o;
  o.index = 3;
  const request r = finish(request_builder(verb::get, "/v1/kv/app").flag("recurse").read(o, config()));
  BOOST_TEST(r.target == "/v1/kv/app?recurse&index=3");
}

BOOST_AUTO_TEST_CASE(scope_falls_back_to_the_config_and_the_options_win) {
  config cfg;
  cfg.datacenter = "cfg-dc";
  cfg.namespace_name = "cfg-ns";
  cfg.partition = "cfg-pt";
  BOOST_TEST(target_of(query_options(), cfg) == "/v1/health/service/web?dc=cfg-dc&ns=cfg-ns&partition=cfg-pt");
  query_options o;
  o.datacenter = "dc9";
  o.partition = "pt9";
  BOOST_TEST(target_of(o, cfg) == "/v1/health/service/web?dc=dc9&ns=cfg-ns&partition=pt9");
}

BOOST_AUTO_TEST_CASE(scope_values_are_percent_encoded) {
  query_options o;
  o.datacenter = "dc 1&x=y";
  BOOST_TEST(target_of(o) == "/v1/health/service/web?dc=dc%201%26x%3Dy");
}

BOOST_AUTO_TEST_CASE(the_token_is_a_header_never_a_parameter) {
  config cfg;
  BOOST_TEST(read(query_options(), cfg).headers.empty());

  cfg.token = "cfg-secret";
  request r = read(query_options(), cfg);
  BOOST_TEST(r.target == "/v1/health/service/web");
  BOOST_TEST_REQUIRE(r.headers.size() == 1u);
  BOOST_TEST(r.headers[0].name == "X-Consul-Token");
  BOOST_TEST(r.headers[0].value == "cfg-secret");

  query_options o;
  o.token = "per-request";
  r = read(o, cfg);
  BOOST_TEST_REQUIRE(r.headers.size() == 1u);
  BOOST_TEST(r.headers[0].value == "per-request");
  BOOST_TEST(r.target.find("token") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(token_and_body_headers_together) {
  config cfg;
  cfg.token = "t";
  const request r = finish(request_builder(verb::put, "/v1/txn").write(write_options(), cfg).body("[]"));
  BOOST_TEST_REQUIRE(r.headers.size() == 2u);
  BOOST_TEST(r.headers[0].name == "X-Consul-Token");
  BOOST_TEST(r.headers[1].name == "Content-Type");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(write_options_)

BOOST_AUTO_TEST_CASE(scope_and_token) {
  config cfg;
  BOOST_TEST(finish(request_builder(verb::put, "/v1/kv/k").write(write_options(), cfg)).target == "/v1/kv/k");

  cfg.datacenter = "cfg-dc";
  cfg.token = "cfg-token";
  write_options w;
  w.namespace_name = "ns";
  w.partition = "pt";
  w.token = "mine";
  const request r = finish(request_builder(verb::put, "/v1/kv/k").flag("flags=3").write(w, cfg));
  BOOST_TEST(r.target == "/v1/kv/k?flags=3&dc=cfg-dc&ns=ns&partition=pt");
  BOOST_TEST_REQUIRE(r.headers.size() == 1u);
  BOOST_TEST(r.headers[0].name == "X-Consul-Token");
  BOOST_TEST(r.headers[0].value == "mine");
  BOOST_TEST(r.timeout.count() == 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(blocking_timeouts)

// wait + wait/16 (Consul's jitter) + the margin, on the request and from blocking_timeout().
BOOST_AUTO_TEST_CASE(wait_plus_a_sixteenth_plus_the_margin) {
  config cfg;  // blocking_margin 5 s
  query_options o;
  o.index = 1;
  o.wait = 10s;
  BOOST_TEST(read(o, cfg).timeout.count() == 10'000 + 625 + 5'000);
  BOOST_TEST(coconsul::protocol::blocking_timeout(o, cfg).count() == 15'625);

  o.wait = 1001ms;  // integer division: 1001 / 16 = 62
  BOOST_TEST(read(o, cfg).timeout.count() == 1001 + 62 + 5'000);

  cfg.timeouts.blocking_margin = 250ms;
  o.wait = 16s;
  BOOST_TEST(read(o, cfg).timeout.count() == 16'000 + 1'000 + 250);
}

BOOST_AUTO_TEST_CASE(an_index_without_wait_uses_consuls_five_minutes) {
  query_options o;
  o.index = 99;
  const request r = read(o);
  BOOST_TEST(r.target == "/v1/health/service/web?index=99");  // no wait parameter sent
  BOOST_TEST(r.timeout.count() == 300'000 + 18'750 + 5'000);
}

BOOST_AUTO_TEST_CASE(a_wait_beyond_ten_minutes_is_clamped_as_the_agent_does) {
  query_options o;
  o.index = 5;
  o.wait = 20min;
  const request r = read(o);
  BOOST_TEST(r.target == "/v1/health/service/web?index=5&wait=1200000ms");  // sent as asked
  BOOST_TEST(r.timeout.count() == 600'000 + 37'500 + 5'000);
}

BOOST_AUTO_TEST_CASE(no_index_means_no_blocking_timeout) {
  query_options o;
  o.wait = 30s;  // a wait alone does not block: Consul needs an index
  BOOST_TEST(read(o).timeout.count() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
