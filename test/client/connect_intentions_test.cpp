// connect_api's intentions against the in-process dev agent: create, read, update and delete by
// ID, the exact API, match in precedence order, check, the agent's authorize with Consul's
// reasons, refusals as coconsul::error with Consul's text, and bad input refused before sending.
#define BOOST_TEST_MODULE client_connect_intentions
#include <boost/test/unit_test.hpp>

#include "agent_fixture.hpp"

#include <string>
#include <vector>

namespace asio = boost::asio;
using coconsul::test::agent_fixture;
using coconsul::test::failure_of;

namespace {

coconsul::intention between(std::string source, std::string destination, std::string action) {
  coconsul::intention i;
  i.source_name = std::move(source);
  i.destination_name = std::move(destination);
  i.action = std::move(action);
  return i;
}

std::vector<std::string> pairs(const std::vector<coconsul::intention>& v) {
  std::vector<std::string> out;
  for (const auto& i : v) out.push_back(i.source_name + ">" + i.destination_name);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(create_read_update_delete_by_id) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    auto connect = f.consul.connect();
    auto web_db = between("web", "db", "allow");
    web_db.description = "web may call db";
    web_db.meta = {{"team", "payments"}};
    std::string id = co_await connect.create_intention(web_db);
    BOOST_TEST(id.size() == 36u);

    auto got = co_await connect.intention_by_id(id);
    BOOST_TEST(got.value.id == id);
    BOOST_TEST(got.value.source_ns == "default");
    BOOST_TEST(got.value.source_type == "consul");
    BOOST_TEST(got.value.precedence == 9);
    BOOST_TEST(got.value.meta.at("team") == "payments");
    BOOST_TEST(!got.value.created_at.empty());
    BOOST_TEST(!got.value.hash.empty());
    BOOST_TEST(got.meta.last_index >= got.value.modify_index);

    auto changed = web_db;
    changed.action = "deny";
    co_await connect.update_intention(id, changed);
    BOOST_TEST((co_await connect.intention_by_id(id)).value.action == "deny");

    co_await connect.create_intention(between("*", "db", "allow"));
    auto all = co_await connect.intentions();
    BOOST_TEST(pairs(all.value) == (std::vector<std::string>{"web>db", "*>db"}), boost::test_tools::per_element());

    co_await connect.delete_intention(id);
    auto gone = co_await failure_of(connect.intention_by_id(id));
    BOOST_TEST((gone.code() == coconsul::errc::not_found));

    // Consul's refusals come back with its text.
    auto dup = co_await failure_of(connect.create_intention(between("*", "db", "deny")));
    BOOST_TEST(dup.message() == R"(Sources[1] defines "*" more than once)");
    // Bad input is refused before anything is sent.
    auto empty = co_await failure_of(connect.intention_by_id(""));
    BOOST_TEST((empty.code() == coconsul::errc::invalid_argument));
  }());
}

BOOST_AUTO_TEST_CASE(exact_match_check_and_authorize) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    auto connect = f.consul.connect();
    co_await connect.upsert_intention(between("web", "db", "allow"));
    co_await connect.upsert_intention(between("*", "db", "deny"));
    co_await connect.upsert_intention(between("web", "*", "allow"));

    auto exact = co_await connect.intention_exact("web", "db");
    BOOST_TEST(exact.value.id.empty());
    BOOST_TEST(exact.value.action == "allow");
    BOOST_TEST(exact.value.created_at.empty());

    std::vector<std::string> names{"db", "cache"};  // a named local: gcc 12 and braced lists in co_await
    auto m = co_await connect.match_intentions(coconsul::intention_match_by::destination, names);
    BOOST_TEST(pairs(m.value.at("db")) == (std::vector<std::string>{"web>db", "*>db", "web>*"}),
               boost::test_tools::per_element());
    BOOST_TEST(pairs(m.value.at("cache")) == (std::vector<std::string>{"web>*"}), boost::test_tools::per_element());

    BOOST_TEST(co_await connect.check_intention("web", "db"));
    BOOST_TEST(!(co_await connect.check_intention("api", "db")));

    coconsul::connect_authorize_request req;
    req.target = "db";
    req.client_cert_uri = "spiffe://11111111-2222-3333-4444-555555555555.consul/ns/default/dc/dc1/svc/web";
    auto yes = co_await connect.authorize(req);
    BOOST_TEST(yes.authorized);
    BOOST_TEST(yes.reason == "Matched L4 intention: default/web => default/db (Precedence: 9, Action: ALLOW)");
    req.client_cert_uri = "not a uri";
    auto bad = co_await failure_of(connect.authorize(req));
    BOOST_TEST(bad.message() == "ClientCertURI not a valid Connect identifier");

    co_await connect.delete_intention_exact("web", "db");
    auto gone = co_await failure_of(connect.intention_exact("web", "db"));
    BOOST_TEST((gone.code() == coconsul::errc::not_found));
    // Deleting what is not there succeeds.
    co_await connect.delete_intention_exact("web", "db");
  }());
}
