// Serf's user event size limit, computed for the envelope Consul builds (see event_size.hpp).

#include "dev_agent/endpoints/event_size.hpp"

#include "dev_agent/endpoints/limits.hpp"
#include "dev_agent/http/error.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace coconsul::dev {

namespace {

// A msgpack string or byte string's length with its header, in the format without str8 and
// bin that Consul's and serf's codec handles write (fixraw, raw16, raw32).
std::size_t msgpack_raw(std::size_t n) { return n + (n < 32 ? 1 : n < 65536 ? 3 : 5); }

std::size_t msgpack_uint(std::uint64_t v) { return v < 128 ? 1 : v <= 0xff ? 2 : v <= 0xffff ? 3 : v <= 0xffffffff ? 5 : 9; }

}  // namespace

void check_user_event_size(const event_record& e) {
  auto field = [](std::size_t key, std::size_t value) { return msgpack_raw(key) + msgpack_raw(value); };
  std::size_t inner = 1 + field(2, 36) + field(1, e.name.size()) + msgpack_raw(1) + 1;  // map, ID, n, v
  if (e.payload && !e.payload->empty()) inner += field(1, e.payload->size());
  for (const std::string* f : {&e.node_filter, &e.service_filter, &e.tag_filter})
    if (!f->empty()) inner += field(2, f->size());
  std::size_t serf_name = std::string_view("consul:event:").size() + e.name.size();
  const std::size_t limit = limits::user_event_size_limit;
  if (serf_name + inner > limit)
    throw http_error{500, "user event exceeds configured limit of " + std::to_string(limit) + " bytes before encoding"};
  std::size_t outer = 1 + 1 + msgpack_raw(5) + msgpack_uint(e.ltime) + field(4, serf_name) + field(7, inner) +
                      msgpack_raw(2) + 1;
  if (outer > limit)
    throw http_error{500, "encoded user event exceeds configured limit of " + std::to_string(limit) +
                              " bytes after encoding"};
}

}  // namespace coconsul::dev
