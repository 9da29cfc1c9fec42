// The dev agent's intention endpoints and /v1/agent/connect/authorize over raw HTTP, as Consul
// 1.14 answers: the legacy CRUD by ID on top of service-intentions entries, exact, match and
// check, blocking reads, Consul's refusals, ACLs (intention:read/write, service:read for
// check, service:write for authorize) and Connect disabled.
#define BOOST_TEST_MODULE dev_agent_intentions
#include <boost/test/unit_test.hpp>

#include "acl_test_support.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>

#include <regex>
#include <string>
#include <vector>

using namespace coconsul;
using namespace coconsul::test;
namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

constexpr const char* management = "7e1d1a38-59f3-4d2a-b8e5-0a4f9cf6c2a1";

std::vector<std::string> keys_of(const json::value& v) {
  std::vector<std::string> out;
  for (const auto& kv : v.as_object()) out.emplace_back(kv.key());
  return out;
}

// "source>destination" of each intention of a JSON array, in order.
std::vector<std::string> pairs(const json::value& v) {
  std::vector<std::string> out;
  for (const auto& e : v.as_array()) out.push_back(str(e, "SourceName") + ">" + str(e, "DestinationName"));
  return out;
}

asio::awaitable<std::string> create(agent_client& c, std::string source, std::string destination, std::string action) {
  std::string body = R"({"SourceName":")" + source + R"(","DestinationName":")" + destination + R"(","Action":")" +
                     action + R"("})";
  auto r = co_await c.request("POST", "/v1/connect/intentions", body);
  BOOST_TEST_REQUIRE(r.status == 200u, r.body);
  co_return str(r.json(), "ID");
}

asio::awaitable<reply> upsert(agent_client& c, std::string source, std::string destination, std::string body,
                              std::string token = "") {
  co_return co_await acl_call(c, "PUT", "/v1/connect/intentions/exact?source=" + source + "&destination=" + destination,
                              std::move(body), std::move(token));
}

asio::awaitable<reply> authorize(agent_client& c, std::string target, std::string uri, std::string token = "") {
  json::object o;
  o["Target"] = target;
  o["ClientCertURI"] = uri;
  co_return co_await acl_call(c, "POST", "/v1/agent/connect/authorize", json::serialize(o), std::move(token));
}

std::string spiffe(const std::string& service) {
  return "spiffe://11111111-2222-3333-4444-555555555555.consul/ns/default/dc/dc1/svc/" + service;
}

const std::regex uuid(R"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");
const std::regex go_time(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z)");

}  // namespace

BOOST_AUTO_TEST_CASE(legacy_crud_by_id) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto empty = co_await c.get("/v1/connect/intentions");
    BOOST_TEST(empty.status == 200u);
    BOOST_TEST(empty.json().as_array().empty());

    std::string id = co_await create(c, "web", "db", "allow");
    BOOST_TEST(std::regex_match(id, uuid));
    auto got = co_await c.get("/v1/connect/intentions/" + id);
    BOOST_TEST(got.status == 200u);
    auto ixn = got.json();
    BOOST_TEST(keys_of(ixn) == (std::vector<std::string>{"CreatedAt", "UpdatedAt", "ID", "SourceNS", "SourceName",
                                                        "DestinationNS", "DestinationName", "SourceType", "Action",
                                                        "Precedence", "Hash", "CreateIndex", "ModifyIndex"}),
               boost::test_tools::per_element());
    BOOST_TEST(str(ixn, "SourceNS") == "default");
    BOOST_TEST(str(ixn, "SourceType") == "consul");
    BOOST_TEST(ixn.at("Precedence").as_int64() == 9);
    BOOST_TEST(std::regex_match(str(ixn, "CreatedAt"), go_time));
    BOOST_TEST(str(ixn, "Hash").size() == 44u);  // base64 of 32 bytes
    BOOST_TEST(got.index() >= ixn.at("ModifyIndex").to_number<std::uint64_t>());

    // Update: same ID back, the action changed, the creation time kept.
    std::string update = R"({"SourceName":"web","DestinationName":"db","Action":"deny","Description":"no"})";
    auto put = co_await c.request("PUT", "/v1/connect/intentions/" + id, update);
    BOOST_TEST(put.status == 200u);
    BOOST_TEST(str(put.json(), "ID") == id);
    auto after = (co_await c.get("/v1/connect/intentions/" + id)).json();
    BOOST_TEST(str(after, "Action") == "deny");
    BOOST_TEST(str(after, "Description") == "no");
    BOOST_TEST(str(after, "CreatedAt") == str(ixn, "CreatedAt"));
    BOOST_TEST(str(after, "Hash") != str(ixn, "Hash"));

    // The list, by precedence.
    co_await create(c, "*", "db", "deny");
    auto listed = co_await c.get("/v1/connect/intentions");
    BOOST_TEST(pairs(listed.json()) == (std::vector<std::string>{"web>db", "*>db"}), boost::test_tools::per_element());

    // Refusals, with Consul's statuses and texts.
    auto with_id = co_await c.request("POST", "/v1/connect/intentions",
                                      R"({"ID":")" + id + R"(","SourceName":"a","DestinationName":"db","Action":"allow"})");
    BOOST_TEST(with_id.status == 500u);
    BOOST_TEST(with_id.body == "ID must be empty when creating a new intention");
    auto dup = co_await c.request("POST", "/v1/connect/intentions",
                                  R"({"SourceName":"web","DestinationName":"db","Action":"allow"})");
    BOOST_TEST(dup.status == 500u);
    BOOST_TEST(dup.body == R"(Sources[1] defines "web" more than once)");
    auto no_action = co_await c.request("POST", "/v1/connect/intentions", R"({"SourceName":"x","DestinationName":"db"})");
    BOOST_TEST(no_action.status == 500u);
    BOOST_TEST(no_action.body == "1 error occurred:\n\t* Action must be set to 'allow' or 'deny'\n\n");
    auto bad_json = co_await c.request("POST", "/v1/connect/intentions", R"({"Bogus":1})");
    BOOST_TEST(bad_json.status == 500u);
    BOOST_TEST(bad_json.body == R"(Failed to decode request body: json: unknown field "Bogus")");
    auto ns = co_await c.request("POST", "/v1/connect/intentions",
                                 R"({"SourceNS":"team","SourceName":"x","DestinationName":"db","Action":"allow"})");
    BOOST_TEST(ns.status == 400u);
    BOOST_TEST(ns.body == "Invalid SourceNS(team): Namespaces is a Consul Enterprise feature");
    auto bad_uuid = co_await c.get("/v1/connect/intentions/not-a-uuid");
    BOOST_TEST(bad_uuid.status == 400u);
    BOOST_TEST(bad_uuid.body == "failed config entry lookup: UUID must be 36 characters");
    std::string absent = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    auto missing = co_await c.get("/v1/connect/intentions/" + absent);
    BOOST_TEST(missing.status == 404u);
    BOOST_TEST(missing.body == "Intention not found");
    auto put_missing = co_await c.request("PUT", "/v1/connect/intentions/" + absent, update);
    BOOST_TEST(put_missing.status == 500u);
    BOOST_TEST(put_missing.body == "Cannot modify non-existent intention: '" + absent + "'");
    auto rename = co_await c.request("PUT", "/v1/connect/intentions/" + id,
                                     R"({"SourceName":"web","DestinationName":"other","Action":"deny"})");
    BOOST_TEST(rename.status == 500u);
    BOOST_TEST(rename.body == "Cannot modify Destination partition/namespace/name for an intention once it exists.");

    // Delete: true, then gone.
    auto del = co_await c.del("/v1/connect/intentions/" + id);
    BOOST_TEST(del.status == 200u);
    BOOST_TEST(del.body.starts_with("true"));
    BOOST_TEST((co_await c.get("/v1/connect/intentions/" + id)).status == 404u);
    auto del_again = co_await c.del("/v1/connect/intentions/" + id);
    BOOST_TEST(del_again.status == 500u);
    BOOST_TEST(del_again.body == "Cannot delete non-existent intention: '" + id + "'");
  }());
}

BOOST_AUTO_TEST_CASE(exact_upserts_by_name) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto put = co_await upsert(c, "web", "db", R"({"Action":"allow","Description":"hi"})");
    BOOST_TEST(put.status == 200u, put.body);
    BOOST_TEST(put.body.starts_with("true"));
    auto got = co_await c.get("/v1/connect/intentions/exact?source=web&destination=db");
    BOOST_TEST(got.status == 200u);
    auto ixn = got.json();
    // A config-entry intention: no ID, no times, no Hash.
    BOOST_TEST(keys_of(ixn) == (std::vector<std::string>{"Description", "SourceNS", "SourceName", "DestinationNS",
                                                        "DestinationName", "SourceType", "Action", "Precedence",
                                                        "CreateIndex", "ModifyIndex"}),
               boost::test_tools::per_element());
    // The same source again replaces it.
    BOOST_TEST((co_await upsert(c, "web", "db", R"({"Action":"deny"})")).status == 200u);
    auto replaced = (co_await c.get("/v1/connect/intentions/exact?source=web&destination=db")).json();
    BOOST_TEST(str(replaced, "Action") == "deny");
    BOOST_TEST(!replaced.as_object().contains("Description"));

    // The legacy API refuses a destination edited as a config entry.
    auto legacy = co_await c.request("POST", "/v1/connect/intentions",
                                     R"({"SourceName":"api","DestinationName":"db","Action":"allow"})");
    BOOST_TEST(legacy.status == 500u);
    BOOST_TEST(legacy.body ==
               R"(cannot use legacy intention API to edit intentions with a destination of "db" after editing them via a service-intentions config entry)");
    // L7 permissions need an HTTP service; db is tcp.
    auto l7 = co_await upsert(c, "api", "db", R"({"Permissions":[{"Action":"allow","HTTP":{"PathPrefix":"/"}}]})");
    BOOST_TEST(l7.status == 500u);
    BOOST_TEST(l7.body == R"(service "db" has protocol "tcp", which is incompatible with L7 intentions permissions)");
    auto meta = co_await upsert(c, "api", "cache", R"({"Action":"allow","Meta":{"a":"b"}})");
    BOOST_TEST(meta.status == 500u);
    BOOST_TEST(meta.body == "Meta must not be specified");
    auto no_source = co_await c.request("PUT", "/v1/connect/intentions/exact?destination=db", R"({"Action":"allow"})");
    BOOST_TEST(no_source.status == 500u);
    BOOST_TEST(no_source.body == "required query parameter 'source' not set");
    auto peer = co_await c.request("PUT", "/v1/connect/intentions/exact?source=peer:x/web&destination=db",
                                   R"({"Action":"allow"})");
    BOOST_TEST(peer.status == 500u);
    BOOST_TEST(peer.body == R"(source "peer:x/web" is invalid: cannot specify a peer here)");

    // A read may name a peer's source (none here).
    BOOST_TEST((co_await c.get("/v1/connect/intentions/exact?source=peer:x/web&destination=db")).status == 404u);

    // Delete by name: true, idempotent.
    auto del = co_await c.del("/v1/connect/intentions/exact?source=web&destination=db");
    BOOST_TEST(del.status == 200u);
    BOOST_TEST((co_await c.get("/v1/connect/intentions/exact?source=web&destination=db")).status == 404u);
    BOOST_TEST((co_await c.del("/v1/connect/intentions/exact?source=web&destination=db")).status == 200u);
  }());
}

BOOST_AUTO_TEST_CASE(match_orders_by_precedence_for_each_name) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await create(c, "web", "db", "allow");
    co_await create(c, "*", "db", "deny");
    co_await create(c, "web", "*", "allow");
    co_await create(c, "api", "cache", "allow");
    auto m = co_await c.get("/v1/connect/intentions/match?by=destination&name=db&name=cache");
    BOOST_TEST(m.status == 200u);
    auto body = m.json();
    BOOST_TEST(keys_of(body) == (std::vector<std::string>{"db", "cache"}), boost::test_tools::per_element());
    BOOST_TEST(pairs(body.at("db")) == (std::vector<std::string>{"web>db", "*>db", "web>*"}),
               boost::test_tools::per_element());
    BOOST_TEST(pairs(body.at("cache")) == (std::vector<std::string>{"api>cache", "web>*"}),
               boost::test_tools::per_element());
    auto by_source = (co_await c.get("/v1/connect/intentions/match?by=source&name=web")).json();
    BOOST_TEST(pairs(by_source.at("web")) == (std::vector<std::string>{"web>db", "*>db", "web>*"}),
               boost::test_tools::per_element());
    auto nothing = (co_await c.get("/v1/connect/intentions/match?by=destination&name=none")).json();
    BOOST_TEST(pairs(nothing.at("none")) == (std::vector<std::string>{"web>*"}), boost::test_tools::per_element());

    auto no_by = co_await c.get("/v1/connect/intentions/match?name=db");
    BOOST_TEST(no_by.status == 500u);
    BOOST_TEST(no_by.body == "required query parameter 'by' not set");
    auto bad_by = co_await c.get("/v1/connect/intentions/match?by=both&name=db");
    BOOST_TEST(bad_by.body == "'by' parameter must be one of 'source' or 'destination'");
    auto no_name = co_await c.get("/v1/connect/intentions/match?by=source");
    BOOST_TEST(no_name.body == "required query parameter 'name' not set");
  }());
}

BOOST_AUTO_TEST_CASE(check_and_authorize_decide) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    std::string id = co_await create(c, "web", "db", "allow");
    co_await create(c, "*", "db", "deny");
    auto yes = co_await c.get("/v1/connect/intentions/check?source=web&destination=db");
    BOOST_TEST(yes.status == 200u);
    BOOST_TEST(yes.json().at("Allowed").as_bool());
    BOOST_TEST(!(co_await c.get("/v1/connect/intentions/check?source=api&destination=db")).json().at("Allowed").as_bool());
    // No intention: ACLs are off, so allowed.
    BOOST_TEST((co_await c.get("/v1/connect/intentions/check?source=api&destination=cache")).json().at("Allowed").as_bool());
    auto no_dest = co_await c.get("/v1/connect/intentions/check?source=api");
    BOOST_TEST(no_dest.status == 500u);
    BOOST_TEST(no_dest.body == "required query parameter 'destination' not set");

    auto ok = co_await authorize(c, "db", spiffe("web"));
    BOOST_TEST(ok.status == 200u);
    BOOST_TEST(keys_of(ok.json()) == (std::vector<std::string>{"Authorized", "Reason"}), boost::test_tools::per_element());
    BOOST_TEST(ok.json().at("Authorized").as_bool());
    BOOST_TEST(str(ok.json(), "Reason") ==
               "Matched L4 intention: default/web => default/db (ID: " + id + ", Precedence: 9, Action: ALLOW)");
    auto no = co_await authorize(c, "db", spiffe("api"));
    BOOST_TEST(!no.json().at("Authorized").as_bool());
    BOOST_TEST(str(no.json(), "Reason").starts_with("Matched L4 intention: default/* => default/db (ID: "));
    auto by_default = co_await authorize(c, "cache", spiffe("api"));
    BOOST_TEST(by_default.json().at("Authorized").as_bool());
    BOOST_TEST(str(by_default.json(), "Reason") == "Default behavior configured by ACLs");

    auto no_target = co_await authorize(c, "", spiffe("api"));
    BOOST_TEST(no_target.status == 400u);
    BOOST_TEST(no_target.body == "Target service must be specified");
    auto not_spiffe = co_await authorize(c, "db", "https://example.com/x");
    BOOST_TEST(not_spiffe.status == 400u);
    BOOST_TEST(not_spiffe.body == "ClientCertURI not a valid Connect identifier");
    auto agent_uri = co_await authorize(c, "db", "spiffe://1111.consul/agent/client/dc/dc1/id/abc");
    BOOST_TEST(agent_uri.status == 400u);
    BOOST_TEST(agent_uri.body == "ClientCertURI not a valid Service identifier");
    auto bad_body = co_await c.request("POST", "/v1/agent/connect/authorize", "{");
    BOOST_TEST(bad_body.status == 400u);
    BOOST_TEST(bad_body.body.starts_with("Request decode failed: "));
  }());
}

BOOST_AUTO_TEST_CASE(config_entries_and_l7_permissions) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    // The entry as written through /v1/config: normalized (types, precedence, order, methods).
    auto put = co_await c.put("/v1/config", R"({"Kind":"service-intentions","Name":"db","Sources":[
        {"Name":"*","Action":"deny"},{"Name":"web","Action":"allow","Description":"front"}]})");
    BOOST_TEST(put.status == 200u, put.body);
    auto entry = (co_await c.get("/v1/config/service-intentions/db")).json();
    BOOST_TEST(keys_of(entry) == (std::vector<std::string>{"Kind", "Name", "Sources", "CreateIndex", "ModifyIndex"}),
               boost::test_tools::per_element());
    const auto& first = entry.at("Sources").at(0);
    BOOST_TEST(keys_of(first) == (std::vector<std::string>{"Name", "Action", "Precedence", "Type", "Description"}),
               boost::test_tools::per_element());
    BOOST_TEST(str(first, "Name") == "web");
    BOOST_TEST(first.at("Precedence").as_int64() == 9);
    BOOST_TEST(str(entry.at("Sources").at(1), "Type") == "consul");
    auto bad = co_await c.put("/v1/config", R"({"Kind":"service-intentions","Name":"db","Sources":[{"Name":"web"}]})");
    BOOST_TEST(bad.status == 500u);
    BOOST_TEST(bad.body == "Sources[0].Action must be set to 'allow' or 'deny'");
    // Its sources are intentions of the legacy view, without IDs.
    auto listed = (co_await c.get("/v1/connect/intentions")).json();
    BOOST_TEST(pairs(listed) == (std::vector<std::string>{"web>db", "*>db"}), boost::test_tools::per_element());
    BOOST_TEST(!listed.at(0).as_object().contains("ID"));

    // L7 permissions: refused for a tcp service, taken once service-defaults say http.
    std::string l7 = R"({"Kind":"service-intentions","Name":"api","Sources":[{"Name":"web","Permissions":[
        {"Action":"allow","HTTP":{"PathPrefix":"/v1","Methods":["get"]}}]}]})";
    auto tcp = co_await c.put("/v1/config", l7);
    BOOST_TEST(tcp.status == 500u);
    BOOST_TEST(tcp.body == R"(service "api" has protocol "tcp", which is incompatible with L7 intentions permissions)");
    BOOST_TEST((co_await c.put("/v1/config", R"({"Kind":"service-defaults","Name":"api","Protocol":"http"})")).status == 200u);
    auto http = co_await c.put("/v1/config", l7);
    BOOST_TEST(http.status == 200u, http.body);
    auto stored = (co_await c.get("/v1/config/service-intentions/api")).json();
    BOOST_TEST(stored.at("Sources").at(0).at("Permissions").at(0).at("HTTP").at("Methods").at(0).as_string() == "GET");
    // authorize answers an L7 intention with a deny, naming it.
    auto l7_auth = co_await authorize(c, "api", spiffe("web"));
    BOOST_TEST(l7_auth.status == 200u);
    BOOST_TEST(!l7_auth.json().at("Authorized").as_bool());
    BOOST_TEST(str(l7_auth.json(), "Reason") ==
               "Matched L7 intention: default/web => default/api (Precedence: 9, Permissions: 1)");
    BOOST_TEST(!(co_await c.get("/v1/connect/intentions/check?source=web&destination=api")).json().at("Allowed").as_bool());
    auto got = (co_await c.get("/v1/connect/intentions/exact?source=web&destination=api")).json();
    BOOST_TEST(!got.as_object().contains("Action"));
    BOOST_TEST(got.at("Permissions").as_array().size() == 1u);
  }());
}

BOOST_AUTO_TEST_CASE(a_blocking_list_wakes_on_a_write) {
  agent_fixture f;
  f.run([&]() -> asio::awaitable<void> {
    using namespace asio::experimental::awaitable_operators;
    auto reader = agent_client(f.agent, f.ioc.get_executor());
    auto writer = agent_client(f.agent, f.ioc.get_executor());
    auto first = co_await reader.get("/v1/connect/intentions");
    auto wait = [&]() -> asio::awaitable<reply> {
      co_return co_await reader.get("/v1/connect/intentions?wait=20s&index=" + std::to_string(first.index()));
    };
    auto write = [&]() -> asio::awaitable<std::string> { co_return co_await create(writer, "web", "db", "allow"); };
    auto [woke, id] = co_await (wait() && write());
    BOOST_TEST(woke.index() > first.index());
    BOOST_TEST(pairs(woke.json()) == (std::vector<std::string>{"web>db"}), boost::test_tools::per_element());
    BOOST_TEST(!id.empty());
  }());
}

BOOST_AUTO_TEST_CASE(acls_decide_on_the_destination) {
  agent_fixture f(deny_by_default_options(management));
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto make_token = [&](std::string name, std::string rules) -> asio::awaitable<std::pair<std::string, std::string>> {
      json::object policy;
      policy["Name"] = name;
      policy["Rules"] = rules;
      auto p = co_await acl_call(c, "PUT", "/v1/acl/policy", json::serialize(policy), management);
      BOOST_TEST_REQUIRE(p.status == 200u, p.body);
      auto t = co_await acl_call(c, "PUT", "/v1/acl/token", R"({"Policies":[{"Name":")" + name + R"("}]})", management);
      BOOST_TEST_REQUIRE(t.status == 200u, t.body);
      co_return std::pair{str(t.json(), "AccessorID"), str(t.json(), "SecretID")};
    };
    auto [db_accessor, db_admin] =
        co_await make_token("db-admin", R"(service "db" { policy = "write" intentions = "write" })");
    auto [reader_accessor, reader] = co_await make_token("reader", R"(service "cache" { policy = "read" })");

    // Writes need intention:write on the destination: a bare "Permission denied" otherwise.
    auto denied =
        co_await acl_call(c, "POST", "/v1/connect/intentions",
                          R"({"SourceName":"web","DestinationName":"db","Action":"allow"})", reader);
    BOOST_TEST(denied.status == 403u);
    BOOST_TEST(denied.body == "Permission denied");
    auto allowed = co_await acl_call(c, "POST", "/v1/connect/intentions",
                                     R"({"SourceName":"web","DestinationName":"db","Action":"allow"})", db_admin);
    BOOST_TEST(allowed.status == 200u, allowed.body);
    BOOST_TEST((co_await upsert(c, "web", "cache", R"({"Action":"deny"})", management)).status == 200u);

    // The list leaves out what the token may not read, and says so.
    auto listed = co_await acl_call(c, "GET", "/v1/connect/intentions", "", db_admin);
    BOOST_TEST(pairs(listed.json()) == (std::vector<std::string>{"web>db"}), boost::test_tools::per_element());
    BOOST_TEST(listed.header("X-Consul-Results-Filtered-By-ACLs") == "true");
    // A service read rule grants intention read for it: the reader sees the cache one.
    auto read = co_await acl_call(c, "GET", "/v1/connect/intentions", "", reader);
    BOOST_TEST(pairs(read.json()) == (std::vector<std::string>{"web>cache"}), boost::test_tools::per_element());

    // Match needs intention:read on every name: Consul's denial text.
    auto match = co_await acl_call(c, "GET", "/v1/connect/intentions/match?by=destination&name=db", "", reader);
    BOOST_TEST(match.status == 403u);
    BOOST_TEST(match.body == "Permission denied: token with AccessorID '" + reader_accessor +
                                 "' lacks permission 'intention:read' on \"db\"");
    // Check needs service:read on the destination; with no intention the default (deny) decides.
    auto check = co_await acl_call(c, "GET", "/v1/connect/intentions/check?source=api&destination=cache", "", reader);
    BOOST_TEST(check.status == 200u);
    BOOST_TEST(!check.json().at("Allowed").as_bool());

    // Authorize needs service:write on the target.
    auto no_write = co_await authorize(c, "cache", spiffe("web"), reader);
    BOOST_TEST(no_write.status == 403u);
    BOOST_TEST(no_write.body == "Permission denied: token with AccessorID '" + reader_accessor +
                                    "' lacks permission 'service:write' on \"cache\"");
    auto by_default = co_await authorize(c, "db", spiffe("api"), db_admin);
    BOOST_TEST(by_default.status == 200u);
    BOOST_TEST(!by_default.json().at("Authorized").as_bool());
    BOOST_TEST(str(by_default.json(), "Reason") == "Default behavior configured by ACLs");
    auto matched = co_await authorize(c, "db", spiffe("web"), db_admin);
    BOOST_TEST(matched.json().at("Authorized").as_bool());
  }());
}

BOOST_AUTO_TEST_CASE(connect_disabled_refuses_intentions) {
  auto o = fast_agent_options();
  o.connect.enabled = false;
  agent_fixture f(o);
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    auto r = co_await c.get("/v1/connect/intentions");
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "Connect must be enabled in order to use this endpoint");
  }());
}
