// The dev agent's URL handling, pinned byte for byte: percent-decoding of paths and query
// components (invalid escapes kept verbatim, '+' a space only in queries) and query strings
// split as Go's url.Values (repeated keys, empty values, keys without '='); and its UUIDs.
#define BOOST_TEST_MODULE dev_agent_url
#include <boost/test/unit_test.hpp>

#include "dev_agent/common/uuid.hpp"
#include "dev_agent/http/message.hpp"

#include <set>
#include <string>

using namespace coconsul::dev;
using namespace std::string_literals;

BOOST_AUTO_TEST_SUITE(percent_decoding)

BOOST_AUTO_TEST_CASE(valid_escapes_decode_in_either_case) {
  BOOST_TEST(percent_decode("/v1/kv/a%20b%2Fc", false) == "/v1/kv/a b/c");
  BOOST_TEST(percent_decode("%2f%2F", false) == "//");
  BOOST_TEST(percent_decode("%C3%A9t%C3%A9", false) == "\xC3\xA9t\xC3\xA9");
  BOOST_TEST(percent_decode("a%00b", false) == "a\0b"s);
  BOOST_TEST(percent_decode("", false) == "");
}

BOOST_AUTO_TEST_CASE(invalid_escapes_are_kept_verbatim) {
  BOOST_TEST(percent_decode("bad%zz%", false) == "bad%zz%");
  BOOST_TEST(percent_decode("a%4", false) == "a%4");
  BOOST_TEST(percent_decode("%4g", false) == "%4g");
  BOOST_TEST(percent_decode("%", true) == "%");
  BOOST_TEST(percent_decode("%zz%41", false) == "%zzA");
  BOOST_TEST(percent_decode("%%41", false) == "%A");
  BOOST_TEST(percent_decode("100%+", true) == "100% ");
}

BOOST_AUTO_TEST_CASE(plus_is_a_space_only_in_queries) {
  BOOST_TEST(percent_decode("a+b", false) == "a+b");
  BOOST_TEST(percent_decode("a+b", true) == "a b");
  BOOST_TEST(percent_decode("a%2Bb", true) == "a+b");
  BOOST_TEST(percent_decode("a%20b+c", true) == "a b c");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(query_strings)

BOOST_AUTO_TEST_CASE(repeated_keys_keep_their_order) {
  auto q = query_params::parse("tag=x&tag=y+z&tag=%2A");
  BOOST_TEST(q.all("tag").size() == 3u);
  BOOST_TEST(q.all("tag")[0] == "x");
  BOOST_TEST(q.all("tag")[1] == "y z");
  BOOST_TEST(q.all("tag")[2] == "*");
  BOOST_TEST(*q.get("tag") == "x");
}

BOOST_AUTO_TEST_CASE(empty_values_and_keys_without_equals_are_present) {
  auto q = query_params::parse("recurse&empty=&stale");
  BOOST_TEST(q.has("recurse"));
  BOOST_TEST(*q.get("recurse") == "");
  BOOST_TEST(q.has("empty"));
  BOOST_TEST(*q.get("empty") == "");
  BOOST_TEST(q.has("stale"));
  BOOST_TEST(!q.has("missing"));
  BOOST_TEST(!q.get("missing").has_value());
  BOOST_TEST(q.get_or("missing", "d") == "d");
}

BOOST_AUTO_TEST_CASE(only_the_first_equals_splits) {
  auto q = query_params::parse("filter=a%3D%3Db==c&=x");
  BOOST_TEST(*q.get("filter") == "a==b==c");
  BOOST_TEST(*q.get("") == "x");
}

BOOST_AUTO_TEST_CASE(empty_pairs_are_skipped_and_keys_decode) {
  auto q = query_params::parse("&&a%20b=c+d&&");
  BOOST_TEST(q.items().size() == 1u);
  BOOST_TEST(q.items()[0].first == "a b");
  BOOST_TEST(q.items()[0].second == "c d");
  BOOST_TEST(query_params::parse("").items().empty());
  BOOST_TEST(query_params::parse("&").items().empty());
}

BOOST_AUTO_TEST_CASE(invalid_escapes_and_raw_characters_survive) {
  auto q = query_params::parse("key=%zz&bad%4=v&filter=Service == \"web\"&semi=a;b");
  BOOST_TEST(*q.get("key") == "%zz");
  BOOST_TEST(*q.get("bad%4") == "v");
  BOOST_TEST(*q.get("filter") == "Service == \"web\"");
  BOOST_TEST(*q.get("semi") == "a;b");
}

BOOST_AUTO_TEST_CASE(encode_sorts_keys_and_form_encodes) {
  auto q = query_params::parse("recurse&key=a%2Fb&tag=x&tag=y+z&empty=");
  BOOST_TEST(q.encode() == "empty=&key=a%2Fb&recurse=&tag=x&tag=y+z");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(go_url_values)

BOOST_AUTO_TEST_CASE(query_strings_decode_like_gos_url_values) {
  auto q = query_params::parse("recurse&key=a%2Fb&tag=x&tag=y+z&empty=");
  BOOST_TEST(q.has("recurse"));
  BOOST_TEST(*q.get("recurse") == "");
  BOOST_TEST(*q.get("key") == "a/b");
  BOOST_TEST(q.all("tag").size() == 2u);
  BOOST_TEST(q.all("tag")[1] == "y z");
  BOOST_TEST(!q.get("missing").has_value());
  BOOST_TEST(q.encode() == "empty=&key=a%2Fb&recurse=&tag=x&tag=y+z");
}

BOOST_AUTO_TEST_CASE(paths_are_percent_decoded) {
  BOOST_TEST(percent_decode("/v1/kv/a%20b%2Fc", false) == "/v1/kv/a b/c");
  BOOST_TEST(percent_decode("a+b", false) == "a+b");
  BOOST_TEST(percent_decode("bad%zz%", false) == "bad%zz%");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(uuids)

BOOST_AUTO_TEST_CASE(version_4_lowercase_and_distinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string id = generate_uuid();
    BOOST_TEST_REQUIRE(id.size() == 36u);
    for (std::size_t j = 0; j < id.size(); ++j) {
      if (j == 8 || j == 13 || j == 18 || j == 23) {
        BOOST_TEST(id[j] == '-');
      } else {
        BOOST_TEST(((id[j] >= '0' && id[j] <= '9') || (id[j] >= 'a' && id[j] <= 'f')), id);
      }
    }
    BOOST_TEST(id[14] == '4');  // version 4
    BOOST_TEST((id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b'));  // RFC 4122 variant
    seen.insert(id);
  }
  BOOST_TEST(seen.size() == 100u);
}

BOOST_AUTO_TEST_SUITE_END()
