#pragma once
// What the dev agent's body-decoding fuzz targets check of a decoder: it succeeds, or refuses
// with a message in one of the two error types the endpoints turn into Consul's answers.

#include "dev_agent/http/error.hpp"
#include "dev_agent/http/json_in.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string_view>

namespace coconsul::fuzz {

// Says what went wrong and aborts, so libFuzzer keeps the input.
[[noreturn]] inline void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "%s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

// Runs one decoder: it succeeds, or refuses with a message in one of the two error types.
template <class F>
void refuses_cleanly(const char* name, F&& decode) {
  try {
    decode();
  } catch (const dev::body_decode_error& e) {
    if (std::string_view(e.what()).empty()) fail("a decode error without a message", name);
  } catch (const dev::http_error& e) {
    if (e.reason.empty() || e.status < 400 || e.status > 599) fail("an http_error without a message or a 4xx/5xx", name);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: ", name);
    fail("an unexpected exception", e.what());
  }
}

}  // namespace coconsul::fuzz
