// Responses as the protocol layer reads them: status to error, X-Consul-* headers to
// query_meta, malformed values refused naming the header. No sockets.
#include <boost/test/unit_test.hpp>

#include "protocol/response.hpp"

#include <initializer_list>

using namespace std::chrono_literals;
using coconsul::diagnostics;
using coconsul::errc;
using coconsul::error_code;
using coconsul::query_meta;
using coconsul::protocol::header;
using coconsul::protocol::response;

namespace {

response with_headers(std::initializer_list<header> headers) {
  response r;
  r.status = 200;
  r.headers = headers;
  return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(statuses)

BOOST_AUTO_TEST_CASE(two_hundreds_are_not_errors) {
  for (unsigned status : {200u, 201u, 204u, 299u}) {
    response r;
    r.status = status;
    r.body = "ignored";
    diagnostics diag;
    BOOST_TEST_CONTEXT("status " << status) {
      BOOST_TEST(!coconsul::protocol::check_status(r, diag));
      BOOST_TEST(diag.http_status == 0u);
      BOOST_TEST(diag.message.empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(others_map_to_codes_with_consuls_text) {
  struct one_case {
    unsigned status;
    const char* body;
    errc code;
    const char* message;
  };
  const one_case cases[] = {
      {404, "Unknown service ID \"web\"\n", errc::not_found, "Unknown service ID \"web\""},
      {400, "Missing node name\r\n\n", errc::bad_request, "Missing node name"},
      {403, "Permission denied: token lacks 'service:write'", errc::forbidden,
       "Permission denied: token lacks 'service:write'"},
      // An unknown token is not a denial (issue 14): Consul's acl.ErrNotFound text.
      {403, "ACL not found\n", errc::acl_not_found, "ACL not found"},
      {403, "rpc error making call: ACL not found", errc::acl_not_found, "rpc error making call: ACL not found"},
      {403, "Permission denied: token with AccessorID 'x' lacks permission 'key:read' on \"ACL not found\"",
       errc::forbidden, "Permission denied: token with AccessorID 'x' lacks permission 'key:read' on \"ACL not found\""},
      {500, "rpc error\nsecond line\n", errc::server_error, "rpc error\nsecond line"},
      {503, "", errc::service_unavailable, ""},
      {418, "teapot", errc::unexpected_status, "teapot"},
      {199, "", errc::unexpected_status, ""},
      {302, "", errc::unexpected_status, ""},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT("status " << c.status) {
      response r;
      r.status = c.status;
      r.body = c.body;
      diagnostics diag;
      const error_code ec = coconsul::protocol::check_status(r, diag);
      BOOST_TEST((ec == c.code));
      BOOST_TEST(diag.http_status == c.status);
      BOOST_TEST(diag.message == c.message);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(query_meta_headers)

BOOST_AUTO_TEST_CASE(every_header_read) {
  const response r = with_headers({{"X-Consul-Index", "1234"},
                                   {"X-Consul-KnownLeader", "true"},
                                   {"X-Consul-LastContact", "17"},
                                   {"X-Consul-Effective-Consistency", "stale"},
                                   {"X-Consul-ContentHash", "ab12cd"},
                                   {"X-Cache", "HIT"},
                                   {"Age", "30"}});
  query_meta meta;
  diagnostics diag;
  BOOST_TEST(!coconsul::protocol::read_query_meta(r, meta, diag));
  BOOST_TEST(meta.last_index == 1234u);
  BOOST_TEST(meta.known_leader);
  BOOST_TEST(meta.last_contact.count() == 17);
  BOOST_TEST(meta.effective_consistency == "stale");
  BOOST_TEST(meta.content_hash == "ab12cd");
  BOOST_TEST(meta.cache_hit);
  BOOST_TEST_REQUIRE(meta.cache_age.has_value());
  BOOST_TEST(meta.cache_age->count() == 30);
  BOOST_TEST(diag.message.empty());
}

BOOST_AUTO_TEST_CASE(acl_and_backend_headers_read) {
  // As Go canonicalises them on the wire.
  const response r = with_headers({{"X-Consul-Query-Backend", "streaming"},
                                   {"X-Consul-Default-Acl-Policy", "deny"},
                                   {"X-Consul-Results-Filtered-By-Acls", "true"}});
  query_meta meta;
  diagnostics diag;
  BOOST_TEST(!coconsul::protocol::read_query_meta(r, meta, diag));
  BOOST_TEST(meta.query_backend == "streaming");
  BOOST_TEST(meta.default_acl_policy == "deny");
  BOOST_TEST(meta.results_filtered_by_acls);
  query_meta unfiltered;
  BOOST_TEST(!coconsul::protocol::read_query_meta(with_headers({{"X-Consul-Results-Filtered-By-ACLs", "false"}}),
                                                  unfiltered, diag));
  BOOST_TEST(!unfiltered.results_filtered_by_acls);
  BOOST_TEST(unfiltered.query_backend.empty());
  BOOST_TEST(unfiltered.default_acl_policy.empty());
}

BOOST_AUTO_TEST_CASE(absent_headers_leave_the_defaults) {
  query_meta meta;
  diagnostics diag;
  BOOST_TEST(!coconsul::protocol::read_query_meta(with_headers({{"Content-Type", "application/json"}}), meta, diag));
  BOOST_TEST(meta.last_index == 0u);
  BOOST_TEST(!meta.known_leader);
  BOOST_TEST(meta.last_contact.count() == 0);
  BOOST_TEST(meta.effective_consistency.empty());
  BOOST_TEST(meta.content_hash.empty());
  BOOST_TEST(!meta.cache_hit);
  BOOST_TEST(!meta.cache_age.has_value());
}

BOOST_AUTO_TEST_CASE(names_match_case_insensitively) {
  // Go canonicalises header names: "X-Consul-Knownleader", "X-Consul-Lastcontact".
  const response r = with_headers(
      {{"x-consul-index", "9"}, {"X-Consul-Knownleader", "false"}, {"X-CONSUL-LASTCONTACT", "0"}, {"x-cache", "MISS"}});
  query_meta meta;
  meta.known_leader = true;
  diagnostics diag;
  BOOST_TEST(!coconsul::protocol::read_query_meta(r, meta, diag));
  BOOST_TEST(meta.last_index == 9u);
  BOOST_TEST(!meta.known_leader);
  BOOST_TEST(!meta.cache_hit);
}

BOOST_AUTO_TEST_CASE(the_first_of_repeated_headers_counts) {
  const response r = with_headers({{"X-Consul-Index", "5"}, {"X-Consul-Index", "not-a-number"}});
  query_meta meta;
  diagnostics diag;
  BOOST_TEST(!coconsul::protocol::read_query_meta(r, meta, diag));
  BOOST_TEST(meta.last_index == 5u);
  BOOST_TEST(r.find_header("x-consul-index") == &r.headers[0].value);
  BOOST_TEST(r.find_header("X-Consul-Token") == nullptr);
}

BOOST_AUTO_TEST_CASE(the_largest_index_fits) {
  query_meta meta;
  diagnostics diag;
  BOOST_TEST(!coconsul::protocol::read_query_meta(with_headers({{"X-Consul-Index", "18446744073709551615"}}), meta, diag));
  BOOST_TEST(meta.last_index == 18446744073709551615u);
}

BOOST_AUTO_TEST_CASE(malformed_values_name_the_header) {
  struct one_case {
    header h;
    const char* message;
  };
  const one_case cases[] = {
      {{"X-Consul-Index", "abc"}, "malformed X-Consul-Index header: \"abc\""},
      {{"X-Consul-Index", ""}, "malformed X-Consul-Index header: \"\""},
      {{"X-Consul-Index", "-1"}, "malformed X-Consul-Index header: \"-1\""},
      {{"X-Consul-Index", "12 "}, "malformed X-Consul-Index header: \"12 \""},
      {{"X-Consul-Index", "+3"}, "malformed X-Consul-Index header: \"+3\""},
      {{"X-Consul-Index", "18446744073709551616"}, "malformed X-Consul-Index header: \"18446744073709551616\""},
      {{"X-Consul-KnownLeader", "TRUE"}, "malformed X-Consul-KnownLeader header: \"TRUE\""},
      {{"x-consul-knownleader", "1"}, "malformed X-Consul-KnownLeader header: \"1\""},
      {{"X-Consul-LastContact", "5ms"}, "malformed X-Consul-LastContact header: \"5ms\""},
      {{"X-Consul-LastContact", "-2"}, "malformed X-Consul-LastContact header: \"-2\""},
      // The value is quoted escaped: it comes from the peer.
      {{"X-Consul-Index", "1\"2\\"}, "malformed X-Consul-Index header: \"1\\\"2\\\\\""},
      {{"X-Consul-Index", "\t\xff"}, "malformed X-Consul-Index header: \"\\x09\\xff\""},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.h.name << ": " << c.h.value) {
      query_meta meta;
      diagnostics diag;
      const error_code ec = coconsul::protocol::read_query_meta(with_headers({c.h}), meta, diag);
      BOOST_TEST((ec == errc::malformed_response));
      BOOST_TEST(diag.message == c.message);
    }
  }
}

BOOST_AUTO_TEST_CASE(age_counts_only_on_a_cache_hit) {
  query_meta meta;
  diagnostics diag;
  BOOST_TEST(!coconsul::protocol::read_query_meta(with_headers({{"X-Cache", "MISS"}, {"Age", "12"}}), meta, diag));
  BOOST_TEST(!meta.cache_hit);
  BOOST_TEST(!meta.cache_age.has_value());

  // Without a hit a malformed Age is not even read.
  meta = query_meta();
  BOOST_TEST(!coconsul::protocol::read_query_meta(with_headers({{"Age", "soon"}}), meta, diag));
  BOOST_TEST(!meta.cache_age.has_value());

  meta = query_meta();
  BOOST_TEST(!coconsul::protocol::read_query_meta(with_headers({{"X-Cache", "hit"}, {"Age", "12"}}), meta, diag));
  BOOST_TEST(!meta.cache_hit);  // the value is compared exactly: Consul sends "HIT"

  meta = query_meta();
  const error_code ec = coconsul::protocol::read_query_meta(with_headers({{"X-Cache", "HIT"}, {"Age", "soon"}}), meta, diag);
  BOOST_TEST((ec == errc::malformed_response));
  BOOST_TEST(diag.message == "malformed Age header: \"soon\"");
}

BOOST_AUTO_TEST_SUITE_END()
