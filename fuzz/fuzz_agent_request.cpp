// libFuzzer target: the dev agent's HTTP request parser (src/dev_agent/http/request_reader.hpp),
// driven as the agent's server drives it: bytes in pieces of 1..256 chosen by the input, a
// pause after each header (where the server decides on the body), then the body, then the next
// pipelined request from what is left. Nothing may throw or crash, no feed may consume more
// than it was given or stall with bytes it could take, every refusal has its reply, and the
// requests that parse do not depend on how the bytes were split (Beast checks a start line only
// as far as the first piece reaches, so a split may refuse at a different point: only the
// requests parsed by both runs are compared).
//
// Input: byte 0 = flags (bits 0-4: how many piece sizes follow, 1..32; bit 5: small limits,
// 8 KiB header and 64 KiB body, else the agent's 1 MiB + 4 KiB header and a 1 MiB body), then
// that many piece sizes (each + 1), then the bytes a client sends.
#include "dev_agent/http/rejection.hpp"
#include "dev_agent/http/request_reader.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

using coconsul::dev::refusal;
using coconsul::dev::request_reader;

struct parsed {
  std::string method, target, path, body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool operator==(const parsed&) const = default;
};

[[noreturn]] void finding(const char* what) {
  std::fprintf(stderr, "agent_request: %s\n", what);
  std::abort();
}

// Feeds `bytes` in pieces of the given sizes (cycled), as the server's read loop does, and
// returns the requests that parsed.
std::vector<parsed> drive(std::string_view bytes, const std::vector<std::size_t>& pieces, std::size_t max_header,
                          std::size_t max_body) {
  std::vector<parsed> out;
  std::string buffer;  // what the server has read and the parser not consumed
  std::size_t at = 0, i = 0;
  for (int request = 0; request < 64; ++request) {
    request_reader reader(max_header, max_body);
    bool header_seen = false;
    for (;;) {
      if (!buffer.empty()) {
        const std::size_t n = reader.feed(buffer);
        if (n > buffer.size()) finding("feed consumed more than it was given");
        buffer.erase(0, n);
        if (reader.refused() != refusal::none) {
          if (coconsul::dev::refusal_reply(reader.refused(), reader.content_length(), max_body).empty())
            finding("a refusal without a reply");
          return out;
        }
        if (reader.done()) break;
        if (reader.header_done() && !header_seen) {
          header_seen = true;  // the server's decision point: the body is bounded, keep going
          (void)reader.content_length();
          (void)reader.chunked();
          (void)reader.expects_continue();
          (void)reader.keep_alive();
          continue;
        }
        if (n > 0 && !buffer.empty()) continue;
      }
      if (at == bytes.size()) return out;  // the client stops sending
      const std::size_t n = std::min(pieces[i++ % pieces.size()], bytes.size() - at);
      buffer.append(bytes.data() + at, n);
      at += n;
    }
    auto r = reader.take("127.0.0.1:1");
    if (r.body.size() > max_body) finding("a body over the limit was stored");
    (void)r.query.encode();
    out.push_back(parsed{r.method, r.target, r.path, r.body, r.headers});
    if (!reader.keep_alive()) return out;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t flags = data[0];
  const std::size_t count = (flags & 31) + 1;
  if (size < 1 + count) return 0;
  std::vector<std::size_t> pieces;
  for (std::size_t k = 0; k < count; ++k) pieces.push_back(std::size_t(data[1 + k]) + 1);
  const bool small = flags & 32;
  const std::size_t max_header = small ? 8 * 1024 : (1 << 20) + 4096;
  const std::size_t max_body = small ? 64 * 1024 : 1 << 20;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1 + count, size - 1 - count);

  auto split = drive(bytes, pieces, max_header, max_body);
  auto whole = drive(bytes, {bytes.size() + 1}, max_header, max_body);
  const std::size_t common = std::min(split.size(), whole.size());
  for (std::size_t k = 0; k < common; ++k)
    if (!(split[k] == whole[k])) finding("a request parsed differently depending on the split");
  return 0;
}
