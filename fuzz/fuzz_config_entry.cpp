// libFuzzer target: config entries (include/coconsul/model/config_entry.hpp). Any bytes decode
// as one entry and as a list, or fail with a message; what decodes encodes to JSON that decodes
// again, and encoding is then a fixed point (Kind first, the same bytes the second time).
#include <coconsul/json.hpp>
#include <coconsul/model/config_entry.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

[[noreturn]] void fail(const char* what, std::string_view text) {
  std::fprintf(stderr, "%s: %.*s\n", what, static_cast<int>(text.size()), text.data());
  std::abort();
}

template <class T>
void round_trips(std::string_view input) {
  T value{};
  coconsul::diagnostics diag;
  if (coconsul::decode_json(input, value, diag)) {
    if (diag.message.empty()) fail("a failure without a message", input);
    return;
  }
  for (auto mode : {coconsul::encode_mode::omit_empty, coconsul::encode_mode::all_fields}) {
    const std::string once = coconsul::encode_json(value, mode);
    T again{};
    if (coconsul::decode_json(once, again, diag)) fail("our own encoding does not decode", once);
    const std::string twice = coconsul::encode_json(again, mode);
    if (twice != once) fail("encoding is not a fixed point", once + "\n" + twice);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  round_trips<coconsul::config_entry>(input);
  round_trips<std::vector<coconsul::config_entry>>(input);
  return 0;
}
