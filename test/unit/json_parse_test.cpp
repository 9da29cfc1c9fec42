// The project's one JSON parse (src/core/json_parse.hpp): doubles correctly rounded from their
// text where Boost.JSON 1.81 is off, everything else (kinds, limits, errors, streaming) as
// Boost.JSON's own parsers give it.

#define BOOST_TEST_MODULE json_parse
#include <boost/test/unit_test.hpp>

#include "core/json_parse.hpp"

#include <coconsul/json.hpp>
#include <coconsul/model/agent.hpp>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

namespace json = boost::json;
using coconsul::core::json_parser;
using coconsul::core::parse_json;

namespace {

// The double nearest `text` by glibc's strtod, an implementation independent of the
// std::from_chars the parser uses.
double nearest(const std::string& text) { return std::strtod(text.c_str(), nullptr); }

double parse_double(const std::string& text) {
  json::error_code ec;
  json::value v = parse_json(text, ec);
  BOOST_TEST_REQUIRE(!ec, text << ": " << ec.message());
  BOOST_TEST_REQUIRE(v.is_double(), text);
  return v.get_double();
}

// Literals Boost.JSON 1.81's own parse reads one ulp (or more) off: long decimals, the edges
// of the normal range, just under DBL_MAX's rounding boundary, the smallest subnormal.
const std::vector<std::string> misrounded = {
    "33333333333333333333333333333333333333333333333333366.67",
    "5225314758959604220756229.491e54",
    "17161709834167684719509999.626e199",
    "8297365668480671047263814.617e-168",
    "10552983743176183665393043.757e-187",
    "9206677855437990315164530.783e272",
    "2.2250738585072011e-308",
    "1.7976931348623158e308",
    "2.4703282292062328e-324",
};

// A number split across writes, at each byte, through the streaming parser.
json::value parse_in_two(const std::string& text, std::size_t cut) {
  json_parser p;
  json::error_code ec;
  std::size_t used = p.write_some(std::string_view(text).substr(0, cut), ec);
  BOOST_TEST_REQUIRE(!ec, text << " cut at " << cut << ": " << ec.message());
  used += p.write_some(std::string_view(text).substr(cut), ec);
  BOOST_TEST_REQUIRE(!ec, text << " cut at " << cut << ": " << ec.message());
  BOOST_TEST_REQUIRE(used == text.size());
  if (!p.done()) p.finish(ec);
  BOOST_TEST_REQUIRE(!ec, text << " cut at " << cut << ": " << ec.message());
  return p.release();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(json_parse)

BOOST_AUTO_TEST_CASE(doubles_are_the_nearest_to_their_text) {
  for (const auto& text : misrounded) {
    BOOST_TEST_CONTEXT(text) {
      BOOST_TEST(parse_double(text) == nearest(text));
      BOOST_TEST(parse_double("-" + text) == -nearest(text));
    }
  }
  BOOST_TEST(parse_double("1.7976931348623158e308") == DBL_MAX);
  BOOST_TEST(parse_double("2.4703282292062328e-324") == std::numeric_limits<double>::denorm_min());
  BOOST_TEST(parse_double("2.2250738585072011e-308") == std::nextafter(DBL_MIN, 0.0));
  BOOST_TEST(parse_double("0.1") == 0.1);
  BOOST_TEST(parse_double("1.5E+3") == 1500.0);
}

BOOST_AUTO_TEST_CASE(serialized_doubles_read_back_the_same) {
  // The fuzz finding: a free-form Config whose rendering re-read as another double.
  for (const auto& text : misrounded) {
    BOOST_TEST_CONTEXT(text) {
      const std::string doc = "{\"Config\":{\"a\":" + text + "}}";
      json::value once = parse_json(doc);
      const std::string rendered = json::serialize(once);
      json::value twice = parse_json(rendered);
      BOOST_TEST(twice == once);
      BOOST_TEST(json::serialize(twice) == rendered);
    }
  }
}

BOOST_AUTO_TEST_CASE(out_of_range_literals_read_as_boost_json_reads_them) {
  const std::string long_huge = "1" + std::string(400, '0');
  const std::string long_tiny = "0." + std::string(400, '0') + "1e-100";
  for (std::string text : {std::string("1e400"), std::string("-1e400"), std::string("1.7976931348623159e308"),
                           std::string("1e-400"), std::string("-1e-400"), std::string("2e-324"), long_huge,
                           "-" + long_huge, long_tiny, "-" + long_tiny}) {
    BOOST_TEST_CONTEXT(text) {
      const double d = parse_double(text);
      const double boost = json::parse(text).get_double();
      BOOST_TEST((d == boost && std::signbit(d) == std::signbit(boost)));
    }
  }
  BOOST_TEST(std::isinf(parse_double("1e400")));
  BOOST_TEST(parse_double("1e-400") == 0.0);
  // A zero with a huge exponent is 0 as Go reads it (Boost.JSON 1.81 makes it a NaN).
  BOOST_TEST(parse_double("0e999") == 0.0);
  BOOST_TEST(std::signbit(parse_double("-0e999")));
  // An exponent past Boost.JSON's own bound stays its error.
  json::error_code ec;
  parse_json("1e99999999999999999999", ec);
  BOOST_TEST(ec == json::error::exponent_overflow);
}

BOOST_AUTO_TEST_CASE(the_stream_names_the_first_literal_past_dbl_max) {
  const std::string text = "[1e-400,1.7976931348623158e308,-1e400,1e999]";
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    BOOST_TEST_CONTEXT("cut at " << cut) {
      json_parser p;
      json::error_code ec;
      p.write_some(std::string_view(text).substr(0, cut), ec);
      p.write_some(std::string_view(text).substr(cut), ec);
      BOOST_TEST_REQUIRE(!ec);
      BOOST_TEST_REQUIRE(p.done());
      BOOST_TEST_REQUIRE(p.overflowed().has_value());
      BOOST_TEST(*p.overflowed() == "-1e400");
      p.reset();
      BOOST_TEST(!p.overflowed());
    }
  }
  json_parser p;
  json::error_code ec;
  p.write_some("[1e-400,1.7976931348623158e308,0e999]", ec);
  BOOST_TEST(!p.overflowed());
}

BOOST_AUTO_TEST_CASE(integers_keep_their_kinds) {
  BOOST_TEST(parse_json("9223372036854775807").kind() == json::kind::int64);
  BOOST_TEST(parse_json("-9223372036854775808").kind() == json::kind::int64);
  BOOST_TEST(parse_json("18446744073709551615").kind() == json::kind::uint64);
  // Past uint64 (or below int64) an integer becomes a double, as in Boost.JSON.
  for (std::string text : {"18446744073709551616", "-9223372036854775809", "123456789012345678901234567890"}) {
    BOOST_TEST_CONTEXT(text) {
      BOOST_TEST(parse_double(text) == nearest(text));
      BOOST_TEST(parse_double(text) == json::parse(text).get_double());
    }
  }
}

BOOST_AUTO_TEST_CASE(errors_and_limits_are_boost_jsons) {
  json::parse_options shallow;
  shallow.max_depth = 2;
  json::parse_options lenient;
  lenient.allow_comments = true;
  lenient.allow_trailing_commas = true;
  lenient.allow_invalid_utf8 = true;
  struct input {
    std::string text;
    json::parse_options opt;
  };
  const std::vector<input> inputs = {
      {"", {}},          {"[1,", {}},         {"{\"a\" 1}", {}}, {"[1] x", {}},         {"01", {}},
      {"1.", {}},        {"-", {}},           {"tru", {}},       {"[1,]", {}},          {"[1,]", lenient},
      {"// c\n1", {}},   {"// c\n1", lenient}, {"\"\xff\"", {}},  {"\"\xff\"", lenient}, {"[[1]]", shallow},
      {"[[[1]]]", shallow}, {std::string(33, '[') + std::string(33, ']'), {}},
      {std::string(32, '[') + std::string(32, ']'), {}}, {"{\"a\":1e5000000000000000000}", {}},
  };
  for (const auto& in : inputs) {
    BOOST_TEST_CONTEXT(in.text) {
      json::error_code ours;
      json::error_code theirs;
      json::value a = parse_json(in.text, ours, in.opt);
      json::value b = json::parse(in.text, theirs, {}, in.opt);
      BOOST_TEST(ours == theirs);
      BOOST_TEST(a == b);
    }
  }
  json::error_code ec;
  parse_json("[[[1]]]", ec, shallow);
  BOOST_TEST(ec == json::error::too_deep);
  parse_json("[1] x", ec);
  BOOST_TEST(ec == json::error::extra_data);
  BOOST_CHECK_THROW(parse_json("[1,"), boost::system::system_error);
}

BOOST_AUTO_TEST_CASE(a_number_split_across_writes_is_read_whole) {
  for (const auto& text : misrounded) {
    for (const std::string& doc : {text, "[" + text + ",1.5]", "{\"k\":-" + text + "}"}) {
      const json::value whole = parse_json(doc);
      for (std::size_t cut = 0; cut <= doc.size(); ++cut)
        BOOST_TEST_CONTEXT(doc << " cut at " << cut) { BOOST_TEST(parse_in_two(doc, cut) == whole); }
    }
  }
  // An integer split in two stays an integer (the pieces are not left over for the next number).
  BOOST_TEST(parse_in_two("[12345678901,2.5]", 4) == parse_json("[12345678901,2.5]"));
}

BOOST_AUTO_TEST_CASE(a_comment_split_across_writes_is_consumed) {
  // Boost.JSON 1.81's write_some returns a count from a pointer outside the buffer when the
  // input ends inside a comment (the fuzz target's finding): the stream says every byte was used.
  json::parse_options opt;
  opt.allow_comments = true;
  opt.allow_trailing_commas = true;
  for (const std::string text : {"// cnull\n{\"a\":[1,2,],\"b\":\"x\",}", "/* x */ [1, /* y */ 2.5] // t\n"}) {
    const json::value whole = parse_json(text, opt);
    for (std::size_t cut = 0; cut <= text.size(); ++cut) {
      BOOST_TEST_CONTEXT(text << " cut at " << cut) {
        json_parser p(opt);
        json::error_code ec;
        const std::size_t first = p.write_some(std::string_view(text).substr(0, cut), ec);
        BOOST_TEST_REQUIRE(!ec);
        BOOST_TEST_REQUIRE(first <= cut);
        std::size_t used = first;
        if (!p.done()) {
          BOOST_TEST(first == cut);
          used += p.write_some(std::string_view(text).substr(first), ec);
        }
        BOOST_TEST_REQUIRE(!ec);
        BOOST_TEST(used <= text.size());
        if (!p.done()) p.finish(ec);
        BOOST_TEST_REQUIRE(!ec);
        BOOST_TEST(p.release() == whole);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(the_stream_stops_after_each_document) {
  const std::string text = "{\"a\":1}\n{\"b\":2.2250738585072011e-308}\n";
  json_parser p;
  json::error_code ec;
  std::size_t used = p.write_some(text, ec);
  BOOST_TEST_REQUIRE(!ec);
  BOOST_TEST_REQUIRE(p.done());
  BOOST_TEST(p.release() == parse_json("{\"a\":1}"));
  p.reset();
  used += p.write_some(std::string_view(text).substr(used), ec);
  BOOST_TEST_REQUIRE(!ec);
  BOOST_TEST_REQUIRE(p.done());
  BOOST_TEST(p.release().at("b").get_double() == std::nextafter(DBL_MIN, 0.0));
  // A truncated document: not done, and finishing it is Boost.JSON's error.
  p.reset();
  p.write_some("{\"a\":[1,", ec);
  BOOST_TEST(!ec);
  BOOST_TEST(!p.done());
  p.finish(ec);
  BOOST_TEST(ec == json::error::incomplete);
}

BOOST_AUTO_TEST_CASE(the_value_lives_in_the_given_storage) {
  json::monotonic_resource mr;
  json::storage_ptr sp(&mr);
  json::error_code ec;
  json::value v = parse_json("{\"a\":[1,2.5]}", ec, {}, sp);
  BOOST_TEST(!ec);
  BOOST_TEST(v.storage().get() == sp.get());
  json_parser p({}, sp);
  p.write_last("[1]", ec);
  BOOST_TEST(p.release().storage().get() == sp.get());
}

BOOST_AUTO_TEST_CASE(the_client_decodes_responses_through_it) {
  // A response's doubles as the client's model decoding (include/coconsul/json.hpp) reads them.
  const std::string body = "{\"Vec\":[" + misrounded[1] + "," + misrounded[6] + "],\"Error\":" + misrounded[7] +
                           ",\"Adjustment\":" + misrounded[8] + ",\"Height\":" + misrounded[0] + "}";
  const coconsul::coordinate c = coconsul::decode_json<coconsul::agent_self>("{\"Coord\":" + body + "}").coord;
  BOOST_TEST_REQUIRE(c.vec.size() == 2u);
  BOOST_TEST(c.vec[0] == nearest(misrounded[1]));
  BOOST_TEST(c.vec[1] == nearest(misrounded[6]));
  BOOST_TEST(c.error == DBL_MAX);
  BOOST_TEST(c.adjustment == std::numeric_limits<double>::denorm_min());
  BOOST_TEST(c.height == nearest(misrounded[0]));
}

BOOST_AUTO_TEST_SUITE_END()
