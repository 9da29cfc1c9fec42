#pragma once
// The benchmarks' command lines: "--name N" pairs, each N a count above zero.
//
//   if (!parse_size_flags(argc, argv, {{"--watchers", &opt.watchers}, {"--services", &opt.services}}))
//     return usage();

#include <cstddef>
#include <cstdlib>
#include <initializer_list>
#include <string_view>
#include <utility>

// Sets each named count; false for an unknown flag, a missing value, or a value that is not a
// whole number above zero.
inline bool parse_size_flags(int argc, char** argv,
                             std::initializer_list<std::pair<std::string_view, std::size_t*>> flags) {
  for (int i = 1; i < argc; ++i) {
    std::size_t* target = nullptr;
    for (const auto& [name, out] : flags)
      if (argv[i] == name) target = out;
    if (target == nullptr || i + 1 >= argc) return false;
    char* end = nullptr;
    const char* text = argv[++i];
    const unsigned long long value = std::strtoull(text, &end, 10);
    if (end == text || *end != '\0' || value == 0) return false;
    *target = static_cast<std::size_t>(value);
  }
  return true;
}
