// The one way bytes are shown in error messages: control characters, byte names, quoting.
#include <boost/test/unit_test.hpp>

#include "core/text.hpp"

using coconsul::core::byte_name;
using coconsul::core::has_control;
using coconsul::core::is_control;
using coconsul::core::non_ascii;
using coconsul::core::quoted;

BOOST_AUTO_TEST_SUITE(message_text)

BOOST_AUTO_TEST_CASE(control_characters_are_c0_and_del) {
  for (int c = 0; c < 256; ++c) {
    BOOST_TEST_CONTEXT("byte " << c) { BOOST_TEST(is_control(static_cast<unsigned char>(c)) == (c < 0x20 || c == 0x7f)); }
  }
  BOOST_TEST(!has_control(""));
  BOOST_TEST(!has_control("caf\xC3\xA9 ok ~"));
  BOOST_TEST(has_control("tab\there"));
  BOOST_TEST(has_control(std::string_view("a\0b", 3)));
  BOOST_TEST(has_control("del\x7f"));
}

BOOST_AUTO_TEST_CASE(bytes_are_named_in_lower_case_hex) {
  BOOST_TEST(byte_name(0) == "0x00");
  BOOST_TEST(byte_name('\n') == "0x0a");
  BOOST_TEST(byte_name(0x7f) == "0x7f");
  BOOST_TEST(byte_name(0xff) == "0xff");
}

BOOST_AUTO_TEST_CASE(quoting) {
  BOOST_TEST(quoted("") == "\"\"");
  BOOST_TEST(quoted("10s") == "\"10s\"");
  BOOST_TEST(quoted("a\nb\x7f") == "\"a\\x0ab\\x7f\"");
  BOOST_TEST(quoted("say \"hi\" \\o/") == "\"say \\\"hi\\\" \\\\o/\"");
  BOOST_TEST(quoted(std::string_view("\0", 1)) == "\"\\x00\"");
  BOOST_TEST(quoted("1\xC2\xB5s") == "\"1\xC2\xB5s\"");  // UTF-8 kept by default
  BOOST_TEST(quoted("1\xC2\xB5s", non_ascii::escape) == "\"1\\xc2\\xb5s\"");
  BOOST_TEST(quoted("HTTP/1.1 2x0 OK", non_ascii::escape) == "\"HTTP/1.1 2x0 OK\"");
}

BOOST_AUTO_TEST_SUITE_END()
