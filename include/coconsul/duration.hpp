#pragma once
// Durations: std::chrono on our side, Go duration strings on the wire ("10s", "1m30s",
// "1h2m3.5s", "300ms", "1us" or "1µs", "0").

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace coconsul {

// Parses Go's time.ParseDuration syntax: a sequence of decimal numbers, each with an optional
// fraction and a unit (ns, us, µs, μs, ms, s, m, h), or a bare "0", with an optional leading
// '+' or '-' ("-1s" is minus one second, as in Go). The range is Go's: "-2562047h47m16.854775808s"
// to "2562047h47m16.854775807s" ("2562047h" is fine, "2562048h" is not).
// Throws coconsul::error (errc::invalid_duration) for an empty or malformed string, an unknown
// unit, or a value that overflows 64-bit nanoseconds: the message quotes the input and says which.
std::chrono::nanoseconds parse_duration(std::string_view text);

// The same without exceptions: nullopt on failure, and *why (when given) says what was wrong.
std::optional<std::chrono::nanoseconds> try_parse_duration(std::string_view text,
                                                           std::string* why = nullptr);

// Formats as Go's time.Duration.String() does: "1h0m0s", "1m30s", "1.5s", "300ms", "1µs",
// "0s". Consul and every Go program parse it back to the same value.
std::string format_duration(std::chrono::nanoseconds d);

}  // namespace coconsul
