// The one base64 codec: round trips, padding, invalid characters, strict and lenient modes.
#include <boost/test/unit_test.hpp>

#include "core/base64.hpp"

using coconsul::core::base64_decode;
using coconsul::core::base64_encode;
using coconsul::core::base64_mode;

namespace {

// The decoded bytes, or "<refused: why>".
std::string decode(std::string_view text, base64_mode mode) {
  std::string out, why;
  if (!base64_decode(text, out, mode, &why)) return "<refused: " + why + ">";
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(base64)

BOOST_AUTO_TEST_CASE(encodes_rfc_4648_vectors) {
  BOOST_TEST(base64_encode("") == "");
  BOOST_TEST(base64_encode("f") == "Zg==");
  BOOST_TEST(base64_encode("fo") == "Zm8=");
  BOOST_TEST(base64_encode("foo") == "Zm9v");
  BOOST_TEST(base64_encode("foob") == "Zm9vYg==");
  BOOST_TEST(base64_encode("fooba") == "Zm9vYmE=");
  BOOST_TEST(base64_encode("foobar") == "Zm9vYmFy");
  BOOST_TEST(base64_encode("\xfb\xff\xbf") == "+/+/");  // the two non-alphanumeric symbols
}

BOOST_AUTO_TEST_CASE(round_trips_every_byte_and_length) {
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  for (std::size_t n = 0; n <= all.size(); n += 7) {
    const std::string bytes = all.substr(0, n);
    const std::string text = base64_encode(bytes);
    BOOST_TEST_CONTEXT("length " << n) {
      BOOST_TEST(text.size() % 4 == 0u);
      BOOST_TEST(decode(text, base64_mode::strict) == bytes);
      BOOST_TEST(decode(text, base64_mode::lenient) == bytes);
    }
  }
}

BOOST_AUTO_TEST_CASE(both_modes_accept_padded_standard_text) {
  for (auto mode : {base64_mode::strict, base64_mode::lenient}) {
    BOOST_TEST(decode("", mode) == "");
    BOOST_TEST(decode("Zg==", mode) == "f");
    BOOST_TEST(decode("Zm8=", mode) == "fo");
    BOOST_TEST(decode("Zm9vYmFy", mode) == "foobar");
  }
}

BOOST_AUTO_TEST_CASE(strict_requires_padding_and_nothing_else) {
  BOOST_TEST(decode("Zg", base64_mode::strict) == "<refused: wrong length or padding>");
  BOOST_TEST(decode("Zm8", base64_mode::strict) == "<refused: wrong length or padding>");
  BOOST_TEST(decode("Zg=", base64_mode::strict) == "<refused: wrong length or padding>");
  BOOST_TEST(decode("Zm9v\nYmFy", base64_mode::strict) == "<refused: unexpected character at offset 4>");
  BOOST_TEST(decode("Zm9v\r\n", base64_mode::strict) == "<refused: unexpected character at offset 4>");
}

BOOST_AUTO_TEST_CASE(lenient_skips_line_breaks_and_accepts_missing_padding) {
  BOOST_TEST(decode("Zg", base64_mode::lenient) == "f");
  BOOST_TEST(decode("Zm8", base64_mode::lenient) == "fo");
  BOOST_TEST(decode("Zm9v\r\nYmFy\n", base64_mode::lenient) == "foobar");
  BOOST_TEST(decode("Zm\n8=", base64_mode::lenient) == "fo");
  BOOST_TEST(decode("\n", base64_mode::lenient) == "");
}

BOOST_AUTO_TEST_CASE(both_modes_refuse_the_rest) {
  struct one_case {
    const char* text;
    const char* why;
  };
  const one_case cases[] = {
      {"Z", "wrong length or padding"},          // a lone sextet is not a byte
      {"Zm9vY", "wrong length or padding"},
      {"Z===", "wrong length or padding"},
      {"====", "wrong length or padding"},
      {"Zg===", "wrong length or padding"},      // more padding than the group needs
      {"=", "wrong length or padding"},
      {"Zm9v=", "wrong length or padding"},
      {"Zg==Zg==", "unexpected character at offset 4"},  // data after padding
      {"Zm=8", "unexpected character at offset 3"},
      {"Zm9v YmFy", "unexpected character at offset 4"},
      {"Zm9v-_", "unexpected character at offset 4"},   // the URL alphabet is not the standard one
      {"Zm9\xC3\xA9", "unexpected character at offset 3"},
      {"Zm9v\tYmFy", "unexpected character at offset 4"},
  };
  for (auto mode : {base64_mode::strict, base64_mode::lenient}) {
    for (const auto& c : cases) {
      BOOST_TEST_CONTEXT("\"" << c.text << "\" strict " << (mode == base64_mode::strict)) {
        BOOST_TEST(decode(c.text, mode) == std::string("<refused: ") + c.why + ">");
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_refusal_leaves_no_partial_output_and_why_is_optional) {
  std::string out = "previous";
  BOOST_TEST(!base64_decode("Zm9vYmFy!", out, base64_mode::strict));
  BOOST_TEST(out.empty());
  BOOST_TEST(base64_decode("Zm9v", out, base64_mode::strict));
  BOOST_TEST(out == "foo");
}

BOOST_AUTO_TEST_SUITE_END()
