// Percent-encoding of keys, names and parameter values, pinned byte for byte: everything but
// RFC 3986's unreserved characters is encoded as %XX (upper-case hex), '/' only kept on request.
#include <boost/test/unit_test.hpp>

#include "protocol/request.hpp"

using coconsul::protocol::percent_encode;

BOOST_AUTO_TEST_SUITE(percent_encoding)

BOOST_AUTO_TEST_CASE(unreserved_characters_stay) {
  const std::string unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
  BOOST_TEST(percent_encode(unreserved) == unreserved);
  BOOST_TEST(percent_encode(unreserved, true) == unreserved);
  BOOST_TEST(percent_encode("").empty());
}

BOOST_AUTO_TEST_CASE(reserved_characters_are_encoded) {
  BOOST_TEST(percent_encode(":/?#[]@") == "%3A%2F%3F%23%5B%5D%40");
  BOOST_TEST(percent_encode("!$&'()*+,;=") == "%21%24%26%27%28%29%2A%2B%2C%3B%3D");
  BOOST_TEST(percent_encode("\"<>\\^`{|}") == "%22%3C%3E%5C%5E%60%7B%7C%7D");
}

BOOST_AUTO_TEST_CASE(slash_is_kept_only_for_keys) {
  BOOST_TEST(percent_encode("app/config/db") == "app%2Fconfig%2Fdb");
  BOOST_TEST(percent_encode("app/config/db", true) == "app/config/db");
  BOOST_TEST(percent_encode("/lead//trail/", true) == "/lead//trail/");
  // Only '/': the other reserved characters are still encoded with keep_slash.
  BOOST_TEST(percent_encode("a/b?c=d#e", true) == "a/b%3Fc%3Dd%23e");
}

BOOST_AUTO_TEST_CASE(space_plus_and_percent) {
  BOOST_TEST(percent_encode("a b") == "a%20b");  // never '+': Consul reads '+' as a plus
  BOOST_TEST(percent_encode("a+b") == "a%2Bb");
  BOOST_TEST(percent_encode("100%") == "100%25");
  BOOST_TEST(percent_encode("%2F") == "%252F");  // already-encoded text is encoded again
}

BOOST_AUTO_TEST_CASE(bytes_beyond_ascii_and_controls) {
  BOOST_TEST(percent_encode("caf\xC3\xA9") == "caf%C3%A9");  // UTF-8, byte by byte
  BOOST_TEST(percent_encode("\xE2\x82\xAC", true) == "%E2%82%AC");
  BOOST_TEST(percent_encode("\xFF\x80") == "%FF%80");  // not UTF-8: still byte by byte
  BOOST_TEST(percent_encode(std::string_view("\0\t\n\x7f", 4)) == "%00%09%0A%7F");
}

BOOST_AUTO_TEST_SUITE_END()
