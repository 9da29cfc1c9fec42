// Intentions without an agent: precedence as Consul computes it, the order of a match, the
// service-intentions kind's normalize and validate texts, check and authorize decisions, the
// legacy writes as entry edits, and the legacy Hash (BLAKE2b-256) against known digests.
#define BOOST_TEST_MODULE intention_precedence
#include <boost/test/unit_test.hpp>

#include "core/base64.hpp"
#include "dev_agent/config_entries/blake2b.hpp"
#include "dev_agent/config_entries/intentions.hpp"
#include "dev_agent/config_entries/service_intentions.hpp"
#include "dev_agent/http/error.hpp"

#include <boost/json.hpp>

#include <string>
#include <vector>

namespace ce = coconsul::dev::config_entries;
namespace json = boost::json;

namespace {

std::string hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

ce::source_intention source(std::string name, std::string action) {
  ce::source_intention s;
  s.name = std::move(name);
  s.action = std::move(action);
  return s;
}

ce::stored_entry stored(std::string name, std::vector<ce::source_intention> sources, std::uint64_t index = 10) {
  ce::stored_entry se;
  se.entry.name = std::move(name);
  se.entry.sources = std::move(sources);
  ce::normalize(se.entry, false);
  se.create_index = se.modify_index = index;
  return se;
}

ce::intentions_entry parsed(const char* text) {
  ce::intentions_entry e;
  auto err = ce::parse_intentions_entry(json::parse(text).as_object(), e);
  BOOST_REQUIRE_MESSAGE(!err, err.value_or(""));
  return e;
}

std::string validated(const char* text, bool legacy = false) {
  auto e = parsed(text);
  ce::normalize(e, legacy);
  return ce::validate(e, legacy).value_or("valid");
}

}  // namespace

BOOST_AUTO_TEST_CASE(precedence_is_consuls_table) {
  // Destination exact: 9 (source exact), 8 (source *); destination *: 6, 5 (CE namespaces are exact).
  BOOST_TEST(ce::intention_precedence("default", "db", "default", "web") == 9);
  BOOST_TEST(ce::intention_precedence("default", "db", "default", "*") == 8);
  BOOST_TEST(ce::intention_precedence("default", "*", "default", "web") == 6);
  BOOST_TEST(ce::intention_precedence("default", "*", "default", "*") == 5);
  // The enterprise rows, for completeness of the formula.
  BOOST_TEST(ce::intention_precedence("default", "db", "*", "*") == 7);
  BOOST_TEST(ce::intention_precedence("*", "*", "*", "*") == 1);
  BOOST_TEST(ce::intention_precedence("*", "*", "default", "web") == 3);
}

BOOST_AUTO_TEST_CASE(match_orders_by_precedence_then_names) {
  std::vector<ce::stored_entry> entries{
      stored("*", {source("*", "deny"), source("web", "allow")}),
      stored("db", {source("*", "allow"), source("web", "deny"), source("api", "allow")}),
      stored("cache", {source("web", "allow")}),
  };
  auto by_dest = ce::match(entries, ce::match_type::destination, "db");
  std::vector<std::string> got;
  for (const auto& i : by_dest) got.push_back(i.source_name + ">" + i.destination_name + ":" + std::to_string(i.precedence));
  std::vector<std::string> want{"api>db:9", "web>db:9", "*>db:8", "web>*:6", "*>*:5"};
  BOOST_TEST(got == want, boost::test_tools::per_element());

  auto by_source = ce::match(entries, ce::match_type::source, "web");
  got.clear();
  for (const auto& i : by_source) got.push_back(i.source_name + ">" + i.destination_name + ":" + std::to_string(i.precedence));
  want = {"web>cache:9", "web>db:9", "*>db:8", "web>*:6", "*>*:5"};
  BOOST_TEST(got == want, boost::test_tools::per_element());

  // The whole list (Intention.List) is in the same order.
  BOOST_TEST(ce::all_intentions(entries).size() == 6u);
  BOOST_TEST(ce::all_intentions(entries).front().source_name == "api");
}

BOOST_AUTO_TEST_CASE(normalize_fills_type_precedence_and_sorts) {
  auto e = parsed(R"({"Name":"db","Sources":[{"Name":"*","Action":"deny"},{"Name":"web","Permissions":[
      {"Action":"allow","HTTP":{"PathPrefix":"/v1","Methods":["get","Post"]}}]}]})");
  ce::normalize(e, false);
  BOOST_TEST(e.sources[0].name == "web");
  BOOST_TEST(e.sources[0].precedence == 9);
  BOOST_TEST(e.sources[1].precedence == 8);
  BOOST_TEST(e.sources[1].type == "consul");
  BOOST_TEST(e.sources[0].permissions[0].http->methods[0] == "GET");
  BOOST_TEST(!ce::validate(e, false));
  auto rendered = json::serialize(ce::render(e));
  BOOST_TEST(rendered ==
             R"({"Kind":"service-intentions","Name":"db","Sources":[{"Name":"web","Permissions":[{"Action":"allow",)"
             R"("HTTP":{"PathPrefix":"/v1","Methods":["GET","POST"]}}],"Precedence":9,"Type":"consul"},)"
             R"({"Name":"*","Action":"deny","Precedence":8,"Type":"consul"}]})");
}

BOOST_AUTO_TEST_CASE(validate_uses_consuls_texts) {
  BOOST_TEST(validated(R"({"Sources":[{"Name":"web","Action":"allow"}]})") == "Name is required");
  BOOST_TEST(validated(R"({"Name":"d*b","Sources":[{"Name":"web","Action":"allow"}]})") ==
             "Name: wildcard character '*' cannot be used with partial values");
  BOOST_TEST(validated(R"({"Name":"db"})") == "At least one source is required");
  BOOST_TEST(validated(R"({"Name":"db","Sources":[{"Action":"allow"}]})") == "Sources[0].Name is required");
  BOOST_TEST(validated(R"({"Name":"db","Sources":[{"Name":"w*","Action":"allow"}]})") ==
             "Sources[0].Name: wildcard character '*' cannot be used with partial values");
  BOOST_TEST(validated(R"({"Name":"db","Sources":[{"Name":"web"}]})") ==
             "Sources[0].Action must be set to 'allow' or 'deny'");
  BOOST_TEST(validated(R"({"Name":"db","Sources":[{"Name":"web","Action":"allow","Type":"x"}]})") ==
             "Sources[0].Type must be set to 'consul'");
  BOOST_TEST(validated(R"({"Name":"db","Sources":[{"Name":"web","Action":"allow"},{"Name":"web","Action":"deny"}]})") ==
             R"(Sources[1] defines "web" more than once)");
  BOOST_TEST(validated(R"({"Name":"db","Sources":[{"Name":"web","Action":"allow","LegacyMeta":{"a":"b"}}]})") ==
             "Sources[0].LegacyMeta must be omitted");
  BOOST_TEST(validated(R"({"Name":"db","Sources":[{"Name":"web","Action":"allow",
      "Permissions":[{"Action":"allow","HTTP":{"PathExact":"/a"}}]}]})") ==
             "Sources[0].Action must be omitted if Permissions are specified");
  BOOST_TEST(validated(R"({"Name":"*","Sources":[{"Name":"web","Permissions":[{"Action":"allow","HTTP":{"PathExact":"/a"}}]}]})") ==
             "Sources[0].Permissions cannot be specified on intentions with wildcarded destinations");
  BOOST_TEST(validated(R"({"Name":"db","Sources":[{"Name":"web","Permissions":[{"Action":"allow"}]}]})") ==
             "Sources[0].Permissions[0].HTTP is required");
  BOOST_TEST(validated(R"({"Name":"db","Sources":[{"Name":"web","Permissions":[{"Action":"allow","HTTP":{}}]}]})") ==
             "Sources[0].Permissions[0].HTTP should not be empty");
  BOOST_TEST(validated(R"({"Name":"db","Sources":[{"Name":"web","Permissions":[{"Action":"allow","HTTP":{"PathExact":"a"}}]}]})") ==
             R"(Sources[0].Permissions[0].HTTP.PathExact doesn't start with '/': "a")");
  BOOST_TEST(validated(R"({"Name":"db","Sources":[{"Name":"web","Permissions":[{"Action":"allow","HTTP":
      {"PathExact":"/a","PathPrefix":"/b"}}]}]})") ==
             "Sources[0].Permissions[0].HTTP should only contain at most one of PathExact, PathPrefix, or PathRegex");
  BOOST_TEST(validated(R"({"Name":"db","Sources":[{"Name":"web","Permissions":[{"Action":"allow","HTTP":
      {"Header":[{"Name":"x","Exact":"1","Prefix":"2"}]}}]}]})") ==
             "Sources[0].Permissions[0].HTTP.Header[0] should only contain one of Present, Exact, Prefix, Suffix, or Regex");
  BOOST_TEST(validated(R"({"Name":"db","Sources":[{"Name":"web","Permissions":[{"Action":"allow","HTTP":
      {"Methods":["GET","FETCH"]}}]}]})") ==
             R"(Sources[0].Permissions[0].HTTP.Methods contains an invalid method "FETCH")");
  BOOST_TEST(validated(R"({"Name":"db","Sources":[{"Name":"web","Permissions":[{"Action":"allow","HTTP":
      {"Methods":["GET","get"]}}]}]})") ==
             R"(Sources[0].Permissions[0].HTTP.Methods contains "GET" more than once)");
  // The legacy form wants the legacy fields, the config-entry form clears them first.
  BOOST_TEST(validated(R"({"Name":"db","Sources":[{"Name":"web","Action":"allow"}]})", true) ==
             "Sources[0].LegacyCreateTime must be set");
  BOOST_TEST(validated(R"({"Name":"db","Sources":[{"Name":"web","Action":"allow","LegacyID":"x"}]})") == "valid");
}

BOOST_AUTO_TEST_CASE(l7_permissions_need_an_http_protocol) {
  auto e = parsed(R"({"Name":"db","Sources":[{"Name":"web","Permissions":[{"Action":"allow","HTTP":{"PathExact":"/"}}]}]})");
  BOOST_TEST(ce::check_l7_protocol(e, "tcp").value_or("") ==
             R"(service "db" has protocol "tcp", which is incompatible with L7 intentions permissions)");
  BOOST_TEST(!ce::check_l7_protocol(e, "http"));
  BOOST_TEST(!ce::check_l7_protocol(e, "grpc"));
}

BOOST_AUTO_TEST_CASE(check_and_authorize_decide_as_consul) {
  ce::source_intention l7;
  l7.name = "api";
  ce::intention_permission perm;
  perm.action = "allow";
  perm.http.emplace().path_prefix = "/";
  l7.permissions.push_back(perm);
  std::vector<ce::stored_entry> entries{stored("db", {source("web", "allow"), source("*", "deny"), l7})};
  auto m = ce::match(entries, ce::match_type::destination, "db");

  BOOST_TEST(ce::check_allowed(m, "default", "web", false));
  BOOST_TEST(!ce::check_allowed(m, "default", "other", true));  // * deny
  BOOST_TEST(!ce::check_allowed(m, "default", "api", true));    // L7: deny

  auto a = ce::authorize(m, "default", "web", false);
  BOOST_TEST(a.authorized);
  BOOST_TEST(a.reason == "Matched L4 intention: default/web => default/db (Precedence: 9, Action: ALLOW)");
  a = ce::authorize(m, "default", "api", true);
  BOOST_TEST(!a.authorized);
  BOOST_TEST(a.reason == "Matched L7 intention: default/api => default/db (Precedence: 9, Permissions: 1)");
  a = ce::authorize(m, "default", "other", true);
  BOOST_TEST(!a.authorized);
  BOOST_TEST(a.reason == "Matched L4 intention: default/* => default/db (Precedence: 8, Action: DENY)");
  // No intention at all: the default decides.
  auto none = ce::match({}, ce::match_type::destination, "db");
  a = ce::authorize(none, "default", "web", true);
  BOOST_TEST(a.authorized);
  BOOST_TEST(a.reason == "Default behavior configured by ACLs");
  // A source in another namespace is covered by no CE intention.
  BOOST_TEST(!ce::authorize(m, "other-ns", "web", false).authorized);
}

BOOST_AUTO_TEST_CASE(legacy_writes_edit_the_destination_entry) {
  ce::intention_body body = ce::decode_intention(
      R"({"SourceName":"web","DestinationName":"db","Action":"allow","Meta":{"team":"a"}})", 500, "x: ");
  body.ixn.source_ns = body.ixn.destination_ns = "default";
  auto created = ce::legacy_create(body, nullptr, "11111111-2222-3333-4444-555555555555", "2026-12-02T12:00:00Z");
  BOOST_REQUIRE(!created.error);
  BOOST_REQUIRE(created.put);
  BOOST_TEST(created.put->sources[0].legacy_id == "11111111-2222-3333-4444-555555555555");
  BOOST_TEST(created.put->sources[0].legacy_meta->at("team") == "a");

  // A second one from the same source is a duplicate, with Consul's text.
  auto dup = ce::legacy_create(body, &*created.put, "21111111-2222-3333-4444-555555555555", "2026-12-02T12:00:01Z");
  BOOST_TEST(dup.error.value_or("") == R"(Sources[1] defines "web" more than once)");

  // An ID in the body is refused on create.
  ce::intention_body with_id = body;
  with_id.ixn.id = "x";
  BOOST_TEST(ce::legacy_create(with_id, nullptr, "y", "t").error.value_or("") ==
             "ID must be empty when creating a new intention");

  // Update keeps the creation time.
  body.ixn.action = "deny";
  auto updated = ce::legacy_update(body, *created.put, "11111111-2222-3333-4444-555555555555", "2026-12-02T13:00:00Z");
  BOOST_REQUIRE(updated.put);
  BOOST_TEST(updated.put->sources[0].action == "deny");
  BOOST_TEST(*updated.put->sources[0].legacy_create_time == "2026-12-02T12:00:00Z");
  BOOST_TEST(*updated.put->sources[0].legacy_update_time == "2026-12-02T13:00:00Z");

  // Deleting the last source deletes the entry.
  auto deleted = ce::legacy_delete(*updated.put, "11111111-2222-3333-4444-555555555555");
  BOOST_TEST(deleted.erase.value_or("") == "db");

  // An entry written as a config entry refuses the legacy API.
  auto plain = stored("db", {source("web", "allow")}).entry;
  BOOST_TEST(ce::legacy_create(body, &plain, "z", "t").error.value_or("") ==
             R"(cannot use legacy intention API to edit intentions with a destination of "db" after editing them via a service-intentions config entry)");

  // A write by name rewrites the entry the config-entry way: the other sources lose their
  // legacy IDs, as Consul's Normalize clears them.
  ce::intention_body api = ce::decode_intention(R"({"SourceName":"api","DestinationName":"db","Action":"allow"})", 500, "");
  api.ixn.source_ns = api.ixn.destination_ns = "default";
  auto two = ce::legacy_create(api, &*created.put, "31111111-2222-3333-4444-555555555555", "t");
  BOOST_REQUIRE(two.put);
  auto by_name = ce::delete_exact(&*two.put, "web");
  BOOST_REQUIRE(by_name.put);
  BOOST_TEST(by_name.put->sources.size() == 1u);
  BOOST_TEST(by_name.put->sources[0].legacy_id.empty());

  // Validation errors are go-multierror lists.
  ce::intention_body bad = ce::decode_intention(R"({"SourceName":"web","DestinationName":"db"})", 500, "");
  bad.ixn.source_ns = bad.ixn.destination_ns = "default";
  BOOST_TEST(ce::legacy_create(bad, nullptr, "i", "t").error.value_or("") ==
             "1 error occurred:\n\t* Action must be set to 'allow' or 'deny'\n\n");
}

BOOST_AUTO_TEST_CASE(decode_refuses_what_lib_decodejson_refuses) {
  try {
    ce::decode_intention(R"({"SourceName":1})", 400, "Request decode failed: ");
    BOOST_FAIL("no error");
  } catch (const coconsul::dev::http_error& e) {
    BOOST_TEST(e.status == 400u);
    BOOST_TEST(e.reason.find("Request decode failed: json: cannot unmarshal number into Go struct field") == 0u);
  }
}

BOOST_AUTO_TEST_CASE(blake2b_matches_the_reference_digests) {
  // RFC 7693 appendix A ("abc", 64 bytes) and the empty input's BLAKE2b-256.
  ce::blake2b h512(64);
  h512.update("abc");
  BOOST_TEST(hex(h512.finish()) ==
             "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
             "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
  ce::blake2b h256(32);
  BOOST_TEST(hex(h256.finish()) == "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  // Input across block boundaries (129 bytes) gives the same digest fed at once or in pieces.
  std::string long_input(129, 'x');
  ce::blake2b whole(32), pieces(32);
  whole.update(long_input);
  pieces.update(long_input.substr(0, 128));
  pieces.update(long_input.substr(128));
  BOOST_TEST(hex(whole.finish()) == hex(pieces.finish()));
}

BOOST_AUTO_TEST_CASE(legacy_intention_renders_with_times_and_hash) {
  ce::intention x;
  x.id = "11111111-2222-3333-4444-555555555555";
  x.source_name = "web";
  x.destination_name = "db";
  x.action = "allow";
  x.precedence = 9;
  x.created_at = x.updated_at = "2026-12-02T12:00:00Z";
  x.create_index = x.modify_index = 7;
  auto o = ce::render_intention(x);
  std::vector<std::string> keys;
  for (const auto& kv : o) keys.emplace_back(kv.key());
  std::vector<std::string> want{"CreatedAt", "UpdatedAt",  "ID",         "SourceNS",   "SourceName",  "DestinationNS",
                                "DestinationName", "SourceType", "Action", "Precedence", "Hash", "CreateIndex",
                                "ModifyIndex"};
  BOOST_TEST(keys == want, boost::test_tools::per_element());
  std::string raw;
  BOOST_TEST(coconsul::core::base64_decode(o["Hash"].as_string(), raw, coconsul::core::base64_mode::strict));
  BOOST_TEST(raw.size() == 32u);
  // A config-entry intention has neither ID, times nor Hash.
  x.id.clear();
  x.created_at.clear();
  x.updated_at.clear();
  o = ce::render_intention(x);
  BOOST_TEST(!o.contains("Hash"));
  BOOST_TEST(!o.contains("CreatedAt"));
}
