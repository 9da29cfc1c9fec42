// The one base64 codec (see base64.hpp for the two decoding modes).
#include "core/base64.hpp"

#include <array>
#include <cstdint>

namespace coconsul::core {
namespace {

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<signed char, 256> make_values() {
  std::array<signed char, 256> t{};
  for (auto& x : t) x = -1;
  for (std::size_t i = 0; i < alphabet.size(); ++i) t[static_cast<unsigned char>(alphabet[i])] = static_cast<signed char>(i);
  return t;
}
constexpr auto values = make_values();

bool refuse(std::string& out, std::string* why, std::string message) {
  out.clear();
  if (why) *why = std::move(message);
  return false;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string s;
  s.reserve((bytes.size() + 2) / 3 * 4);
  auto byte = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[k])); };
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t n = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    s.push_back(alphabet[(n >> 18) & 63]);
    s.push_back(alphabet[(n >> 12) & 63]);
    s.push_back(alphabet[(n >> 6) & 63]);
    s.push_back(alphabet[n & 63]);
  }
  if (const std::size_t rest = bytes.size() - i; rest > 0) {
    const std::uint32_t n = byte(i) << 16 | (rest == 2 ? byte(i + 1) << 8 : 0);
    s.push_back(alphabet[(n >> 18) & 63]);
    s.push_back(alphabet[(n >> 12) & 63]);
    s.push_back(rest == 2 ? alphabet[(n >> 6) & 63] : '=');
    s.push_back('=');
  }
  return s;
}

bool base64_decode(std::string_view text, std::string& out, base64_mode mode, std::string* why) {
  const bool lenient = mode == base64_mode::lenient;
  out.clear();
  out.reserve(text.size() / 4 * 3);
  std::uint32_t bits = 0;
  int count = 0;  // sextets in bits
  std::size_t padding = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (lenient && (c == '\r' || c == '\n')) continue;  // Go's decoder skips line breaks
    if (c == '=') {
      ++padding;
      continue;
    }
    const int value = values[static_cast<unsigned char>(c)];
    if (value < 0 || padding > 0) return refuse(out, why, "unexpected character at offset " + std::to_string(i));
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    if (++count == 4) {
      out += static_cast<char>((bits >> 16) & 0xff);
      out += static_cast<char>((bits >> 8) & 0xff);
      out += static_cast<char>(bits & 0xff);
      bits = 0;
      count = 0;
    }
  }
  // Padding, where there is any, completes the last group of 4; strict mode requires it.
  if (count == 1 || padding > 2 || (padding > 0 && count + padding != 4) || (!lenient && count != 0 && padding == 0))
    return refuse(out, why, "wrong length or padding");
  if (count == 2) {
    out += static_cast<char>((bits >> 4) & 0xff);
  } else if (count == 3) {
    out += static_cast<char>((bits >> 10) & 0xff);
    out += static_cast<char>((bits >> 2) & 0xff);
  }
  return true;
}

}  // namespace coconsul::core
