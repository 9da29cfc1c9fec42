#pragma once
// Bytes in error messages, told the one same way everywhere on the client side: which
// characters are control characters, how one byte is named, how a value is quoted. No I/O.

#include <string>
#include <string_view>

namespace coconsul::core {

// C0 controls and DEL: what may not appear in names, header values, tokens or addresses.
constexpr bool is_control(unsigned char c) noexcept { return c < 0x20 || c == 0x7f; }
bool has_control(std::string_view s) noexcept;

// One byte as a message names it: "0x0a".
std::string byte_name(unsigned char c);

enum class non_ascii {
  keep,    // bytes >= 0x80 as they are: the text is UTF-8 we were given
  escape,  // as \xNN too: bytes from a peer, not known to be text
};

// `s` in double quotes for a message: control characters (and, with non_ascii::escape,
// bytes >= 0x80) as \xNN, '"' and '\' preceded by '\'.
std::string quoted(std::string_view s, non_ascii other = non_ascii::keep);

}  // namespace coconsul::core
