// libFuzzer target: the dev agent's request body decoders (src/dev_agent/endpoints/decode.hpp:
// service and check registration, the TTL update, session create, catalog register and
// deregister, txn) and the event size check, on any bytes. Each refuses with a message
// (body_decode_error or http_error, nothing else), nothing crashes; what parses renders as Go
// writes it (json_out) to text that parses back to the same value.
#include "refuses_cleanly.hpp"

#include "dev_agent/endpoints/decode.hpp"
#include "dev_agent/endpoints/event_size.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/json_in.hpp"
#include "dev_agent/http/json_out.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {
using namespace coconsul::dev;
using coconsul::fuzz::fail;
using coconsul::fuzz::refuses_cleanly;

// Equal values, doubles (and a double against an integer) to 1e-14 relative. Iterative: the
// values may nest 10,000 levels.
bool same(const boost::json::value& x, const boost::json::value& y) {
  std::vector<std::pair<const boost::json::value*, const boost::json::value*>> todo{{&x, &y}};
  while (!todo.empty()) {
    const auto [a, b] = todo.back();
    todo.pop_back();
    if (a->is_number() && b->is_number() && (a->is_double() || b->is_double())) {
      const double p = a->to_number<double>(), q = b->to_number<double>();
      if (std::fabs(p - q) > 1e-14 * std::max(std::fabs(p), std::fabs(q))) return false;
      continue;
    }
    if (a->kind() != b->kind()) return false;
    if (const auto* arr = a->if_array()) {
      const auto& brr = b->get_array();
      if (arr->size() != brr.size()) return false;
      for (std::size_t i = 0; i < arr->size(); ++i) todo.emplace_back(&(*arr)[i], &brr[i]);
    } else if (const auto* obj = a->if_object()) {
      const auto& bbj = b->get_object();
      if (obj->size() != bbj.size()) return false;
      for (const auto& kv : *obj) {
        const auto* other = bbj.if_contains(kv.key());
        if (!other) return false;
        todo.emplace_back(&kv.value(), other);
      }
    } else if (*a != *b) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  boost::json::value v;
  bool parsed = false;
  refuses_cleanly("parse_body", [&] {
    v = parse_body(body);
    parsed = true;
  });
  if (parsed) {
    const std::string once = render_compact(v);
    boost::json::value again;
    try {
      again = parse_body(once);
    } catch (const std::exception& e) {
      fail("json_out wrote what json_in refuses", once + " (" + e.what() + ")");
    }
    // The text reads back as the value it came from, but for two things of Boost.JSON 1.81's
    // reading, not of our writing: "-0" (Go's text for -0.0) comes back as the integer 0, and
    // a double is read to within a few ulps, not correctly rounded, so doubles compare loosely.
    if (!same(v, again)) fail("render -> parse gives another value", once);
    refuses_cleanly("service_definition", [&] { decode_service_definition(v); });
    refuses_cleanly("check_definition", [&] { decode_check_definition(v); });
    refuses_cleanly("check_update", [&] { decode_check_update(v); });
    refuses_cleanly("session", [&] {
      session_record defaults;
      decode_session(v, defaults);
    });
    refuses_cleanly("catalog_register", [&] { decode_catalog_register(v); });
    refuses_cleanly("catalog_deregister", [&] { decode_catalog_deregister(v); });
  }
  refuses_cleanly("txn", [&] { decode_txn(body); });
  // The event: the input as payload, its first bytes (up to a '/', as a path segment ends) as
  // the name.
  refuses_cleanly("event_size", [&] {
    event_record e;
    const std::size_t n = std::min({body.find('/'), body.size(), std::size_t{600}});
    e.name.assign(body.data(), n);
    if (e.name.empty()) e.name = "e";
    e.id = "00000000-0000-0000-0000-000000000000";
    if (!body.empty()) e.payload = std::string(body);
    check_user_event_size(e);
  });
  return 0;
}
