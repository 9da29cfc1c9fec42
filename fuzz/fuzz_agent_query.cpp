// libFuzzer target: the dev agent's query strings (src/dev_agent/http/message.hpp) and the values
// read from them (request_values.hpp, blocking.hpp's read options: index, wait, max_stale,
// consistency; bools, unsigned integers, Go durations; the filter, ns and dc parameters as the
// endpoints read them). Nothing crashes; a refusal is an http_error 400 with a message; what the
// readers accept reads back the same; encoding the parsed query is stable.
#include "dev_agent/endpoints/blocking.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/message.hpp"
#include "dev_agent/http/request_values.hpp"

#include <coconsul/duration.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

namespace {
using namespace coconsul::dev;

[[noreturn]] void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "%s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

// Every typed reader on one value.
void read_value(const std::string& v) {
  if (auto b = parse_go_bool(v); b && parse_go_bool(*b ? "true" : "false") != b) fail("a bool that does not read back", v);
  if (auto n = parse_uint64(v); n && parse_uint64(std::to_string(*n)) != n) fail("an index that does not read back", v);
  std::string why;
  if (auto d = coconsul::try_parse_duration(v, &why)) {
    if (coconsul::try_parse_duration(coconsul::format_duration(*d)) != d) fail("a duration that does not read back", v);
  } else if (why.empty()) {
    fail("a duration refused without a reason", v);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  http_request req;
  req.method = "GET";
  req.raw_query = std::string(raw);
  req.query = query_params::parse(raw);
  req.path = percent_decode(raw, false);
  req.target = "/v1/kv/k?" + req.raw_query;

  const std::string encoded = req.query.encode();
  if (query_params::parse(encoded).encode() != encoded) fail("encode -> parse -> encode changes the query", encoded);

  try {
    read_options o = parse_read_options(req);
    if (o.consistency != "leader" && o.consistency != "stale" && o.consistency != "consistent")
      fail("an unknown consistency mode", o.consistency);
  } catch (const http_error& e) {
    if (e.status != 400 || e.reason.empty()) fail("a read option refused without a 400 and a message", raw);
  } catch (const std::exception& e) {
    fail("an unexpected exception", e.what());
  }

  for (const auto& [key, value] : req.query.items()) read_value(value);
  for (const char* name : {"filter", "ns", "dc", "partition", "index", "wait", "flags", "cas", "passing", "recurse"}) {
    auto first = req.query.get(name);
    if (first.has_value() != req.query.has(name)) fail("get and has disagree", name);
    if (first && req.query.all(name).front() != *first) fail("get and all disagree", name);
    if (first) read_value(*first);
  }
  return 0;
}
