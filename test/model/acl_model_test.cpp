// The ACL model types against Consul's documented payloads: every field decoded by its exact
// name, round trips both ways, request bodies as Consul's Go client sends them (unset fields
// left out, durations as Go strings, Hash as base64, an auth method's Config as free JSON).
#define BOOST_TEST_MODULE model_acl
#include <boost/test/unit_test.hpp>

#include <coconsul/json.hpp>
#include <coconsul/model/acl.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <string>
#include <vector>

using namespace std::chrono_literals;
using coconsul::decode_json;
using coconsul::encode_json;
using coconsul::encode_mode;
namespace json = boost::json;

namespace {

// GET /v1/acl/token/:accessor as Consul's API documentation shows it, with an expiry.
constexpr const char* documented_token = R"({
  "AccessorID": "6a1253d2-1785-24fd-91c2-f8e78c745511",
  "SecretID": "45a3bd52-07c7-47a4-52fd-0745e0cfe967",
  "Description": "Agent token for 'node1'",
  "Policies": [{"ID": "165d4317-e379-f732-ce70-86278c4558f7", "Name": "node1-write"}],
  "Roles": [{"ID": "5e52a099-4c90-c067-5478-980f06be9af5", "Name": "node-read"}],
  "ServiceIdentities": [{"ServiceName": "web", "Datacenters": ["dc1"]}],
  "NodeIdentities": [{"NodeName": "node-1", "Datacenter": "dc2"}],
  "Local": false,
  "ExpirationTime": "2018-10-25T12:25:06.921933-04:00",
  "ExpirationTTL": 86400000000000,
  "CreateTime": "2018-10-24T12:25:06.921933-04:00",
  "Hash": "UuiRkOQPRCvoRZHRtUxxbrmwZ5crYrOdZ0Z1FTFbTbA=",
  "CreateIndex": 59,
  "ModifyIndex": 60
})";

template <class T>
T round_trip(const T& value, encode_mode mode) {
  return decode_json<T>(encode_json(value, mode));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(acl_model)

BOOST_AUTO_TEST_CASE(a_documented_token_decodes_field_by_field) {
  const auto t = decode_json<coconsul::acl_token>(documented_token);
  BOOST_TEST(t.accessor_id == "6a1253d2-1785-24fd-91c2-f8e78c745511");
  BOOST_TEST(t.secret_id == "45a3bd52-07c7-47a4-52fd-0745e0cfe967");
  BOOST_TEST(t.description == "Agent token for 'node1'");
  BOOST_TEST_REQUIRE(t.policies.size() == 1u);
  BOOST_TEST(t.policies[0].id == "165d4317-e379-f732-ce70-86278c4558f7");
  BOOST_TEST(t.policies[0].name == "node1-write");
  BOOST_TEST_REQUIRE(t.roles.size() == 1u);
  BOOST_TEST(t.roles[0].name == "node-read");
  BOOST_TEST_REQUIRE(t.service_identities.size() == 1u);
  BOOST_TEST(t.service_identities[0].service_name == "web");
  BOOST_TEST(t.service_identities[0].datacenters == std::vector<std::string>{"dc1"});
  BOOST_TEST_REQUIRE(t.node_identities.size() == 1u);
  BOOST_TEST(t.node_identities[0].node_name == "node-1");
  BOOST_TEST(t.node_identities[0].datacenter == "dc2");
  BOOST_TEST(!t.local);
  BOOST_TEST((t.expiration_time == std::optional<std::string>("2018-10-25T12:25:06.921933-04:00")));
  BOOST_TEST((t.expiration_ttl == 24h));
  BOOST_TEST(t.create_time == "2018-10-24T12:25:06.921933-04:00");
  BOOST_TEST(t.hash.size() == 32u);  // the base64 text is the 32 bytes of a SHA-256
  BOOST_TEST(t.create_index == 59u);
  BOOST_TEST(t.modify_index == 60u);
  // Consul writes its responses with every field: the same token comes back from that form.
  BOOST_TEST((round_trip(t, encode_mode::all_fields) == t));
  BOOST_TEST((round_trip(t, encode_mode::omit_empty) == t));
  // And the Hash goes back out as the same base64 text.
  BOOST_TEST(json::parse(encode_json(t)).at("Hash").as_string() == "UuiRkOQPRCvoRZHRtUxxbrmwZ5crYrOdZ0Z1FTFbTbA=");
}

BOOST_AUTO_TEST_CASE(a_token_to_create_is_sent_as_consuls_client_sends_it) {
  coconsul::acl_token t;
  t.description = "web's token";
  t.policies = {{.id = "", .name = "web-write"}};
  t.service_identities = {{.service_name = "web", .datacenters = {}}};
  t.expiration_ttl = 1h;
  BOOST_TEST(encode_json(t) ==
             R"({"Description":"web's token","Policies":[{"Name":"web-write"}],)"
             R"("ServiceIdentities":[{"ServiceName":"web"}],"ExpirationTTL":"1h0m0s"})");
  // Consul reads ExpirationTTL as a Go string or as nanoseconds; both decode here too.
  BOOST_TEST((decode_json<coconsul::acl_token>(R"({"ExpirationTTL":"10m"})").expiration_ttl == 10min));
  BOOST_TEST((decode_json<coconsul::acl_token>(R"({"ExpirationTTL":600000000000})").expiration_ttl == 10min));
}

BOOST_AUTO_TEST_CASE(nulls_and_absent_fields_read_as_empty) {
  const auto t = decode_json<coconsul::acl_token>(
      R"({"AccessorID":"a","Policies":null,"ExpirationTime":null,"Hash":null,"Unknown":{"x":1}})");
  BOOST_TEST(t.accessor_id == "a");
  BOOST_TEST(t.policies.empty());
  BOOST_TEST(!t.expiration_time.has_value());
  BOOST_TEST(t.hash.empty());
  const auto m = decode_json<coconsul::acl_auth_method>(R"({"Name":"m","Type":"jwt","Config":null})");
  BOOST_TEST(m.config.empty());
}

BOOST_AUTO_TEST_CASE(a_token_list_entry_reads_the_list_form) {
  const auto list = decode_json<std::vector<coconsul::acl_token_list_entry>>(R"([{
    "AccessorID": "00000000-0000-0000-0000-000000000002",
    "SecretID": "<hidden>",
    "Description": "Anonymous Token",
    "Policies": null,
    "Local": false,
    "CreateTime": "2026-12-02T08:00:00Z",
    "Hash": "AAEC",
    "Legacy": false,
    "CreateIndex": 5,
    "ModifyIndex": 5
  }])");
  BOOST_TEST_REQUIRE(list.size() == 1u);
  BOOST_TEST(list[0].accessor_id == "00000000-0000-0000-0000-000000000002");
  BOOST_TEST(list[0].secret_id == "<hidden>");
  BOOST_TEST(list[0].description == "Anonymous Token");
  BOOST_TEST((list[0].hash == std::string("\x00\x01\x02", 3)));
  BOOST_TEST(list[0].create_index == 5u);
  BOOST_TEST((round_trip(list, encode_mode::all_fields) == list));
}

BOOST_AUTO_TEST_CASE(a_policy_and_its_list_entry) {
  const auto p = decode_json<coconsul::acl_policy>(R"({
    "ID": "e359bd81-baca-903e-7e64-1ccd9fdc78f5",
    "Name": "node-read",
    "Description": "Grants read access to all node information",
    "Rules": "node_prefix \"\" { policy = \"read\"}",
    "Datacenters": ["dc1"],
    "Hash": "OtZUUKhInTLEqTPfNSSOYbRiSBKm3c4vI2p6MxZnGWc=",
    "CreateIndex": 14,
    "ModifyIndex": 14
  })");
  BOOST_TEST(p.id == "e359bd81-baca-903e-7e64-1ccd9fdc78f5");
  BOOST_TEST(p.name == "node-read");
  BOOST_TEST(p.rules == "node_prefix \"\" { policy = \"read\"}");
  BOOST_TEST(p.datacenters == std::vector<std::string>{"dc1"});
  BOOST_TEST(p.hash.size() == 32u);
  BOOST_TEST((round_trip(p, encode_mode::all_fields) == p));
  // A policy to create says only what it has: no ID, no indexes.
  const coconsul::acl_policy fresh{.name = "kv-app", .rules = R"(key_prefix "app/" { policy = "write" })"};
  BOOST_TEST(encode_json(fresh) == R"({"Name":"kv-app","Rules":"key_prefix \"app/\" { policy = \"write\" }"})");

  const auto entries = decode_json<std::vector<coconsul::acl_policy_list_entry>>(
      R"([{"ID":"00000000-0000-0000-0000-000000000001","Name":"global-management",)"
      R"("Description":"Builtin Policy that grants unlimited access","Datacenters":null,"Hash":"",)"
      R"("CreateIndex":4,"ModifyIndex":4}])");
  BOOST_TEST_REQUIRE(entries.size() == 1u);
  BOOST_TEST(entries[0].name == "global-management");
  BOOST_TEST(entries[0].datacenters.empty());
  BOOST_TEST((round_trip(entries, encode_mode::all_fields) == entries));
}

BOOST_AUTO_TEST_CASE(a_role_with_links_and_identities) {
  const auto r = decode_json<coconsul::acl_role>(R"({
    "ID": "aa770e5b-8b0b-7fcf-e5a1-8535fcc388b4",
    "Name": "example-role",
    "Description": "Showcases all input parameters",
    "Policies": [{"ID": "783beef3-783f-f41f-7422-7087dc272765", "Name": "node-read"}],
    "ServiceIdentities": [{"ServiceName": "web"}, {"ServiceName": "db", "Datacenters": ["dc1"]}],
    "NodeIdentities": [{"NodeName": "node-1", "Datacenter": "dc2"}],
    "Hash": "mBWMIeX9zyUTdDMq8vWB0iYod+mKBArJoAhj6oPz3BI=",
    "CreateIndex": 57,
    "ModifyIndex": 57
  })");
  BOOST_TEST(r.name == "example-role");
  BOOST_TEST_REQUIRE(r.service_identities.size() == 2u);
  BOOST_TEST(r.service_identities[1].datacenters == std::vector<std::string>{"dc1"});
  BOOST_TEST_REQUIRE(r.node_identities.size() == 1u);
  BOOST_TEST((round_trip(r, encode_mode::all_fields) == r));
  BOOST_TEST((round_trip(r, encode_mode::omit_empty) == r));
}

BOOST_AUTO_TEST_CASE(an_auth_method_keeps_its_config_as_json) {
  const auto m = decode_json<coconsul::acl_auth_method>(R"({
    "Name": "jwt-login",
    "Type": "jwt",
    "DisplayName": "JWT",
    "Description": "logins with our JWTs",
    "MaxTokenTTL": "5m0s",
    "TokenLocality": "global",
    "Config": {"BoundIssuer": "https://issuer.example", "BoundAudiences": ["consul"],
               "ClaimMappings": {"sub": "subject"}, "JWTValidationPubKeys": ["-----BEGIN PUBLIC KEY-----"],
               "ExpirationLeeway": "1s", "ClockSkewLeeway": 0},
    "CreateIndex": 12,
    "ModifyIndex": 13
  })");
  BOOST_TEST(m.name == "jwt-login");
  BOOST_TEST(m.type == "jwt");
  BOOST_TEST((m.max_token_ttl == 5min));
  BOOST_TEST(m.token_locality == "global");
  BOOST_TEST(m.config.at("BoundIssuer").as_string() == "https://issuer.example");
  BOOST_TEST(m.config.at("BoundAudiences").as_array().size() == 1u);
  BOOST_TEST(m.config.at("ClaimMappings").at("sub").as_string() == "subject");
  BOOST_TEST(m.config.at("ClockSkewLeeway").as_int64() == 0);
  BOOST_TEST((round_trip(m, encode_mode::all_fields) == m));
  BOOST_TEST((round_trip(m, encode_mode::omit_empty) == m));
  // MaxTokenTTL goes out as a Go duration string, as Consul's Go client writes it.
  BOOST_TEST(json::parse(encode_json(m)).at("MaxTokenTTL").as_string() == "5m0s");
  // A Config that is not an object names its field.
  coconsul::acl_auth_method out;
  coconsul::diagnostics diag;
  BOOST_TEST(!!coconsul::decode_json(R"({"Config":[1]})", out, diag));
  BOOST_TEST(diag.message.find("Config") != std::string::npos);

  const auto entries = decode_json<std::vector<coconsul::acl_auth_method_list_entry>>(
      R"([{"Name":"jwt-login","Type":"jwt","MaxTokenTTL":"1h0m0s","CreateIndex":12,"ModifyIndex":13}])");
  BOOST_TEST_REQUIRE(entries.size() == 1u);
  BOOST_TEST((entries[0].max_token_ttl == 1h));
  BOOST_TEST((round_trip(entries, encode_mode::all_fields) == entries));
}

BOOST_AUTO_TEST_CASE(a_binding_rule_login_params_and_clone_body) {
  const auto r = decode_json<coconsul::acl_binding_rule>(R"({
    "ID": "000ed53c-e2d3-e7e6-31a5-c19bc3518a3d",
    "Description": "example rule",
    "AuthMethod": "minikube",
    "Selector": "serviceaccount.namespace==default",
    "BindType": "service",
    "BindName": "{{ serviceaccount.name }}",
    "CreateIndex": 17,
    "ModifyIndex": 17
  })");
  BOOST_TEST(r.auth_method == "minikube");
  BOOST_TEST(r.selector == "serviceaccount.namespace==default");
  BOOST_TEST(r.bind_type == "service");
  BOOST_TEST(r.bind_name == "{{ serviceaccount.name }}");
  BOOST_TEST((round_trip(r, encode_mode::all_fields) == r));

  const coconsul::acl_login_params login{.auth_method = "jwt-login", .bearer_token = "eyJ.x.y", .meta = {{"pod", "web-1"}}};
  BOOST_TEST(encode_json(login) == R"({"AuthMethod":"jwt-login","BearerToken":"eyJ.x.y","Meta":{"pod":"web-1"}})");
  BOOST_TEST((round_trip(login, encode_mode::omit_empty) == login));
  BOOST_TEST(encode_json(coconsul::acl_token_clone_request{.description = "copy"}) == R"({"Description":"copy"})");
}

BOOST_AUTO_TEST_CASE(the_expanded_token_and_the_replication_status) {
  // The expanded read is one object: the token's fields and the expansion's side by side.
  constexpr const char* expanded = R"({
    "AccessorID": "a", "SecretID": "s", "Description": "d",
    "Policies": [{"ID": "p1", "Name": "web"}],
    "ExpandedPolicies": [{"ID": "p1", "Name": "web", "Rules": "service \"web\" { policy = \"write\" }"}],
    "ExpandedRoles": [],
    "NamespaceDefaultPolicyIDs": null,
    "NamespaceDefaultRoleIDs": null,
    "AgentACLDefaultPolicy": "deny",
    "AgentACLDownPolicy": "extend-cache",
    "ResolvedByAgent": "node-1",
    "CreateIndex": 1, "ModifyIndex": 2
  })";
  const auto token = decode_json<coconsul::acl_token>(expanded);
  const auto more = decode_json<coconsul::acl_token_expansion>(expanded);
  BOOST_TEST(token.accessor_id == "a");
  BOOST_TEST(token.policies.size() == 1u);
  BOOST_TEST_REQUIRE(more.expanded_policies.size() == 1u);
  BOOST_TEST(more.expanded_policies[0].rules == "service \"web\" { policy = \"write\" }");
  BOOST_TEST(more.agent_acl_default_policy == "deny");
  BOOST_TEST(more.agent_acl_down_policy == "extend-cache");
  BOOST_TEST(more.resolved_by_agent == "node-1");
  BOOST_TEST((round_trip(more, encode_mode::all_fields) == more));

  const auto status = decode_json<coconsul::acl_replication_status>(R"({
    "Enabled": true, "Running": true, "SourceDatacenter": "dc1", "ReplicationType": "tokens",
    "ReplicatedIndex": 1976, "ReplicatedRoleIndex": 1, "ReplicatedTokenIndex": 1980,
    "LastSuccess": "2018-11-03T06:28:58Z", "LastError": "2016-11-03T06:28:28Z",
    "LastErrorMessage": "failed to sync"
  })");
  BOOST_TEST(status.enabled);
  BOOST_TEST(status.replication_type == "tokens");
  BOOST_TEST(status.replicated_token_index == 1980u);
  BOOST_TEST(status.last_success == "2018-11-03T06:28:58Z");
  BOOST_TEST(status.last_error_message == "failed to sync");
  BOOST_TEST((round_trip(status, encode_mode::all_fields) == status));
}

BOOST_AUTO_TEST_SUITE_END()
