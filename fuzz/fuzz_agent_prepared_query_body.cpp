// libFuzzer target: the dev agent's prepared query bodies (POST and PUT /v1/query, decoded by
// src/dev_agent/endpoints/prepared_query_body.hpp) on any bytes, then Consul's checks and, for
// a template, its compile and a render for its own name and a longer one. A refusal is a
// body_decode_error, nothing else escapes; a decoded definition renders as JSON that decodes
// back to the same definition.
#include "dev_agent/endpoints/prepared_query_body.hpp"
#include "dev_agent/http/json_in.hpp"
#include "dev_agent/store/prepared_query_template.hpp"

#include <boost/json/serialize.hpp>

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
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  prepared_query_record q;
  try {
    q = decode_prepared_query(parse_body(body));
  } catch (const body_decode_error&) {
    return 0;  // Consul's 400
  } catch (const std::exception& e) {
    fail("an unexpected exception", e.what());
  }
  std::string rendered = boost::json::serialize(render_prepared_query(q));
  try {
    if (!(decode_prepared_query(parse_body(rendered)) == q)) fail("a definition that does not read back", rendered);
  } catch (const body_decode_error& e) {
    fail("a rendered definition that does not decode", e.what());
  }
  (void)prepared_query_problem(q);
  if (q.is_template() && check_template(q).empty()) {
    (void)render_template(q, q.name);
    (void)render_template(q, q.name + "-some.longer name");
  }
  return 0;
}
