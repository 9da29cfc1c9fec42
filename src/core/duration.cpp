// Go durations: parsing time.ParseDuration's syntax and formatting as Duration.String() does.
#include <coconsul/duration.hpp>
#include <coconsul/error.hpp>

#include "core/text.hpp"

#include <cstdint>
#include <limits>

namespace coconsul {
namespace {

// Go's bound: the magnitude may reach 2^63 (for -2^63), a positive value 2^63 - 1.
constexpr std::uint64_t two63 = std::uint64_t{1} << 63;

// Nanoseconds per unit, or 0 for an unknown unit. "µ" is U+00B5 (micro sign) and "μ" U+03BC
// (Greek mu); Go accepts both.
std::uint64_t unit_ns(std::string_view u) {
  if (u == "ns") return 1;
  if (u == "us" || u == "\xC2\xB5s" || u == "\xCE\xBCs") return 1'000;
  if (u == "ms") return 1'000'000;
  if (u == "s") return 1'000'000'000;
  if (u == "m") return 60'000'000'000;
  if (u == "h") return 3'600'000'000'000;
  return 0;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

using core::quoted;

std::optional<std::chrono::nanoseconds> fail(std::string* why, std::string_view text, const char* what) {
  if (why) *why = "invalid duration " + quoted(text) + ": " + what;
  return std::nullopt;
}

}  // namespace

// Follows Go's time.ParseDuration step by step (src/time/format.go), including its overflow
// bounds and the float64 arithmetic for fractions, so a value parses to the very nanosecond Go
// gives. One deliberate difference: Go's running sum can wrap past 2^64 on absurd inputs
// ("9223372036854775808ns9223372036854775808ns" gives 0 there); here that is an overflow.
std::optional<std::chrono::nanoseconds> try_parse_duration(std::string_view text, std::string* why) {
  std::string_view s = text;
  if (s.empty()) return fail(why, text, "empty");
  bool negative = false;
  if (s.front() == '-' || s.front() == '+') {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return std::chrono::nanoseconds{0};
  if (s.empty()) return fail(why, text, "no number after the sign");

  std::uint64_t total = 0;
  while (!s.empty()) {
    if (!is_digit(s.front()) && s.front() != '.')
      return fail(why, text, "expected a number");

    // Integer part (Go's leadingInt): at most 2^63.
    std::uint64_t whole = 0;
    std::size_t int_digits = 0;
    while (!s.empty() && is_digit(s.front())) {
      if (whole > two63 / 10) return fail(why, text, "overflows 64-bit nanoseconds");
      whole = whole * 10 + static_cast<std::uint64_t>(s.front() - '0');
      if (whole > two63) return fail(why, text, "overflows 64-bit nanoseconds");
      s.remove_prefix(1);
      ++int_digits;
    }
    // Fraction (Go's leadingFraction): digits past what fits in 63 bits are skipped.
    std::uint64_t frac = 0;
    double scale = 1;
    bool frac_full = false;
    std::size_t frac_digits = 0;
    bool dot = false;
    if (!s.empty() && s.front() == '.') {
      dot = true;
      s.remove_prefix(1);
      while (!s.empty() && is_digit(s.front())) {
        if (!frac_full) {
          const std::uint64_t next =
              frac > (two63 - 1) / 10 ? two63 + 1 : frac * 10 + static_cast<std::uint64_t>(s.front() - '0');
          if (next > two63) {
            frac_full = true;
          } else {
            frac = next;
            scale *= 10;
          }
        }
        s.remove_prefix(1);
        ++frac_digits;
      }
    }
    if (int_digits == 0 && frac_digits == 0)
      return fail(why, text, dot ? "a '.' without digits" : "expected a number");

    std::size_t unit_len = 0;
    while (unit_len < s.size() && s[unit_len] != '.' && !is_digit(s[unit_len])) ++unit_len;
    if (unit_len == 0) return fail(why, text, "missing unit (ns, us, ms, s, m or h)");
    std::string_view unit = s.substr(0, unit_len);
    s.remove_prefix(unit_len);
    const std::uint64_t per = unit_ns(unit);
    if (per == 0) {
      if (why) *why = "invalid duration " + quoted(text) + ": unknown unit " + quoted(unit) +
                      " (use ns, us, ms, s, m or h)";
      return std::nullopt;
    }

    if (whole > two63 / per) return fail(why, text, "overflows 64-bit nanoseconds");
    std::uint64_t part = whole * per;
    if (frac > 0) {
      // frac / scale < 1, so this is below one unit (3.6e12 ns at most): the conversion is safe.
      part += static_cast<std::uint64_t>(static_cast<double>(frac) * (static_cast<double>(per) / scale));
      if (part > two63) return fail(why, text, "overflows 64-bit nanoseconds");
    }
    if (part > two63 - total) return fail(why, text, "overflows 64-bit nanoseconds");
    total += part;
  }
  if (negative) {
    // -2^63 is representable; negate in unsigned arithmetic, then convert (two's complement).
    return std::chrono::nanoseconds{static_cast<std::int64_t>(std::uint64_t{0} - total)};
  }
  if (total > two63 - 1) return fail(why, text, "overflows 64-bit nanoseconds");
  return std::chrono::nanoseconds{static_cast<std::int64_t>(total)};
}

std::chrono::nanoseconds parse_duration(std::string_view text) {
  std::string why;
  if (auto d = try_parse_duration(text, &why)) return *d;
  throw error(make_error_code(errc::invalid_duration), diagnostics{0, std::move(why)});
}

namespace {

// Appends v / 10^prec as Go's fmtFrac and fmtInt do: the fraction without trailing zeros,
// and no '.' when the fraction is zero.
void append_scaled(std::string& out, std::uint64_t v, int prec) {
  std::uint64_t div = 1;
  for (int i = 0; i < prec; ++i) div *= 10;
  out += std::to_string(v / div);
  std::uint64_t frac = v % div;
  if (frac == 0) return;
  std::string digits(static_cast<std::size_t>(prec), '0');
  for (int i = prec - 1; i >= 0; --i, frac /= 10) digits[static_cast<std::size_t>(i)] = static_cast<char>('0' + frac % 10);
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  out += '.';
  out += digits;
}

}  // namespace

std::string format_duration(std::chrono::nanoseconds d) {
  const std::int64_t n = d.count();
  if (n == 0) return "0s";
  std::string out;
  // Unsigned magnitude, safe for INT64_MIN.
  std::uint64_t u = n < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
  if (n < 0) out += '-';
  if (u < 1'000'000'000) {
    if (u < 1'000) {
      append_scaled(out, u, 0);
      out += "ns";
    } else if (u < 1'000'000) {
      append_scaled(out, u, 3);
      out += "\xC2\xB5s";
    } else {
      append_scaled(out, u, 6);
      out += "ms";
    }
    return out;
  }
  const std::uint64_t seconds_total = u / 1'000'000'000;
  const std::uint64_t hours = seconds_total / 3600;
  const std::uint64_t minutes = seconds_total / 60 % 60;
  if (hours > 0) out += std::to_string(hours) + "h";
  if (hours > 0 || minutes > 0) out += std::to_string(minutes) + "m";
  append_scaled(out, seconds_total % 60 * 1'000'000'000 + u % 1'000'000'000, 9);
  out += 's';
  return out;
}

}  // namespace coconsul
