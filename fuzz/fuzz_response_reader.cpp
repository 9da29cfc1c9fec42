// libFuzzer target: the client's HTTP response reader (src/http/wire.hpp) fed the way a socket
// feeds it, in pieces of 1..256 bytes chosen by the input. Nothing may throw or crash, and the
// outcome (state, status, body, error code) must not depend on how the bytes were split, with
// one exception that is Beast's design: its parser checks a start line as far as the first
// bytes it is given reach, then waits for the end of the header, so garbage first seen in a later
// piece fails as malformed only once the header is complete; a stream that ends (or a header
// that hits the limit) before that is truncated_response (or header_too_large) instead.
//
// Input: byte 0 = flags (bits 0-4: how many piece sizes follow, 1..32; bit 5: large limits,
// 1 MiB header and body, else 8 KiB and 64 KiB; bit 6: the stream ends with a reset rather
// than an EOF), then that many piece sizes (each + 1), then the bytes the server sends.
#include "http/wire.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

using coconsul::http::detail::response_reader;
using state = response_reader::state;

struct outcome {
  state st = state::need_more;
  coconsul::error_code ec;
  unsigned status = 0;
  std::string body;
};

// Feeds `bytes` in pieces of the given sizes (cycled) until the reader is done or failed, then
// ends the stream as the server would.
outcome read(std::string_view bytes, const std::vector<std::size_t>& pieces, std::size_t max_header,
             std::size_t max_body, bool reset) {
  response_reader reader(max_header, max_body);
  outcome out;
  std::size_t at = 0, i = 0;
  while (at < bytes.size() && out.st == state::need_more) {
    auto buf = reader.prepare();
    const std::size_t n = std::min({pieces[i++ % pieces.size()], bytes.size() - at, buf.size()});
    std::memcpy(buf.data(), bytes.data() + at, n);
    at += n;
    out.st = reader.commit(n);
    if (out.st == state::need_more) (void)reader.progress();  // what a timeout would say
  }
  if (out.st == state::need_more) out.st = reader.finish_at_eof(reset);
  if (out.st == state::failed) {
    out.ec = reader.error();
    if (reader.message().empty()) {
      std::fprintf(stderr, "failed without a message: %s\n", out.ec.message().c_str());
      std::abort();
    }
  } else if (out.st == state::done) {
    (void)reader.reusable();
    auto r = reader.take();
    out.status = r.status;
    out.body = std::move(r.body);
  }
  return out;
}

// The same failure, or the same malformed bytes seen at different times (see the top).
bool same_failure(coconsul::error_code a, coconsul::error_code b) {
  using coconsul::errc;
  if (a == b) return true;
  auto waiting = [](coconsul::error_code e) { return e == errc::truncated_response || e == errc::header_too_large; };
  return (a == errc::malformed_response && waiting(b)) || (b == errc::malformed_response && waiting(a));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const unsigned flags = data[0];
  const std::size_t count = std::min<std::size_t>((flags & 0x1f) + 1, size - 1);
  std::vector<std::size_t> pieces;
  for (std::size_t k = 0; k < count; ++k) pieces.push_back(static_cast<std::size_t>(data[1 + k]) + 1);
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1 + count, size - 1 - count);
  const bool large = (flags & 0x20) != 0;
  const bool reset = (flags & 0x40) != 0;
  const std::size_t max_header = large ? 1024 * 1024 : 8 * 1024;
  const std::size_t max_body = large ? 1024 * 1024 : 64 * 1024;

  const outcome split = read(bytes, pieces, max_header, max_body, reset);
  const outcome whole = read(bytes, {bytes.size() + 1}, max_header, max_body, reset);
  if (split.st != whole.st || !same_failure(split.ec, whole.ec) || split.status != whole.status || split.body != whole.body) {
    std::fprintf(stderr, "the outcome depends on the split: state %d/%d, %s/%s, status %u/%u, body %zu/%zu bytes\n",
                 static_cast<int>(split.st), static_cast<int>(whole.st), split.ec.message().c_str(),
                 whole.ec.message().c_str(), split.status, whole.status, split.body.size(), whole.body.size());
    std::abort();
  }
  return 0;
}
