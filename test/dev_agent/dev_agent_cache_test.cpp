// The agent cache over real sockets: ?cached with X-Cache and Age, Cache-Control, blocking
// through the cache, what a client agent that lost its servers answers (and serves from its
// cache), and the cache's bounds.
#define BOOST_TEST_MODULE dev_agent_cache
#include <boost/test/unit_test.hpp>

#include "agent_client.hpp"
#include "agent_fixture.hpp"

#include "dev_agent/endpoints/agent_cache.hpp"
#include "dev_agent/http/responders.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <cmath>

using namespace coconsul;
using namespace coconsul::test;
namespace asio = boost::asio;
namespace json = boost::json;
using header_list = std::vector<std::pair<std::string, std::string>>;

namespace {

asio::awaitable<void> register_web(agent_client& c, std::string id, std::string tag) {
  std::string body = R"({"Node":"n1","Address":"10.0.0.1","Service":{"ID":")" + id + R"(","Service":"web","Tags":[")" +
                     tag + R"("],"Port":80}})";
  auto r = co_await c.put("/v1/catalog/register", body);
  BOOST_TEST_REQUIRE(r.status == 200u);
}

// Lets `d` pass: what an Age is measured over (there is no event to await for time itself).
asio::awaitable<void> let_pass(std::chrono::milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  co_await t.async_wait(asio::use_awaitable);
}

// The reply's Age, which Consul rounds to whole seconds, lies between `at_least` and the time
// since `since` (rounded up): a loaded machine may take longer, never less.
bool age_between(const reply& r, double at_least, std::chrono::steady_clock::time_point since) {
  auto age = std::stod(r.header("Age"));
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
  BOOST_TEST_MESSAGE("Age " << age << ", at least " << at_least << ", at most " << std::ceil(elapsed));
  return age >= at_least && age <= std::ceil(elapsed);
}

asio::awaitable<reply> get_with(agent_client& c, std::string target, std::string cache_control) {
  header_list headers;
  if (!cache_control.empty()) headers.emplace_back("Cache-Control", std::move(cache_control));
  co_return co_await c.request("GET", std::move(target), {}, std::move(headers));
}

}  // namespace

BOOST_AUTO_TEST_CASE(background_refresh_entries_miss_once_then_hit_and_stay_current) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await register_web(c, "web-1", "v1");

    auto plain = co_await c.get("/v1/health/service/web");
    BOOST_TEST(!plain.has_header("X-Cache"));  // without ?cached the cache is not involved

    auto first = co_await c.get("/v1/health/service/web?cached");
    BOOST_TEST(first.status == 200u);
    BOOST_TEST(first.header("X-Cache") == "MISS");
    BOOST_TEST(!first.has_header("Age"));
    auto second = co_await c.get("/v1/health/service/web?cached");
    BOOST_TEST(second.header("X-Cache") == "HIT");
    BOOST_TEST(second.header("Age") == "0");  // refreshed in the background: never stale in contact
    BOOST_TEST(second.body == first.body);

    // A change shows at once: the entry is what a background refresh keeps.
    co_await register_web(c, "web-2", "v1");
    auto third = co_await c.get("/v1/health/service/web?cached");
    BOOST_TEST(third.header("X-Cache") == "HIT");
    BOOST_TEST(third.json().as_array().size() == 2u);
    BOOST_TEST(third.index() > second.index());

    // Other request fields are other entries; so is another token.
    BOOST_TEST((co_await c.get("/v1/health/service/web?cached&tag=v1")).header("X-Cache") == "MISS");
    header_list token{{"X-Consul-Token", "other"}};
    auto other = co_await c.request("GET", "/v1/health/service/web?cached", {}, token);
    BOOST_TEST(other.header("X-Cache") == "MISS");
    // Cache-Control means nothing to a background-refresh entry.
    auto revalidate = co_await get_with(c, "/v1/health/service/web?cached", "must-revalidate");
    BOOST_TEST(revalidate.header("X-Cache") == "HIT");
  }());
}

BOOST_AUTO_TEST_CASE(blocking_through_the_cache_hits_when_behind_and_misses_when_it_waited) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await register_web(c, "web-1", "v1");
    auto first = co_await c.get("/v1/catalog/service/web?cached");
    auto index = first.index();

    // An index behind the entry's: answered at once from the cache.
    auto behind = co_await c.get("/v1/catalog/service/web?cached&index=1");
    BOOST_TEST(behind.header("X-Cache") == "HIT");
    BOOST_TEST(behind.index() == index);

    // At the entry's index: it waits for the next change and says it missed.
    std::optional<reply> answer;
    auto park = [&]() -> asio::awaitable<void> {
      answer = co_await c.get("/v1/catalog/service/web?cached&index=" + std::to_string(index) + "&wait=10s");
    };
    asio::co_spawn(f.ioc, park(), asio::detached);
    co_await until([&] { return f.agent.waiting_queries() == 1; });  // parked before the write
    auto writer = agent_client(f.agent, f.ioc.get_executor());
    co_await register_web(writer, "web-2", "v2");
    co_await until([&] { return answer.has_value(); });
    const reply& woken = *answer;
    BOOST_TEST(woken.header("X-Cache") == "MISS");
    BOOST_TEST(woken.index() > index);
    BOOST_TEST(woken.json().as_array().size() == 2u);
  }());
}

BOOST_AUTO_TEST_CASE(a_client_agent_without_servers_fails_what_needs_them_and_serves_its_cache) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await register_web(c, "web-1", "v1");
    auto cached = co_await c.get("/v1/catalog/services?cached");
    BOOST_TEST(cached.header("X-Cache") == "MISS");

    auto lost_at = std::chrono::steady_clock::now();
    f.agent.lose_server_contact();
    auto uncached = co_await c.get("/v1/catalog/services");
    BOOST_TEST(uncached.status == 500u);
    BOOST_TEST(uncached.body == "No known Consul servers");
    BOOST_TEST((co_await c.put("/v1/kv/a", "1")).status == 500u);
    BOOST_TEST((co_await c.get("/v1/status/leader")).status == 500u);
    // What the agent answers from itself keeps working.
    BOOST_TEST((co_await c.get("/v1/agent/services")).status == 200u);
    BOOST_TEST((co_await c.get("/v1/agent/self")).status == 200u);
    // Nothing cached for this one: it fails as its fetch does.
    auto never_cached = co_await c.get("/v1/health/service/web?cached");
    BOOST_TEST(never_cached.status == 500u);

    // The cached entry: the last answer, its Age counted from the loss of contact.
    co_await let_pass(std::chrono::milliseconds(1600));
    auto stale = co_await c.get("/v1/catalog/services?cached");
    BOOST_TEST(stale.status == 200u);
    BOOST_TEST(stale.header("X-Cache") == "HIT");
    BOOST_TEST(age_between(stale, 2, lost_at));
    BOOST_TEST(stale.body == cached.body);
    BOOST_TEST(stale.index() == cached.index());
    // A query that must wait past what the cache holds fails as its fetch does.
    auto blocked = co_await c.get("/v1/catalog/services?cached&index=" + std::to_string(cached.index()));
    BOOST_TEST(blocked.status == 500u);

    f.agent.restore_server_contact();
    auto back = co_await c.get("/v1/catalog/services?cached");
    BOOST_TEST(back.header("X-Cache") == "HIT");
    BOOST_TEST(back.header("Age") == "0");
    BOOST_TEST((co_await c.get("/v1/catalog/services")).status == 200u);
  }());
}

BOOST_AUTO_TEST_CASE(simple_entries_follow_max_age_must_revalidate_and_stale_if_error) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto fetched_at = std::chrono::steady_clock::now();
    auto first = co_await c.get("/v1/catalog/datacenters?cached");
    BOOST_TEST(first.status == 200u);
    BOOST_TEST(first.header("X-Cache") == "MISS");
    co_await let_pass(std::chrono::milliseconds(600));
    auto second = co_await c.get("/v1/catalog/datacenters?cached");
    BOOST_TEST(second.header("X-Cache") == "HIT");
    BOOST_TEST(age_between(second, 1, fetched_at));  // Consul rounds the seconds since the fetch
    BOOST_TEST(second.body == first.body);
    BOOST_TEST((co_await get_with(c, "/v1/catalog/datacenters?cached", "max-age=30")).header("X-Cache") == "HIT");
    BOOST_TEST((co_await get_with(c, "/v1/catalog/datacenters?cached", "must-revalidate")).header("X-Cache") == "MISS");
    // The revalidations refetched: the entry is young again (Age 0 as of this last fetch).
    fetched_at = std::chrono::steady_clock::now();
    BOOST_TEST((co_await get_with(c, "/v1/catalog/datacenters?cached", "max-age=0")).header("X-Cache") == "MISS");

    f.agent.lose_server_contact();
    co_await let_pass(std::chrono::milliseconds(600));
    // No stale-if-error: a revalidation that fails is the servers' error.
    auto failed = co_await get_with(c, "/v1/catalog/datacenters?cached", "max-age=0");
    BOOST_TEST(failed.status == 500u);
    BOOST_TEST(failed.body == "No known Consul servers");
    // stale-if-error: the old answer instead, its Age past max-age telling the client so.
    auto fallback = co_await get_with(c, "/v1/catalog/datacenters?cached", "max-age=0, stale-if-error=60");
    BOOST_TEST(fallback.status == 200u);
    BOOST_TEST(fallback.header("X-Cache") == "HIT");
    BOOST_TEST(age_between(fallback, 1, fetched_at));
    BOOST_TEST(fallback.body == first.body);
    // ... but not an answer older than stale-if-error allows.
    BOOST_TEST((co_await get_with(c, "/v1/catalog/datacenters?cached", "max-age=0, stale-if-error=0")).status == 500u);
    // Without max-age or must-revalidate the cached answer is simply served.
    BOOST_TEST((co_await c.get("/v1/catalog/datacenters?cached")).header("X-Cache") == "HIT");
  }());
}

BOOST_AUTO_TEST_CASE(cache_control_is_split_on_commas_as_consul_does) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    // The space-separated form of Consul's own docs is refused by Consul's parser.
    auto spaced = co_await get_with(c, "/v1/catalog/datacenters?cached", "max-age=30 stale-if-error=259200");
    BOOST_TEST(spaced.status == 400u);
    BOOST_TEST(spaced.body == "Invalid Cache-Control header.");
    BOOST_TEST((co_await get_with(c, "/v1/catalog/services?cached", "max-age=abc")).status == 400u);
    BOOST_TEST((co_await get_with(c, "/v1/catalog/services?cached", "Max-Age=5, no-store")).status == 200u);
  }());
  auto cc = dev::parse_cache_control("max-age=0, stale-if-error=60");
  BOOST_TEST_REQUIRE(cc.has_value());
  BOOST_TEST(cc->must_revalidate);  // max-age=0 implies it
  BOOST_TEST(cc->stale_if_error->count() == 60);
}

BOOST_AUTO_TEST_CASE(without_use_cache_cached_is_ignored) {
  auto options = agent_test_options();
  options.use_cache = false;
  agent_fixture f(options);
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/v1/catalog/services?cached");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(!r.has_header("X-Cache"));
  }());
}

BOOST_AUTO_TEST_CASE(entries_are_bounded_by_count_and_bytes_least_recently_read_first) {
  asio::io_context ioc;
  dev::agent_cache cache(dev::agent_cache::bounds{2, 4096});
  // A fetch that answers the path back, with a body of the size the query asks for.
  dev::agent_cache::fetch_fn fetch = [](dev::http_request& r) -> asio::awaitable<dev::http_response> {
    auto resp = dev::text_response(200, std::string(std::stoul(r.query.get_or("size", "10")), 'x'));
    resp.set_header("X-Consul-Index", "5");
    co_return resp;
  };
  auto get = [&](std::string path, std::string size) {
    dev::http_request req;
    req.method = "GET";
    req.path = std::move(path);
    req.query = dev::query_params::parse("cached&size=" + size);
    std::string cache_header;
    asio::co_spawn(ioc, cache.serve(req, dev::cache_kind::background_refresh, fetch, std::nullopt),
                   [&](std::exception_ptr e, dev::http_response r) {
                     BOOST_REQUIRE(!e);
                     cache_header = std::string(r.header("X-Cache"));
                   });
    ioc.run();
    ioc.restart();
    return cache_header;
  };
  BOOST_TEST(get("/a", "10") == "MISS");
  BOOST_TEST(get("/b", "10") == "MISS");
  BOOST_TEST(get("/a", "10") == "HIT");  // /a is now the most recently read
  BOOST_TEST(get("/c", "10") == "MISS");
  BOOST_TEST(cache.entries() == 2u);
  BOOST_TEST(get("/a", "10") == "HIT");   // kept
  BOOST_TEST(get("/b", "10") == "MISS");  // evicted, the least recently read
  // One answer past the byte bound does not stay.
  BOOST_TEST(get("/big", "8192") == "MISS");
  BOOST_TEST(cache.bytes() <= 4096u);
  BOOST_TEST(get("/big", "8192") == "MISS");
}
