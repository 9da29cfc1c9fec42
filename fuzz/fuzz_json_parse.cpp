// libFuzzer target: the project's one JSON parse (src/core/json_parse.hpp). The first byte
// picks the options (comments, trailing commas, invalid UTF-8, a depth of 4 or 10,000), the
// second where the streaming parser's input is cut in two; the rest is the document.
// What must hold: the same error as boost::json::parse; what parses serializes to text that
// parses to an equal value and serializes the same (doubles are correctly rounded, so the
// shortest round-trip text reads back; an infinity cannot, see has_infinity); the stream cut anywhere gives the same value.
#include "core/json_parse.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {
namespace json = boost::json;
using coconsul::core::json_parser;
using coconsul::core::parse_json;

[[noreturn]] void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "%s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

json::parse_options options(std::uint8_t b) {
  json::parse_options o;
  o.allow_comments = b & 1;
  o.allow_trailing_commas = b & 2;
  o.allow_invalid_utf8 = b & 4;
  o.max_depth = (b & 8) ? 4 : 10000;
  return o;
}

// A literal past a double's range reads as an infinity (as in Boost.JSON), which Boost.JSON
// 1.81 serializes as "Infinity", not JSON: such a value cannot round-trip. Iterative: the
// value may nest 10,000 levels.
bool has_infinity(const json::value& root) {
  std::vector<const json::value*> todo{&root};
  while (!todo.empty()) {
    const json::value* v = todo.back();
    todo.pop_back();
    if (v->is_double() && !std::isfinite(v->get_double())) return true;
    if (const auto* a = v->if_array())
      for (const auto& e : *a) todo.push_back(&e);
    else if (const auto* o = v->if_object())
      for (const auto& kv : *o) todo.push_back(&kv.value());
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const json::parse_options opt = options(data[0]);
  const std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);
  const std::size_t cut = text.empty() ? 0 : data[1] % (text.size() + 1);

  json::error_code ours;
  json::value once = parse_json(text, ours, opt);
  json::error_code theirs;
  (void)json::parse(text, theirs, {}, opt);
  if (ours != theirs) fail("an error other than boost::json::parse's", ours.message() + " / " + theirs.message());
  if (ours) return 0;

  const std::string rendered = json::serialize(once);
  json::error_code ec;
  if (!has_infinity(once)) {
    json::value twice = parse_json(rendered, ec, opt);
    if (ec) fail("a serialized value that does not parse", rendered);
    if (twice != once) fail("a serialized value that parses to another value", rendered);
    if (json::serialize(twice) != rendered) fail("a value that serializes differently the second time", rendered);
  }

  json_parser p(opt);
  std::size_t used = p.write_some(text.substr(0, cut), ec);
  if (used > cut || (!ec && !p.done() && used != cut)) fail("a stream that reports bytes it was not given", rendered);
  if (!ec && !p.done()) used += p.write_some(text.substr(cut), ec);
  if (used > text.size()) fail("a stream that reports bytes it was not given", rendered);
  if (!ec && !p.done()) p.finish(ec);
  if (ec) fail("a document the stream refuses when cut", rendered);
  // The stream stops after the value; only whitespace may follow it.
  if (text.substr(used).find_first_not_of(" \t\r\n") != std::string_view::npos && !opt.allow_comments)
    fail("a stream that stopped before the end of a whole document", rendered);
  if (p.release() != once) fail("a document cut in two that parses to another value", rendered);
  return 0;
}
