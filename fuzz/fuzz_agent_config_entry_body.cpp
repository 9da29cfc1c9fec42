// libFuzzer target: PUT /v1/config bodies through the dev agent's config entry layer
// (src/dev_agent/config_entries/): the JSON reader, DecodeConfigEntry's lenient decoding, each
// kind's normalize+validate hook and the write's chain checks (over an empty store) and the
// rendering, on any bytes.
// Nothing may escape but the JSON reader's body_decode_error; and an accepted entry is a fixed
// point: its rendering decodes without error, passes its hook again and renders the same.
#include "dev_agent/config_entries/decode.hpp"
#include "dev_agent/config_entries/kinds.hpp"
#include "dev_agent/http/json_in.hpp"
#include "dev_agent/http/json_out.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

namespace {
using namespace coconsul::dev;
namespace ce = coconsul::dev::config_entries;

[[noreturn]] void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "%s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

// Decode, hook, render: the stored body, or nothing when refused.
std::optional<boost::json::object> accept(const boost::json::value& body, const config_entry_state& entries) {
  ce::decoded_entry d = ce::decode_entry(body);
  if (!d.error.empty()) return std::nullopt;
  const ce::kind_info* kind = ce::find_kind(d.kind);
  if (!kind) fail("a decoded entry of an unknown kind", d.kind);
  ce::kind_context ctx{entries, nullptr, std::chrono::system_clock::time_point(), "dc1", true};
  if (kind->normalize_validate(d.entry, ctx)) return std::nullopt;
  (void)kind->can_write(coconsul::dev::acl::authorizer::manage_all(), d.entry);
  boost::json::object stored = ce::render_entry(*ce::entry_schema(d.kind), d.entry);
  // The write's checks against the other entries (the discovery chain compiler).
  if (ce::check_write(entries, d.kind, ce::entry_name(d.kind, d.entry), stored)) return std::nullopt;
  return stored;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  config_entry_state entries;
  try {
    boost::json::value body;
    try {
      body = parse_body(text);
    } catch (const body_decode_error&) {
      return 0;  // the endpoint's 400
    }
    auto first = accept(body, entries);
    if (!first) return 0;
    std::string rendered = render_compact(*first);
    auto again = accept(parse_body(rendered), entries);
    if (!again) fail("an accepted entry whose rendering is refused", rendered);
    if (render_compact(*again) != rendered) fail("an entry that renders differently the second time", rendered);
  } catch (const std::exception& e) {
    fail("an unexpected exception", e.what());
  }
  return 0;
}
