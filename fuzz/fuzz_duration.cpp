// libFuzzer target: Go durations (include/coconsul/duration.hpp). Any text parses or fails with
// a message; what parses formats to text that parses back to the same value; and any 64-bit
// count (the first 8 bytes) formats to text that parses back to it.
#include <coconsul/duration.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

[[noreturn]] void fail(const char* what, std::string_view text, std::int64_t n) {
  std::fprintf(stderr, "%s: \"%.*s\" (%lld ns)\n", what, static_cast<int>(text.size()), text.data(), static_cast<long long>(n));
  std::abort();
}

void formats_back(std::chrono::nanoseconds d) {
  const std::string text = coconsul::format_duration(d);
  std::string why;
  const auto again = coconsul::try_parse_duration(text, &why);
  if (!again) fail("our own format does not parse", text, d.count());
  if (*again != d) fail("format -> parse changes the value", text, d.count());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string why;
  if (const auto d = coconsul::try_parse_duration(text, &why)) {
    formats_back(*d);
  } else if (why.empty()) {
    fail("a failure without a message", text, 0);
  }
  if (size >= 8) {
    std::int64_t n = 0;
    std::memcpy(&n, data, sizeof n);
    formats_back(std::chrono::nanoseconds(n));
  }
  return 0;
}
