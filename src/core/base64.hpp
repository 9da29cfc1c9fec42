#pragma once
// Base64 with the standard alphabet (RFC 4648 section 4, Go's base64.StdEncoding), once for
// the whole code base: the client's JSON codec and the dev agent both use it. No I/O.

#include <cstddef>
#include <string>
#include <string_view>

namespace coconsul::core {

enum class base64_mode {
  // Padded to a multiple of 4 characters, '=' only at the end, nothing else but the alphabet:
  // what the dev agent accepts in a request body.
  strict,
  // Also what Consul's Go decoder lets through when reading Consul's output: line breaks (CR,
  // LF) are skipped and missing padding is accepted. A lone trailing character, or padding
  // that does not complete a group of 4, is still refused.
  lenient,
};

// Standard alphabet with '=' padding. The empty string encodes to the empty string.
std::string base64_encode(std::string_view bytes);

// Decodes `text` into `out` (cleared first). On failure returns false and, with `why`, says
// what was wrong: "unexpected character at offset N" or "wrong length or padding".
bool base64_decode(std::string_view text, std::string& out, base64_mode mode, std::string* why = nullptr);

}  // namespace coconsul::core
